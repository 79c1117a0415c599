package org.openmmsc.server.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openmmsc.core.config.NumberingConfig;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.Priority;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.TimeSpec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class MessageRequestParserTest {
    private static final String TEXT = Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8));
    private final MessageRequestParser parser = new MessageRequestParser(NumberingConfig.defaults().normalizer(), 1 << 20);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A good request with the fields in {@code extra} (a JSON object's members) added or replaced. */
    private static String body(String extra) {
        ObjectNode base = (ObjectNode) JSON.readTree("{\"from\":\"+4790000001\",\"to\":[\"+4790000002\"],"
                + "\"parts\":[{\"contentType\":\"text/plain; charset=utf-8\",\"content\":\"" + TEXT + "\"}]}");
        base.setAll((ObjectNode) JSON.readTree("{" + extra + "}"));
        return JSON.writeValueAsString(base);
    }

    private MessageRequest parse(String json) {
        return parser.parseJson(json.getBytes(StandardCharsets.UTF_8));
    }

    private BadRequestException refused(String json) {
        return assertThrows(BadRequestException.class, () -> parse(json));
    }

    @Test
    void fullRequestBecomesTheMessageItDescribes() {
        String json = "{\"from\":\"+4790000001\",\"to\":[\"+4790000002\",\"90000003\"],\"cc\":[\"ola@Example.COM\"],\"bcc\":[\"1234\"],"
                + "\"subject\":\"hei\",\"subjectCharset\":\"ISO-8859-1\",\"messageClass\":\"advertisement\",\"priority\":\"HIGH\","
                + "\"expiry\":\"PT2H\",\"earliestDelivery\":\"2026-12-01T10:00:00Z\",\"deliveryReport\":true,\"readReport\":true,"
                + "\"senderHidden\":true,\"transactionId\":\"tx-1\",\"contentType\":\"multipart/related; type=application/smil\","
                + "\"parts\":[{\"contentType\":\"application/smil\",\"contentId\":\"<s>\",\"contentLocation\":\"s.smil\",\"content\":\"" + TEXT + "\"},"
                + "{\"contentType\":\"text/plain; charset=utf-8\",\"content\":\"\"}]}";
        MessageRequest request = parse(json);
        MessageId id = MessageId.parse("01J0000000000000000000000A");
        Instant date = Instant.parse("2026-11-30T10:00:00Z");
        Message m = request.toMessage(id, date);

        assertEquals(Address.plmn("+4790000001"), m.originator());
        assertEquals(List.of(Recipient.to(Address.plmn("+4790000002")), Recipient.to(Address.plmn("+4790000003")),
                new Recipient(Address.email("ola@example.com"), Recipient.Kind.CC),
                new Recipient(Address.shortCode("1234"), Recipient.Kind.BCC)), m.recipients());
        assertEquals("hei", m.subject().text());
        assertEquals("ISO-8859-1", m.subject().charset());
        assertEquals(MessageClass.ADVERTISEMENT, m.messageClass());
        assertEquals(Priority.HIGH, m.priority());
        assertEquals(TimeSpec.after(Duration.ofHours(2)), m.expiry());
        assertEquals(TimeSpec.at(Instant.parse("2026-12-01T10:00:00Z")), m.earliestDelivery());
        assertTrue(m.deliveryReportRequested());
        assertTrue(m.readReportRequested());
        assertTrue(m.senderHidden());
        assertEquals("multipart/related", m.contentType().mediaType());
        assertEquals("application/smil", m.contentType().parameter("type"));
        assertEquals(2, m.parts().size());
        assertEquals("<s>", m.parts().get(0).header("Content-ID"));
        assertEquals("s.smil", m.parts().get(0).header("Content-Location"));
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), m.parts().get(0).content());
        assertEquals(0, m.parts().get(1).size());
        assertEquals(Interface.ADMIN, m.origin().iface());
        assertEquals("tx-1", m.origin().transactionId());
        assertEquals("tx-1", request.idempotencyKey().transactionId());
        assertEquals(date, m.date());
    }

    @Test
    void omittedFieldsTakeTheDefaults() {
        MessageRequest request = parse(body(""));
        assertEquals("multipart/mixed", request.contentType().mediaType());
        assertNull(request.subject());
        assertNull(request.messageClass());
        assertNull(request.expiry());
        assertNull(request.transactionId());
        assertNull(request.idempotencyKey());
        assertFalse(request.deliveryReport());
        assertEquals("UTF-8", parse(body("\"subject\":\"x\"")).subject().charset());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "'{\"from\":'                                                  | ''",
            "'[1,2]'                                                       | ''",
            "'{\"from\":\"+4790000001\",\"from\":\"+4790000001\"}'         | ''",
            "'{\"frm\":\"+4790000001\"}'                                   | frm",
            "'{\"to\":[\"+4790000002\"],\"parts\":[]}'                     | from",
            "'{\"from\":\"+4790000001\",\"parts\":[]}'                     | to",
            "'{\"from\":\"+4790000001\",\"to\":[\"+4790000002\"]}'         | parts",
            "'{\"from\":\"+4790000001\",\"to\":[\"+4790000002\"],\"parts\":[]}' | parts",
            "'{\"from\":\"+4790000001\",\"to\":\"+4790000002\",\"parts\":[]}' | to",
            "'{\"from\":\"not a number\",\"to\":[\"+4790000002\"],\"parts\":[]}' | from",
    })
    void structuralMistakesNameTheirField(String json, String field) {
        assertEquals(field.isEmpty() ? null : field, refused(json).field());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "'\"to\":[\"+4790000002\",\"x y\"]'                              | to[1]     | bad address",
            "'\"cc\":[\"+4790000002\"]'                                      | cc[0]     | already named in to[0]",
            "'\"bcc\":[\"a@b@c\"]'                                           | bcc[0]    | bad address",
            "'\"expiry\":\"tomorrow\"'                                       | expiry    | ISO-8601",
            "'\"expiry\":\"-PT1H\"'                                          | expiry    | negative",
            "'\"earliestDelivery\":\"2026-12-01 10:00\"'                     | earliestDelivery | ISO-8601",
            "'\"priority\":\"urgent\"'                                       | priority  | low, normal, high",
            "'\"messageClass\":\"spam\"'                                     | messageClass | personal",
            "'\"deliveryReport\":\"yes\"'                                    | deliveryReport | true or false",
            "'\"subject\":\"x\",\"subjectCharset\":\"no-such-charset\"'       | subjectCharset | unknown charset",
            "'\"subjectCharset\":\"UTF-8\"'                                  | subjectCharset | without a subject",
            "'\"subject\":\"\u00e6\",\"subjectCharset\":\"US-ASCII\"'        | subjectCharset | cannot encode",
            "'\"transactionId\":\"\"'                                        | transactionId | printable",
            "'\"contentType\":\"text\"'                                      | contentType | content type",
            "'\"contentType\":\"text/plain\",\"parts\":[{\"contentType\":\"text/plain\",\"content\":\"\"},{\"contentType\":\"text/plain\",\"content\":\"\"}]' | contentType | exactly one part",
    })
    void fieldMistakesNameTheirField(String extra, String field, String reason) {
        BadRequestException e = refused(body(extra));
        assertEquals(field, e.field(), e.reason());
        assertTrue(e.reason().contains(reason), e.reason());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "'{\"contentType\":\"text/plain\",\"content\":\"@@@\"}'                   | parts[0].content     | base64",
            "'{\"contentType\":\"text/plain\"}'                                       | parts[0].content     | required",
            "'{\"contentType\":\"image\",\"content\":\"\"}'                           | parts[0].contentType | content type",
            "'{\"content\":\"\"}'                                                     | parts[0].contentType | required",
            "'{\"contentType\":\"text/plain\",\"content\":\"\",\"name\":\"x\"}'       | parts[0].name        | unknown",
            "'{\"contentType\":\"text/plain\",\"content\":\"\",\"contentId\":\"a\\r\\nX-Evil: 1\"}' | parts[0].contentId | control",
            "'\"text\"'                                                               | parts[0]             | object",
    })
    void partMistakesNameThePartAndField(String part, String field, String reason) {
        BadRequestException e = refused("{\"from\":\"+4790000001\",\"to\":[\"+4790000002\"],\"parts\":[" + part + "]}");
        assertEquals(field, e.field(), e.reason());
        assertTrue(e.reason().contains(reason), e.reason());
    }

    @Test
    void moreRecipientsThanTheCoreAcceptsAreRefusedAtTheFirstOneTooMany() {
        List<String> to = new ArrayList<>();
        for (int i = 0; i < Message.MAX_RECIPIENTS + 1; i++) to.add("\"+47" + (40000000 + i) + "\"");
        BadRequestException e = refused("{\"from\":\"+4790000001\",\"to\":[" + String.join(",", to) + "],\"parts\":[{\"contentType\":\"text/plain\",\"content\":\"\"}]}");
        assertEquals("to[" + Message.MAX_RECIPIENTS + "]", e.field());
        assertTrue(e.reason().contains("too many recipients"), e.reason());
    }

    @Test
    void nationalAndInternationalPrefixNumbersAreNormalised() {
        MessageRequest request = parse("{\"from\":\"0047 900 00 001\",\"to\":[\"900-00-002\"],\"parts\":[{\"contentType\":\"text/plain\",\"content\":\"\"}]}");
        assertEquals(Address.plmn("+4790000001"), request.from());
        assertEquals(Address.plmn("+4790000002"), request.recipients().getFirst().address());
    }

    @Test
    void formFieldsAndFilesBecomeTheSameRequest() {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("from", List.of("+4790000001"));
        fields.put("to", List.of("+4790000002", "+4790000003"));
        fields.put("subject", List.of("photo"));
        fields.put("readReport", List.of("true"));
        fields.put("expiry", List.of("P1D"));
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0};
        MessageRequest request = parser.parseForm(new FormSubmission(fields, List.of(
                new FormSubmission.UploadedFile("file", "cat.jpg", "image/jpeg", jpeg),
                new FormSubmission.UploadedFile("file", "t.txt", "text/plain; charset=utf-8", "hi".getBytes(StandardCharsets.UTF_8)))));
        assertEquals(2, request.recipients().size());
        assertEquals("photo", request.subject().text());
        assertTrue(request.readReport());
        assertEquals(TimeSpec.after(Duration.ofDays(1)), request.expiry());
        assertEquals("image/jpeg", request.parts().get(0).contentType().mediaType());
        assertEquals("cat.jpg", request.parts().get(0).header("Content-Location"));
        assertArrayEquals(jpeg, request.parts().get(0).content());
        assertEquals("utf-8", request.parts().get(1).contentType().parameter("charset"));
    }

    @Test
    void formMistakesNameTheirField() {
        FormSubmission.UploadedFile file = new FormSubmission.UploadedFile("file", "t.txt", "text/plain", new byte[0]);
        assertEquals("to[0]", assertThrows(BadRequestException.class, () -> parser.parseForm(new FormSubmission(
                Map.of("from", List.of("+4790000001"), "to", List.of("??")), List.of(file)))).field());
        assertEquals("subject", assertThrows(BadRequestException.class, () -> parser.parseForm(new FormSubmission(
                Map.of("from", List.of("+4790000001"), "to", List.of("+4790000002"), "subject", List.of("a", "b")), List.of(file)))).field());
        assertEquals("colour", assertThrows(BadRequestException.class, () -> parser.parseForm(new FormSubmission(
                Map.of("from", List.of("+4790000001"), "colour", List.of("red")), List.of(file)))).field());
        assertEquals("parts", assertThrows(BadRequestException.class, () -> parser.parseForm(new FormSubmission(
                Map.of("from", List.of("+4790000001"), "to", List.of("+4790000002")), List.of()))).field());
        assertEquals("senderHidden", assertThrows(BadRequestException.class, () -> parser.parseForm(new FormSubmission(
                Map.of("from", List.of("+4790000001"), "to", List.of("+4790000002"), "senderHidden", List.of("maybe")), List.of(file)))).field());
    }
}
