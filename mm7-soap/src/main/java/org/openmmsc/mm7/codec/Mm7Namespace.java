package org.openmmsc.mm7.codec;

import java.util.regex.Pattern;

/**
 * The MM7 schema namespaces. Every release lives under one 3GPP path and is named
 * REL-n-MM7-x-y; we accept any such name (REL-5-MM7-1-0 … 1-5, REL-6-MM7-1-0 … 1-4, and whatever
 * a VASP sends in that pattern, e.g. instantcom's REL-6-MM7-6-7) and answer in the request's own.
 */
public final class Mm7Namespace {
    public static final String PREFIX = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/";
    public static final String SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/";
    /** What we speak when the request gave us nothing to copy (e.g. it could not be parsed). */
    public static final String DEFAULT = PREFIX + "REL-6-MM7-1-4";
    public static final String DEFAULT_VERSION = "6.8.0";

    private static final Pattern NAME = Pattern.compile("REL-[0-9]{1,2}-MM7-[0-9]{1,2}-[0-9]{1,2}");

    private Mm7Namespace() {}

    public static boolean isMm7(String namespace) {
        return namespace != null && namespace.startsWith(PREFIX) && NAME.matcher(namespace.substring(PREFIX.length())).matches();
    }

    public static String of(String releaseName) {
        String ns = PREFIX + releaseName;
        if (!isMm7(ns)) throw new IllegalArgumentException("not an MM7 schema name (REL-n-MM7-x-y): " + releaseName);
        return ns;
    }
}
