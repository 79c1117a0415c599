package org.openmmsc.mm1.codec;

import org.openmmsc.mm1.codec.DecodeException.Reason;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes binary MMS PDUs (application/vnd.wap.mms-message). Pure and thread-safe. Bad input raises
 * {@link DecodeException} only; part bodies are slices of the input array, not copies, so the caller
 * must not modify the array while the PDU is in use.
 *
 * <p>Tolerance follows what real handsets send: unknown header fields, unassigned token values and
 * values in an unexpected syntax are kept raw rather than rejected; what cannot be delimited at all is
 * an error.
 */
public final class MmsDecoder {
    private final DecodeLimits limits;

    public MmsDecoder(DecodeLimits limits) {
        this.limits = limits;
    }

    public MmsDecoder() {
        this(DecodeLimits.DEFAULTS);
    }

    public DecodeLimits limits() {
        return limits;
    }

    public MmsPdu decode(byte[] pdu) throws DecodeException {
        return decode(pdu, 0, pdu.length);
    }

    public MmsPdu decode(byte[] buffer, int offset, int length) throws DecodeException {
        if (offset < 0 || length < 0 || offset > buffer.length - length) {
            throw new DecodeException(Reason.TRUNCATED, 0, "range outside the buffer");
        }
        if (length > limits.maxPduSize()) {
            throw new DecodeException(Reason.PDU_TOO_LARGE, 0, length + " octets exceed " + limits.maxPduSize());
        }
        WspReader in = new WspReader(buffer, offset, length, limits);
        if (length < 2 || in.peek() != (0x80 | MmsField.MESSAGE_TYPE.code())) {
            throw in.error(Reason.NOT_AN_MMS_PDU, "a PDU starts with X-Mms-Message-Type");
        }
        in.readOctet();
        int typeOctet = in.readOctet();
        MessageType type = MessageType.fromOctet(typeOctet);
        if (type == null) {
            throw new DecodeException(Reason.UNKNOWN_MESSAGE_TYPE, 1, String.format("message type 0x%02X", typeOctet));
        }
        List<MmsHeader> headers = new ArrayList<>(16);
        ContentType contentType = null;
        while (in.hasRemaining()) {
            if (headers.size() >= limits.maxHeaders()) {
                throw in.error(Reason.TOO_MANY_HEADERS, "more than " + limits.maxHeaders() + " headers");
            }
            MmsHeader header = MmsHeaderCodec.decode(in, type);
            headers.add(header);
            if (header.value() instanceof HeaderValue.ContentTypeValue value) {
                // Content-Type is the last header; the body follows (mms-encapsulation.md §1).
                contentType = value.contentType();
                break;
            }
        }
        MessageBody body = null;
        if (contentType != null) {
            body = decodeBody(in, contentType);
        }
        MmsHeaders headerList = new MmsHeaders(headers);
        MmsField missing = MmsPdu.missingMandatory(type, headerList);
        if (missing != null) {
            throw in.error(Reason.MISSING_MANDATORY_HEADER, type.wireName() + " lacks " + missing.headerName());
        }
        return MmsPdu.create(type, headerList, body);
    }

    private MessageBody decodeBody(WspReader in, ContentType contentType) throws DecodeException {
        if (contentType.isMultipart() && in.hasRemaining()) {
            int bodyStart = in.position();
            int[] partBudget = {limits.maxParts()};
            MessageBody.Multipart multipart = WspCodec.decodeMultipart(in, 1, partBudget);
            if (in.hasRemaining()) {
                // Octets after the last entry: keep the whole body opaque so nothing is lost silently.
                in.seek(bodyStart);
                return new MessageBody.Opaque(in.slice(in.remaining()));
            }
            return multipart;
        }
        return new MessageBody.Opaque(in.slice(in.remaining()));
    }
}
