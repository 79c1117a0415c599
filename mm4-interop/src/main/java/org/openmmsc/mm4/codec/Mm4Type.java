package org.openmmsc.mm4.codec;

import java.util.Locale;

/** X-Mms-Message-Type values of MM4 (TS 23.140 §8.4). Matched case-insensitively: operators capitalise freely. */
public enum Mm4Type {
    FORWARD_REQ("MM4_forward.REQ"),
    FORWARD_RES("MM4_forward.RES"),
    DELIVERY_REPORT_REQ("MM4_delivery_report.REQ"),
    DELIVERY_REPORT_RES("MM4_delivery_report.RES"),
    READ_REPLY_REPORT_REQ("MM4_read_reply_report.REQ"),
    READ_REPLY_REPORT_RES("MM4_read_reply_report.RES");

    private final String wire;

    Mm4Type(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean isResponse() {
        return wire.endsWith(".RES");
    }

    /** The type a header value names, or null if it names none of them. */
    public static Mm4Type parse(String value) {
        if (value == null) return null;
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (Mm4Type t : values()) if (t.wire.toLowerCase(Locale.ROOT).equals(v)) return t;
        return null;
    }
}
