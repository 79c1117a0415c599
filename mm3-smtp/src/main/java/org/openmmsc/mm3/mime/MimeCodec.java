package org.openmmsc.mm3.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.codec.EncoderUtil;
import org.apache.james.mime4j.dom.BinaryBody;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.field.ContentTransferEncodingFieldImpl;
import org.apache.james.mime4j.field.ContentTypeFieldLenientImpl;
import org.apache.james.mime4j.field.DelegatingFieldParser;
import org.apache.james.mime4j.field.UnstructuredFieldImpl;
import org.apache.james.mime4j.message.BodyFactory;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.message.BasicBodyFactory;
import org.apache.james.mime4j.message.BodyPartBuilder;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.message.MultipartBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawField;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.MessagePart;

/**
 * MIME through Apache James Mime4j: bytes → {@link MailMessage} and back. Pure (no I/O beyond
 * the arrays given); every failure is one {@link MimeException} with a reason.
 */
public final class MimeCodec {
    /** Nested multiparts deeper than this are refused: a real MMS never nests more than twice. */
    private static final int MAX_DEPTH = 4;

    private final MimeConfig config;
    private final int maxParts;

    /**
     * @param maxHeaderCount headers per entity at most
     * @param maxParts       leaf parts per message at most
     */
    public MimeCodec(int maxHeaderCount, int maxParts) {
        // Lenient parsing: real MMSCs send bare LFs, odd spacing and long lines; limits still hold.
        this.config = new MimeConfig.Builder()
                .setStrictParsing(false)
                .setMaxHeaderCount(maxHeaderCount)
                .setMaxHeaderLen(100_000)
                .setMaxLineLen(-1)
                .build();
        this.maxParts = maxParts;
    }

    public MimeCodec() {
        this(1000, 1000);
    }

    public MailMessage parse(byte[] bytes) throws MimeException {
        try {
            return parse(bytes, false);
        } catch (NestedMultipart e) {
            // A nested multipart stays one part with its own MIME text: that text must be re-written from
            // decoded bodies, so this (rare) message is read again the way that needs.
            try {
                return parse(bytes, true);
            } catch (NestedMultipart impossible) {
                throw new IllegalStateException("only the fast path signals nested multiparts", impossible);
            }
        }
    }

    /**
     * @param decodeInMime4j false on the fast path: Mime4j hands over each body still
     *                       transfer-encoded, and {@link #decode} undoes base64 with the JDK's RFC 2045
     *                       decoder (Mime4j's decodes byte by byte and was the largest single item of
     *                       inbound MM4 decoding); true when a nested multipart must be written back
     */
    private MailMessage parse(byte[] bytes, boolean decodeInMime4j) throws MimeException, NestedMultipart {
        try {
            DefaultMessageBuilder builder = new DefaultMessageBuilder();
            builder.setMimeEntityConfig(config);
            builder.setDecodeMonitor(DecodeMonitor.SILENT);
            builder.setFieldParser(FIELDS);
            builder.setBodyFactory(new Arena(bytes.length));
            builder.setContentDecoding(decodeInMime4j);
            Message message = builder.parseMessage(new ByteArrayInputStream(bytes));
            List<MessagePart.Header> headers = new ArrayList<>();
            for (Field f : message.getHeader().getFields()) headers.add(header(f));
            ContentType type = contentType(message);
            List<MessagePart> parts = new ArrayList<>();
            collect(message, parts, 0, !decodeInMime4j);
            if (headers.isEmpty()) throw new MimeException("no header fields");
            return new MailMessage(headers, type, parts);
        } catch (IOException e) {
            throw new MimeException("not a MIME message: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Mime4j and the model records signal bad input with runtime exceptions; callers get one typed error.
            throw new MimeException("bad MIME content: " + e.getMessage(), e);
        }
    }

    /** Thrown on the fast path when a nested multipart is met (see {@link #parse(byte[])}). */
    private static final class NestedMultipart extends Exception {
        NestedMultipart() {
            super(null, null, false, false);
        }
    }

    /**
     * Only the fields the codec reads structurally are parsed as such; every other field stays
     * unstructured text (Mime4j's lenient parser otherwise parses Date:, address lists … eagerly).
     */
    private static final DelegatingFieldParser FIELDS = new DelegatingFieldParser(UnstructuredFieldImpl.PARSER);

    static {
        FIELDS.setFieldParser("Content-Type", ContentTypeFieldLenientImpl.PARSER);
        FIELDS.setFieldParser("Content-Transfer-Encoding", ContentTransferEncodingFieldImpl.PARSER);
    }

    /**
     * Every body of one message read into one array, one after the other: together they are never
     * longer than the message, so one allocation of its size holds them all, and a body becomes a
     * part's content with at most one copy (none for the base64 decoder, which reads the slice).
     */
    private static final class Arena implements BodyFactory {
        private byte[] bytes;
        private int used;

        Arena(int capacity) {
            bytes = new byte[Math.max(capacity, 16)];
        }

        private Slice read(InputStream in) throws IOException {
            int start = used;
            while (true) {
                // Only a decoder that expands could outgrow the message; earlier slices keep the old array.
                if (used == bytes.length) bytes = Arrays.copyOf(bytes, bytes.length * 2);
                int n = in.read(bytes, used, bytes.length - used);
                if (n < 0) break;
                used += n;
            }
            return new Slice(bytes, start, used - start);
        }

        @Override
        public BinaryBody binaryBody(InputStream in) throws IOException {
            return new BytesBody(read(in));
        }

        @Override
        public TextBody textBody(InputStream in, String mimeCharset) throws IOException {
            return new TextBytesBody(read(in), mimeCharset);
        }
    }

    private record Slice(byte[] array, int offset, int length) {
        InputStream stream() {
            return new ByteArrayInputStream(array, offset, length);
        }

        byte[] copy() {
            return Arrays.copyOfRange(array, offset, offset + length);
        }
    }

    private interface HasSlice {
        Slice slice();
    }

    private static final class BytesBody extends BinaryBody implements HasSlice {
        private final Slice slice;

        BytesBody(Slice slice) {
            this.slice = slice;
        }

        @Override
        public Slice slice() {
            return slice;
        }

        @Override
        public InputStream getInputStream() {
            return slice.stream();
        }
    }

    private static final class TextBytesBody extends TextBody implements HasSlice {
        private final Slice slice;
        private final String mimeCharset;

        TextBytesBody(Slice slice, String mimeCharset) {
            this.slice = slice;
            this.mimeCharset = mimeCharset;
        }

        @Override
        public Slice slice() {
            return slice;
        }

        @Override
        public InputStream getInputStream() {
            return slice.stream();
        }

        @Override
        public String getMimeCharset() {
            return mimeCharset;
        }

        @Override
        public Charset getCharset() {
            try {
                return mimeCharset == null ? StandardCharsets.US_ASCII : Charset.forName(mimeCharset);
            } catch (IllegalArgumentException e) {
                return StandardCharsets.US_ASCII;
            }
        }

        @Override
        public Reader getReader() {
            return new InputStreamReader(getInputStream(), getCharset());
        }
    }

    private void collect(Entity entity, List<MessagePart> parts, int depth, boolean encoded) throws IOException, MimeException, NestedMultipart {
        Body body = entity.getBody();
        if (body instanceof Multipart multipart) {
            if (depth >= MAX_DEPTH) throw new MimeException("multipart nested deeper than " + MAX_DEPTH);
            if (depth == 0) {
                for (Entity child : multipart.getBodyParts()) leafOrNested(child, parts, depth + 1, encoded);
            } else {
                leafOrNested(entity, parts, depth, encoded);
            }
            return;
        }
        if (body instanceof SingleBody single) {
            byte[] content;
            if (single instanceof HasSlice held) {
                content = encoded ? decode(entity.getContentTransferEncoding(), held.slice()) : held.slice().copy();
            } else {
                content = readAll(single);
            }
            parts.add(new MessagePart(contentType(entity), partHeaders(entity), content));
        }
        if (parts.size() > maxParts) throw new MimeException("more than " + maxParts + " parts");
    }

    /**
     * Undoes a transfer encoding (RFC 2045 §6): base64 with the JDK's MIME decoder, which skips
     * line breaks and other characters outside the alphabet as RFC 2045 §6.8 says; input it still
     * refuses (bad padding) goes through Mime4j's lenient decoder, as before. Quoted-printable
     * through Mime4j; 7bit, 8bit and binary are the content itself.
     */
    private static byte[] decode(String transferEncoding, Slice raw) throws IOException {
        if (transferEncoding != null && transferEncoding.equalsIgnoreCase("base64")) {
            try {
                // The MIME decoder sizes its output exactly (it counts the characters it will skip).
                ByteBuffer out = Base64.getMimeDecoder().decode(ByteBuffer.wrap(raw.array(), raw.offset(), raw.length()));
                return out.arrayOffset() == 0 && out.position() == 0 && out.remaining() == out.array().length
                        ? out.array() : Arrays.copyOfRange(out.array(), out.arrayOffset() + out.position(), out.arrayOffset() + out.limit());
            } catch (IllegalArgumentException e) {
                try (InputStream in = new Base64InputStream(raw.stream(), DecodeMonitor.SILENT)) {
                    return in.readAllBytes();
                }
            }
        }
        if (transferEncoding != null && transferEncoding.equalsIgnoreCase("quoted-printable")) {
            try (InputStream in = new QuotedPrintableInputStream(raw.stream(), DecodeMonitor.SILENT)) {
                return in.readAllBytes();
            }
        }
        return raw.copy();
    }

    private void leafOrNested(Entity child, List<MessagePart> parts, int depth, boolean encoded) throws IOException, MimeException, NestedMultipart {
        if (child.getBody() instanceof Multipart) {
            if (encoded) throw new NestedMultipart();
            if (depth >= MAX_DEPTH) throw new MimeException("multipart nested deeper than " + MAX_DEPTH);
            // A nested multipart (e.g. multipart/alternative) stays one part: its own MIME text, boundary kept.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new DefaultMessageWriter().writeBody(child.getBody(), out);
            ContentTypeField field = (ContentTypeField) child.getHeader().getField("Content-Type");
            Map<String, String> params = new LinkedHashMap<>(field.getParameters());
            parts.add(new MessagePart(new ContentType(field.getMimeType(), params), partHeaders(child), out.toByteArray()));
        } else {
            collect(child, parts, depth, encoded);
        }
        if (parts.size() > maxParts) throw new MimeException("more than " + maxParts + " parts");
    }

    private static ContentType contentType(Entity entity) {
        Field raw = entity.getHeader() == null ? null : entity.getHeader().getField("Content-Type");
        if (!(raw instanceof ContentTypeField field) || field.getMimeType() == null || field.getParseException() != null) {
            return ContentType.parse("text/plain; charset=us-ascii"); // RFC 2045 §5.2 default
        }
        Map<String, String> params = new LinkedHashMap<>();
        field.getParameters().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("boundary")) params.put(k.toLowerCase(Locale.ROOT), v);
        });
        return new ContentType(field.getMimeType(), params);
    }

    private static List<MessagePart.Header> partHeaders(Entity entity) {
        List<MessagePart.Header> headers = new ArrayList<>();
        for (Field f : entity.getHeader().getFields()) {
            String name = f.getName();
            if (name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Content-Transfer-Encoding")) continue;
            headers.add(header(f));
        }
        return headers;
    }

    private static MessagePart.Header header(Field f) {
        return new MessagePart.Header(f.getName().strip(), unfold(f.getBody()));
    }

    /** One line: a line break and the white space after it become one space (RFC 5322 §2.2.3), stray CR/LF go, ends stripped. */
    static String unfold(String body) {
        if (body == null) return "";
        if (body.indexOf('\r') < 0 && body.indexOf('\n') < 0) return body.strip();
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\r' || c == '\n') {
                int j = i;
                while (j < body.length() && (body.charAt(j) == '\r' || body.charAt(j) == '\n')) j++;
                if (j < body.length() && (body.charAt(j) == ' ' || body.charAt(j) == '\t')) {
                    sb.append(' ');
                    while (j < body.length() && (body.charAt(j) == ' ' || body.charAt(j) == '\t')) j++;
                }
                i = j - 1;
                continue;
            }
            sb.append(c);
        }
        return sb.toString().strip();
    }

    private static byte[] readAll(SingleBody body) throws IOException {
        try (InputStream in = body.getInputStream()) {
            return in.readAllBytes();
        }
    }

    /** Decodes RFC 2047 encoded words ("=?UTF-8?B?…?=") in an unstructured header value. */
    public static String decodeWords(String value) {
        return value == null ? null : DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT);
    }

    /** Encodes a header text as RFC 2047 words when it is not plain printable ASCII. */
    public static String encodeWords(String text) {
        if (text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) return text;
        return EncoderUtil.encodeEncodedWord(text, EncoderUtil.Usage.TEXT_TOKEN);
    }

    /**
     * Writes a message: the headers in order (values must be one line, already encoded), then the
     * body. Multipart content types get a fresh boundary; every leaf is base64 except text parts
     * in 7-bit ASCII, which go as they are.
     */
    public byte[] write(List<MessagePart.Header> headers, ContentType contentType, List<MessagePart> parts) throws MimeException {
        for (MessagePart.Header h : headers) {
            if (h.value().indexOf('\r') >= 0 || h.value().indexOf('\n') >= 0) {
                throw new MimeException("header " + h.name() + " holds a line break");
            }
        }
        try {
            Message.Builder builder = Message.Builder.of();
            for (MessagePart.Header h : headers) builder.addField(new RawField(h.name(), h.value()));
            if (contentType.isMultipart() && contentType.mediaType().startsWith("multipart/")) {
                MultipartBuilder multipart = MultipartBuilder.create(contentType.mediaType().substring("multipart/".length()));
                for (MessagePart p : parts) multipart.addBodyPart(bodyPart(p));
                builder.setBody(multipart.build());
                List<NameValuePair> params = new ArrayList<>();
                contentType.parameters().forEach((k, v) -> params.add(new NameValuePair(k, v)));
                params.add(new NameValuePair("boundary", boundary()));
                builder.setContentType(contentType.mediaType(), params.toArray(NameValuePair[]::new));
            } else {
                if (parts.size() != 1) throw new MimeException("a " + contentType.mediaType() + " message needs exactly one part");
                MessagePart only = parts.getFirst();
                builder.setBody(new BasicBodyFactory().binaryBody(only.content()));
                builder.setContentType(contentType.mediaType(), nameValues(contentType));
                builder.setContentTransferEncoding(isAscii(only) ? "7bit" : "base64");
            }
            builder.setField(new RawField("MIME-Version", "1.0"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new DefaultMessageWriter().writeMessage(builder.build(), out);
            return out.toByteArray();
        } catch (IOException | IllegalArgumentException e) {
            throw new MimeException("cannot write MIME message: " + e.getMessage(), e);
        }
    }

    private static org.apache.james.mime4j.message.BodyPart bodyPart(MessagePart p) throws IOException {
        BodyPartBuilder part = BodyPartBuilder.create()
                .setBody(new BasicBodyFactory().binaryBody(p.content()))
                .setContentType(p.contentType().mediaType(), nameValues(p.contentType()))
                .setContentTransferEncoding(isAscii(p) ? "7bit" : "base64");
        for (MessagePart.Header h : p.headers()) part.addField(new RawField(h.name(), h.value()));
        return part.build();
    }

    private static NameValuePair[] nameValues(ContentType type) {
        return type.parameters().entrySet().stream().map(e -> new NameValuePair(e.getKey(), e.getValue())).toArray(NameValuePair[]::new);
    }

    /** 7-bit text with short lines can travel unencoded; everything else is base64. */
    private static boolean isAscii(MessagePart p) {
        if (!p.contentType().mediaType().startsWith("text/") && !p.contentType().mediaType().equals("application/smil")) return false;
        int lineLength = 0;
        for (byte b : p.content()) {
            if (b < 0 || b == 0 || (b == '\r')) return false;
            lineLength = b == '\n' ? 0 : lineLength + 1;
            if (lineLength > 900) return false;
        }
        return true;
    }

    private static String boundary() {
        return "=_openmmsc_" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong())
                + Long.toHexString(System.nanoTime());
    }
}
