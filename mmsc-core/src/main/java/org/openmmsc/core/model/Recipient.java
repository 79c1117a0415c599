package org.openmmsc.core.model;

import java.util.Objects;

/** A recipient and the header it was named in; Bcc recipients are never shown to others. */
public record Recipient(Address address, Kind kind) {
    public enum Kind { TO, CC, BCC }

    public Recipient {
        Objects.requireNonNull(address, "recipient address");
        Objects.requireNonNull(kind, "recipient kind");
    }

    public static Recipient to(Address address) { return new Recipient(address, Kind.TO); }
}
