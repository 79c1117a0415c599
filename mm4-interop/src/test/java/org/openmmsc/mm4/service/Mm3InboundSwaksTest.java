package org.openmmsc.mm4.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.config.NumberingConfig;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.core.testing.InMemoryMessageStore;
import org.openmmsc.mm3.SmtpConfig;

/**
 * MM3 in, with swaks (Debian package) as a real SMTP client: e-mail to
 * {@code <number>@mms.b.example} becomes an MMS to that subscriber; open-relay attempts and MM4
 * from a non-peer are refused and store nothing. Localhost is deliberately not a peer here.
 */
@Tag("integration")
class Mm3InboundSwaksTest {
    @TempDir Path dir;
    private final InMemoryMessageStore store = new InMemoryMessageStore(Clock.systemUTC());
    private Mm4Interface node;
    private int port;

    @BeforeEach
    void start() throws Exception {
        boolean required = Boolean.getBoolean("openmmsc.requireNeighbours");
        boolean present = Files.isExecutable(Path.of("/usr/bin/swaks"));
        if (required && !present) throw new AssertionError("swaks is required (Debian package swaks)");
        assumeTrue(present, "swaks not installed");
        Relay relay = new Relay(store,
                new StaticRouteResolver(new RoutingConfig(List.of("+4690"), List.of(new RoutingConfig.PeerRange("+47", "mms.a.test")), null, null)),
                RelayConfig.defaults(), Clock.systemUTC(), e -> {}, List.of(), new SimpleMeterRegistry());
        SmtpConfig config = new SmtpConfig("127.0.0.1", 0, "b.test", "mms.b.test", List.of("mms.b.example"), null, null, null, null, null, null,
                null, null, null, List.of(new SmtpConfig.Peer("mms.a.test", "127.0.0.1", 9, List.of("10.0.0.0/8"))), null, null, null, null, 2, 3,
                null, 4096L, 8192L, null, null);
        node = new Mm4Interface(config, relay, NumberingConfig.defaults().normalizer());
        port = node.start(agent -> {});
    }

    @AfterEach
    void stop() {
        if (node != null) node.close();
    }

    private Swaks swaks(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--port", Integer.toString(port), "--helo", "mail.example.com",
                "--timeout", "10"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "swaks finished");
        return new Swaks(p.exitValue(), output);
    }

    record Swaks(int exit, String transcript) {}

    @Test
    void anEmailWithAnAttachmentBecomesAnMmsToTheSubscriber() throws Exception {
        byte[] png = new byte[2000];
        for (int i = 0; i < png.length; i++) png[i] = (byte) (i * 7);
        Path image = Files.write(dir.resolve("p.png"), png);
        Swaks run = swaks("--from", "ola@example.com", "--to", "004690000002@mms.b.example", // swaks reads a leading + as an option: the international prefix instead
                "--header", "Subject: =?UTF-8?B?SGVpIHDDpSBkZWc=?=", "--body", "hello from e-mail",
                "--attach-type", "image/png", "--attach", "@" + image);
        assertEquals(0, run.exit(), run.transcript());
        String queued = run.transcript().lines().filter(l -> l.contains("queued as ")).findFirst().orElseThrow();
        Message m = store.message(MessageId.parse(queued.substring(queued.indexOf("queued as ") + 10).strip())).orElseThrow();
        assertEquals(Interface.MM3, m.origin().iface());
        assertEquals("ola@example.com", m.originator().value());
        assertEquals("+4690000002", m.recipients().getFirst().address().value());
        assertEquals("Hei på deg", m.subject().text());
        assertEquals("multipart/mixed", m.contentType().mediaType());
        MessagePart text = m.parts().stream().filter(p -> p.contentType().mediaType().equals("text/plain")).findFirst().orElseThrow();
        assertTrue(new String(text.content(), StandardCharsets.UTF_8).contains("hello from e-mail"));
        MessagePart attached = m.parts().stream().filter(p -> p.contentType().mediaType().equals("image/png")).findFirst().orElseThrow();
        assertArrayEquals(png, attached.content());
    }

    @Test
    void eachSenderAndEachSenderDomainIsRateLimited() throws Exception {
        for (int i = 0; i < 2; i++) {
            assertEquals(0, swaks("--from", "ola@example.com", "--to", "004690000002@mms.b.example", "--body", "hi " + i).exit());
        }
        Swaks third = swaks("--from", "ola@example.com", "--to", "004690000002@mms.b.example", "--body", "one too many");
        assertNotEquals(0, third.exit());
        assertTrue(third.transcript().contains("<** 450 4.7.1"), third.transcript());
        assertEquals(0, swaks("--from", "kari@example.com", "--to", "004690000002@mms.b.example", "--body", "domain's third").exit());
        Swaks domainFourth = swaks("--from", "per@example.com", "--to", "004690000002@mms.b.example", "--body", "domain's fourth");
        assertTrue(domainFourth.transcript().contains("<** 450 4.7.1"), domainFourth.transcript());
        assertEquals(3, store.messageCount());
    }

    @Test
    void aRetryOfAnAcceptedEmailIsAnsweredWithTheFirstMessageAndCostsNoQuota() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // the per-sender limit is 2
            Swaks run = swaks("--from", "ola@retry.example", "--to", "004690000002@mms.b.example", "--header", "Message-Id: <once@retry.example>",
                    "--body", "same e-mail, sent again");
            assertEquals(0, run.exit(), run.transcript());
            String queued = run.transcript().lines().filter(l -> l.contains("queued as ")).findFirst().orElseThrow();
            ids.add(queued.substring(queued.indexOf("queued as ") + 10).strip());
        }
        assertEquals(1, ids.stream().distinct().count(), ids.toString());
        assertEquals(1, store.messageCount());
        assertEquals(0, swaks("--from", "ola@retry.example", "--to", "004690000002@mms.b.example", "--body", "a new one").exit(),
                "the retries took none of the sender's quota");
    }

    @Test
    void openRelayAttemptsAndMm4FromANonPeerAreRefusedAndNothingIsStored() throws Exception {
        for (String to : List.of("someone@example.org", "004790000009@mms.b.example", "004690000002/TYPE=PLMN@mms.b.test", "004190000000@mms.b.example")) {
            Swaks run = swaks("--from", "spammer@example.net", "--to", to, "--body", "buy now");
            assertNotEquals(0, run.exit(), to + ": " + run.transcript());
            assertTrue(run.transcript().contains("<** 550"), to + ": " + run.transcript());
        }
        assertEquals(0, store.messageCount());
    }

    private Swaks swaksData(String from, String to, String data) throws Exception {
        Path file = Files.writeString(dir.resolve("mail-" + System.nanoTime() + ".eml"), data, StandardCharsets.ISO_8859_1);
        return swaks("--from", from, "--to", to, "--data", "@" + file);
    }

    private static String base64(byte[] bytes) {
        return java.util.Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(bytes);
    }

    @Test
    void textInIso88591Windows1252AndShiftJisBecomesUtf8TextParts() throws Exception {
        String mail = """
                From: =?ISO-8859-1?Q?P=E5l_Hansen?= <pal@latin.example>
                To: 004690000002@mms.b.example
                Subject: =?ISO-8859-1?Q?Bl=E5b=E6r?= =?Shift_JIS?B?grGC8YLJgr+CzQ==?=
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: text/plain; charset=ISO-8859-1
                Content-Transfer-Encoding: quoted-printable

                Bl=E5b=E6rsyltet=F8y p=E5 fjellet
                --b1
                Content-Type: text/plain; charset=windows-1252
                Content-Transfer-Encoding: base64

                %s
                --b1
                Content-Type: text/plain; charset=Shift_JIS
                Content-Transfer-Encoding: base64

                %s
                --b1--
                """.formatted(base64("\u201csmart\u201d quotes \u2013 \u20ac5".getBytes(java.nio.charset.Charset.forName("windows-1252"))),
                base64("\u3053\u3093\u306b\u3061\u306f\u3001\u4e16\u754c".getBytes(java.nio.charset.Charset.forName("Shift_JIS"))));
        Swaks run = swaksData("pal@latin.example", "004690000002@mms.b.example", mail);
        assertEquals(0, run.exit(), run.transcript());
        String queued = run.transcript().lines().filter(l -> l.contains("queued as ")).findFirst().orElseThrow();
        Message m = store.message(MessageId.parse(queued.substring(queued.indexOf("queued as ") + 10).strip())).orElseThrow();
        assertEquals("pal@latin.example", m.originator().value(), "the e-mail sender is the originator");
        assertEquals("Blåbær\u3053\u3093\u306b\u3061\u306f", m.subject().text().replace(" ", ""));
        List<String> texts = m.parts().stream().map(p -> {
            assertEquals("utf-8", p.contentType().parameter("charset"), p.toString());
            return new String(p.content(), StandardCharsets.UTF_8);
        }).toList();
        assertEquals(List.of("Blåbærsyltetøy på fjellet", "\u201csmart\u201d quotes \u2013 \u20ac5",
                "\u3053\u3093\u306b\u3061\u306f\u3001\u4e16\u754c"), texts.stream().map(String::strip).toList());
    }

    @Test
    void oversizeDisallowedTypesAndUnknownCharsetsAreRefusedWithTheirStatusAndNothingIsStored() throws Exception {
        String big = base64(new byte[5000]);
        String medium = base64(new byte[3000]);
        record Case(String sender, String expected, String mail) {}
        List<Case> cases = List.of(
                new Case("a@one.example", "<** 552 5.3.4", """
                        Subject: one big part
                        Content-Type: image/jpeg
                        Content-Transfer-Encoding: base64

                        %s
                        """.formatted(big)),
                new Case("b@two.example", "<** 552 5.3.4", """
                        Subject: too much in all
                        Content-Type: multipart/mixed; boundary=b

                        --b
                        Content-Type: image/jpeg
                        Content-Transfer-Encoding: base64

                        %s
                        --b
                        Content-Type: image/png
                        Content-Transfer-Encoding: base64

                        %s
                        --b
                        Content-Type: image/gif
                        Content-Transfer-Encoding: base64

                        %s
                        --b--
                        """.formatted(medium, medium, medium)),
                new Case("c@three.example", "<** 554 5.6.1", """
                        Subject: a program
                        Content-Type: multipart/mixed; boundary=b

                        --b
                        Content-Type: text/plain

                        run this
                        --b
                        Content-Type: application/x-msdownload; name=setup.exe
                        Content-Transfer-Encoding: base64

                        TVqQAAMAAAAEAAAA
                        --b--
                        """),
                new Case("d@four.example", "<** 554 5.6.1", """
                        Subject: hidden inside an alternative
                        Content-Type: multipart/mixed; boundary=outer

                        --outer
                        Content-Type: multipart/alternative; boundary=inner

                        --inner
                        Content-Type: text/plain

                        hi
                        --inner
                        Content-Type: application/javascript

                        alert(1)
                        --inner--
                        --outer--
                        """),
                new Case("e@five.example", "<** 554 5.6.3", """
                        Subject: unknown charset
                        Content-Type: text/plain; charset=x-klingon
                        Content-Transfer-Encoding: 8bit

                        \u00c0\u00c1
                        """));
        for (Case c : cases) {
            Swaks run = swaksData(c.sender(), "004690000002@mms.b.example", c.mail());
            assertNotEquals(0, run.exit(), c.mail());
            assertTrue(run.transcript().contains(c.expected()), c.expected() + " expected: " + run.transcript());
        }
        assertEquals(0, store.messageCount());
    }
}
