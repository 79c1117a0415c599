package org.openmmsc.mm1.codec;

import java.util.Map;

import static java.util.Map.entry;

/** Names of the one-octet enumeration values (mms-encapsulation.md §6), for display and JSON. */
public final class MmsTokens {
    private MmsTokens() {
    }

    private static final Map<Integer, String> YES_NO = Map.of(0x80, "Yes", 0x81, "No");
    private static final Map<Integer, String> CLASS = Map.of(0x80, "Personal", 0x81, "Advertisement",
            0x82, "Informational", 0x83, "Auto");
    private static final Map<Integer, String> PRIORITY = Map.of(0x80, "Low", 0x81, "Normal", 0x82, "High");
    private static final Map<Integer, String> STATUS = Map.of(0x80, "Expired", 0x81, "Retrieved",
            0x82, "Rejected", 0x83, "Deferred", 0x84, "Unrecognised", 0x85, "Indeterminate", 0x86, "Forwarded",
            0x87, "Unreachable");
    private static final Map<Integer, String> RESPONSE_STATUS = Map.ofEntries(
            entry(0x80, "Ok"), entry(0x81, "Error-unspecified"), entry(0x82, "Error-service-denied"),
            entry(0x83, "Error-message-format-corrupt"), entry(0x84, "Error-sending-address-unresolved"),
            entry(0x85, "Error-message-not-found"), entry(0x86, "Error-network-problem"),
            entry(0x87, "Error-content-not-accepted"), entry(0x88, "Error-unsupported-message"),
            entry(0xC0, "Error-transient-failure"), entry(0xC1, "Error-transient-sending-address-unresolved"),
            entry(0xC2, "Error-transient-message-not-found"), entry(0xC3, "Error-transient-network-problem"),
            entry(0xC4, "Error-transient-partial-success"), entry(0xE0, "Error-permanent-failure"),
            entry(0xE1, "Error-permanent-service-denied"), entry(0xE2, "Error-permanent-message-format-corrupt"),
            entry(0xE3, "Error-permanent-sending-address-unresolved"),
            entry(0xE4, "Error-permanent-message-not-found"), entry(0xE5, "Error-permanent-content-not-accepted"),
            entry(0xE6, "Error-permanent-reply-charging-limitations-not-met"),
            entry(0xE7, "Error-permanent-reply-charging-request-not-accepted"),
            entry(0xE8, "Error-permanent-reply-charging-forwarding-denied"),
            entry(0xE9, "Error-permanent-reply-charging-not-supported"),
            entry(0xEA, "Error-permanent-address-hiding-not-supported"),
            entry(0xEB, "Error-permanent-lack-of-prepaid"));
    private static final Map<Integer, String> RETRIEVE_STATUS = Map.of(0x80, "Ok",
            0xC0, "Error-transient-failure", 0xC1, "Error-transient-message-not-found",
            0xC2, "Error-transient-network-problem", 0xE0, "Error-permanent-failure",
            0xE1, "Error-permanent-service-denied", 0xE2, "Error-permanent-message-not-found",
            0xE3, "Error-permanent-content-unsupported");
    private static final Map<Integer, String> READ_STATUS = Map.of(0x80, "Read", 0x81, "Deleted-without-being-read");
    private static final Map<Integer, String> REPLY_CHARGING = Map.of(0x80, "Requested", 0x81, "Requested-text-only",
            0x82, "Accepted", 0x83, "Accepted-text-only");
    private static final Map<Integer, String> MM_STATE = Map.of(0x80, "Draft", 0x81, "Sent", 0x82, "New",
            0x83, "Retrieved", 0x84, "Forwarded");
    private static final Map<Integer, String> STORE_STATUS = Map.of(0x80, "Success", 0xC0, "Error-transient-failure",
            0xC1, "Error-transient-network-problem", 0xE0, "Error-permanent-failure",
            0xE1, "Error-permanent-service-denied", 0xE2, "Error-permanent-message-format-corrupt",
            0xE3, "Error-permanent-message-not-found", 0xE4, "Error-permanent-mmbox-full");
    private static final Map<Integer, String> CONTENT_CLASS = Map.of(0x80, "text", 0x81, "image-basic",
            0x82, "image-rich", 0x83, "video-basic", 0x84, "video-rich", 0x85, "megapixel", 0x86, "content-basic",
            0x87, "content-rich");
    private static final Map<Integer, String> CANCEL_STATUS = Map.of(0x80, "Cancel-request-successfully-received",
            0x81, "Cancel-request-corrupted");
    private static final Map<Integer, String> SENDER_VISIBILITY = Map.of(0x80, "Hide", 0x81, "Show");
    private static final Map<Integer, String> RETRIEVAL_MODE = Map.of(0x80, "Manual");
    private static final Map<Integer, String> FLAGS = Map.of(0x80, "Add", 0x81, "Remove", 0x82, "Filter");
    private static final Map<Integer, String> QUOTA = Map.of(0x80, "Messages", 0x81, "Size");

    static Map<Integer, String> table(MmsField field) {
        return switch (field) {
            case DELIVERY_REPORT, READ_REPORT, REPORT_ALLOWED, STORE, STORED, TOTALS, QUOTAS,
                 DISTRIBUTION_INDICATOR, DRM_CONTENT, ADAPTATION_ALLOWED -> YES_NO;
            case MESSAGE_CLASS -> CLASS;
            case PRIORITY -> PRIORITY;
            case STATUS -> STATUS;
            case RESPONSE_STATUS -> RESPONSE_STATUS;
            case RETRIEVE_STATUS -> RETRIEVE_STATUS;
            case READ_STATUS -> READ_STATUS;
            case REPLY_CHARGING -> REPLY_CHARGING;
            case MM_STATE -> MM_STATE;
            case STORE_STATUS -> STORE_STATUS;
            case CONTENT_CLASS -> CONTENT_CLASS;
            case CANCEL_STATUS -> CANCEL_STATUS;
            case SENDER_VISIBILITY -> SENDER_VISIBILITY;
            case RECOMMENDED_RETRIEVAL_MODE -> RETRIEVAL_MODE;
            case MM_FLAGS -> FLAGS;
            case MBOX_TOTALS, MBOX_QUOTAS -> QUOTA;
            default -> Map.of();
        };
    }

    /** The name of a token value of a field, or null when the octet is unassigned. */
    public static String name(MmsField field, int octet) {
        if (field == MmsField.ATTRIBUTES) {
            MmsField attribute = MmsField.byCode(octet & 0x7F);
            return attribute == null ? null : attribute.headerName();
        }
        if (field == MmsField.MESSAGE_TYPE) {
            MessageType type = MessageType.fromOctet(octet);
            return type == null ? null : type.wireName();
        }
        return table(field).get(octet);
    }

    /** The octet for a token name of a field (case-insensitive), or -1. */
    public static int octet(MmsField field, String name) {
        if (field == MmsField.ATTRIBUTES) {
            MmsField attribute = MmsField.byName(name);
            return attribute == null ? -1 : 0x80 | attribute.code();
        }
        for (Map.Entry<Integer, String> entry : table(field).entrySet()) {
            if (entry.getValue().equalsIgnoreCase(name)) {
                return entry.getKey();
            }
        }
        return -1;
    }

    /** How a client must treat a Response-, Retrieve- or Store-Status value, known or not. */
    public enum StatusClass { OK, TRANSIENT_ERROR, PERMANENT_ERROR }

    /**
     * OMA ENC robustness rule (quoted for Retrieve-Status in mms-encapsulation.md §6.4 and applied
     * to all three status fields): 0x80 is Ok, 0xC0–0xDF are transient and every other value,
     * including the obsolete 1.0 errors 0x81–0x88 and unassigned octets, is permanent.
     */
    public static StatusClass statusClass(int octet) {
        if (octet == 0x80) {
            return StatusClass.OK;
        }
        return octet >= 0xC0 && octet <= 0xDF ? StatusClass.TRANSIENT_ERROR : StatusClass.PERMANENT_ERROR;
    }

    /** A short human-readable rendering of a value (token names, class text), or null. */
    public static String describe(MmsField field, HeaderValue value) {
        return switch (value) {
            case HeaderValue.Token token -> {
                String name = name(field, token.octet());
                yield name != null ? name : String.format("0x%02X", token.octet());
            }
            case HeaderValue.TokenText text -> text.value();
            case null -> null;
            default -> value.toString();
        };
    }
}
