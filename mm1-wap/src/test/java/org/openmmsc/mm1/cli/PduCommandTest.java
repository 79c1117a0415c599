package org.openmmsc.mm1.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.mm1.codec.MessageType;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.codec.TestPdus;
import org.openmmsc.mm1.codec.WapPushSms;
import org.openmmsc.mm1.codec.WspPush;
import org.openmmsc.mm1.codec.WspPushCodec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PduCommandTest {
    @TempDir
    Path temp;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PduCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private byte[] viaJson(byte[] pdu, boolean push) throws Exception {
        Path in = temp.resolve("in.bin");
        Files.write(in, pdu);
        Result decoded = push ? run("decode", in.toString(), "--push") : run("decode", in.toString());
        assertEquals(0, decoded.code(), decoded.err());
        Path json = temp.resolve("pdu.json");
        Files.writeString(json, decoded.out());
        Path out = temp.resolve("out.bin");
        Result encoded = run("encode", json.toString(), out.toString());
        assertEquals(0, encoded.code(), encoded.err());
        return Files.readAllBytes(out);
    }

    @Test
    void generatedPdusOfEveryTypeSurviveJson() throws Exception {
        for (MessageType type : MessageType.values()) {
            for (int seed = 0; seed < 20; seed++) {
                byte[] pdu = new MmsEncoder().encode(TestPdus.generate(seed, type));
                assertArrayEquals(pdu, viaJson(pdu, false), type + " seed " + seed);
            }
        }
    }

    @Test
    void jsonNamesHeadersAndValuesReadably() throws Exception {
        Path in = temp.resolve("n.bin");
        Files.write(in, TestPdus.notificationExample());
        Result result = run("decode", in.toString());
        JsonNode root = JsonMapper.builder().build().readTree(result.out());
        assertEquals("m-notification-ind", root.get("messageType").asString());
        JsonNode headers = root.get("headers");
        assertEquals("X-Mms-Transaction-Id", headers.get(0).get("name").asString());
        assertEquals("T1", headers.get(0).get("value").asString());
        assertEquals("1.2", headers.get(1).get("value").asString());
        assertEquals("Personal", headers.get(2).get("value").asString());
        assertEquals(172_800, headers.get(4).get("relativeSeconds").asLong());
    }

    @Test
    void pushAndSmsSegmentsDecode() throws Exception {
        byte[] push = new WspPushCodec().encode(WspPush.forMms(1, TestPdus.notificationExample()));
        assertArrayEquals(push, viaJson(push, true));
        StringBuilder hex = new StringBuilder();
        for (byte[] sms : WapPushSms.segment(new WspPushCodec().encode(WspPush.forMms(2, new byte[300])), 5, false)) {
            hex.append(HexFormat.of().formatHex(sms)).append('\n');
        }
        Path file = temp.resolve("sms.hex");
        Files.writeString(file, hex);
        Result result = run("decode", file.toString(), "--push");
        assertEquals(0, result.code(), result.err());
        JsonNode root = JsonMapper.builder().build().readTree(result.out());
        assertEquals(3, root.get("smsSegments").size());
        assertTrue(root.get("push").has("mmsError"), "300 zero octets are not an MMS PDU");
    }

    @Test
    void badInputAndUsageGiveExitCodes() throws Exception {
        Path garbage = temp.resolve("garbage");
        Files.writeString(garbage, "This is not a PDU");
        Result result = run("decode", garbage.toString());
        assertEquals(1, result.code());
        assertTrue(result.err().contains("NOT_AN_MMS_PDU"), result.err());
        assertEquals(2, run().code());
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, run("decode").code());
        Path badJson = temp.resolve("bad.json");
        Files.writeString(badJson, "{\"messageType\": \"m-send-conf\", \"headers\": []}");
        Result encoded = run("encode", badJson.toString(), temp.resolve("x").toString());
        assertEquals(1, encoded.code());
        assertTrue(encoded.err().contains("lacks mandatory"), encoded.err());
    }

    @Test
    void everyCorpusPduSurvivesJson() throws Exception {
        Path corpus = TestPdus.corpusDirectory();
        assumeTrue(corpus != null, "shared corpus not present");
        MmsDecoder decoder = new MmsDecoder();
        int checked = 0;
        try (Stream<Path> files = Files.list(corpus)) {
            for (Path file : files.sorted().toList()) {
                byte[] bytes = Files.readAllBytes(file);
                String name = file.getFileName().toString();
                MmsPdu pdu;
                try {
                    pdu = decoder.decode(bytes);
                } catch (Exception notAnMmsPdu) {
                    continue;
                }
                byte[] expected = new MmsEncoder().encode(pdu);
                assertArrayEquals(expected, viaJson(bytes, false), name);
                checked++;
            }
        }
        assertTrue(checked >= 80, "checked " + checked);
    }
}
