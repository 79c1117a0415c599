package org.openmmsc.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.Mm1Config.Notification.PushPath;

/** mm1.notification and mm1.smpp as an operator writes them, and the mistakes refused with their key's path. */
class SmppConfigLoadingTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void readsEverySmppAndNotificationKey() throws Exception {
        Mm1Config mm1 = loader.parse("""
                mm1:
                  notification:
                    includeFrom: true
                    includeSubject: true
                    defaultPath: pap
                    ranges:
                      - {prefix: "+4791", path: smpp}
                  smpp:
                    host: smsc.operator.test
                    port: 2776
                    systemId: mmsc
                    password: secret
                    systemType: MMS
                    window: 20
                    throughput: 200
                    enquireLinkInterval: 15s
                    reconnectDelay: 2s
                    reconnectMaxDelay: 2m
                    responseTimeout: 20s
                    throttleBackoff: 10s
                    sourceAddress: MMS
                    sourceTon: 5
                    sourceNpi: 0
                    requestReceipts: false
                    serviceType: WAP
                """, "mmsc.yaml").mm1();
        Mm1Config.Smpp smpp = mm1.smpp();
        assertEquals("smsc.operator.test", smpp.host());
        assertEquals(2776, smpp.port());
        assertEquals("mmsc", smpp.systemId());
        assertEquals("secret", smpp.password());
        assertEquals("MMS", smpp.systemType());
        assertEquals(20, smpp.window());
        assertEquals(200, smpp.throughput());
        assertEquals(Duration.ofSeconds(15), smpp.enquireLinkInterval());
        assertEquals(Duration.ofSeconds(2), smpp.reconnectDelay());
        assertEquals(Duration.ofMinutes(2), smpp.reconnectMaxDelay());
        assertEquals(Duration.ofSeconds(20), smpp.responseTimeout());
        assertEquals(Duration.ofSeconds(10), smpp.throttleBackoff());
        assertEquals("MMS", smpp.sourceAddress());
        assertEquals(5, smpp.sourceTon());
        assertEquals(0, smpp.sourceNpi());
        assertFalse(smpp.requestReceipts());
        assertEquals("WAP", smpp.serviceType());
        assertTrue(mm1.notification().includeFrom());
        assertTrue(mm1.notification().includeSubject());
        assertEquals(PushPath.SMPP, mm1.notification().pathFor("+4791234567"));
        assertEquals(PushPath.PAP, mm1.notification().pathFor("+4790234567"));
    }

    @Test
    void defaultsAreNoSmscAndPapForEveryone() throws Exception {
        Mm1Config mm1 = loader.load(null).mm1();
        assertEquals(null, mm1.smpp().host());
        assertEquals(2775, mm1.smpp().port());
        assertEquals(10, mm1.smpp().window());
        assertEquals(50, mm1.smpp().throughput());
        assertEquals(Duration.ofSeconds(30), mm1.smpp().enquireLinkInterval());
        assertEquals(Duration.ofSeconds(1), mm1.smpp().reconnectDelay());
        assertEquals(Duration.ofSeconds(60), mm1.smpp().reconnectMaxDelay());
        assertEquals(Duration.ofSeconds(10), mm1.smpp().responseTimeout());
        assertEquals(Duration.ofSeconds(5), mm1.smpp().throttleBackoff());
        assertTrue(mm1.smpp().requestReceipts());
        assertFalse(mm1.notification().includeFrom());
        assertFalse(mm1.notification().includeSubject());
        assertEquals(PushPath.PAP, mm1.notification().pathFor("+4791234567"));
    }

    @Test
    void refusesUnknownKeysAndBadValuesNamingTheKey() {
        assertPath("mm1.smpp.windw", "mm1: {smpp: {host: smsc, systemId: x, windw: 3}}");
        assertPath("mm1.smpp.window", "mm1: {smpp: {host: smsc, systemId: x, window: 0}}");
        assertPath("mm1.smpp.throughput", "mm1: {smpp: {host: smsc, systemId: x, throughput: -1}}");
        assertPath("mm1.smpp.systemId", "mm1: {smpp: {host: smsc}}");
        assertPath("mm1.smpp.password", "mm1: {smpp: {host: smsc, systemId: x, password: much-too-long}}");
        assertPath("mm1.smpp.sourceTon", "mm1: {smpp: {host: smsc, systemId: x, sourceTon: 9}}");
        assertPath("mm1.smpp.sourceNpi", "mm1: {smpp: {host: smsc, systemId: x, sourceNpi: 2}}");
        assertPath("mm1.smpp.enquireLinkInterval", "mm1: {smpp: {host: smsc, systemId: x, enquireLinkInterval: soon}}");
        assertPath("mm1.smpp.reconnectMaxDelay", "mm1: {smpp: {host: smsc, systemId: x, reconnectDelay: 10s, reconnectMaxDelay: 1s}}");
        assertPath("mm1.notification.defaultPath", "mm1: {notification: {defaultPath: sms}}");
        assertPath("mm1.notification.ranges[0].prefix", "mm1: {notification: {ranges: [{prefix: '4791', path: pap}]}}");
        assertPath("mm1.notification.ranges[0].path", "mm1: {notification: {ranges: [{prefix: '+4791', path: ppg}]}}");
        assertPath("mm1.notification", "mm1: {notification: {ranges: [{prefix: '+4791', path: smpp}]}}");
    }

    private void assertPath(String path, String yaml) {
        var e = assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse(yaml, "mmsc.yaml"), yaml);
        assertEquals(path, e.path(), e.getMessage());
    }
}
