package org.openmmsc.mm1.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.service.Mm1Fixture;
import org.openmmsc.mm1.service.MmsStatus;

class Mm1HttpServerTest {
    private final Mm1Fixture node = new Mm1Fixture(new Mm1Config(null, null, null, null, null, 4096, null, null, null, null));
    private final Mm1HttpServer server = new Mm1HttpServer(node.service, 4096);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private int port;

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<byte[]> post(byte[] body, String msisdn) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "application/vnd.wap.mms-message").header("X-MSISDN", msisdn)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aPostedSendReqIsAnsweredWithSendConfOverHttp() throws Exception {
        port = server.start("127.0.0.1", 0);
        HttpResponse<byte[]> r = post(Mm1Fixture.sendReq("h-1").to(Mm1Fixture.BOB).encode(), Mm1Fixture.ALICE);
        assertEquals(200, r.statusCode());
        assertEquals("application/vnd.wap.mms-message", r.headers().firstValue("Content-Type").orElse(""));
        MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(r.body());
        assertEquals(MmsStatus.OK, conf.responseStatus());
        assertNotNull(conf.messageId());
        assertEquals(1, node.store.messageCount());
    }

    @Test
    void aBodyFarOverTheLimitGetsContentNotAcceptedNotHttp413() throws Exception {
        port = server.start("127.0.0.1", 0);
        byte[] huge = new byte[200 * 1024];
        // Raw socket: the server may answer and close before the whole body is sent.
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/vnd.wap.mms-message\r\nX-MSISDN: +4790000001\r\nContent-Length: "
                    + huge.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(huge);
            } catch (java.io.IOException closedEarly) {
                // expected when the answer comes first
            }
            byte[] answer = readAll(s.getInputStream());
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("HTTP/1.1 200"), text.lines().findFirst().orElse(""));
            byte[] pdu = java.util.Arrays.copyOfRange(answer, text.indexOf("\r\n\r\n") + 4, answer.length);
            MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(pdu);
            assertEquals(MmsStatus.PERMANENT_CONTENT_NOT_ACCEPTED, conf.responseStatus());
        }
        assertEquals(0, node.store.messageCount());
    }

    @Test
    void anUnknownContentLocationIsARetrieveConfError() throws Exception {
        port = server.start("127.0.0.1", 0);
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/AAAAAAAAAAAAAAAAAAAAAAAAAAA")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        MmsPdu.RetrieveConf conf = (MmsPdu.RetrieveConf) new MmsDecoder().decode(r.body());
        assertEquals(MmsStatus.RETRIEVE_PERMANENT_MESSAGE_NOT_FOUND, conf.headers().token(MmsField.RETRIEVE_STATUS));
    }

    private static byte[] readAll(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
