package org.openmmsc.mm7.codec;

/**
 * MM7 Status/StatusCode values (TS 23.140 §8.7; the same table in Mbuni, instantcom-mm7 and
 * mmsgw). 1xxx success, 2xxx client errors, 3xxx server errors, 4xxx service errors.
 */
public enum Mm7Status {
    SUCCESS(1000, "Success"),
    PARTIAL_SUCCESS(1100, "Partial success"),
    CLIENT_ERROR(2000, "Client error"),
    OPERATION_RESTRICTED(2001, "Operation restricted"),
    ADDRESS_ERROR(2002, "Address Error"),
    ADDRESS_NOT_FOUND(2003, "Address Not Found"),
    CONTENT_REFUSED(2004, "Multimedia content refused"),
    MESSAGE_ID_NOT_FOUND(2005, "Message ID Not found"),
    LINKED_ID_NOT_FOUND(2006, "LinkedID not found"),
    MESSAGE_FORMAT_CORRUPT(2007, "Message format corrupt"),
    SERVER_ERROR(3000, "Server Error"),
    NOT_POSSIBLE(3001, "Not Possible"),
    MESSAGE_REJECTED(3002, "Message rejected"),
    MULTIPLE_ADDRESSES_NOT_SUPPORTED(3003, "Multiple addresses not supported"),
    GENERAL_SERVICE_ERROR(4000, "General service error"),
    IMPROPER_IDENTIFICATION(4001, "Improper identification"),
    UNSUPPORTED_VERSION(4002, "Unsupported version"),
    UNSUPPORTED_OPERATION(4003, "Unsupported operation"),
    VALIDATION_ERROR(4004, "Validation error"),
    SERVICE_ERROR(4005, "Service error"),
    SERVICE_UNAVAILABLE(4006, "Service unavailable"),
    SERVICE_DENIED(4007, "Service denied");

    private final int code;
    private final String text;

    Mm7Status(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    /** The standard wording; replies add what went wrong after it. */
    public String text() {
        return text;
    }

    public boolean isSuccess() {
        return code < 2000;
    }

    /** SOAP 1.1 faultcode: the requester's fault (2xxx, 4xxx bar availability) or ours (3xxx, 4006). */
    public boolean isServerFault() {
        return (code >= 3000 && code < 4000) || this == SERVICE_UNAVAILABLE;
    }

    /**
     * The status for a code a peer sent. An unknown code counts as its class's x000 (the rule
     * Mbuni and instantcom-mm7 follow), so a VASP's private 45xx still reads as a service error.
     */
    public static Mm7Status of(int code) {
        for (Mm7Status s : values()) if (s.code == code) return s;
        int classBase = (code / 1000) * 1000;
        for (Mm7Status s : values()) if (s.code == classBase) return s;
        return code >= 1000 && code < 2000 ? SUCCESS : CLIENT_ERROR;
    }
}
