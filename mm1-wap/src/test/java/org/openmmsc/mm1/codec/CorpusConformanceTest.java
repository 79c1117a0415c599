package org.openmmsc.mm1.codec;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Conformance against ../shared/corpus/mm1: every file is decoded and compared with the independent
 * decodes recorded in INDEX.md (AOSP PduParser and tshark lines). Skips when the corpus is absent.
 */
class CorpusConformanceTest {

    /** Files whose encoding is not the canonical one our encoder writes, with the reason. */
    static final Map<String, String> NON_CANONICAL = Map.ofEntries(
            Map.entry("jolla_test_mms_codec_m-retrieve_9.conf", "UTF-8 subject starting >= 0x80 without the 0x7F quote"),
            Map.entry("jolla_test_retrieve_InvalidSubject_m-retrieve.conf", "superfluous 0x7F quote before '='"),
            Map.entry("jolla_test_retrieve_SoonExpired_m-notification.ind", "relative expiry 1 as Long-integer"),
            Map.entry("mmsd_rc-mms-1-3-con-211.mms", "value length 30 in the 0x1F form; BOM without quote"),
            Map.entry("mmsd_rc-mms-1-3-con-216.mms", "part content type in general form without parameters"),
            Map.entry("mmsd_rc-mms-1-3-con-220.mms", "part content type in general form without parameters"),
            Map.entry("mmsd_rc-mms-1-3-con-224.mms", "part content type in general form without parameters"),
            Map.entry("mmsd_rc-mms-1-3-con-228.mms", "part content type in general form without parameters"),
            Map.entry("mmsd_rc-mms-1-3-con-271.mms", "part content type in general form without parameters"),
            Map.entry("mmsd_rc-mms-1-3-con-281.mms", "part content type in general form without parameters"),
            Map.entry("mmsd_rc-mms-1-3-con-282.mms", "part content type in general form without parameters"),
            Map.entry("mmsd_sr-mms-related-multi-to.mms", "part content type in general form without parameters"));

    private static final Pattern AOSP = Pattern.compile(
            "type=0x(\\p{XDigit}+) tid=(.*?) ver=0x(\\p{XDigit}+) from=(.*?) to=(.*?) subject=(.*?) date=(-?\\d+)"
                    + "(?: parts=(\\d+) \\[(.*)])?\\s*$");

    private static Path corpus;
    private static Map<String, CorpusIndex.Entry> index;
    private final MmsDecoder decoder = new MmsDecoder();
    private final MmsEncoder encoder = new MmsEncoder();
    private final WspPushCodec pushCodec = new WspPushCodec();

    @BeforeAll
    static void locateCorpus() throws Exception {
        corpus = CorpusIndex.corpusDirectory();
        if (corpus != null) {
            index = CorpusIndex.read(corpus);
        }
    }

    @Test
    void indexDescribesEveryFile() throws Exception {
        assumeTrue(corpus != null, "shared corpus not present");
        try (Stream<Path> files = Files.list(corpus)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.equals("INDEX.md")) {
                    assertTrue(index.containsKey(name), "INDEX.md lacks " + name);
                }
            }
        }
        assertTrue(index.size() >= 100, "expected about 100 corpus files, INDEX.md lists " + index.size());
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusFileMatchesTheIndependentDecodes() {
        assumeTrue(corpus != null, "shared corpus not present");
        return index.values().stream().map(entry -> DynamicTest.dynamicTest(entry.file(), () -> check(entry)));
    }

    private void check(CorpusIndex.Entry entry) throws Exception {
        byte[] bytes = Files.readAllBytes(corpus.resolve(entry.file()));
        String name = entry.file();
        if (entry.isGarbage()) {
            DecodeException error = assertThrows(DecodeException.class, () -> decoder.decode(bytes));
            assertEquals(DecodeException.Reason.NOT_AN_MMS_PDU, error.reason());
            assertThrows(DecodeException.class, () -> pushCodec.decode(bytes));
            return;
        }
        if (name.endsWith(".hex.txt")) {
            checkSmsCapture(entry, bytes);
        } else if (name.startsWith("aosp_")) {
            // Deliberately inconsistent (headers length 0 before a textual content type): either outcome
            // is acceptable as long as it is the typed error or a push.
            try {
                pushCodec.decode(bytes);
            } catch (DecodeException expected) {
                assertTrue(expected.offset() >= 0);
            }
        } else if (name.contains("push") || name.endsWith(".wsp.bin")) {
            checkPush(entry, pushCodec.decode(bytes));
        } else if (name.endsWith("_first50.bin")) {
            checkEncoderPrefix(bytes);
        } else {
            MmsPdu pdu = decoder.decode(bytes);
            if (entry.aosp() != null && !entry.aosp().startsWith("PARSE-FAILED")) {
                checkAgainstAosp(entry.aosp(), pdu);
            }
            if (entry.tshark() != null) {
                checkAgainstTshark(entry.tshark(), pdu);
            }
            checkRoundTrip(name, bytes, pdu);
        }
    }

    private void checkRoundTrip(String name, byte[] bytes, MmsPdu pdu) throws DecodeException {
        byte[] encoded = encoder.encode(pdu);
        if (NON_CANONICAL.containsKey(name)) {
            assertFalse(Arrays.equals(bytes, encoded), name + " is listed as non-canonical but re-encodes exactly");
            assertEquals(normalize(pdu), normalize(decoder.decode(encoded)), "semantic round trip of " + name);
        } else {
            assertArrayEquals(bytes, encoded, "byte-exact round trip of " + name);
        }
    }

    /** Values compared after a non-canonical round trip: text, not wire form. */
    private static String normalize(MmsPdu pdu) {
        StringBuilder text = new StringBuilder(pdu.messageType().wireName());
        for (MmsHeader header : pdu.headers().list()) {
            text.append('|').append(header.name()).append('=');
            switch (header.value()) {
                case HeaderValue.Encoded encoded -> text.append(encoded.value().charset()).append(':')
                        .append(encoded.value().octets().toHex());
                case HeaderValue.ContentTypeValue type -> text.append(type.contentType().mediaType())
                        .append(type.contentType().parameters().stream().map(p -> p.name() + "=" + p.value()).toList());
                default -> text.append(header.value());
            }
        }
        if (pdu.body() instanceof MessageBody.Multipart multipart) {
            for (Part part : multipart.parts()) {
                text.append("|part:").append(part.contentType().mediaType())
                        .append(part.contentType().parameters().stream().map(p -> p.name() + "=" + p.value()).toList())
                        .append(part.headers().stream().map(h -> h.name() + "=" + h.value()).toList())
                        .append(part.data().length()).append(':').append(part.data().hashCode());
            }
        }
        return text.toString();
    }

    private void checkAgainstAosp(String line, MmsPdu pdu) {
        Matcher m = AOSP.matcher(line);
        if (!m.matches()) {
            fail("unparsable AOSP line: " + line);
        }
        assertEquals(Integer.parseInt(m.group(1), 16), pdu.messageType().octet(), "type");
        assertEquals(m.group(2), nullToEmpty(pdu.transactionId()), "transaction id");
        HeaderValue.Version version = pdu.version();
        assertEquals(Integer.parseInt(m.group(3), 16), (version.major() << 4) | version.minor(), "version");
        assertEquals(m.group(4), aospAddress(pdu.headers().first(MmsField.FROM)), "from");
        List<String> to = pdu.headers().addresses(MmsField.TO).stream().map(CorpusConformanceTest::stripType).toList();
        assertEquals(m.group(5), String.join(" | ", to), "to");
        String subject = m.group(6);
        EncodedString ours = pdu.headers().encoded(MmsField.SUBJECT);
        if (!subject.contains("\uFFFD")) {
            assertEquals(subject, ours == null ? "" : ours.text(), "subject");
        } else {
            assertNotNull(ours, "subject");
        }
        long date = Long.parseLong(m.group(7));
        assertEquals(date, pdu.headers().number(MmsField.DATE), "date");
        if (m.group(8) != null) {
            List<String> expected = new ArrayList<>();
            if (!m.group(9).isEmpty()) {
                for (String part : m.group(9).split(", ")) {
                    expected.add(part.toLowerCase(Locale.ROOT));
                }
            }
            List<String> actual = new ArrayList<>();
            if (pdu.body() instanceof MessageBody.Multipart multipart) {
                for (Part part : multipart.parts()) {
                    actual.add((part.contentType().mediaType() + "/" + part.data().length() + "B").toLowerCase(Locale.ROOT));
                }
            }
            // AOSP moves the SMIL part first; compare as multisets.
            assertEquals(Integer.parseInt(m.group(8)), actual.size(), "part count");
            assertEquals(expected.stream().sorted().toList(), actual.stream().sorted().toList(), "parts");
        }
    }

    private static String aospAddress(HeaderValue from) {
        if (from == null) {
            return "";
        }
        HeaderValue.From value = (HeaderValue.From) from;
        return value.insertAddress() ? "insert-address-token" : stripType(value.address().text());
    }

    private static String stripType(String address) {
        int slash = address.indexOf("/TYPE=");
        return slash >= 0 ? address.substring(0, slash) : address;
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private void checkAgainstTshark(String line, MmsPdu pdu) {
        MmsHeaders headers = pdu.headers();
        for (String field : line.split("; ")) {
            int eq = field.indexOf('=');
            String key = field.substring(0, eq).replace("*", "");
            String value = field.substring(eq + 1).replace("**", "");
            switch (key) {
                case "message_type" -> assertEquals(Integer.decode(value), pdu.messageType().octet(), key);
                case "transaction_id" -> assertEquals(value, pdu.transactionId(), key);
                case "mms_version" -> assertEquals(value, pdu.version().toString(), key);
                case "from" -> {
                    HeaderValue.From from = (HeaderValue.From) headers.first(MmsField.FROM);
                    assertEquals(value, from.insertAddress() ? "<insert address>" : from.address().text(), key);
                }
                case "to" -> assertEquals(value, String.join(" ", headers.addresses(MmsField.TO)), key);
                case "cc" -> assertEquals(value, String.join(" ", headers.addresses(MmsField.CC)), key);
                case "subject" -> {
                    if (!value.contains("\uFFFD")) {
                        // tshark shows a superfluous 0x7F quote octet as part of the text.
                        String expected = value.startsWith("\u007F") ? value.substring(1) : value;
                        assertEquals(expected, headers.encoded(MmsField.SUBJECT).text(), key);
                    }
                }
                case "message_id" -> assertEquals(value, headers.text(MmsField.MESSAGE_ID), key);
                case "content_location" -> assertEquals(value, headers.text(MmsField.CONTENT_LOCATION), key);
                case "message_size" -> assertEquals(Long.parseLong(value), headers.number(MmsField.MESSAGE_SIZE), key);
                case "message_class.id" -> assertEquals(Integer.decode(value), headers.token(MmsField.MESSAGE_CLASS), key);
                case "message_class.str" -> assertEquals(value, headers.text(MmsField.MESSAGE_CLASS), key);
                case "priority" -> assertEquals(Integer.decode(value), headers.token(MmsField.PRIORITY), key);
                case "delivery_report" -> assertEquals(Integer.decode(value), headers.token(MmsField.DELIVERY_REPORT), key);
                case "read_report" -> assertEquals(Integer.decode(value), headers.token(MmsField.READ_REPORT), key);
                case "response_status" -> assertEquals(Integer.decode(value), headers.token(MmsField.RESPONSE_STATUS), key);
                case "status" -> assertEquals(Integer.decode(value), headers.token(MmsField.STATUS), key);
                case "read_status" -> assertEquals(Integer.decode(value), headers.token(MmsField.READ_STATUS), key);
                case "expiry.rel" -> {
                    HeaderValue.Time expiry = (HeaderValue.Time) headers.first(MmsField.EXPIRY);
                    assertFalse(expiry.absolute(), key);
                    assertEquals((long) Double.parseDouble(value), expiry.seconds(), key);
                }
                case "expiry.abs" -> assertTrue(((HeaderValue.Time) headers.first(MmsField.EXPIRY)).absolute(), key);
                case "parts" -> assertEquals(Integer.parseInt(value),
                        ((MessageBody.Multipart) pdu.body()).parts().size(), key);
                case "date", "malformed_frames" -> {
                    // Date is checked against AOSP's epoch value; malformed frames are tshark's own view.
                }
                default -> fail("unexpected tshark field " + key);
            }
        }
    }

    /** "[type;tid;from;(subject;)size;expiry;location] = 0x82;…" from the push entries. */
    private void checkMmseFields(String tshark, MmsPdu pdu) {
        int eq = tshark.indexOf("] = ");
        String[] values = tshark.substring(eq + 4).split(";", -1);
        assertEquals(Integer.decode(values[0]), pdu.messageType().octet(), "type");
        assertEquals(values[1], pdu.transactionId(), "tid");
        HeaderValue.From from = (HeaderValue.From) pdu.headers().first(MmsField.FROM);
        assertEquals(values[2], from.address().text(), "from");
        int n = values.length;
        assertEquals(values[n - 1], pdu.headers().text(MmsField.CONTENT_LOCATION), "location");
        assertEquals((long) Double.parseDouble(values[n - 2]),
                ((HeaderValue.Time) pdu.headers().first(MmsField.EXPIRY)).seconds(), "expiry");
        assertEquals(Long.parseLong(values[n - 3]), pdu.headers().number(MmsField.MESSAGE_SIZE), "size");
        if (n == 7 && !values[3].isEmpty()) {
            assertEquals(values[3], pdu.headers().encoded(MmsField.SUBJECT).text(), "subject");
        }
    }

    private void checkPush(CorpusIndex.Entry entry, WspPush push) throws DecodeException {
        assertArrayEquals(pushBytes(entry), pushCodec.encode(push), "push round trip");
        boolean mms = entry.tshark().contains("MMS m-notification-ind");
        assertEquals(mms, push.isMms(), "is an MMS push");
        if (mms) {
            assertEquals("x-wap-application:mms.ua", push.applicationId());
            checkMmseFields(entry.tshark(), decoder.decode(push.data().toByteArray()));
        } else {
            assertTrue(entry.tshark().contains("WSP Push (0x06)"), entry.tshark());
        }
    }

    private byte[] pushBytes(CorpusIndex.Entry entry) {
        try {
            return Files.readAllBytes(corpus.resolve(entry.file()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void checkSmsCapture(CorpusIndex.Entry entry, byte[] hexText) throws Exception {
        List<byte[]> userData = new ArrayList<>();
        for (String line : new String(hexText, StandardCharsets.US_ASCII).split("\\R")) {
            if (!line.isBlank()) {
                userData.add(WapPushSms.deliverUserData(HexFormat.of().parseHex(line.trim()), true));
            }
        }
        byte[] push = WapPushSms.reassemble(userData);
        Path wsp = corpus.resolve(entry.file().replace(".hex.txt", ".wsp.bin"));
        if (Files.exists(wsp)) {
            assertArrayEquals(Files.readAllBytes(wsp), push, "reassembled push equals the .wsp.bin capture");
        }
        WspPush decoded = pushCodec.decode(push);
        boolean mms = entry.tshark().contains("MMS m-notification-ind");
        assertEquals(mms, decoded.isMms());
        if (mms) {
            checkMmseFields(entry.tshark(), decoder.decode(decoded.data().toByteArray()));
        }
    }

    /** python-messaging's encoder output for an m-notifyresp-ind; bytes after X-Mms-Status are its artefact. */
    private void checkEncoderPrefix(byte[] expected) {
        MmsPdu pdu = new MmsPdu.NotifyRespInd(MmsHeaders.builder()
                .text(MmsField.TRANSACTION_ID, "NOK5AIdhfTMYSG4JeIgAAsHtp72AGAAAAAAAA")
                .version(1, 0)
                .token(MmsField.STATUS, 0x81)
                .build(), null);
        byte[] encoded = encoder.encode(pdu);
        assertArrayEquals(Arrays.copyOf(expected, encoded.length), encoded);
        assertEquals(0x84, expected[encoded.length] & 0xFF, "library artefact starts with a Content-Type");
    }

    /**
     * Every corpus PDU up to 8 KB cut at every offset, and 300 random corruptions of each: the
     * decoders give a PDU or the typed error, nothing else.
     */
    @Test
    void corpusPdusCutAtEveryOffsetOrCorruptedGiveOnlyTheTypedError() throws Exception {
        assumeTrue(corpus != null, "shared corpus not present");
        java.util.Random random = new java.util.Random(11);
        int inputs = 0;
        for (CorpusIndex.Entry entry : index.values()) {
            byte[] bytes = Files.readAllBytes(corpus.resolve(entry.file()));
            if (bytes.length > 8192 || entry.file().endsWith(".txt")) {
                continue;
            }
            for (int length = 0; length <= bytes.length; length++) {
                decodeBothWays(Arrays.copyOf(bytes, length));
                inputs++;
            }
            for (int round = 0; round < 300; round++) {
                decodeBothWays(MmsCodecTest.corrupt(random, bytes));
                inputs++;
            }
        }
        assertTrue(inputs > 10_000, "inputs tried: " + inputs);
    }

    private void decodeBothWays(byte[] bytes) {
        try {
            MmsPdu pdu = decoder.decode(bytes);
            byte[] encoded = encoder.encode(pdu);
            assertArrayEquals(encoded, encoder.encode(decoder.decode(encoded)));
        } catch (DecodeException expected) {
            assertTrue(expected.offset() >= 0 && expected.offset() <= bytes.length);
        } catch (RuntimeException e) {
            fail("untyped " + e + " for " + HexFormat.of().formatHex(bytes), e);
        }
        try {
            WspPush push = pushCodec.decode(bytes);
            assertArrayEquals(pushCodec.encode(push), pushCodec.encode(pushCodec.decode(pushCodec.encode(push))));
        } catch (DecodeException expected) {
            assertTrue(expected.offset() >= 0 && expected.offset() <= bytes.length);
        } catch (RuntimeException e) {
            fail("untyped " + e + " for push " + HexFormat.of().formatHex(bytes), e);
        }
    }

    @Test
    void canonicalListOnlyNamesCorpusFiles() {
        assumeTrue(corpus != null, "shared corpus not present");
        for (String name : NON_CANONICAL.keySet()) {
            assertTrue(index.containsKey(name), name);
        }
        assertNull(index.get("no-such-file"));
    }

    static Set<String> nonCanonical() {
        return NON_CANONICAL.keySet();
    }
}
