package org.openmmsc.mm3.mime;

/** A mail could not be read as MIME, or a MIME message could not be written; the reason says why. */
public final class MimeException extends Exception {
    public MimeException(String reason) {
        super(reason);
    }

    public MimeException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
