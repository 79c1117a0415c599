package org.openmmsc.mm1.codec;

import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Assigned numbers from WAP-230 and the OMNA registries, as cross-checked in
 * ../shared/reference/wsp-encoding.md (only values at least two implementations agree on).
 */
public final class WspTables {
    private WspTables() {
    }

    // Index = well-known content type number 0x00..0x5A; null = unassigned.
    private static final String[] CONTENT_TYPES = {
        "*/*", "text/*", "text/html", "text/plain", "text/x-hdml", "text/x-ttml", "text/x-vCalendar",
        "text/x-vCard", "text/vnd.wap.wml", "text/vnd.wap.wmlscript", "text/vnd.wap.wta-event", "multipart/*",
        "multipart/mixed", "multipart/form-data", "multipart/byteranges", "multipart/alternative",
        "application/*", "application/java-vm", "application/x-www-form-urlencoded", "application/x-hdmlc",
        "application/vnd.wap.wmlc", "application/vnd.wap.wmlscriptc", "application/vnd.wap.wta-eventc",
        "application/vnd.wap.uaprof", "application/vnd.wap.wtls-ca-certificate",
        "application/vnd.wap.wtls-user-certificate", "application/x-x509-ca-cert",
        "application/x-x509-user-cert", "image/*", "image/gif", "image/jpeg", "image/tiff", "image/png",
        "image/vnd.wap.wbmp", "application/vnd.wap.multipart.*", "application/vnd.wap.multipart.mixed",
        "application/vnd.wap.multipart.form-data", "application/vnd.wap.multipart.byteranges",
        "application/vnd.wap.multipart.alternative", "application/xml", "text/xml", "application/vnd.wap.wbxml",
        "application/x-x968-cross-cert", "application/x-x968-ca-cert", "application/x-x968-user-cert",
        "text/vnd.wap.si", "application/vnd.wap.sic", "text/vnd.wap.sl", "application/vnd.wap.slc",
        "text/vnd.wap.co", "application/vnd.wap.coc", "application/vnd.wap.multipart.related",
        "application/vnd.wap.sia", "text/vnd.wap.connectivity-xml", "application/vnd.wap.connectivity-wbxml",
        "application/pkcs7-mime", "application/vnd.wap.hashed-certificate",
        "application/vnd.wap.signed-certificate", "application/vnd.wap.cert-response", "application/xhtml+xml",
        "application/wml+xml", "text/css", "application/vnd.wap.mms-message",
        "application/vnd.wap.rollover-certificate", "application/vnd.wap.locc+wbxml",
        "application/vnd.wap.loc+xml", "application/vnd.syncml.dm+wbxml", "application/vnd.syncml.dm+xml",
        "application/vnd.syncml.notification", "application/vnd.wap.xhtml+xml", "application/vnd.wv.csp.cir",
        "application/vnd.oma.dd+xml", "application/vnd.oma.drm.message", "application/vnd.oma.drm.content",
        "application/vnd.oma.drm.rights+xml", "application/vnd.oma.drm.rights+wbxml",
        "application/vnd.wv.csp+xml", "application/vnd.wv.csp+wbxml", "application/vnd.syncml.ds.notification",
        "audio/*", "video/*", "application/vnd.oma.dd2+xml", "application/mikey", "application/vnd.oma.dcd",
        "application/vnd.oma.dcdc", "text/x-vMessage", "application/vnd.omads-email+wbxml", "text/x-vBookmark",
        "application/vnd.syncml.dm.notification", null, "application/octet-stream",
    };

    private static final Map<String, Integer> CONTENT_TYPE_CODES = new HashMap<>();
    private static final Map<Integer, String> REGISTERED_TYPES = Map.of(
            0x0302, "application/vnd.syncml+xml", 0x0303, "application/vnd.syncml+wbxml",
            0x0304, "text/vnd.wap.emn+xml", 0x030A, "application/vnd.wap.emn+wbxml",
            0x0312, "application/vnd.omaloc-supl-init", 0x0316, "application/vnd.oma.drm.roap-trigger+wbxml");

    static {
        for (int i = 0; i < CONTENT_TYPES.length; i++) {
            // 0x0A and 0x16 have conflicting names across sources; accept on decode, never emit.
            if (CONTENT_TYPES[i] != null && i != 0x0A && i != 0x16) {
                CONTENT_TYPE_CODES.put(CONTENT_TYPES[i].toLowerCase(Locale.ROOT), i);
            }
        }
        REGISTERED_TYPES.forEach((code, name) -> CONTENT_TYPE_CODES.put(name.toLowerCase(Locale.ROOT), code));
    }

    /** Media type for a well-known number, or null. */
    public static String contentTypeName(int code) {
        if (code >= 0 && code < CONTENT_TYPES.length) {
            return CONTENT_TYPES[code];
        }
        return REGISTERED_TYPES.get(code);
    }

    /** Well-known number for a media type (case-insensitive), or -1. */
    public static int contentTypeCode(String mediaType) {
        Integer code = CONTENT_TYPE_CODES.get(mediaType.toLowerCase(Locale.ROOT));
        return code == null ? -1 : code;
    }

    public static boolean isMultipart(String mediaType) {
        String lower = mediaType.toLowerCase(Locale.ROOT);
        return lower.startsWith("application/vnd.wap.multipart.");
    }

    /** Value syntax of a well-known parameter (wsp-encoding.md §4). */
    enum ParamKind { Q, CHARSET, VERSION, INTEGER, TEXT_STRING, TEXT_VALUE, FIELD_NAME, SHORT_INTEGER,
        CONSTRAINED_MEDIA, DELTA_SECONDS, NO_VALUE, DATE }

    record ParamSpec(int code, String name, ParamKind kind) {
    }

    private static final ParamSpec[] PARAMS = {
        new ParamSpec(0x00, "Q", ParamKind.Q),
        new ParamSpec(0x01, "Charset", ParamKind.CHARSET),
        new ParamSpec(0x02, "Level", ParamKind.VERSION),
        new ParamSpec(0x03, "Type", ParamKind.INTEGER),
        null,
        new ParamSpec(0x05, "Name", ParamKind.TEXT_STRING),
        new ParamSpec(0x06, "Filename", ParamKind.TEXT_STRING),
        new ParamSpec(0x07, "Differences", ParamKind.FIELD_NAME),
        new ParamSpec(0x08, "Padding", ParamKind.SHORT_INTEGER),
        new ParamSpec(0x09, "Type", ParamKind.CONSTRAINED_MEDIA),
        new ParamSpec(0x0A, "Start", ParamKind.TEXT_STRING),
        new ParamSpec(0x0B, "Start-info", ParamKind.TEXT_STRING),
        new ParamSpec(0x0C, "Comment", ParamKind.TEXT_STRING),
        new ParamSpec(0x0D, "Domain", ParamKind.TEXT_STRING),
        new ParamSpec(0x0E, "Max-Age", ParamKind.DELTA_SECONDS),
        new ParamSpec(0x0F, "Path", ParamKind.TEXT_STRING),
        new ParamSpec(0x10, "Secure", ParamKind.NO_VALUE),
        new ParamSpec(0x11, "SEC", ParamKind.SHORT_INTEGER),
        new ParamSpec(0x12, "MAC", ParamKind.TEXT_VALUE),
        new ParamSpec(0x13, "Creation-date", ParamKind.DATE),
        new ParamSpec(0x14, "Modification-date", ParamKind.DATE),
        new ParamSpec(0x15, "Read-date", ParamKind.DATE),
        new ParamSpec(0x16, "Size", ParamKind.INTEGER),
        new ParamSpec(0x17, "Name", ParamKind.TEXT_VALUE),
        new ParamSpec(0x18, "Filename", ParamKind.TEXT_VALUE),
        new ParamSpec(0x19, "Start", ParamKind.TEXT_VALUE),
        new ParamSpec(0x1A, "Start-info", ParamKind.TEXT_VALUE),
        new ParamSpec(0x1B, "Comment", ParamKind.TEXT_VALUE),
        new ParamSpec(0x1C, "Domain", ParamKind.TEXT_VALUE),
        new ParamSpec(0x1D, "Path", ParamKind.TEXT_VALUE),
    };

    static ParamSpec param(int code) {
        return code >= 0 && code < PARAMS.length ? PARAMS[code] : null;
    }

    /** The code an encoder emits for a parameter name: the 1.1-era codes phones expect (wsp-encoding.md §4). */
    static int preferredParamCode(String name) {
        for (ParamSpec spec : PARAMS) {
            // "Type" is 0x09 (multipart/related root type); 0x03 Type is the rarely used integer form.
            if (spec != null && spec.code() != 0x03 && spec.name().equalsIgnoreCase(name)) {
                return spec.code();
            }
        }
        return -1;
    }

    private record CharsetEntry(int mib, String name) {
    }

    // GBK (113) and GB18030 (114) are the IANA MIBenums (wsp-encoding.md marks them as single-source).
    private static final CharsetEntry[] CHARSETS = {
        new CharsetEntry(3, "us-ascii"), new CharsetEntry(4, "iso-8859-1"), new CharsetEntry(5, "iso-8859-2"),
        new CharsetEntry(6, "iso-8859-3"), new CharsetEntry(7, "iso-8859-4"), new CharsetEntry(8, "iso-8859-5"),
        new CharsetEntry(9, "iso-8859-6"), new CharsetEntry(10, "iso-8859-7"), new CharsetEntry(11, "iso-8859-8"),
        new CharsetEntry(12, "iso-8859-9"), new CharsetEntry(13, "iso-8859-10"), new CharsetEntry(17, "shift_jis"),
        new CharsetEntry(18, "euc-jp"), new CharsetEntry(37, "iso-2022-kr"), new CharsetEntry(38, "euc-kr"),
        new CharsetEntry(39, "iso-2022-jp"), new CharsetEntry(40, "iso-2022-jp-2"), new CharsetEntry(106, "utf-8"),
        new CharsetEntry(111, "iso-8859-15"), new CharsetEntry(113, "gbk"), new CharsetEntry(114, "gb18030"),
        new CharsetEntry(1000, "iso-10646-ucs-2"), new CharsetEntry(1013, "utf-16be"),
        new CharsetEntry(1014, "utf-16le"), new CharsetEntry(1015, "utf-16"), new CharsetEntry(2025, "gb2312"),
        new CharsetEntry(2026, "big5"), new CharsetEntry(2084, "koi8-r"), new CharsetEntry(2251, "windows-1251"),
        new CharsetEntry(2252, "windows-1252"),
    };

    /** Preferred MIME name for an IANA MIBenum; "*" for 0 (Any-charset); null if unknown. */
    public static String charsetName(int mib) {
        if (mib == 0) {
            return "*";
        }
        for (CharsetEntry entry : CHARSETS) {
            if (entry.mib() == mib) {
                return entry.name();
            }
        }
        return null;
    }

    /** MIBenum for a charset name (case-insensitive, Java aliases accepted), or -1. */
    public static int charsetMib(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("*")) {
            return 0;
        }
        for (CharsetEntry entry : CHARSETS) {
            if (entry.name().equals(lower)) {
                return entry.mib();
            }
        }
        if (lower.equals("ucs-2") || lower.equals("ucs2")) {
            return 1000;
        }
        try {
            Charset charset = Charset.forName(name);
            for (CharsetEntry entry : CHARSETS) {
                Charset candidate = javaCharset(entry.mib());
                if (candidate != null && candidate.equals(charset)) {
                    return entry.mib();
                }
            }
        } catch (IllegalArgumentException e) {
            // Unknown to Java as well.
        }
        return -1;
    }

    /** The Java charset for a MIBenum, or null when Java lacks it. UCS-2 is read as UTF-16 (BMP subset). */
    public static Charset javaCharset(int mib) {
        String name = mib == 1000 ? "UTF-16BE" : charsetName(mib);
        if (name == null || name.equals("*")) {
            return null;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // WSP header field names, index = code (wsp-encoding.md §8).
    private static final String[] WSP_HEADERS = {
        "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Accept-Ranges", "Age", "Allow",
        "Authorization", "Cache-Control", "Connection", "Content-Base", "Content-Encoding", "Content-Language",
        "Content-Length", "Content-Location", "Content-MD5", "Content-Range", "Content-Type", "Date", "Etag",
        "Expires", "From", "Host", "If-Modified-Since", "If-Match", "If-None-Match", "If-Range",
        "If-Unmodified-Since", "Location", "Last-Modified", "Max-Forwards", "Pragma", "Proxy-Authenticate",
        "Proxy-Authorization", "Public", "Range", "Referer", "Retry-After", "Server", "Transfer-Encoding",
        "Upgrade", "User-Agent", "Vary", "Via", "Warning", "WWW-Authenticate", "Content-Disposition",
        "X-Wap-Application-Id", "X-Wap-Content-URI", "X-Wap-Initiator-URI", "Accept-Application",
        "Bearer-Indication", "Push-Flag", "Profile", "Profile-Diff", "Profile-Warning", "Expect", "TE", "Trailer",
        "Accept-Charset", "Accept-Encoding", "Cache-Control", "Content-Range", "X-Wap-Tod", "Content-ID",
        "Set-Cookie", "Cookie", "Encoding-Version", "Profile-Warning", "Content-Disposition", "X-Wap-Security",
        "Cache-Control", "Expect", "X-Wap-Loc-Invocation", "X-Wap-Loc-Delivery",
    };

    public static String wspHeaderName(int code) {
        return code >= 0 && code < WSP_HEADERS.length ? WSP_HEADERS[code] : null;
    }

    public static final int HEADER_CONTENT_LENGTH = 0x0D;
    public static final int HEADER_CONTENT_LOCATION = 0x0E;
    public static final int HEADER_DATE = 0x12;
    public static final int HEADER_CONTENT_DISPOSITION = 0x2E;
    public static final int HEADER_X_WAP_APPLICATION_ID = 0x2F;
    public static final int HEADER_X_WAP_CONTENT_URI = 0x30;
    public static final int HEADER_X_WAP_INITIATOR_URI = 0x31;
    public static final int HEADER_PUSH_FLAG = 0x34;
    public static final int HEADER_CONTENT_ID = 0x40;
    public static final int HEADER_CONTENT_DISPOSITION_14 = 0x45;

    private static final String[] APPLICATION_IDS = {
        "x-wap-application:*", "x-wap-application:push.sia", "x-wap-application:wml.ua",
        "x-wap-application:wta.ua", "x-wap-application:mms.ua", "x-wap-application:push.syncml",
        "x-wap-application:loc.ua", "x-wap-application:syncml.dm", "x-wap-application:drm.ua",
        "x-wap-application:emn.ua", "x-wap-application:wv.ua",
    };

    public static final int APPLICATION_ID_MMS_UA = 0x04;

    public static String applicationIdName(long code) {
        if (code >= 0 && code < APPLICATION_IDS.length) {
            return APPLICATION_IDS[(int) code];
        }
        return code == 0x10 ? "x-oma-application:ulp.ua" : null;
    }

    public static int applicationIdCode(String uri) {
        for (int i = 0; i < APPLICATION_IDS.length; i++) {
            if (APPLICATION_IDS[i].equalsIgnoreCase(uri)) {
                return i;
            }
        }
        return uri.equalsIgnoreCase("x-oma-application:ulp.ua") ? 0x10 : -1;
    }
}
