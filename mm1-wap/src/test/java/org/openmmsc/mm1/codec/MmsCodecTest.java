package org.openmmsc.mm1.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class MmsCodecTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    /** The complete m-notification-ind of mms-encapsulation.md §5 (52 octets). */
    static final byte[] NOTIFICATION_EXAMPLE = HEX.parseHex(
            "8C 82 98 54 31 00 8D 92 8A 80 8E 02 04 00 88 05 81 03 02 A3 00 "
                    + "83 68 74 74 70 3A 2F 2F 6D 6D 73 63 2E 65 78 61 6D 70 6C 65 2E 63 6F 6D 2F 6D 2F 61 62 63 00");

    private final MmsDecoder decoder = new MmsDecoder();
    private final MmsEncoder encoder = new MmsEncoder();

    static MmsPdu.NotificationInd exampleNotification() {
        return new MmsPdu.NotificationInd(MmsHeaders.builder()
                .text(MmsField.TRANSACTION_ID, "T1")
                .version(1, 2)
                .token(MmsField.MESSAGE_CLASS, 0x80)
                .add(MmsField.MESSAGE_SIZE, new HeaderValue.Number(1024))
                .add(MmsField.EXPIRY, new HeaderValue.Time(false, 172_800))
                .text(MmsField.CONTENT_LOCATION, "http://mmsc.example.com/m/abc")
                .build(), null);
    }

    @Test
    void encodesTheReferenceNotificationExactly() throws DecodeException {
        assertArrayEquals(NOTIFICATION_EXAMPLE, encoder.encode(exampleNotification()));
        MmsPdu.NotificationInd decoded = assertInstanceOf(MmsPdu.NotificationInd.class, decoder.decode(NOTIFICATION_EXAMPLE));
        assertEquals("T1", decoded.transactionId());
        assertEquals("1.2", decoded.version().toString());
        assertEquals("Personal", decoded.messageClass());
        assertEquals(1024, decoded.messageSize());
        assertEquals(new HeaderValue.Time(false, 172_800), decoded.expiry());
        assertEquals("http://mmsc.example.com/m/abc", decoded.contentLocation());
        assertEquals(exampleNotification(), decoded);
    }

    @Test
    void workedValueEncodingsFromTheReferenceTables() {
        assertArrayEquals(HEX.parseHex("88 05 81 03 09 3A 80"), encodeHeader(MmsField.EXPIRY, new HeaderValue.Time(false, 604_800)));
        assertArrayEquals(HEX.parseHex("88 06 80 04 65 92 00 80"), encodeHeader(MmsField.EXPIRY, new HeaderValue.Time(true, 1_704_067_200)));
        assertArrayEquals(HEX.parseHex("85 04 65 92 00 80"), encodeHeader(MmsField.DATE, new HeaderValue.Date(1_704_067_200)));
        assertArrayEquals(HEX.parseHex("89 01 81"), encodeHeader(MmsField.FROM, new HeaderValue.From(null)));
        assertArrayEquals(HEX.parseHex("96 05 EA 48 C3 A9 00"), encodeHeader(MmsField.SUBJECT, new HeaderValue.Encoded(EncodedString.of("Hé"))));
        byte[] from = encodeHeader(MmsField.FROM, new HeaderValue.From(EncodedString.ascii("+4712345678/TYPE=PLMN")));
        assertEquals(0x17, from[1]);
        assertEquals(2 + 0x17, from.length);
        // Content-Type of a SMIL presentation, Start then Type (wsp-encoding.md §2).
        ContentType related = ContentType.of(ContentType.MULTIPART_RELATED, Parameter.of("Start", "<smil>"),
                Parameter.of("Type", "application/smil"));
        assertArrayEquals(HEX.parseHex("84 1B B3 8A 3C 73 6D 69 6C 3E 00 89 61 70 70 6C 69 63 61 74 69 6F 6E 2F 73 6D 69 6C 00"),
                encodeHeader(MmsField.CONTENT_TYPE, new HeaderValue.ContentTypeValue(related)));
        assertArrayEquals(HEX.parseHex("8D 92"), encodeHeader(MmsField.MMS_VERSION, new HeaderValue.Version(1, 2)));
        assertArrayEquals(HEX.parseHex("8E 02 04 00"), encodeHeader(MmsField.MESSAGE_SIZE, new HeaderValue.Number(1024)));
        assertArrayEquals(HEX.parseHex("96 06 02 03 E8 00 41 00"),
                encodeHeader(MmsField.SUBJECT, new HeaderValue.Encoded(EncodedString.of("A", 1000))));
    }

    private static byte[] encodeHeader(MmsField field, HeaderValue value) {
        WspWriter out = new WspWriter(16, false);
        MmsHeaderCodec.encode(out, MmsHeader.of(field, value));
        return out.toByteArray();
    }

    @Test
    void multipartEntryMatchesTheReferenceExample() throws DecodeException {
        Part part = Part.of(ContentType.of("text/plain", Parameter.of("Charset", "utf-8"), Parameter.of("Name", "text.txt")),
                ByteSlice.wrap(new byte[] {'H', 'i'}), WspHeader.contentId("<t1>"), WspHeader.contentLocation("text.txt"));
        WspWriter out = new WspWriter(64, false);
        WspCodec.encodeMultipart(out, new MessageBody.Multipart(List.of(part)));
        byte[] expected = HEX.parseHex("01 1F 02 0D 83 81 EA 85 74 65 78 74 2E 74 78 74 00 C0 22 3C 74 31 3E 00 "
                + "8E 74 65 78 74 2E 74 78 74 00 48 69");
        assertArrayEquals(expected, out.toByteArray());
        WspReader in = new WspReader(expected, 0, expected.length, DecodeLimits.DEFAULTS);
        MessageBody.Multipart decoded = WspCodec.decodeMultipart(in, 1, new int[] {10});
        assertEquals(List.of(part), decoded.parts());
        assertEquals("text.txt", decoded.parts().getFirst().name());
        assertEquals("<t1>", decoded.parts().getFirst().contentId());
    }

    @Test
    void contentDispositionIsDecodedAndReencoded() throws DecodeException {
        byte[] header = HEX.parseHex("AE 08 81 86 61 2E 6A 70 67 00");
        WspReader in = new WspReader(header, 0, header.length, DecodeLimits.DEFAULTS);
        WspHeader decoded = WspCodec.decodeHeaders(in).getFirst();
        assertEquals("Content-Disposition", decoded.name());
        assertEquals("attachment; filename=a.jpg", decoded.value());
        assertNull(decoded.rawValue());
        WspWriter out = new WspWriter(16, false);
        WspCodec.encodeHeaders(out, List.of(WspHeader.wellKnown(0x2E, "attachment; filename=a.jpg")));
        assertArrayEquals(header, out.toByteArray());
    }

    @ParameterizedTest
    @EnumSource(MessageType.class)
    void generatedPdusOfEveryTypeRoundTrip(MessageType type) throws DecodeException {
        for (int seed = 0; seed < 300; seed++) {
            MmsPdu pdu = new PduGenerator(seed * 31L + type.ordinal()).generate(type);
            byte[] encoded = encoder.encode(pdu);
            MmsPdu decoded = decoder.decode(encoded);
            assertEquals(pdu, decoded, "seed " + seed);
            assertSame(pdu.getClass(), decoded.getClass());
            assertArrayEquals(encoded, encoder.encode(decoded));
            assertArrayEquals(encoded, concat(encoder.encodeGathered(pdu)), "gathered encoding, seed " + seed);
        }
    }

    static byte[] concat(ByteBuffer[] buffers) {
        int size = 0;
        for (ByteBuffer buffer : buffers) {
            size += buffer.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer buffer : buffers) {
            all.put(buffer.duplicate());
        }
        return all.array();
    }

    @Test
    void partBodiesAreReferencedNotCopied() throws DecodeException {
        MmsPdu pdu = new PduGenerator(7).generate(MessageType.M_SEND_REQ);
        byte[] encoded = encoder.encode(pdu);
        MmsPdu decoded = decoder.decode(encoded);
        Part part = ((MessageBody.Multipart) decoded.body()).parts().getFirst();
        assertSame(encoded, part.data().array(), "part data is a view of the input");
        ByteBuffer[] gathered = encoder.encodeGathered(decoded);
        boolean bodyByReference = Arrays.stream(gathered).anyMatch(b -> b.isReadOnly() && b.remaining() == part.data().length()
                && part.data().length() > 0);
        assertTrue(bodyByReference || part.data().isEmpty(), "gathered encoding references the body");
    }

    @Test
    void unknownAndApplicationHeadersAreKept() throws DecodeException {
        byte[] pdu = HEX.parseHex("8C 83 98 41 00 8D 90 95 81 "
                + "C5 03 01 02 03 "              // unassigned field 0x45 with a 3-octet value
                + "58 2D 46 6F 6F 00 62 61 72 00 " // X-Foo: bar
                + "95 84");
        MmsPdu decoded = decoder.decode(pdu);
        List<MmsHeader> headers = decoded.headers().list();
        assertEquals(new MmsHeader(0x45, "X-Mms-Unassigned-0x45", new HeaderValue.Raw(ByteSlice.fromHex("03010203"))),
                headers.get(3));
        assertEquals(MmsHeader.application("X-Foo", "bar"), headers.get(4));
        assertArrayEquals(pdu, encoder.encode(decoded));
    }

    @Test
    void aMalformedValueInsideALengthDoesNotHideTheHeadersAfterIt() throws DecodeException {
        // X-Mms-Expiry with token 0x85 (neither absolute nor relative), then Content-Location.
        byte[] pdu = HEX.parseHex("8C 82 98 41 00 8D 92 8A 80 8E 01 10 88 02 85 01 83 61 00");
        MmsPdu.NotificationInd notification = assertInstanceOf(MmsPdu.NotificationInd.class,
                new MmsDecoder().decode(pdu));
        assertEquals(new HeaderValue.Raw(ByteSlice.fromHex("028501")), notification.headers().first(MmsField.EXPIRY));
        assertEquals("a", notification.contentLocation());
        assertArrayEquals(pdu, encoder.encode(notification));
    }

    @Test
    void emptyContentLocationInADeleteConfIsText() throws DecodeException {
        byte[] pdu = HEX.parseHex("8C 95 98 41 00 8D 93 92 80 83 00 83 03 81 61 00");
        MmsPdu.DeleteConf conf = assertInstanceOf(MmsPdu.DeleteConf.class, decoder.decode(pdu));
        List<HeaderValue> locations = conf.headers().all(MmsField.CONTENT_LOCATION);
        assertEquals(new HeaderValue.Text(""), locations.get(0));
        assertEquals(new HeaderValue.Counted(1, EncodedString.ascii("a")), locations.get(1));
        assertArrayEquals(pdu, encoder.encode(conf));
    }

    @Test
    void mboxViewConfCarriesDescriptionsAsParts() throws DecodeException {
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            MmsPdu description = new MmsPdu.MboxDescr(MmsHeaders.builder().version(1, 2)
                    .text(MmsField.MESSAGE_ID, "m" + i).token(MmsField.MM_STATE, 0x82).build(), null);
            parts.add(Part.of(ContentType.of(ContentType.MMS_MESSAGE), ByteSlice.wrap(encoder.encode(description))));
        }
        MmsPdu.MboxViewConf view = new MmsPdu.MboxViewConf(MmsHeaders.builder().text(MmsField.TRANSACTION_ID, "v")
                .version(1, 2).token(MmsField.RESPONSE_STATUS, 0x80)
                .add(MmsField.CONTENT_TYPE, new HeaderValue.ContentTypeValue(ContentType.of(ContentType.MULTIPART_MIXED)))
                .build(), new MessageBody.Multipart(parts));
        MmsPdu.MboxViewConf decoded = (MmsPdu.MboxViewConf) decoder.decode(encoder.encode(view));
        List<MmsPdu.MboxDescr> descriptions = decoded.descriptions(decoder);
        assertEquals(List.of("m0", "m1"), descriptions.stream().map(MmsPdu.MboxDescr::messageId).toList());
    }

    @Test
    void unknownEnumerationValuesAreTolerated() throws DecodeException {
        byte[] pdu = HEX.parseHex("8C 81 98 41 00 8D 93 92 D7");
        MmsPdu.SendConf conf = assertInstanceOf(MmsPdu.SendConf.class, decoder.decode(pdu));
        assertEquals(0xD7, conf.responseStatus());
        assertNull(MmsTokens.name(MmsField.RESPONSE_STATUS, 0xD7));
        assertEquals(MmsTokens.StatusClass.TRANSIENT_ERROR, MmsTokens.statusClass(0xD7), "unknown 0xC3-0xDF is transient");
        assertEquals(MmsTokens.StatusClass.PERMANENT_ERROR, MmsTokens.statusClass(0xF3), "unknown 0xE4-0xFF is permanent");
        assertEquals(MmsTokens.StatusClass.PERMANENT_ERROR, MmsTokens.statusClass(0x85), "obsolete 1.0 error");
        assertEquals(MmsTokens.StatusClass.OK, MmsTokens.statusClass(0x80));
        assertArrayEquals(pdu, encoder.encode(conf));
    }

    @Test
    void encoderPutsTypeTransactionVersionFirstAndContentTypeLast() throws DecodeException {
        MmsHeaders headers = new MmsHeaders(List.of(
                MmsHeader.of(MmsField.CONTENT_TYPE, new HeaderValue.ContentTypeValue(ContentType.of("text/plain"))),
                MmsHeader.of(MmsField.FROM, new HeaderValue.From(null)),
                MmsHeader.of(MmsField.MMS_VERSION, new HeaderValue.Version(1, 3)),
                MmsHeader.of(MmsField.TRANSACTION_ID, new HeaderValue.Text("abc"))));
        byte[] encoded = encoder.encode(new MmsPdu.SendReq(headers, new MessageBody.Opaque(ByteSlice.wrap(new byte[] {'x'}))));
        assertArrayEquals(HEX.parseHex("8C 80 98 61 62 63 00 8D 93 89 01 81 84 83 78"), encoded);
    }

    @Test
    void missingMandatoryHeaderIsATypedError() {
        byte[] noTransactionId = HEX.parseHex("8C 82 8D 92 8A 80 8E 02 04 00 88 05 81 03 02 A3 00 83 61 00");
        DecodeException error = assertThrows(DecodeException.class, () -> decoder.decode(noTransactionId));
        assertEquals(DecodeException.Reason.MISSING_MANDATORY_HEADER, error.reason());
        assertThrows(IllegalArgumentException.class,
                () -> new MmsPdu.SendConf(MmsHeaders.builder().version(1, 2).build(), null));
    }

    @Test
    void limitsAreEnforcedWithTheirReasons() {
        byte[] notification = NOTIFICATION_EXAMPLE;
        assertReason(DecodeException.Reason.PDU_TOO_LARGE, new MmsDecoder(new DecodeLimits(51, 8, 8, 2, 64)), notification);
        assertReason(DecodeException.Reason.TOO_MANY_HEADERS, new MmsDecoder(new DecodeLimits(1000, 8, 3, 2, 64)), notification);
        assertReason(DecodeException.Reason.STRING_TOO_LONG, new MmsDecoder(new DecodeLimits(1000, 8, 16, 2, 10)), notification);
        MmsPdu threeParts = sendReqWithParts(3, false);
        assertReason(DecodeException.Reason.TOO_MANY_PARTS, new MmsDecoder(new DecodeLimits(100_000, 2, 16, 2, 64)),
                encoder.encode(threeParts));
        MmsPdu nested = sendReqWithParts(1, true);
        assertReason(DecodeException.Reason.NESTING_TOO_DEEP, new MmsDecoder(new DecodeLimits(100_000, 8, 16, 1, 64)),
                encoder.encode(nested));
    }

    private static MmsPdu sendReqWithParts(int count, boolean nest) {
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            parts.add(Part.of(ContentType.of("text/plain"), ByteSlice.wrap(new byte[] {'a'})));
        }
        MessageBody.Multipart body = new MessageBody.Multipart(parts);
        if (nest) {
            body = new MessageBody.Multipart(List.of(new Part(ContentType.of(ContentType.MULTIPART_MIXED), List.of(),
                    ByteSlice.EMPTY, body)));
        }
        return new MmsPdu.SendReq(MmsHeaders.builder().text(MmsField.TRANSACTION_ID, "t").version(1, 2)
                .add(MmsField.FROM, new HeaderValue.From(null))
                .add(MmsField.CONTENT_TYPE, new HeaderValue.ContentTypeValue(ContentType.of(ContentType.MULTIPART_MIXED)))
                .build(), body);
    }

    private static void assertReason(DecodeException.Reason reason, MmsDecoder decoder, byte[] bytes) {
        DecodeException error = assertThrows(DecodeException.class, () -> decoder.decode(bytes));
        assertEquals(reason, error.reason(), error.getMessage());
    }

    @Test
    void lyingLengthFieldsBecomeTypedErrors() {
        // nEntries = 2^31-1 parts.
        assertReason(DecodeException.Reason.TOO_MANY_PARTS, decoder, HEX.parseHex("8C 80 98 41 00 8D 92 89 01 81 84 A3 87 FF FF FF 7F"));
        // One part announcing a 2 GB body.
        assertReason(DecodeException.Reason.TRUNCATED, decoder, HEX.parseHex("8C 80 98 41 00 8D 92 89 01 81 84 A3 01 01 87 FF FF FF 7F 83"));
        // A uintvar of six octets.
        assertReason(DecodeException.Reason.MALFORMED_VALUE, decoder, HEX.parseHex("8C 80 98 41 00 8D 92 89 01 81 84 A3 81 81 81 81 81 01"));
        // Value-length far beyond the data.
        assertReason(DecodeException.Reason.TRUNCATED, decoder, HEX.parseHex("8C 82 98 41 00 8D 92 96 1F 8F FF FF 7F 41"));
        assertReason(DecodeException.Reason.UNKNOWN_MESSAGE_TYPE, decoder, HEX.parseHex("8C 98 98 41 00"));
        assertReason(DecodeException.Reason.NOT_AN_MMS_PDU, decoder, new byte[0]);
    }

    /** Every prefix of a valid PDU decodes or fails with the typed error; nothing else escapes. */
    @Test
    void everyTruncationGivesOnlyTheTypedError() {
        List<byte[]> samples = new ArrayList<>();
        samples.add(NOTIFICATION_EXAMPLE);
        for (MessageType type : MessageType.values()) {
            samples.add(encoder.encode(new PduGenerator(type.ordinal()).generate(type)));
        }
        int decodedPrefixes = 0;
        for (byte[] sample : samples) {
            for (int length = 0; length <= sample.length; length++) {
                if (decodesOrFailsTyped(Arrays.copyOf(sample, length))) {
                    decodedPrefixes++;
                }
            }
        }
        assertTrue(decodedPrefixes >= samples.size(), "each complete sample decodes");
    }

    /** Random corruption (octet changes, insertions, deletions) gives only the typed error. */
    @Test
    void corruptionGivesOnlyTheTypedError() {
        Random random = new Random(42);
        int failures = 0;
        for (MessageType type : MessageType.values()) {
            byte[] sample = encoder.encode(new PduGenerator(100 + type.ordinal()).generate(type));
            for (int round = 0; round < 400; round++) {
                byte[] corrupt = corrupt(random, sample);
                if (!decodesOrFailsTyped(corrupt)) {
                    failures++;
                }
            }
        }
        assertTrue(failures > 0, "corruption must be detected at least sometimes");
    }

    static byte[] corrupt(Random random, byte[] sample) {
        byte[] corrupt = sample.clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && corrupt.length > 0; i++) {
            int at = random.nextInt(corrupt.length);
            switch (random.nextInt(3)) {
                case 0 -> corrupt[at] = (byte) random.nextInt(256);
                case 1 -> {
                    byte[] longer = new byte[corrupt.length + 1];
                    System.arraycopy(corrupt, 0, longer, 0, at);
                    longer[at] = (byte) (random.nextBoolean() ? 0x1F : random.nextInt(256));
                    System.arraycopy(corrupt, at, longer, at + 1, corrupt.length - at);
                    corrupt = longer;
                }
                default -> {
                    byte[] shorter = new byte[corrupt.length - 1];
                    System.arraycopy(corrupt, 0, shorter, 0, at);
                    System.arraycopy(corrupt, at + 1, shorter, at, corrupt.length - at - 1);
                    corrupt = shorter;
                }
            }
        }
        return corrupt;
    }

    private boolean decodesOrFailsTyped(byte[] bytes) {
        try {
            MmsPdu pdu = decoder.decode(bytes);
            // Whatever decodes must encode, and re-encoding is stable once the encoder has put the
            // headers in its order.
            byte[] encoded = encoder.encode(pdu);
            assertArrayEquals(encoded, encoder.encode(decoder.decode(encoded)));
            return true;
        } catch (DecodeException expected) {
            assertTrue(expected.offset() >= 0 && expected.offset() <= bytes.length,
                    "offset " + expected.offset() + " within " + bytes.length);
            return false;
        } catch (RuntimeException | Error e) {
            fail("untyped " + e + " for " + HexFormat.of().formatHex(bytes), e);
            return false;
        }
    }
}
