package org.openmmsc.mm1.cli;

import org.openmmsc.mm1.codec.ContentType;
import org.openmmsc.mm1.codec.DecodeException;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.codec.WapPushSms;
import org.openmmsc.mm1.codec.WspPush;
import org.openmmsc.mm1.codec.WspPushCodec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The operator tool behind {@code mmsc pdu …}:
 * <pre>
 *   pdu decode FILE [--push] [--no-data]   print a PDU (or a WAP push / SMS segment set) as JSON
 *   pdu encode FILE.json OUT               write the binary PDU (or push) described by the JSON
 * </pre>
 * The JSON shape is documented in docs/mm1.md.
 */
public final class PduCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final String USAGE_TEXT = """
            usage: mmsc pdu decode FILE [--push] [--no-data]
                   mmsc pdu encode FILE.json OUT
              decode      print the binary MMS PDU in FILE as JSON
              --push      FILE is a WSP push PDU, or SMS user data / SMS-DELIVER TPDUs as hex lines
              --no-data   leave part bodies out (the JSON can then not be encoded back)
              encode      write the PDU (or push) described by FILE.json to OUT
            """;

    private PduCommand() {
    }

    /** Runs the command; {@code args} start after the word "pdu". Returns the process exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        try {
            return switch (args.getFirst()) {
                case "decode" -> decode(args.subList(1, args.size()), out, err);
                case "encode" -> encode(args.subList(1, args.size()), out, err);
                case "help", "--help", "-h" -> {
                    out.print(USAGE_TEXT);
                    yield OK;
                }
                default -> {
                    err.println("unknown pdu command: " + args.getFirst());
                    err.print(USAGE_TEXT);
                    yield USAGE;
                }
            };
        } catch (IOException e) {
            err.println("error: " + e);
            return FAILED;
        } catch (RuntimeException e) {
            // A bug, not bad input: say so and show where, but still exit like a failed command.
            err.println("error: internal failure: " + e);
            e.printStackTrace(err);
            return FAILED;
        }
    }

    private static int decode(List<String> args, PrintStream out, PrintStream err) throws IOException {
        boolean push = false;
        boolean includeData = true;
        String file = null;
        for (String arg : args) {
            switch (arg) {
                case "--push" -> push = true;
                case "--no-data" -> includeData = false;
                default -> {
                    if (arg.startsWith("--") || file != null) {
                        err.println("unexpected argument: " + arg);
                        err.print(USAGE_TEXT);
                        return USAGE;
                    }
                    file = arg;
                }
            }
        }
        if (file == null) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        byte[] bytes = Files.readAllBytes(Path.of(file));
        PduJson json = new PduJson(includeData);
        try {
            ObjectNode result = push ? decodePush(bytes, json) : json.fromPdu(new MmsDecoder().decode(bytes), bytes.length);
            out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
            return OK;
        } catch (DecodeException e) {
            err.println("error: cannot decode " + file + ": " + e.getMessage());
            err.println("reason: " + e.reason() + ", offset: " + e.offset());
            return FAILED;
        }
    }

    private static ObjectNode decodePush(byte[] bytes, PduJson json) throws DecodeException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", PduJson.FORMAT);
        byte[] pushBytes = bytes;
        List<byte[]> hexLines = hexLines(bytes);
        if (hexLines != null) {
            List<byte[]> userData = new ArrayList<>();
            ArrayNode segments = root.putArray("smsSegments");
            for (byte[] line : hexLines) {
                byte[] ud = smsUserData(line);
                WapPushSms.Segment segment = WapPushSms.parse(ud);
                ObjectNode s = segments.addObject();
                s.put("destinationPort", segment.destinationPort());
                s.put("sourcePort", segment.sourcePort());
                if (segment.total() > 0) {
                    s.put("reference", segment.reference());
                    s.put("total", segment.total());
                    s.put("sequence", segment.sequence());
                }
                s.put("payloadSize", segment.payload().length);
                userData.add(ud);
            }
            pushBytes = WapPushSms.reassemble(userData);
        }
        WspPush push = new WspPushCodec().decode(pushBytes);
        MmsPdu mms = null;
        String mmsError = null;
        if (push.contentType().hasMediaType(ContentType.MMS_MESSAGE)) {
            try {
                mms = new MmsDecoder().decode(push.data().toByteArray());
            } catch (DecodeException e) {
                mmsError = e.getMessage();
            }
        }
        root.set("push", json.fromPush(push, mms, mmsError));
        return root;
    }

    /** SMS user data from one hex line: an SMS-DELIVER TPDU (with or without SMSC address) or raw user data. */
    private static byte[] smsUserData(byte[] line) throws DecodeException {
        for (boolean withSmsc : new boolean[] {true, false}) {
            try {
                byte[] userData = WapPushSms.deliverUserData(line, withSmsc);
                WapPushSms.parse(userData);
                return userData;
            } catch (DecodeException notThisForm) {
                // Try the next form.
            }
        }
        return line;
    }

    /** The file as hex lines when it is hex text, else null. */
    private static List<byte[]> hexLines(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1).strip();
        if (text.isEmpty() || !text.matches("(?s)[0-9A-Fa-f\\s]+")) {
            return null;
        }
        List<byte[]> lines = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String hex = line.replaceAll("\\s", "");
            if (hex.isEmpty()) {
                continue;
            }
            if (hex.length() % 2 != 0) {
                return null;
            }
            lines.add(HexFormat.of().parseHex(hex));
        }
        return lines;
    }

    private static int encode(List<String> args, PrintStream out, PrintStream err) throws IOException {
        if (args.size() != 2) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        try {
            JsonNode root = MAPPER.readTree(Files.readString(Path.of(args.get(0))));
            PduJson json = new PduJson(true);
            byte[] bytes;
            if (root.has("push")) {
                JsonNode pushNode = root.get("push");
                byte[] data = pushNode.has("mms")
                        ? new MmsEncoder().encode(json.toPdu(pushNode.get("mms")))
                        : java.util.Base64.getDecoder().decode(pushNode.path("dataBase64").asString(""));
                bytes = new WspPushCodec().encode(json.toPush(pushNode, data));
            } else {
                bytes = new MmsEncoder().encode(json.toPdu(root));
            }
            Files.write(Path.of(args.get(1)), bytes);
            out.println("wrote " + bytes.length + " octets to " + args.get(1));
            return OK;
        } catch (JacksonException | IllegalArgumentException e) {
            err.println("error: " + args.get(0) + ": " + e.getMessage());
            return FAILED;
        }
    }
}
