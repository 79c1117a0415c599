package org.openmmsc.mm7.codec;

import java.util.Objects;

/** A request MM7 answers with an error status; {@code detail} tells the VASP engineer what to fix. */
public final class Mm7Exception extends Exception {
    private final Mm7Status status;
    private final String detail;

    public Mm7Exception(Mm7Status status, String detail) {
        super(status.code() + " " + status.text() + ": " + detail, null, false, false);
        this.status = Objects.requireNonNull(status, "status");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    public Mm7Status status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    /** StatusText as sent: the standard wording, then the reason. */
    public String statusText() {
        return status.text() + ": " + detail;
    }
}
