package org.openmmsc.mm1.codec;

import java.nio.ByteBuffer;

/**
 * Encodes MMS PDUs. Header order follows OMA-TS-MMS_ENC §7: X-Mms-Message-Type, X-Mms-Transaction-Id,
 * X-Mms-MMS-Version first, the other headers in the record's order, Content-Type last and then the
 * body. Values use the most compact encoding (Short-integer where it fits, well-known numbers for
 * content types, plain Text-string for US-ASCII). Pure and thread-safe.
 */
public final class MmsEncoder {

    /**
     * The whole PDU as one array. Headers and framing are written first and the array is then
     * allocated at its exact size, so each body is copied once and nothing is over-allocated.
     */
    public byte[] encode(MmsPdu pdu) {
        ByteBuffer[] segments = encodeGathered(pdu);
        int size = 0;
        for (ByteBuffer segment : segments) {
            size += segment.remaining();
        }
        byte[] pduBytes = new byte[size];
        int offset = 0;
        for (ByteBuffer segment : segments) {
            int length = segment.remaining();
            segment.get(pduBytes, offset, length);
            offset += length;
        }
        return pduBytes;
    }

    /**
     * The PDU as buffers to write in order with a gathering write: headers and multipart framing in
     * fresh buffers, part bodies as read-only views of the bodies themselves (not copied).
     */
    public ByteBuffer[] encodeGathered(MmsPdu pdu) {
        WspWriter out = new WspWriter(256, true);
        write(out, pdu);
        return out.toBuffers();
    }

    private static void write(WspWriter out, MmsPdu pdu) {
        MmsHeaders headers = pdu.headers();
        out.writeOctet(0x80 | MmsField.MESSAGE_TYPE.code());
        out.writeOctet(pdu.messageType().octet());
        writeAll(out, headers, MmsField.TRANSACTION_ID);
        writeAll(out, headers, MmsField.MMS_VERSION);
        MmsHeader contentType = null;
        for (MmsHeader header : headers.list()) {
            int code = header.code();
            if (code == MmsField.TRANSACTION_ID.code() || code == MmsField.MMS_VERSION.code()) {
                continue;
            }
            if (code == MmsField.CONTENT_TYPE.code()) {
                contentType = header;
                continue;
            }
            MmsHeaderCodec.encode(out, header);
        }
        if (contentType != null) {
            MmsHeaderCodec.encode(out, contentType);
        }
        switch (pdu.body()) {
            case MessageBody.Multipart multipart -> WspCodec.encodeMultipart(out, multipart);
            case MessageBody.Opaque opaque -> out.writeBody(opaque.data());
            case null -> {
            }
        }
    }

    private static void writeAll(WspWriter out, MmsHeaders headers, MmsField field) {
        for (MmsHeader header : headers.list()) {
            if (header.code() == field.code()) {
                MmsHeaderCodec.encode(out, header);
            }
        }
    }
}
