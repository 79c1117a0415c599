package org.openmmsc.server.admin;

/**
 * A request the admin API refuses with 400: why, and which field of the request was wrong
 * ({@code "to[1]"}, {@code "parts[0].content"}; null when the whole body is at fault).
 */
public final class BadRequestException extends RuntimeException {
    private final String field;

    public BadRequestException(String field, String reason) {
        super(reason, null, false, false);
        this.field = field;
    }

    /** The offending field as the client wrote it, or null. */
    public String field() {
        return field;
    }

    public String reason() {
        return getMessage();
    }
}
