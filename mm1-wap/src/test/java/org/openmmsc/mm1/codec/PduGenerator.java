package org.openmmsc.mm1.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random but valid PDUs of every type, in the header order the encoder writes. */
final class PduGenerator {
    private static final String[] MEDIA = {"text/plain", "image/jpeg", "image/gif", "application/smil", "audio/amr",
        "video/3gpp", "text/x-vCard", "application/octet-stream"};
    private static final String[] TEXTS = {"Hello", "Hej hopp", "Grüße", "Привет", "こんにちは", "", "a;b=c", "x"};

    private final Random random;

    PduGenerator(long seed) {
        this.random = new Random(seed);
    }

    MmsPdu generate(MessageType type) {
        List<MmsHeader> headers = new ArrayList<>();
        headers.add(MmsHeader.of(MmsField.TRANSACTION_ID, new HeaderValue.Text("T" + random.nextInt(1_000_000))));
        headers.add(MmsHeader.of(MmsField.MMS_VERSION, new HeaderValue.Version(1, random.nextInt(4))));
        for (MmsField field : type.mandatoryFields()) {
            if (field != MmsField.TRANSACTION_ID && field != MmsField.CONTENT_TYPE) {
                headers.add(MmsHeader.of(field, value(field, type)));
            }
        }
        int optional = random.nextInt(8);
        MmsField[] fields = MmsField.values();
        for (int i = 0; i < optional; i++) {
            MmsField field = fields[random.nextInt(fields.length)];
            if (field == MmsField.MESSAGE_TYPE || field == MmsField.CONTENT_TYPE || field == MmsField.TRANSACTION_ID
                    || field == MmsField.MMS_VERSION) {
                continue;
            }
            headers.add(MmsHeader.of(field, value(field, type)));
        }
        if (random.nextInt(4) == 0) {
            headers.add(MmsHeader.application("X-Vendor-" + random.nextInt(100), "v" + random.nextInt(100)));
        }
        if (random.nextInt(5) == 0) {
            // An unassigned field number, kept raw.
            headers.add(new MmsHeader(0x40 + random.nextInt(0x3F), "X-Mms-Unassigned",
                    new HeaderValue.Raw(ByteSlice.wrap(new byte[] {2, (byte) random.nextInt(256), 7}))));
        }
        MessageBody body = null;
        boolean hasBody = type.mandatoryFields().contains(MmsField.CONTENT_TYPE)
                || type == MessageType.M_MBOX_DESCR && random.nextBoolean();
        if (hasBody) {
            ContentType contentType = random.nextBoolean()
                    ? ContentType.of(ContentType.MULTIPART_RELATED, Parameter.of("Start", "<p0>"),
                            Parameter.of("Type", "application/smil"))
                    : ContentType.of(ContentType.MULTIPART_MIXED);
            headers.add(MmsHeader.of(MmsField.CONTENT_TYPE, new HeaderValue.ContentTypeValue(contentType)));
            body = multipart(1);
        }
        return MmsPdu.create(type, new MmsHeaders(headers), body);
    }

    MessageBody.Multipart multipart(int depth) {
        int count = 1 + random.nextInt(3);
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (depth < 3 && random.nextInt(6) == 0) {
                MessageBody.Multipart nested = multipart(depth + 1);
                WspWriter out = new WspWriter(256, false);
                WspCodec.encodeMultipart(out, nested);
                parts.add(new Part(ContentType.of(ContentType.MULTIPART_ALTERNATIVE), List.of(),
                        ByteSlice.wrap(out.toByteArray()), nested));
                continue;
            }
            String media = MEDIA[random.nextInt(MEDIA.length)];
            List<Parameter> parameters = new ArrayList<>();
            if (media.startsWith("text/") || random.nextInt(4) == 0) {
                parameters.add(Parameter.of("Charset", random.nextBoolean() ? "utf-8" : "us-ascii"));
            }
            if (random.nextBoolean()) {
                parameters.add(Parameter.of("Name", "file" + i + ".bin"));
            }
            if (random.nextInt(5) == 0) {
                parameters.add(Parameter.untyped("x-param", "v" + i));
            }
            List<WspHeader> headers = new ArrayList<>();
            headers.add(WspHeader.contentId("<p" + i + ">"));
            if (random.nextBoolean()) {
                headers.add(WspHeader.contentLocation("part" + i));
            }
            if (random.nextInt(4) == 0) {
                headers.add(WspHeader.wellKnown(WspTables.HEADER_CONTENT_DISPOSITION, "attachment; filename=a" + i + ".jpg"));
            }
            if (random.nextInt(4) == 0) {
                headers.add(WspHeader.textual("Content-Transfer-Encoding", "binary"));
            }
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            parts.add(new Part(new ContentType(media, WspTables.contentTypeCode(media), parameters), headers,
                    ByteSlice.wrap(data), null));
        }
        return new MessageBody.Multipart(parts);
    }

    private EncodedString encoded() {
        String text = TEXTS[random.nextInt(TEXTS.length)] + random.nextInt(100);
        return switch (random.nextInt(3)) {
            case 0 -> EncodedString.of(text);
            case 1 -> new EncodedString(EncodedString.UTF_8, ByteSlice.wrap(text.getBytes(StandardCharsets.UTF_8)));
            default -> new EncodedString(1000, ByteSlice.wrap(text.getBytes(StandardCharsets.UTF_16BE)));
        };
    }

    private EncodedString address() {
        return switch (random.nextInt(4)) {
            case 0 -> EncodedString.ascii("+47" + (10_000_000 + random.nextInt(89_999_999)) + "/TYPE=PLMN");
            case 1 -> EncodedString.ascii("user" + random.nextInt(99) + "@example.com");
            case 2 -> EncodedString.ascii("10.0.0." + random.nextInt(255) + "/TYPE=IPv4");
            default -> EncodedString.ascii(Integer.toString(random.nextInt(99_999)));
        };
    }

    private long seconds() {
        return random.nextInt(3) == 0 ? random.nextInt(128) : 1_000_000_000L + random.nextInt(1_000_000_000);
    }

    HeaderValue value(MmsField field, MessageType type) {
        return switch (field.syntax()) {
            case TEXT -> {
                if (field == MmsField.CONTENT_LOCATION
                        && (type == MessageType.M_DELETE_CONF || type == MessageType.M_MBOX_DELETE_CONF)
                        && random.nextBoolean()) {
                    yield new HeaderValue.Counted(random.nextInt(300), EncodedString.ascii("http://mmsc/x" + random.nextInt(9)));
                }
                yield new HeaderValue.Text("http://mmsc.example/" + random.nextInt(100_000));
            }
            case ENCODED_STRING -> {
                if (field == MmsField.RESPONSE_TEXT && type == MessageType.M_MBOX_DELETE_CONF) {
                    // In this PDU the counted form is the only one: the charset form would be ambiguous.
                    yield new HeaderValue.Counted(random.nextInt(3), encoded());
                }
                boolean isAddress = field == MmsField.TO || field == MmsField.CC || field == MmsField.BCC;
                yield new HeaderValue.Encoded(isAddress ? address() : encoded());
            }
            case TOKEN -> new HeaderValue.Token(0x80 + random.nextInt(128));
            case TOKEN_OR_TEXT -> random.nextBoolean() ? new HeaderValue.Token(0x80 + random.nextInt(4))
                    : new HeaderValue.TokenText("Class" + random.nextInt(10));
            case LONG, INTEGER -> new HeaderValue.Number(seconds());
            case DATE -> new HeaderValue.Date(seconds());
            case TIME -> new HeaderValue.Time(random.nextBoolean(), seconds());
            case FROM -> new HeaderValue.From(random.nextInt(3) == 0 ? null : address());
            case VERSION -> new HeaderValue.Version(1, random.nextInt(4));
            case CONTENT_TYPE -> throw new IllegalStateException();
            case COUNTED_STRING -> new HeaderValue.Counted(random.nextInt(200), address());
            case COUNTED_DATE -> new HeaderValue.CountedDate(random.nextInt(200), seconds());
            case FLAGS -> new HeaderValue.Flags(0x80 + random.nextInt(3), encoded());
            case QUOTA -> new HeaderValue.Quota(0x80 + random.nextInt(2), seconds());
            case RAW -> new HeaderValue.Raw(ByteSlice.wrap(new byte[] {3, 1, 2, 3}));
        };
    }
}
