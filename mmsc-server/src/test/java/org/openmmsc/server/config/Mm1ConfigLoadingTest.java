package org.openmmsc.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openmmsc.mm1.Mm1Config;

/** The mm1 section as an operator writes it, and the mistakes it refuses. */
class Mm1ConfigLoadingTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void readsEveryMm1Key() throws Exception {
        Mm1Config mm1 = loader.parse("""
                mm1:
                  bindAddress: 127.0.0.1
                  port: 9191
                  msisdnHeaders: [X-WAP-Network-Client-MSISDN]
                  trustedGateways: ["127.0.0.0/8"]
                  allowFromOverride: true
                  maxMessageBytes: 614400
                  maxRecipients: 50
                  allowedContentTypes: ["image/*", "text/plain"]
                  publicBaseUrl: http://mms.operator.test/
                  ppg: {url: "http://127.0.0.1:18080/wappush", user: mmsc, password: secret, domain: ppg.operator.test, timeout: 5s}
                  answerGrace: 3m
                """, "mmsc.yaml").mm1();
        assertEquals(Duration.ofMinutes(3), mm1.answerGrace());
        assertEquals(9191, mm1.port());
        assertEquals(List.of("X-WAP-Network-Client-MSISDN"), mm1.msisdnHeaders());
        assertTrue(mm1.allowFromOverride());
        assertEquals(614400, mm1.maxMessageBytes());
        assertEquals(50, mm1.maxRecipients());
        assertTrue(mm1.allows("image/png"));
        assertTrue(!mm1.allows("video/mp4"));
        assertEquals("http://mms.operator.test", mm1.baseUrl(9191));
        assertEquals("ppg.operator.test", mm1.ppg().domain());
        assertEquals(Duration.ofSeconds(5), mm1.ppg().timeout());
    }

    @Test
    void defaultsAreTheLoopbackLab() throws Exception {
        Mm1Config mm1 = loader.load(null).mm1();
        assertEquals(300 * 1024, mm1.maxMessageBytes());
        assertEquals(Mm1Config.LOOPBACK, mm1.trustedGateways());
        assertEquals("http://127.0.0.1:8191", mm1.baseUrl(8191));
        assertEquals(null, mm1.ppg().url());
        assertEquals(Mm1Config.DEFAULT_ANSWER_GRACE, mm1.answerGrace());
    }

    @Test
    void refusesWhatItCannotHonour() {
        var badGateway = assertThrows(ConfigLoader.InvalidConfigException.class,
                () -> loader.parse("mm1: {trustedGateways: [\"10.0.0.0/8\", \"wap-gw.example\"]}", "mmsc.yaml"));
        assertEquals("mm1.trustedGateways[1]", badGateway.path());
        assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse("mm1: {maxMessageBytes: 10}", "mmsc.yaml"));
        assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse("mm1: {ppg: {url: \"ftp://x/\"}}", "mmsc.yaml"));
        assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse("mm1: {ppg: {user: only}}", "mmsc.yaml"));
        assertEquals("mm1.answerGrace", assertThrows(ConfigLoader.InvalidConfigException.class,
                () -> loader.parse("mm1: {answerGrace: 0s}", "mmsc.yaml")).path());
    }
}
