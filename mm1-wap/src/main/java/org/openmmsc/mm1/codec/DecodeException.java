package org.openmmsc.mm1.codec;

/**
 * The one exception every decoder in this package throws for bad input: a machine-readable
 * reason and the byte offset (from the start of the decoded buffer) where decoding gave up.
 */
public final class DecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        TRUNCATED,
        MALFORMED_VALUE,
        UNKNOWN_MESSAGE_TYPE,
        NOT_AN_MMS_PDU,
        MISSING_MANDATORY_HEADER,
        PDU_TOO_LARGE,
        TOO_MANY_HEADERS,
        TOO_MANY_PARTS,
        NESTING_TOO_DEEP,
        STRING_TOO_LONG,
        NOT_A_WSP_PUSH,
        BAD_SMS_SEGMENTS
    }

    private final Reason reason;
    private final int offset;

    public DecodeException(Reason reason, int offset, String detail) {
        super(reason + " at offset " + offset + ": " + detail);
        this.reason = reason;
        this.offset = offset;
    }

    public Reason reason() {
        return reason;
    }

    public int offset() {
        return offset;
    }
}
