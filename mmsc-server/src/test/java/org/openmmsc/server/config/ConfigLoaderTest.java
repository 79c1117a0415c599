package org.openmmsc.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.model.RouteKind;

/** One test per class of configuration mistake, checking the message a user sees. */
class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader();

    private ConfigLoader.InvalidConfigException refused(String yaml) {
        return assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse(yaml, "mmsc.yaml"));
    }

    @Test
    void noFileMeansTheLabDefaults() throws Exception {
        MmscConfig config = loader.load(null);
        assertEquals("127.0.0.1", config.admin().bindAddress());
        assertEquals(8190, config.admin().port());
        assertEquals(8191, config.mm1().port());
        assertEquals(8192, config.mm7().port());
        assertEquals(2525, config.smtp().port());
        assertEquals(Path.of("data"), config.store().directory());
        assertTrue(config.store().sync());
        assertEquals(java.util.List.of("+"), config.routing().localPrefixes());
    }

    @Test
    void anEmptyFileIsTheDefaults() throws Exception {
        assertEquals(MmscConfig.defaults().admin(), loader.parse("  \n", "mmsc.yaml").admin());
    }

    @Test
    void readsEverySectionWithOperatorDurations() throws Exception {
        MmscConfig config = loader.parse("""
                node: {id: mmsc-a, mmsDomain: mms.mnc001.mcc242.gprs}
                store: {directory: /var/lib/openmmsc, sync: true}
                admin: {bindAddress: 0.0.0.0, port: 9190, bearerToken: 0123456789abcdef0123}
                mm1: {port: 9191}
                relay: {defaultExpiry: 2d, maxExpiry: 7d, idempotencyWindow: 90m}
                scheduler:
                  pollInterval: 250ms
                  routes:
                    LOCAL_MM1: {maxAttempts: 5, initialBackoff: 10s, maxBackoff: PT10M}
                numbering: {countryCode: "46", nationalPrefix: "0"}
                routing:
                  localPrefixes: ["+4670"]
                  peers: [{prefix: "+47", domain: mms.telenor.no}]
                  shortCodes: {"2020": news-vasp}
                  legacyPrefixes: ["+467099"]
                """, "mmsc.yaml");
        assertEquals("mmsc-a", config.node().id());
        assertEquals(9190, config.admin().port());
        assertEquals(9191, config.mm1().port());
        assertEquals("127.0.0.1", config.mm1().bindAddress());
        assertEquals(Duration.ofDays(2), config.relay().defaultExpiry());
        assertEquals(Duration.ofMinutes(90), config.relay().idempotencyWindow());
        assertEquals(Duration.ofMillis(250), config.scheduler().pollInterval());
        assertEquals(5, config.scheduler().policy(RouteKind.LOCAL_MM1).maxAttempts());
        assertEquals(Duration.ofMinutes(10), config.scheduler().policy(RouteKind.LOCAL_MM1).maxBackoff());
        assertEquals(12, config.scheduler().policy(RouteKind.PEER_MM4).maxAttempts());
        assertEquals("mms.telenor.no", config.routing().peers().getFirst().domain());
        assertEquals(java.util.List.of("+467099"), config.routing().legacyPrefixes());
        assertEquals("+46701234567", config.numbering().normalizer().normalize("0701234567").value());
    }

    @Test
    void unknownKeyNamesItsPathAndTheKnownKeys() {
        var e = refused("admin:\n  prot: 8190\n");
        assertEquals("admin.prot", e.path());
        assertEquals("mmsc.yaml: admin.prot: unknown key (known keys: bearerToken, bindAddress, maxRequestBytes, port)", e.getMessage());
    }

    @Test
    void unknownTopLevelSection() {
        var e = refused("mm9: {port: 1}\n");
        assertEquals("mm9", e.path());
        assertTrue(e.getMessage().contains("unknown key"), e.getMessage());
    }

    @Test
    void wrongTypeSaysWhatWasExpected() {
        var e = refused("admin:\n  port: eighty\n");
        assertEquals("admin.port", e.path());
        assertEquals("mmsc.yaml: admin.port: 'eighty' is not a valid whole number", e.getMessage());
    }

    @Test
    void aScalarWhereASectionBelongs() {
        var e = refused("store: yes\n");
        assertEquals("store", e.path());
        assertTrue(e.getMessage().contains("expected a section"), e.getMessage());
    }

    @Test
    void badPortIsOutOfRange() {
        var e = refused("mm7:\n  port: 70000\n");
        assertEquals("mm7.port", e.path());
        assertEquals("mmsc.yaml: mm7.port: must be between 0 and 65535, got 70000", e.getMessage());
    }

    @Test
    void badDurationShowsTheAcceptedForms() {
        var e = refused("relay:\n  defaultExpiry: three days\n");
        assertEquals("relay.defaultExpiry", e.path());
        assertTrue(e.getMessage().contains("not a duration: 'three days' (write e.g. 500ms, 30s, 5m, 2h, 7d or PT5M)"), e.getMessage());
    }

    @Test
    void inconsistentValuesAreRefusedWithTheKeyThatBreaksTheRule() {
        var e = refused("relay:\n  defaultExpiry: 10d\n  maxExpiry: 7d\n");
        assertEquals("relay.defaultExpiry", e.path());
        assertTrue(e.getMessage().endsWith("must not exceed maxExpiry (PT168H)"), e.getMessage());
    }

    @Test
    void unknownRouteKindListsTheKinds() {
        var e = refused("scheduler:\n  routes:\n    LOCAL_MM2: {maxAttempts: 3}\n");
        assertTrue(e.path().startsWith("scheduler.routes"), e.path());
        assertTrue(e.getMessage().contains("LOCAL_MM2"), e.getMessage());
    }

    @Test
    void nestedListEntriesAreNamedByIndex() {
        var e = refused("routing:\n  peers:\n    - {prefix: '+46', domain: a.example}\n    - {prefix: '46', domain: b.example}\n");
        assertEquals("routing.peers[1].prefix", e.path());
        assertTrue(e.getMessage().endsWith("must be '+' followed by digits, got 46"), e.getMessage());
    }

    @Test
    void malformedYamlGivesTheLine() {
        var e = refused("node: {id: a}\nadmin: port: 1\n");
        assertTrue(e.getMessage().contains("(line 2, column"), e.getMessage());
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        var e = assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.load(dir.resolve("absent.yaml")));
        assertTrue(e.getMessage().endsWith("absent.yaml: no such file"), e.getMessage());
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mmsc.yaml");
        Files.writeString(file, "admin: {port: 0}\n");
        assertEquals(0, loader.load(file).admin().port());
    }
}
