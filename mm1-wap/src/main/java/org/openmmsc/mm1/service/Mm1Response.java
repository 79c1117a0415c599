package org.openmmsc.mm1.service;

/**
 * What the listener writes back: an HTTP status and an encoded MMS PDU, or no body (the empty
 * HTTP 200 that answers m-notifyresp-ind and m-acknowledge-ind).
 */
public record Mm1Response(int httpStatus, byte[] pdu) {
    public static final String MMS_CONTENT_TYPE = "application/vnd.wap.mms-message";

    public static Mm1Response pdu(byte[] pdu) {
        return new Mm1Response(200, pdu);
    }

    public static Mm1Response empty(int httpStatus) {
        return new Mm1Response(httpStatus, null);
    }
}
