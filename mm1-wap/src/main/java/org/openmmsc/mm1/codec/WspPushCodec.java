package org.openmmsc.mm1.codec;

import org.openmmsc.mm1.codec.DecodeException.Reason;

import java.util.List;

/** Decodes and encodes connectionless WSP Push PDUs. Pure and thread-safe. */
public final class WspPushCodec {
    private final DecodeLimits limits;

    public WspPushCodec(DecodeLimits limits) {
        this.limits = limits;
    }

    public WspPushCodec() {
        this(DecodeLimits.DEFAULTS);
    }

    public WspPush decode(byte[] push) throws DecodeException {
        if (push.length > limits.maxPduSize()) {
            throw new DecodeException(Reason.PDU_TOO_LARGE, 0, push.length + " octets exceed " + limits.maxPduSize());
        }
        WspReader in = new WspReader(push, 0, push.length, limits);
        int transactionId = in.readOctet();
        int type = in.readOctet();
        if (type != WspPush.PUSH && type != WspPush.CONFIRMED_PUSH) {
            throw new DecodeException(Reason.NOT_A_WSP_PUSH, 1, String.format("PDU type 0x%02X is not a push", type));
        }
        int headersLength = in.readUintvar();
        int headersStart = in.position();
        int saved = in.pushLimit(headersLength);
        ContentType contentType = WspCodec.decodeContentType(in);
        List<WspHeader> headers = WspCodec.decodeHeaders(in);
        in.popLimit(saved);
        in.seek(headersStart + headersLength);
        return new WspPush(transactionId, type, contentType, headers, in.slice(in.remaining()));
    }

    public byte[] encode(WspPush push) {
        WspWriter headers = new WspWriter(64, false);
        WspCodec.encodeContentType(headers, push.contentType());
        WspCodec.encodeHeaders(headers, push.headers());
        WspWriter out = new WspWriter(headers.size() + push.data().length() + 8, false);
        out.writeOctet(push.transactionId());
        out.writeOctet(push.pduType());
        out.writeUintvar(headers.size());
        out.writeWriter(headers);
        out.writeSlice(push.data());
        return out.toByteArray();
    }
}
