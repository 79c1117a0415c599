package org.openmmsc.mm1.codec;

/**
 * Well-known MMS header fields (OMA-TS-MMS_ENC 1.3 §7.4, table in
 * ../shared/reference/mms-encapsulation.md §3). On the wire the name octet is {@code 0x80 | code}.
 */
public enum MmsField {
    BCC(0x01, "Bcc", Syntax.ENCODED_STRING),
    CC(0x02, "Cc", Syntax.ENCODED_STRING),
    CONTENT_LOCATION(0x03, "X-Mms-Content-Location", Syntax.TEXT),
    CONTENT_TYPE(0x04, "Content-Type", Syntax.CONTENT_TYPE),
    DATE(0x05, "Date", Syntax.DATE),
    DELIVERY_REPORT(0x06, "X-Mms-Delivery-Report", Syntax.TOKEN),
    DELIVERY_TIME(0x07, "X-Mms-Delivery-Time", Syntax.TIME),
    EXPIRY(0x08, "X-Mms-Expiry", Syntax.TIME),
    FROM(0x09, "From", Syntax.FROM),
    MESSAGE_CLASS(0x0A, "X-Mms-Message-Class", Syntax.TOKEN_OR_TEXT),
    MESSAGE_ID(0x0B, "Message-ID", Syntax.TEXT),
    MESSAGE_TYPE(0x0C, "X-Mms-Message-Type", Syntax.TOKEN),
    MMS_VERSION(0x0D, "X-Mms-MMS-Version", Syntax.VERSION),
    MESSAGE_SIZE(0x0E, "X-Mms-Message-Size", Syntax.LONG),
    PRIORITY(0x0F, "X-Mms-Priority", Syntax.TOKEN),
    READ_REPORT(0x10, "X-Mms-Read-Report", Syntax.TOKEN),
    REPORT_ALLOWED(0x11, "X-Mms-Report-Allowed", Syntax.TOKEN),
    RESPONSE_STATUS(0x12, "X-Mms-Response-Status", Syntax.TOKEN),
    RESPONSE_TEXT(0x13, "X-Mms-Response-Text", Syntax.ENCODED_STRING),
    SENDER_VISIBILITY(0x14, "X-Mms-Sender-Visibility", Syntax.TOKEN),
    STATUS(0x15, "X-Mms-Status", Syntax.TOKEN),
    SUBJECT(0x16, "Subject", Syntax.ENCODED_STRING),
    TO(0x17, "To", Syntax.ENCODED_STRING),
    TRANSACTION_ID(0x18, "X-Mms-Transaction-Id", Syntax.TEXT),
    RETRIEVE_STATUS(0x19, "X-Mms-Retrieve-Status", Syntax.TOKEN),
    RETRIEVE_TEXT(0x1A, "X-Mms-Retrieve-Text", Syntax.ENCODED_STRING),
    READ_STATUS(0x1B, "X-Mms-Read-Status", Syntax.TOKEN),
    REPLY_CHARGING(0x1C, "X-Mms-Reply-Charging", Syntax.TOKEN),
    REPLY_CHARGING_DEADLINE(0x1D, "X-Mms-Reply-Charging-Deadline", Syntax.TIME),
    REPLY_CHARGING_ID(0x1E, "X-Mms-Reply-Charging-ID", Syntax.TEXT),
    REPLY_CHARGING_SIZE(0x1F, "X-Mms-Reply-Charging-Size", Syntax.LONG),
    PREVIOUSLY_SENT_BY(0x20, "X-Mms-Previously-Sent-By", Syntax.COUNTED_STRING),
    PREVIOUSLY_SENT_DATE(0x21, "X-Mms-Previously-Sent-Date", Syntax.COUNTED_DATE),
    STORE(0x22, "X-Mms-Store", Syntax.TOKEN),
    MM_STATE(0x23, "X-Mms-MM-State", Syntax.TOKEN),
    MM_FLAGS(0x24, "X-Mms-MM-Flags", Syntax.FLAGS),
    STORE_STATUS(0x25, "X-Mms-Store-Status", Syntax.TOKEN),
    STORE_STATUS_TEXT(0x26, "X-Mms-Store-Status-Text", Syntax.ENCODED_STRING),
    STORED(0x27, "X-Mms-Stored", Syntax.TOKEN),
    ATTRIBUTES(0x28, "X-Mms-Attributes", Syntax.TOKEN),
    TOTALS(0x29, "X-Mms-Totals", Syntax.TOKEN),
    MBOX_TOTALS(0x2A, "X-Mms-Mbox-Totals", Syntax.QUOTA),
    QUOTAS(0x2B, "X-Mms-Quotas", Syntax.TOKEN),
    MBOX_QUOTAS(0x2C, "X-Mms-Mbox-Quotas", Syntax.QUOTA),
    MESSAGE_COUNT(0x2D, "X-Mms-Message-Count", Syntax.INTEGER),
    CONTENT(0x2E, "Content", Syntax.RAW),
    START(0x2F, "X-Mms-Start", Syntax.INTEGER),
    ADDITIONAL_HEADERS(0x30, "Additional-headers", Syntax.RAW),
    DISTRIBUTION_INDICATOR(0x31, "X-Mms-Distribution-Indicator", Syntax.TOKEN),
    ELEMENT_DESCRIPTOR(0x32, "X-Mms-Element-Descriptor", Syntax.RAW),
    LIMIT(0x33, "X-Mms-Limit", Syntax.INTEGER),
    RECOMMENDED_RETRIEVAL_MODE(0x34, "X-Mms-Recommended-Retrieval-Mode", Syntax.TOKEN),
    RECOMMENDED_RETRIEVAL_MODE_TEXT(0x35, "X-Mms-Recommended-Retrieval-Mode-Text", Syntax.ENCODED_STRING),
    STATUS_TEXT(0x36, "X-Mms-Status-Text", Syntax.ENCODED_STRING),
    APPLIC_ID(0x37, "X-Mms-Applic-ID", Syntax.TEXT),
    REPLY_APPLIC_ID(0x38, "X-Mms-Reply-Applic-ID", Syntax.TEXT),
    AUX_APPLIC_INFO(0x39, "X-Mms-Aux-Applic-Info", Syntax.TEXT),
    CONTENT_CLASS(0x3A, "X-Mms-Content-Class", Syntax.TOKEN),
    DRM_CONTENT(0x3B, "X-Mms-DRM-Content", Syntax.TOKEN),
    ADAPTATION_ALLOWED(0x3C, "X-Mms-Adaptation-Allowed", Syntax.TOKEN),
    REPLACE_ID(0x3D, "X-Mms-Replace-ID", Syntax.TEXT),
    CANCEL_ID(0x3E, "X-Mms-Cancel-ID", Syntax.TEXT),
    CANCEL_STATUS(0x3F, "X-Mms-Cancel-Status", Syntax.TOKEN);

    /** How a field's value is encoded (mms-encapsulation.md §3 and §5). */
    public enum Syntax {
        TEXT, ENCODED_STRING, TOKEN, TOKEN_OR_TEXT, LONG, INTEGER, DATE, TIME, FROM, VERSION, CONTENT_TYPE,
        COUNTED_STRING, COUNTED_DATE, FLAGS, QUOTA, RAW
    }

    private static final MmsField[] BY_CODE = new MmsField[0x80];

    static {
        for (MmsField field : values()) {
            BY_CODE[field.code] = field;
        }
    }

    private final int code;
    private final String headerName;
    private final Syntax syntax;

    MmsField(int code, String headerName, Syntax syntax) {
        this.code = code;
        this.headerName = headerName;
        this.syntax = syntax;
    }

    public int code() {
        return code;
    }

    public String headerName() {
        return headerName;
    }

    public Syntax syntax() {
        return syntax;
    }

    /** The field for an assigned number, or null when unassigned (such headers are kept raw). */
    public static MmsField byCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    public static MmsField byName(String name) {
        for (MmsField field : values()) {
            if (field.headerName.equalsIgnoreCase(name) || field.name().equalsIgnoreCase(name)) {
                return field;
            }
        }
        return null;
    }
}
