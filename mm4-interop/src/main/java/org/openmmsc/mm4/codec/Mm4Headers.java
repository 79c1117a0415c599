package org.openmmsc.mm4.codec;

/**
 * MM4 header names as this MMSC writes them (TS 23.140 §8.4 / the operators in
 * ../shared/reference/mm4.md). Reading matches names case-insensitively, so
 * "X-Mms-Transaction-Id" and "X-Mms-Transaction-ID" are the same header.
 */
public final class Mm4Headers {
    private Mm4Headers() {}

    public static final String VERSION = "X-Mms-3GPP-MMS-Version";
    public static final String MESSAGE_TYPE = "X-Mms-Message-Type";
    public static final String TRANSACTION_ID = "X-Mms-Transaction-ID";
    public static final String MESSAGE_ID = "X-Mms-Message-ID";
    public static final String ACK_REQUEST = "X-Mms-Ack-Request";
    public static final String ORIGINATOR_SYSTEM = "X-Mms-Originator-System";
    public static final String MESSAGE_CLASS = "X-Mms-Message-Class";
    public static final String EXPIRY = "X-Mms-Expiry";
    public static final String DELIVERY_REPORT = "X-Mms-Delivery-Report";
    public static final String ORIGINATOR_RS_DELIVERY_REPORT = "X-Mms-Originator-R/S-Delivery-Report";
    public static final String PRIORITY = "X-Mms-Priority";
    public static final String SENDER_VISIBILITY = "X-Mms-Sender-Visibility";
    public static final String READ_REPLY = "X-Mms-Read-Reply";
    public static final String FORWARD_COUNTER = "X-Mms-Forward-Counter";
    public static final String PREVIOUSLY_SENT_BY = "X-Mms-Previously-sent-by";
    public static final String PREVIOUSLY_SENT_DATE = "X-Mms-Previously-sent-date-and-time";
    public static final String VASP_ID = "X-Mms-VASP-ID";
    public static final String VAS_ID = "X-Mms-VAS-ID";
    public static final String SERVICE_CODE = "X-Mms-Service-Code";
    public static final String CHARGED_PARTY_ID = "X-Mms-Charged-Party-ID";
    public static final String LINKED_ID = "X-Mms-Linked-ID";
    public static final String ADAPTATION_ALLOWED = "X-Mms-Adaptation-Allowed";
    public static final String CONTENT_CLASS = "X-Mms-Content-Class";
    public static final String DRM_CONTENT = "X-Mms-Drm-Content";
    public static final String APPLIC_ID = "X-Mms-Applic-ID";
    public static final String REPLY_APPLIC_ID = "X-Mms-Reply-Applic-ID";
    public static final String AUX_APPLIC_INFO = "X-Mms-Aux-Applic-Info";
    public static final String REQUEST_STATUS_CODE = "X-Mms-Request-Status-Code";
    public static final String STATUS_TEXT = "X-Mms-Status-Text";
    public static final String MM_STATUS_CODE = "X-Mms-MM-Status-Code";
    public static final String MM_STATUS_EXTENSION = "X-Mms-MM-Status-Extension";
    public static final String FORWARD_TO_ORIGINATOR_UA = "X-Mms-Forward-To-Originator-UA";
    public static final String READ_STATUS = "X-Mms-Read-Status";
    /** drivefast/mmsgw writes the read status under this name. */
    public static final String READ_STATUS_VARIANT = "X-Mms-MM-Read-Status";
    /** Mbuni's MM1 text names of the forwarding headers. */
    public static final String PREVIOUSLY_SENT_BY_VARIANT = "X-Mms-Previously-Sent-By";
    public static final String PREVIOUSLY_SENT_DATE_VARIANT = "X-Mms-Previously-Sent-Date";
    public static final String REQUEST_RECIPIENTS = "X-Mms-Request-Recipients";
}
