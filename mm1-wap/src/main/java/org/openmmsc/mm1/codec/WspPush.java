package org.openmmsc.mm1.codec;

import java.util.List;

/**
 * A connectionless WSP Push PDU (WAP-230 §8.2.4): what a phone receives on WDP port 2948.
 *
 * @param transactionId the one-octet TID
 * @param pduType       0x06 Push or 0x07 ConfirmedPush
 * @param contentType   content type of the pushed data
 * @param headers       push headers (X-Wap-Application-Id, Push-Flag, Content-Length, …)
 * @param data          the pushed entity (for MMS: the binary m-notification-ind etc.)
 */
public record WspPush(int transactionId, int pduType, ContentType contentType, List<WspHeader> headers,
                      ByteSlice data) {
    public static final int PUSH = 0x06;
    public static final int CONFIRMED_PUSH = 0x07;

    public WspPush {
        if (transactionId < 0 || transactionId > 0xFF) {
            throw new IllegalArgumentException("TID must be one octet: " + transactionId);
        }
        if (pduType != PUSH && pduType != CONFIRMED_PUSH) {
            throw new IllegalArgumentException("not a push PDU type: " + pduType);
        }
        headers = List.copyOf(headers);
    }

    /** The push of an MMS PDU to the MMS user agent: {@code TID 06 03 BE AF 84} then the PDU. */
    public static WspPush forMms(int transactionId, byte[] mmsPdu) {
        return new WspPush(transactionId, PUSH, ContentType.of(ContentType.MMS_MESSAGE),
                List.of(WspHeader.wellKnown(WspTables.HEADER_X_WAP_APPLICATION_ID, "x-wap-application:mms.ua")),
                ByteSlice.wrap(mmsPdu));
    }

    /** X-Wap-Application-Id as text (e.g. "x-wap-application:mms.ua"), or null. */
    public String applicationId() {
        for (WspHeader header : headers) {
            if (header.code() == WspTables.HEADER_X_WAP_APPLICATION_ID) {
                return header.value();
            }
        }
        return null;
    }

    /** True when this push carries an MMS PDU for the MMS user agent. */
    public boolean isMms() {
        String applicationId = applicationId();
        return contentType.hasMediaType(ContentType.MMS_MESSAGE)
                && (applicationId == null || applicationId.equalsIgnoreCase("x-wap-application:mms.ua"));
    }
}
