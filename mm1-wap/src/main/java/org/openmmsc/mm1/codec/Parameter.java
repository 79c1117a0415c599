package org.openmmsc.mm1.codec;

/**
 * A Content-Type or Content-Disposition parameter.
 *
 * @param name     parameter name (canonical table name for typed parameters)
 * @param code     well-known parameter number (typed parameter), or {@link #UNTYPED} for a textual name
 * @param value    the value as text (charset names, decimal numbers, version "1.2", media types)
 * @param rawValue non-null when the value octets are not the canonical encoding of {@code value};
 *                 they are then re-encoded verbatim
 */
public record Parameter(String name, int code, String value, ByteSlice rawValue) {
    public static final int UNTYPED = -1;

    public Parameter {
        if (name == null || value == null) {
            throw new IllegalArgumentException("parameter name and value required");
        }
    }

    /** A parameter by name: typed with the 1.1-era code phones expect when the name is well known. */
    public static Parameter of(String name, String value) {
        int code = WspTables.preferredParamCode(name);
        return new Parameter(code >= 0 ? WspTables.param(code).name() : name, code, value, null);
    }

    public static Parameter untyped(String name, String value) {
        return new Parameter(name, UNTYPED, value, null);
    }

    @Override
    public String toString() {
        return name + "=" + value;
    }
}
