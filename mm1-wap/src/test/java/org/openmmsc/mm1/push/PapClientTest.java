package org.openmmsc.mm1.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.spi.DeliveryAgent.Outcome;

class PapClientTest {
    private static final String KANNEL_ACCEPTED = "HTTP/1.1 202 Accepted\r\nServer: Kannel/1.4.5\r\nContent-Type: application/xml\r\nConnection: Close\r\n\r\n"
            + "<?xml version=\"1.0\"?><pap><push-response push-id=\"x\"><response-result code =\"1001\" desc=\"The request has been accepted for processing\">"
            + "</response-result></push-response></pap>";

    @Test
    void thePushCarriesOnlyTheHeadersAPpgNeedsAndTheAddressAndContent() throws Exception {
        try (ServerSocket ppg = new ServerSocket(0)) {
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket s = ppg.accept()) {
                    String request = readRequest(s.getInputStream());
                    s.getOutputStream().write(KANNEL_ACCEPTED.getBytes(StandardCharsets.ISO_8859_1));
                    return request;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            PapClient client = new PapClient(URI.create("http://127.0.0.1:" + ppg.getLocalPort() + "/wappush"), "mmsc", "secret", Duration.ofSeconds(5));
            PapClient.Answer answer = client.push("id-1@ppg", "WAPPUSH=+4790000002/TYPE=PLMN@ppg", new byte[] {(byte) 0x8C, (byte) 0x82});
            assertEquals(1001, answer.papCode());
            String request = seen.get();
            String head = request.substring(0, request.indexOf("\r\n\r\n"));
            assertTrue(head.startsWith("POST /wappush HTTP/1.1\r\n"));
            assertFalse(head.toLowerCase().contains("user-agent"), head);
            assertFalse(head.toLowerCase().contains("accept:"), head);
            assertTrue(head.contains("multipart/related; boundary="), head);
            assertTrue(head.contains("type=\"application/xml\""), head);
            assertTrue(head.contains("Authorization: Basic bW1zYzpzZWNyZXQ="), head);
            assertTrue(request.contains("address-value=\"WAPPUSH=+4790000002/TYPE=PLMN@ppg\""));
            assertTrue(request.contains("X-Wap-Application-Id: x-wap-application:mms.ua"));
        }
    }

    @Test
    void papCodesMapToNotifiedTransientOrPermanent() {
        assertInstanceOf(Outcome.Notified.class, PapNotificationAgent.outcomeOf(new PapClient.Answer(202, 1001, "")));
        assertInstanceOf(Outcome.Notified.class, PapNotificationAgent.outcomeOf(new PapClient.Answer(202, 1000, "")));
        assertInstanceOf(Outcome.PermanentFailure.class, PapNotificationAgent.outcomeOf(new PapClient.Answer(202, 2000, "malformed")));
        assertInstanceOf(Outcome.PermanentFailure.class, PapNotificationAgent.outcomeOf(new PapClient.Answer(202, 2001, "refused")));
        assertInstanceOf(Outcome.TransientFailure.class, PapNotificationAgent.outcomeOf(new PapClient.Answer(202, 4001, "unavailable")));
        assertInstanceOf(Outcome.TransientFailure.class, PapNotificationAgent.outcomeOf(new PapClient.Answer(404, -1, "")));
        assertInstanceOf(Outcome.PermanentFailure.class, PapNotificationAgent.outcomeOf(new PapClient.Answer(401, -1, "")), "wrong password: configuration");
        assertInstanceOf(Outcome.PermanentFailure.class, PapNotificationAgent.outcomeOf(new PapClient.Answer(403, -1, "")), "unknown user: configuration");
    }

    private static String readRequest(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (true) {
            int n = in.read(buf);
            if (n < 0) break;
            out.write(buf, 0, n);
            String s = out.toString(StandardCharsets.ISO_8859_1);
            int end = s.indexOf("\r\n\r\n");
            if (end > 0) {
                int len = Integer.parseInt(s.substring(s.indexOf("Content-Length: ") + 16).split("\r\n")[0].trim());
                if (out.size() >= end + 4 + len) break;
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
