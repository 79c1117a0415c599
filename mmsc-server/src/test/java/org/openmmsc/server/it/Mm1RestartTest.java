package org.openmmsc.server.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.mm1.codec.ByteSlice;
import org.openmmsc.mm1.codec.ContentType;
import org.openmmsc.mm1.codec.HeaderValue;
import org.openmmsc.mm1.codec.MessageBody;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsHeaders;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.codec.Parameter;
import org.openmmsc.mm1.codec.Part;
import org.openmmsc.mm1.service.ContentTokens;
import org.openmmsc.mm1.service.Mm1Interface;
import org.openmmsc.server.MmscServer;
import org.openmmsc.server.config.ConfigLoader;
import org.openmmsc.server.config.MmscConfig;

/** A whole node: a message sent over MM1 is still retrievable, at the same URL, after the node restarts. */
class Mm1RestartTest {
    private static final java.time.Duration PATIENCE = java.time.Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aRestartBetweenSendAndRetrieveLosesNothing() throws Exception {
        int mm1Port = freePort();
        MmscConfig config = new ConfigLoader().parse("""
                node: {id: mm1-restart}
                store: {directory: "%s"}
                admin: {port: 0}
                mm1: {port: %d}
                mm7: {port: 0}
                smtp: {port: %d}
                """.formatted(dir.resolve("store").toString().replace("\\", "/"), mm1Port, freePort()), "mmsc.yaml");
        byte[] photo = new byte[5000];
        for (int i = 0; i < photo.length; i++) photo[i] = (byte) (i * 31);
        byte[] text = "See you at eight".getBytes(StandardCharsets.US_ASCII);
        MmsPdu.SendReq req = new MmsPdu.SendReq(MmsHeaders.builder().text(MmsField.TRANSACTION_ID, "restart-1").version(1, 2)
                .add(MmsField.FROM, new HeaderValue.From(null)).encoded(MmsField.TO, "+4790000002/TYPE=PLMN")
                .add(MmsField.CONTENT_TYPE, new HeaderValue.ContentTypeValue(ContentType.of(ContentType.MULTIPART_MIXED))).build(),
                new MessageBody.Multipart(List.of(Part.of(ContentType.of("text/plain", Parameter.of("charset", "us-ascii")), ByteSlice.wrap(text)),
                        Part.of(ContentType.of("image/jpeg"), ByteSlice.wrap(photo)))));

        MessageId id;
        // One HTTP client per node lifetime: a connection kept alive to the stopped node must not carry the fetch.
        try (MmscServer server = MmscServer.start(config); HttpClient http = newClient()) {
            HttpResponse<byte[]> sent = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mm1Port + "/")).timeout(PATIENCE)
                    .header("X-MSISDN", "+4790000001").POST(HttpRequest.BodyPublishers.ofByteArray(new MmsEncoder().encode(req))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(sent.body());
            assertEquals(0x80, conf.responseStatus());
            id = MessageId.parse(conf.messageId());
        }
        String token = ContentTokens.loadOrCreate(dir.resolve("store").resolve(Mm1Interface.TOKEN_SECRET_FILE)).token(new DeliveryKey(id, 0));
        try (MmscServer server = MmscServer.start(config); HttpClient http = newClient()) {
            HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mm1Port + "/" + token))
                    .timeout(PATIENCE).header("X-MSISDN", "+4790000002").build(), HttpResponse.BodyHandlers.ofByteArray());
            MmsPdu.RetrieveConf conf = (MmsPdu.RetrieveConf) new MmsDecoder().decode(fetched.body());
            assertEquals(id.value(), conf.messageId());
            List<Part> parts = ((MessageBody.Multipart) conf.body()).parts();
            assertArrayEquals(text, parts.get(0).data().toByteArray());
            assertArrayEquals(photo, parts.get(1).data().toByteArray());
        }
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(PATIENCE).build();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
