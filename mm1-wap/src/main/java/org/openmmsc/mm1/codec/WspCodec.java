package org.openmmsc.mm1.codec;

import org.openmmsc.mm1.codec.DecodeException.Reason;
import org.openmmsc.mm1.codec.WspTables.ParamKind;
import org.openmmsc.mm1.codec.WspTables.ParamSpec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * WSP structures shared by MMS PDUs and push PDUs: Content-type-value with parameters, WSP headers
 * and the multipart body (WAP-230 §8.4–8.5).
 *
 * <p>Values that decode but whose octets are not the canonical encoding of the decoded text keep
 * their raw octets, so every decoded structure re-encodes byte for byte.
 */
final class WspCodec {
    private WspCodec() {
    }

    // ---------------------------------------------------------------- content type

    static ContentType decodeContentType(WspReader in) throws DecodeException {
        int first = in.peek();
        if (first >= 0x80) {
            int code = in.readOctet() & 0x7F;
            return new ContentType(mediaName(code), code, List.of());
        }
        if (first >= 0x20) {
            String media = in.readTextString();
            return new ContentType(media.isEmpty() ? "application/octet-stream" : media, -1, List.of());
        }
        int length = in.readValueLength();
        int saved = in.pushLimit(length);
        int code;
        String media;
        int b = in.peek();
        if (b >= 0x80 || b < 0x20) {
            long value = in.readIntegerValue();
            if (value > 0xFFFF) {
                throw in.error(Reason.MALFORMED_VALUE, "content type number " + value);
            }
            code = (int) value;
            media = mediaName(code);
        } else {
            code = -1;
            media = in.readTextString();
            if (media.isEmpty()) {
                media = "application/octet-stream";
            }
        }
        List<Parameter> parameters = decodeParameters(in);
        in.popLimit(saved);
        return new ContentType(media, code, parameters);
    }

    private static String mediaName(int code) {
        String name = WspTables.contentTypeName(code);
        return name != null ? name : String.format("application/x-wsp-content-type-0x%X", code);
    }

    /** Parameters until the current limit. */
    static List<Parameter> decodeParameters(WspReader in) throws DecodeException {
        List<Parameter> parameters = new ArrayList<>(2);
        while (in.hasRemaining()) {
            if (parameters.size() >= in.limits().maxHeaders()) {
                throw in.error(Reason.TOO_MANY_HEADERS, "too many parameters");
            }
            parameters.add(decodeParameter(in));
        }
        return parameters;
    }

    private static Parameter decodeParameter(WspReader in) throws DecodeException {
        int b = in.peek();
        if (b >= 0x20 && b < 0x80) {
            String name = WspReader.latin1(in.readNulTerminated());
            int valueStart = in.position();
            String value = decodeUntypedValue(in);
            return new Parameter(name, Parameter.UNTYPED, value, rawIfNotCanonical(in, valueStart,
                    w -> encodeUntypedValue(w, value)));
        }
        long codeValue = in.readIntegerValue();
        if (codeValue > 0x7FFF) {
            throw in.error(Reason.MALFORMED_VALUE, "parameter number " + codeValue);
        }
        int code = (int) codeValue;
        ParamSpec spec = WspTables.param(code);
        int valueStart = in.position();
        int end = in.end();
        if (spec != null) {
            try {
                String value = decodeTypedValue(in, spec.kind());
                return new Parameter(spec.name(), code, value, rawIfNotCanonical(in, valueStart,
                        w -> encodeTypedValue(w, spec.kind(), value)));
            } catch (DecodeException e) {
                if (!MmsHeaderCodec.isSyntaxError(e)) {
                    throw e;
                }
                // Not the syntax the table promises: fall back to the generic rule and keep the octets.
                in.popLimit(end);
                in.seek(valueStart);
            }
        }
        in.skipGenericValue();
        ByteSlice raw = in.sliceFrom(valueStart);
        String name = spec != null ? spec.name() : String.format("0x%02X", code);
        return new Parameter(name, code, describeRaw(raw), raw);
    }

    private static String describeRaw(ByteSlice raw) {
        // A text-like raw value reads as text; anything else as hex.
        if (raw.length() > 0 && raw.get(raw.length() - 1) == 0 && (raw.get(0) & 0xFF) >= 0x20) {
            int start = (raw.get(0) & 0xFF) == 0x7F || raw.get(0) == '"' ? 1 : 0;
            return WspReader.latin1(ByteSlice.wrap(raw.toByteArray(), start, raw.length() - 1 - start));
        }
        return raw.toHex();
    }

    private static String decodeUntypedValue(WspReader in) throws DecodeException {
        int b = in.peek();
        if (b >= 0x80 || (b > 0 && b < 0x20)) {
            return Long.toString(in.readIntegerValue());
        }
        if (b == 0) {
            in.readOctet();
            return "";
        }
        if (b == '"') {
            return in.readQuotedString();
        }
        return WspReader.latin1(in.readNulTerminated());
    }

    private static void encodeUntypedValue(WspWriter out, String value) {
        if (value.isEmpty()) {
            out.writeOctet(0);
        } else if (isToken(value)) {
            out.writeTokenText(value);
        } else {
            out.writeQuotedString(value);
        }
    }

    private static boolean isToken(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return !value.isEmpty();
    }

    private static String decodeTypedValue(WspReader in, ParamKind kind) throws DecodeException {
        switch (kind) {
            case CHARSET -> {
                int b = in.peek();
                if (b == 0x80) {
                    in.readOctet();
                    return "*";
                }
                if (b >= 0x20 && b < 0x80) {
                    return in.readTextString();
                }
                long mib = in.readIntegerValue();
                String name = mib <= Integer.MAX_VALUE ? WspTables.charsetName((int) mib) : null;
                return name != null ? name : Long.toString(mib);
            }
            case VERSION -> {
                int b = in.peek();
                if (b >= 0x80) {
                    int v = in.readOctet() & 0x7F;
                    int minor = v & 0x0F;
                    return minor == 15 ? Integer.toString(v >> 4) : (v >> 4) + "." + minor;
                }
                return in.readTextString();
            }
            case INTEGER, DELTA_SECONDS -> {
                return Long.toString(in.readIntegerValue());
            }
            case SHORT_INTEGER -> {
                return Integer.toString(in.readShortInteger());
            }
            case DATE -> {
                return Long.toString(in.readLongInteger());
            }
            case Q -> {
                return Integer.toString(in.readUintvar());
            }
            case TEXT_STRING -> {
                int b = in.peek();
                if (b != 0x7F && (b >= 0x80 || b < 0x20 && b != 0)) {
                    throw in.error(Reason.MALFORMED_VALUE, "expected text");
                }
                return in.readTextString();
            }
            case TEXT_VALUE -> {
                return decodeUntypedValue(in);
            }
            case NO_VALUE -> {
                if (in.readOctet() != 0) {
                    throw in.error(Reason.MALFORMED_VALUE, "expected no-value");
                }
                return "";
            }
            case FIELD_NAME, CONSTRAINED_MEDIA -> {
                int b = in.peek();
                if (b >= 0x80) {
                    int code = in.readOctet() & 0x7F;
                    if (kind == ParamKind.CONSTRAINED_MEDIA) {
                        String name = WspTables.contentTypeName(code);
                        return name != null ? name : Integer.toString(code);
                    }
                    return Integer.toString(code);
                }
                if (b < 0x20) {
                    throw in.error(Reason.MALFORMED_VALUE, "expected a short integer or text");
                }
                return in.readTextString();
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    static void encodeTypedValue(WspWriter out, ParamKind kind, String value) {
        switch (kind) {
            case CHARSET -> {
                int mib = value.equals("*") ? 0 : isDigits(value) ? Integer.parseInt(value) : WspTables.charsetMib(value);
                if (mib == 0) {
                    out.writeOctet(0x80);
                } else if (mib > 0) {
                    out.writeIntegerValue(mib);
                } else {
                    out.writeTextString(value);
                }
            }
            case VERSION -> {
                String[] parts = value.split("\\.", -1);
                boolean numeric = parts.length >= 1 && parts.length <= 2 && isDigits(parts[0])
                        && (parts.length == 1 || isDigits(parts[1]));
                int major = numeric ? Integer.parseInt(parts[0]) : -1;
                int minor = numeric ? (parts.length == 1 ? 15 : Integer.parseInt(parts[1])) : -1;
                if (major >= 0 && major <= 7 && minor >= 0 && minor <= 15) {
                    out.writeShortInteger((major << 4) | minor);
                } else {
                    out.writeTextString(value);
                }
            }
            case INTEGER, DELTA_SECONDS -> out.writeIntegerValue(Long.parseLong(value));
            case SHORT_INTEGER -> out.writeShortInteger(Integer.parseInt(value));
            case DATE -> out.writeLongInteger(Long.parseLong(value));
            case Q -> out.writeUintvar(Long.parseLong(value));
            case TEXT_STRING -> out.writeTextString(value);
            case TEXT_VALUE -> encodeUntypedValue(out, value);
            case NO_VALUE -> out.writeOctet(0);
            case FIELD_NAME -> {
                if (isDigits(value)) {
                    out.writeShortInteger(Integer.parseInt(value));
                } else {
                    out.writeTokenText(value);
                }
            }
            case CONSTRAINED_MEDIA -> {
                int code = WspTables.contentTypeCode(value);
                if (code >= 0 && code < 128) {
                    out.writeShortInteger(code);
                } else if (isDigits(value)) {
                    out.writeShortInteger(Integer.parseInt(value));
                } else {
                    out.writeTextString(value);
                }
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    static boolean isDigits(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    interface ValueEncoder {
        void encode(WspWriter out);
    }

    /** Null when re-encoding the decoded value gives the same octets; otherwise those octets. */
    private static ByteSlice rawIfNotCanonical(WspReader in, int valueStart, ValueEncoder encoder) {
        ByteSlice original = in.sliceFrom(valueStart);
        WspWriter scratch = new WspWriter(original.length() + 8, false);
        try {
            encoder.encode(scratch);
        } catch (RuntimeException notRepresentable) {
            // The decoded text has no encoding of its own (e.g. an out-of-range number): keep the octets.
            return original;
        }
        return scratch.size() == original.length()
                && Arrays.equals(scratch.toByteArray(), 0, scratch.size(), original.array(), original.offset(),
                        original.offset() + original.length()) ? null : original;
    }

    static void encodeContentType(WspWriter out, ContentType type) {
        if (type.parameters().isEmpty() && type.code() >= 0 && type.code() < 128) {
            out.writeShortInteger(type.code());
            return;
        }
        if (type.parameters().isEmpty() && type.code() < 0) {
            out.writeTextString(type.mediaType());
            return;
        }
        WspWriter general = new WspWriter(32 + 16 * type.parameters().size(), false);
        if (type.code() >= 0) {
            general.writeIntegerValue(type.code());
        } else {
            general.writeTextString(type.mediaType());
        }
        encodeParameters(general, type.parameters());
        out.writeValueLength(general.size());
        out.writeWriter(general);
    }

    static void encodeParameters(WspWriter out, List<Parameter> parameters) {
        for (Parameter parameter : parameters) {
            if (parameter.code() == Parameter.UNTYPED) {
                out.writeTokenText(parameter.name());
                if (parameter.rawValue() != null) {
                    out.writeSlice(parameter.rawValue());
                } else {
                    encodeUntypedValue(out, parameter.value());
                }
                continue;
            }
            out.writeIntegerValue(parameter.code());
            ParamSpec spec = WspTables.param(parameter.code());
            if (parameter.rawValue() != null) {
                out.writeSlice(parameter.rawValue());
            } else if (spec != null) {
                encodeTypedValue(out, spec.kind(), parameter.value());
            } else {
                throw new IllegalArgumentException("parameter 0x" + Integer.toHexString(parameter.code())
                        + " has no known syntax and no raw value");
            }
        }
    }

    // ---------------------------------------------------------------- WSP headers

    /** WSP headers until the current limit. */
    static List<WspHeader> decodeHeaders(WspReader in) throws DecodeException {
        List<WspHeader> headers = new ArrayList<>(4);
        while (in.hasRemaining()) {
            if (headers.size() >= in.limits().maxHeaders()) {
                throw in.error(Reason.TOO_MANY_HEADERS, "more than " + in.limits().maxHeaders() + " headers");
            }
            headers.add(decodeHeader(in));
        }
        return headers;
    }

    private static WspHeader decodeHeader(WspReader in) throws DecodeException {
        int b = in.peek();
        if (b >= 0x80) {
            int code = in.readOctet() & 0x7F;
            String name = WspTables.wspHeaderName(code);
            if (name == null) {
                name = String.format("X-Wsp-Header-0x%02X", code);
            }
            int valueStart = in.position();
            int end = in.end();
            try {
                String value = decodeHeaderValue(in, code);
                if (value != null) {
                    return new WspHeader(code, name, value, rawIfNotCanonical(in, valueStart,
                            w -> encodeHeaderValue(w, code, value)));
                }
            } catch (DecodeException e) {
                if (!MmsHeaderCodec.isSyntaxError(e)) {
                    throw e;
                }
                // Falls back to the generic rule below.
            }
            in.popLimit(end);
            in.seek(valueStart);
            in.skipGenericValue();
            ByteSlice raw = in.sliceFrom(valueStart);
            return new WspHeader(code, name, describeRaw(raw), raw);
        }
        if (b == 0x7F || b < 0x20) {
            // Header code-page shift: 0x7F page, or a one-octet short cut. Kept verbatim.
            int start = in.position();
            in.readOctet();
            if (b == 0x7F) {
                in.readOctet();
            }
            return new WspHeader(WspHeader.SHIFT, "Shift-Sequence", "", in.sliceFrom(start));
        }
        String name = WspReader.latin1(in.readNulTerminated());
        int valueStart = in.position();
        String value = in.readTextString();
        return new WspHeader(WspHeader.TEXTUAL, name, value, rawIfNotCanonical(in, valueStart,
                w -> w.writeTextString(value)));
    }

    /** The decoded value of a well-known header, or null when this codec keeps it raw. */
    private static String decodeHeaderValue(WspReader in, int code) throws DecodeException {
        switch (code) {
            case WspTables.HEADER_CONTENT_LOCATION, WspTables.HEADER_X_WAP_CONTENT_URI,
                 WspTables.HEADER_X_WAP_INITIATOR_URI -> {
                return in.readTextString();
            }
            case WspTables.HEADER_CONTENT_ID -> {
                return in.peek() == '"' ? in.readQuotedString() : in.readTextString();
            }
            case WspTables.HEADER_CONTENT_LENGTH -> {
                return Long.toString(in.readIntegerValue());
            }
            case WspTables.HEADER_PUSH_FLAG -> {
                return Integer.toString(in.readShortInteger());
            }
            case WspTables.HEADER_DATE -> {
                long seconds = in.readLongInteger();
                if (seconds > Instant.MAX.getEpochSecond()) {
                    throw in.error(Reason.MALFORMED_VALUE, "date beyond the representable range");
                }
                return Instant.ofEpochSecond(seconds).toString();
            }
            case WspTables.HEADER_X_WAP_APPLICATION_ID -> {
                int b = in.peek();
                if (b >= 0x80 || b < 0x20) {
                    long id = in.readIntegerValue();
                    String name = WspTables.applicationIdName(id);
                    return name != null ? name : Long.toString(id);
                }
                return in.readTextString();
            }
            case WspTables.HEADER_CONTENT_DISPOSITION, WspTables.HEADER_CONTENT_DISPOSITION_14 -> {
                int length = in.readValueLength();
                int saved = in.pushLimit(length);
                int b = in.peek();
                String disposition;
                if (b >= 0x80) {
                    disposition = switch (in.readOctet()) {
                        case 0x80 -> "form-data";
                        case 0x81 -> "attachment";
                        case 0x82 -> "inline";
                        default -> throw in.error(Reason.MALFORMED_VALUE, "disposition token");
                    };
                } else {
                    disposition = WspReader.latin1(in.readNulTerminated());
                }
                StringBuilder text = new StringBuilder(disposition);
                for (Parameter parameter : decodeParameters(in)) {
                    if (parameter.rawValue() != null) {
                        // Not representable in text form; the caller keeps the whole value raw.
                        throw in.error(Reason.MALFORMED_VALUE, "disposition parameter");
                    }
                    text.append("; ").append(parameter.code() == Parameter.UNTYPED ? parameter.name()
                            : parameter.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(parameter.value());
                }
                in.popLimit(saved);
                return text.toString();
            }
            default -> {
                return null;
            }
        }
    }

    static void encodeHeaderValue(WspWriter out, int code, String value) {
        switch (code) {
            case WspTables.HEADER_CONTENT_LOCATION, WspTables.HEADER_X_WAP_CONTENT_URI,
                 WspTables.HEADER_X_WAP_INITIATOR_URI -> out.writeTextString(value);
            case WspTables.HEADER_CONTENT_ID -> out.writeQuotedString(value);
            case WspTables.HEADER_CONTENT_LENGTH -> out.writeIntegerValue(Long.parseLong(value));
            case WspTables.HEADER_PUSH_FLAG -> out.writeShortInteger(Integer.parseInt(value));
            case WspTables.HEADER_DATE -> out.writeLongInteger(Instant.parse(value).getEpochSecond());
            case WspTables.HEADER_X_WAP_APPLICATION_ID -> {
                int id = WspTables.applicationIdCode(value);
                if (id >= 0) {
                    out.writeIntegerValue(id);
                } else if (isDigits(value)) {
                    out.writeIntegerValue(Long.parseLong(value));
                } else {
                    out.writeTextString(value);
                }
            }
            case WspTables.HEADER_CONTENT_DISPOSITION, WspTables.HEADER_CONTENT_DISPOSITION_14 -> {
                String[] pieces = value.split(";");
                WspWriter inner = new WspWriter(32, false);
                switch (pieces[0].trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "form-data" -> inner.writeOctet(0x80);
                    case "attachment" -> inner.writeOctet(0x81);
                    case "inline" -> inner.writeOctet(0x82);
                    default -> inner.writeTokenText(pieces[0].trim());
                }
                List<Parameter> parameters = new ArrayList<>();
                for (int i = 1; i < pieces.length; i++) {
                    String piece = pieces[i].trim();
                    int eq = piece.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("disposition parameter without '=': " + piece);
                    }
                    String name = piece.substring(0, eq);
                    String paramValue = piece.substring(eq + 1);
                    int paramCode = WspTables.preferredParamCode(capitalize(name));
                    parameters.add(paramCode >= 0 ? Parameter.of(capitalize(name), paramValue)
                            : Parameter.untyped(name, paramValue));
                }
                encodeParameters(inner, parameters);
                out.writeValueLength(inner.size());
                out.writeWriter(inner);
            }
            default -> throw new IllegalArgumentException("no encoder for WSP header 0x" + Integer.toHexString(code)
                    + "; give its raw value");
        }
    }

    private static String capitalize(String name) {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    static void encodeHeaders(WspWriter out, List<WspHeader> headers) {
        for (WspHeader header : headers) {
            switch (header.code()) {
                case WspHeader.SHIFT -> out.writeSlice(header.rawValue());
                case WspHeader.TEXTUAL -> {
                    out.writeTokenText(header.name());
                    if (header.rawValue() != null) {
                        out.writeSlice(header.rawValue());
                    } else {
                        out.writeTextString(header.value());
                    }
                }
                default -> {
                    out.writeShortInteger(header.code());
                    if (header.rawValue() != null) {
                        out.writeSlice(header.rawValue());
                    } else {
                        encodeHeaderValue(out, header.code(), header.value());
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- multipart

    /** A multipart body from the reader's position to its limit; counts parts against the limit. */
    static MessageBody.Multipart decodeMultipart(WspReader in, int depth, int[] partBudget) throws DecodeException {
        if (depth > in.limits().maxNestingDepth()) {
            throw in.error(Reason.NESTING_TOO_DEEP, "multipart nested deeper than " + in.limits().maxNestingDepth());
        }
        int count = in.readUintvar();
        if (count > partBudget[0]) {
            throw in.error(Reason.TOO_MANY_PARTS, count + " parts exceed the limit of " + in.limits().maxParts());
        }
        // Every entry takes at least three octets (two lengths and a content type), so a count the
        // data cannot hold is refused before anything is allocated for it.
        if (count > in.remaining() / 3) {
            throw in.error(Reason.TRUNCATED, count + " parts cannot fit in " + in.remaining() + " octets");
        }
        partBudget[0] -= count;
        List<Part> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int headersLength = in.readUintvar();
            int dataLength = in.readUintvar();
            int headersStart = in.position();
            int saved = in.pushLimit(headersLength);
            ContentType contentType = decodeContentType(in);
            List<WspHeader> headers = decodeHeaders(in);
            in.popLimit(saved);
            if (dataLength > in.remaining()) {
                throw in.error(Reason.TRUNCATED, "part " + i + " data of " + dataLength + " octets, "
                        + in.remaining() + " left");
            }
            in.seek(headersStart + headersLength);
            int dataStart = in.position();
            MessageBody.Multipart nested = null;
            if (contentType.isMultipart() && dataLength > 0) {
                int savedData = in.pushLimit(dataLength);
                int budget = partBudget[0];
                try {
                    nested = decodeMultipart(in, depth + 1, partBudget);
                } catch (DecodeException e) {
                    if (e.reason() != Reason.TRUNCATED && e.reason() != Reason.MALFORMED_VALUE) {
                        throw e;
                    }
                    // Labelled multipart but is not one: real phones do this; keep the octets opaque.
                    partBudget[0] = budget;
                }
                in.popLimit(savedData);
                in.seek(dataStart);
            }
            ByteSlice data = in.slice(dataLength);
            parts.add(new Part(contentType, headers, data, nested));
        }
        return new MessageBody.Multipart(parts);
    }

    static void encodeMultipart(WspWriter out, MessageBody.Multipart multipart) {
        out.writeUintvar(multipart.parts().size());
        WspWriter partHeaders = new WspWriter(128, false);
        for (Part part : multipart.parts()) {
            partHeaders.reset();
            encodeContentType(partHeaders, part.contentType());
            encodeHeaders(partHeaders, part.headers());
            out.writeUintvar(partHeaders.size());
            if (part.nested() != null && part.data().isEmpty()) {
                WspWriter nested = new WspWriter(1024, false);
                encodeMultipart(nested, part.nested());
                out.writeUintvar(nested.size());
                out.writeWriter(partHeaders);
                out.writeWriter(nested);
            } else {
                out.writeUintvar(part.data().length());
                out.writeWriter(partHeaders);
                out.writeBody(part.data());
            }
        }
    }
}
