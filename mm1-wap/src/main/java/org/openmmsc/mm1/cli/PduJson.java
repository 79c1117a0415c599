package org.openmmsc.mm1.cli;

import org.openmmsc.mm1.codec.ByteSlice;
import org.openmmsc.mm1.codec.ContentType;
import org.openmmsc.mm1.codec.EncodedString;
import org.openmmsc.mm1.codec.HeaderValue;
import org.openmmsc.mm1.codec.MessageBody;
import org.openmmsc.mm1.codec.MessageType;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsHeader;
import org.openmmsc.mm1.codec.MmsHeaders;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.codec.MmsTokens;
import org.openmmsc.mm1.codec.Parameter;
import org.openmmsc.mm1.codec.Part;
import org.openmmsc.mm1.codec.WspHeader;
import org.openmmsc.mm1.codec.WspPush;
import org.openmmsc.mm1.codec.WspTables;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The JSON form of PDUs for operators (docs/mm1.md "The pdu tool"): every header with its name, kind
 * and decoded value, every part with headers, size and data. The form is complete: {@link #toPdu}
 * rebuilds the same PDU from it.
 */
final class PduJson {
    static final String FORMAT = "openmmsc-pdu/1";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    private final boolean includeData;

    PduJson(boolean includeData) {
        this.includeData = includeData;
    }

    // ------------------------------------------------------------------ to JSON

    ObjectNode fromPdu(MmsPdu pdu, int wireSize) {
        ObjectNode root = NODES.objectNode();
        root.put("format", FORMAT);
        root.put("messageType", pdu.messageType().wireName());
        root.put("messageTypeOctet", hex(pdu.messageType().octet()));
        if (wireSize >= 0) {
            root.put("size", wireSize);
        }
        ArrayNode headers = root.putArray("headers");
        for (MmsHeader header : pdu.headers().list()) {
            headers.add(fromHeader(header));
        }
        if (pdu.body() != null) {
            root.set("body", fromBody(pdu.body()));
        }
        return root;
    }

    private ObjectNode fromHeader(MmsHeader header) {
        ObjectNode node = NODES.objectNode();
        node.put("name", header.name());
        if (header.code() >= 0) {
            node.put("code", hex(header.code()));
        }
        MmsField field = header.field();
        switch (header.value()) {
            case HeaderValue.Text text -> {
                node.put("kind", header.code() == MmsHeader.APPLICATION ? "application" : "text");
                node.put("value", text.value());
            }
            case HeaderValue.Encoded encoded -> {
                node.put("kind", "encoded");
                putEncoded(node, encoded.value());
            }
            case HeaderValue.Token token -> {
                node.put("kind", "token");
                String name = field == null ? null : MmsTokens.name(field, token.octet());
                node.put("value", name != null ? name : hex(token.octet()));
                node.put("octet", hex(token.octet()));
            }
            case HeaderValue.TokenText text -> {
                node.put("kind", "token-text");
                node.put("value", text.value());
            }
            case HeaderValue.Number number -> {
                node.put("kind", "number");
                node.put("value", number.value());
            }
            case HeaderValue.Date date -> {
                node.put("kind", "date");
                node.put("value", instant(date.epochSeconds()));
                node.put("epochSeconds", date.epochSeconds());
            }
            case HeaderValue.Time time -> {
                node.put("kind", "time");
                if (time.absolute()) {
                    node.put("value", instant(time.seconds()));
                    node.put("epochSeconds", time.seconds());
                } else {
                    node.put("relativeSeconds", time.seconds());
                }
            }
            case HeaderValue.From from -> {
                node.put("kind", "from");
                if (from.insertAddress()) {
                    node.put("insertAddress", true);
                } else {
                    putEncoded(node, from.address());
                }
            }
            case HeaderValue.Version version -> {
                node.put("kind", "version");
                node.put("value", version.toString());
            }
            case HeaderValue.ContentTypeValue contentType -> {
                node.put("kind", "content-type");
                node.set("value", fromContentType(contentType.contentType()));
            }
            case HeaderValue.Counted counted -> {
                node.put("kind", "counted");
                node.put("count", counted.count());
                putEncoded(node, counted.value());
            }
            case HeaderValue.CountedDate counted -> {
                node.put("kind", "counted-date");
                node.put("count", counted.count());
                node.put("value", instant(counted.epochSeconds()));
                node.put("epochSeconds", counted.epochSeconds());
            }
            case HeaderValue.Flags flags -> {
                node.put("kind", "flags");
                String name = MmsTokens.name(MmsField.MM_FLAGS, flags.token());
                node.put("token", name != null ? name : hex(flags.token()));
                node.put("tokenOctet", hex(flags.token()));
                putEncoded(node, flags.keyword());
            }
            case HeaderValue.Quota quota -> {
                node.put("kind", "quota");
                String name = MmsTokens.name(MmsField.MBOX_TOTALS, quota.token());
                node.put("token", name != null ? name : hex(quota.token()));
                node.put("tokenOctet", hex(quota.token()));
                node.put("value", quota.value());
            }
            case HeaderValue.Raw raw -> {
                node.put("kind", header.code() == MmsHeader.STRAY ? "stray" : "raw");
                node.put("octetsHex", raw.octets().toHex());
            }
        }
        return node;
    }

    private static void putEncoded(ObjectNode node, EncodedString value) {
        node.put("value", value.text());
        if (value.charset() != EncodedString.NO_CHARSET) {
            String name = value.charsetName();
            node.put("charset", name != null ? name : Integer.toString(value.charset()));
        }
        // Octets that the text does not reproduce exactly are given as well, so encode restores them.
        if (!reproduces(value)) {
            node.put("octetsHex", value.octets().toHex());
        }
    }

    private static boolean reproduces(EncodedString value) {
        try {
            return encodedFrom(value.text(), value.charset()).equals(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static EncodedString encodedFrom(String text, int charset) {
        if (charset == EncodedString.NO_CHARSET || charset == 0) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            return new EncodedString(charset, ByteSlice.wrap(utf8));
        }
        return EncodedString.of(text, charset);
    }

    ObjectNode fromContentType(ContentType type) {
        ObjectNode node = NODES.objectNode();
        node.put("mediaType", type.mediaType());
        if (type.code() >= 0) {
            node.put("code", hex(type.code()));
        } else if (WspTables.contentTypeCode(type.mediaType()) >= 0) {
            // Well known, but this sender spelled it out.
            node.put("sendAsText", true);
        }
        ArrayNode parameters = node.putArray("parameters");
        for (Parameter parameter : type.parameters()) {
            ObjectNode p = parameters.addObject();
            p.put("name", parameter.name());
            if (parameter.code() != Parameter.UNTYPED) {
                p.put("code", hex(parameter.code()));
            } else {
                p.put("untyped", true);
            }
            p.put("value", parameter.value());
            if (parameter.rawValue() != null) {
                p.put("rawHex", parameter.rawValue().toHex());
            }
        }
        return node;
    }

    private ObjectNode fromBody(MessageBody body) {
        ObjectNode node = NODES.objectNode();
        switch (body) {
            case MessageBody.Multipart multipart -> {
                node.put("kind", "multipart");
                node.put("partCount", multipart.parts().size());
                ArrayNode parts = node.putArray("parts");
                for (Part part : multipart.parts()) {
                    parts.add(fromPart(part));
                }
            }
            case MessageBody.Opaque opaque -> {
                node.put("kind", "opaque");
                putData(node, opaque.data(), null);
            }
        }
        return node;
    }

    private ObjectNode fromPart(Part part) {
        ObjectNode node = NODES.objectNode();
        node.set("contentType", fromContentType(part.contentType()));
        node.set("headers", fromWspHeaders(part.headers()));
        if (part.name() != null) {
            node.put("name", part.name());
        }
        putData(node, part.data(), part.contentType());
        if (part.nested() != null) {
            node.set("nested", fromBody(part.nested()));
        }
        return node;
    }

    ArrayNode fromWspHeaders(List<WspHeader> headers) {
        ArrayNode array = NODES.arrayNode();
        for (WspHeader header : headers) {
            ObjectNode h = array.addObject();
            h.put("name", header.name());
            if (header.code() >= 0) {
                h.put("code", hex(header.code()));
            } else if (header.code() == WspHeader.SHIFT) {
                h.put("kind", "shift");
            }
            h.put("value", header.value());
            if (header.rawValue() != null) {
                h.put("rawHex", header.rawValue().toHex());
            }
        }
        return array;
    }

    private void putData(ObjectNode node, ByteSlice data, ContentType type) {
        node.put("size", data.length());
        if (type != null && type.mediaType().startsWith("text/") || type != null && type.hasMediaType("application/smil")) {
            String preview = new String(data.toByteArray(), StandardCharsets.UTF_8);
            node.put("textPreview", preview.length() > 200 ? preview.substring(0, 200) + "…" : preview);
        }
        if (includeData) {
            node.put("dataBase64", Base64.getEncoder().encodeToString(data.toByteArray()));
        }
    }

    ObjectNode fromPush(WspPush push, MmsPdu mms, String mmsError) {
        ObjectNode node = NODES.objectNode();
        node.put("transactionId", push.transactionId());
        node.put("pduType", push.pduType() == WspPush.PUSH ? "Push" : "ConfirmedPush");
        node.set("contentType", fromContentType(push.contentType()));
        node.set("headers", fromWspHeaders(push.headers()));
        node.put("size", push.data().length());
        if (mms != null) {
            node.set("mms", fromPdu(mms, push.data().length()));
        } else {
            if (mmsError != null) {
                node.put("mmsError", mmsError);
            }
            node.put("dataBase64", Base64.getEncoder().encodeToString(push.data().toByteArray()));
        }
        return node;
    }

    // ------------------------------------------------------------------ from JSON

    MmsPdu toPdu(JsonNode root) {
        MessageType type = MessageType.fromName(require(root, "messageType").asString());
        if (type == null) {
            throw new IllegalArgumentException("unknown messageType " + root.get("messageType"));
        }
        List<MmsHeader> headers = new ArrayList<>();
        for (JsonNode header : require(root, "headers")) {
            headers.add(toHeader(header));
        }
        MessageBody body = root.has("body") ? toBody(root.get("body")) : null;
        return MmsPdu.create(type, new MmsHeaders(headers), body);
    }

    private MmsHeader toHeader(JsonNode node) {
        String name = require(node, "name").asString();
        String kind = require(node, "kind").asString();
        if (kind.equals("application")) {
            return MmsHeader.application(name, require(node, "value").asString());
        }
        if (kind.equals("stray")) {
            return new MmsHeader(MmsHeader.STRAY, name, new HeaderValue.Raw(hexSlice(node, "octetsHex")));
        }
        int code;
        if (node.has("code")) {
            code = parseInt(node.get("code").asString());
        } else {
            MmsField field = MmsField.byName(name);
            if (field == null) {
                throw new IllegalArgumentException("unknown header " + name + " without a code");
            }
            code = field.code();
        }
        MmsField field = MmsField.byCode(code);
        HeaderValue value = switch (kind) {
            case "text" -> new HeaderValue.Text(require(node, "value").asString());
            case "encoded" -> new HeaderValue.Encoded(toEncoded(node));
            case "token" -> new HeaderValue.Token(node.has("octet") ? parseInt(node.get("octet").asString())
                    : tokenOctet(field, require(node, "value").asString()));
            case "token-text" -> new HeaderValue.TokenText(require(node, "value").asString());
            case "number" -> new HeaderValue.Number(require(node, "value").asLong());
            case "date" -> new HeaderValue.Date(seconds(node));
            case "time" -> node.has("relativeSeconds")
                    ? new HeaderValue.Time(false, node.get("relativeSeconds").asLong())
                    : new HeaderValue.Time(true, seconds(node));
            case "from" -> new HeaderValue.From(node.path("insertAddress").asBoolean(false) ? null : toEncoded(node));
            case "version" -> {
                String[] parts = require(node, "value").asString().split("\\.");
                yield new HeaderValue.Version(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 15);
            }
            case "content-type" -> new HeaderValue.ContentTypeValue(toContentType(require(node, "value")));
            case "counted" -> new HeaderValue.Counted(require(node, "count").asLong(), toEncoded(node));
            case "counted-date" -> new HeaderValue.CountedDate(require(node, "count").asLong(), seconds(node));
            case "flags" -> new HeaderValue.Flags(node.has("tokenOctet") ? parseInt(node.get("tokenOctet").asString())
                    : tokenOctet(MmsField.MM_FLAGS, require(node, "token").asString()), toEncoded(node));
            case "quota" -> new HeaderValue.Quota(node.has("tokenOctet") ? parseInt(node.get("tokenOctet").asString())
                    : tokenOctet(MmsField.MBOX_TOTALS, require(node, "token").asString()), require(node, "value").asLong());
            case "raw" -> new HeaderValue.Raw(hexSlice(node, "octetsHex"));
            default -> throw new IllegalArgumentException("unknown header kind " + kind);
        };
        return new MmsHeader(code, name, value);
    }

    private static int tokenOctet(MmsField field, String name) {
        int octet = field == null ? -1 : MmsTokens.octet(field, name);
        if (octet < 0) {
            throw new IllegalArgumentException("unknown value " + name + " for " + (field == null ? "?" : field.headerName())
                    + "; give \"octet\"");
        }
        return octet;
    }

    private static long seconds(JsonNode node) {
        if (node.has("epochSeconds")) {
            return node.get("epochSeconds").asLong();
        }
        return Instant.parse(require(node, "value").asString()).getEpochSecond();
    }

    private static EncodedString toEncoded(JsonNode node) {
        int charset = EncodedString.NO_CHARSET;
        if (node.has("charset")) {
            String name = node.get("charset").asString();
            charset = name.matches("\\d+") ? Integer.parseInt(name) : WspTables.charsetMib(name);
            if (charset < 0) {
                throw new IllegalArgumentException("unknown charset " + name);
            }
        }
        if (node.has("octetsHex")) {
            return new EncodedString(charset, hexSlice(node, "octetsHex"));
        }
        // Without "charset" the text is sent as a plain Text-string (UTF-8 octets); give
        // "charset": "utf-8" for non-ASCII text meant for phones.
        return encodedFrom(require(node, "value").asString(), charset);
    }

    ContentType toContentType(JsonNode node) {
        String media = require(node, "mediaType").asString();
        int code = node.has("code") ? parseInt(node.get("code").asString())
                : node.path("sendAsText").asBoolean(false) ? -1 : WspTables.contentTypeCode(media);
        List<Parameter> parameters = new ArrayList<>();
        for (JsonNode p : node.path("parameters")) {
            String name = require(p, "name").asString();
            String value = require(p, "value").asString();
            ByteSlice raw = p.has("rawHex") ? hexSlice(p, "rawHex") : null;
            if (p.has("code")) {
                parameters.add(new Parameter(name, parseInt(p.get("code").asString()), value, raw));
            } else if (!p.path("untyped").asBoolean(false) && raw == null) {
                parameters.add(Parameter.of(name, value));
            } else {
                parameters.add(new Parameter(name, Parameter.UNTYPED, value, raw));
            }
        }
        return new ContentType(media, code, parameters);
    }

    private MessageBody toBody(JsonNode node) {
        String kind = require(node, "kind").asString();
        if (kind.equals("opaque")) {
            return new MessageBody.Opaque(data(node));
        }
        if (!kind.equals("multipart")) {
            throw new IllegalArgumentException("unknown body kind " + kind);
        }
        List<Part> parts = new ArrayList<>();
        for (JsonNode part : require(node, "parts")) {
            MessageBody.Multipart nested = part.has("nested") ? (MessageBody.Multipart) toBody(part.get("nested")) : null;
            ByteSlice data = part.has("dataBase64") || nested == null ? data(part) : ByteSlice.EMPTY;
            parts.add(new Part(toContentType(require(part, "contentType")), toWspHeaders(part.path("headers")), data, nested));
        }
        return new MessageBody.Multipart(parts);
    }

    List<WspHeader> toWspHeaders(JsonNode array) {
        List<WspHeader> headers = new ArrayList<>();
        for (JsonNode h : array) {
            String name = require(h, "name").asString();
            String value = h.path("value").asString("");
            ByteSlice raw = h.has("rawHex") ? hexSlice(h, "rawHex") : null;
            int code = h.has("code") ? parseInt(h.get("code").asString())
                    : h.path("kind").asString("").equals("shift") ? WspHeader.SHIFT : WspHeader.TEXTUAL;
            headers.add(new WspHeader(code, name, value, raw));
        }
        return headers;
    }

    private static ByteSlice data(JsonNode node) {
        if (node.has("dataBase64")) {
            return ByteSlice.wrap(Base64.getDecoder().decode(node.get("dataBase64").asString()));
        }
        if (node.has("text")) {
            return ByteSlice.wrap(node.get("text").asString().getBytes(StandardCharsets.UTF_8));
        }
        throw new IllegalArgumentException("part or body without dataBase64 or text (was it decoded with --no-data?)");
    }

    WspPush toPush(JsonNode node, byte[] data) {
        int type = node.path("pduType").asString("Push").equals("ConfirmedPush") ? WspPush.CONFIRMED_PUSH : WspPush.PUSH;
        return new WspPush(node.path("transactionId").asInt(0), type, toContentType(require(node, "contentType")),
                toWspHeaders(node.path("headers")), ByteSlice.wrap(data));
    }

    // ------------------------------------------------------------------ helpers

    private static JsonNode require(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing \"" + field + "\" in " + node);
        }
        return value;
    }

    private static ByteSlice hexSlice(JsonNode node, String field) {
        return ByteSlice.wrap(HEX.parseHex(require(node, field).asString()));
    }

    static String hex(int value) {
        return value > 0xFF ? String.format("0x%04X", value) : String.format("0x%02X", value);
    }

    static int parseInt(String text) {
        return text.startsWith("0x") || text.startsWith("0X") ? Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text);
    }

    /** ISO-8601 for display; dates beyond year 1,000,000,000 (only in garbage) show as their number. */
    private static String instant(long seconds) {
        return seconds <= Instant.MAX.getEpochSecond() ? Instant.ofEpochSecond(seconds).toString() : Long.toString(seconds);
    }
}
