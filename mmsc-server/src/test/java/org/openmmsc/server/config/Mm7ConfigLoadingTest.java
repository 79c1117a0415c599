package org.openmmsc.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openmmsc.mm7.VaspAccount;

/** The mm7 section of the configuration file: defaults, a full VASP account, and errors with their key path. */
class Mm7ConfigLoadingTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void defaultsListenOnLoopback8192WithNoVasps() throws Exception {
        var mm7 = loader.parse("node: {id: n1}\n", "mmsc.yaml").mm7();
        assertEquals("127.0.0.1", mm7.bindAddress());
        assertEquals(8192, mm7.port());
        assertEquals(List.of(), mm7.vasps());
    }

    @Test
    void aVaspAccountReadsEveryKey() throws Exception {
        var mm7 = loader.parse("""
                mm7:
                  port: 9000
                  maxMessageBytes: 1048576
                  vasps:
                    - id: news
                      username: news-user
                      password: s3cret
                      allowedSources: [10.1.0.0/16, "::1"]
                      shortCodes: ["2020"]
                      allowedSenders: ["+4790000999"]
                      maxPerSecond: 50
                      burst: 100
                      maxMessageBytes: 300000
                      deliveryUrl: http://vasp.example:8080/mo
                      deliveryUsername: mmsc
                      deliveryPassword: back
                      schema: REL-5-MM7-1-2
                      mm7Version: 5.3.0
                """, "mmsc.yaml").mm7();
        VaspAccount v = mm7.vasps().getFirst();
        assertEquals(9000, mm7.port());
        assertEquals("news-user", v.username());
        assertEquals(List.of("10.1.0.0/16", "::1"), v.allowedSources());
        assertEquals(50.0, v.maxPerSecond());
        assertEquals(100, v.burst());
        assertEquals(300000, mm7.maxMessageBytes(v));
        assertEquals(java.net.URI.create("http://vasp.example:8080/mo"), v.deliveryUrl());
        assertEquals("http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-5-MM7-1-2", v.namespace());
        assertEquals("5.3.0", v.mm7Version());
    }

    @Test
    void badValuesNameTheirKey() {
        var noPassword = assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse("mm7:\n  vasps:\n    - id: news\n", "mmsc.yaml"));
        assertEquals("mm7.vasps[0].password", noPassword.path());
        var badCidr = assertThrows(ConfigLoader.InvalidConfigException.class,
                () -> loader.parse("mm7:\n  vasps:\n    - {id: news, password: x, allowedSources: [example.com]}\n", "mmsc.yaml"));
        assertEquals("mm7.vasps[0].allowedSources[0]", badCidr.path());
        var unknown = assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse("mm7:\n  vasps:\n    - {id: news, password: x, colour: red}\n", "mmsc.yaml"));
        assertEquals("mm7.vasps[0].colour", unknown.path());
        var badSchema = assertThrows(ConfigLoader.InvalidConfigException.class,
                () -> loader.parse("mm7:\n  vasps:\n    - {id: news, password: x, schema: MM7-6}\n", "mmsc.yaml"));
        assertEquals("mm7.vasps[0].schema", badSchema.path());
    }

    @Test
    void perVaspTlsAndTheReloadIntervalReadWithDefaultsAndErrors(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path ca = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        java.nio.file.Path keys = java.nio.file.Files.writeString(dir.resolve("server.p12"), "");
        String listenerTls = "  tls: {keyStore: \"" + keys.toString().replace("\\", "/") + "\", trustStore: \"" + keys.toString().replace("\\", "/")
                + "\", clientAuth: OPTIONAL}\n";
        var mm7 = loader.parse("""
                mm7:
                %s  vaspReloadInterval: 30s
                  vasps:
                    - id: news
                      password: s3cret
                      tls:
                        caFile: "%s"
                        certificateSha256: "AB:CD:%s"
                        certificateSubject: "CN=news, O=News Ltd"
                """.formatted(listenerTls, ca.toString().replace("\\", "/"), "0".repeat(60)), "mmsc.yaml").mm7();
        assertEquals(java.time.Duration.ofSeconds(30), mm7.vaspReloadInterval());
        var tls = mm7.vasps().getFirst().tls();
        assertEquals(ca, tls.caFile());
        assertEquals("abcd" + "0".repeat(60), tls.certificateSha256(), "colons and case dropped");
        assertEquals("cn=news,o=news ltd", tls.certificateSubject(), "compared in canonical X.500 form");
        assertEquals(org.openmmsc.mm7.Mm7Config.DEFAULT_VASP_RELOAD_INTERVAL, loader.parse("node: {id: n1}\n", "mmsc.yaml").mm7().vaspReloadInterval());

        var badFingerprint = assertThrows(ConfigLoader.InvalidConfigException.class,
                () -> loader.parse("mm7:\n  vasps:\n    - {id: news, password: x, tls: {certificateSha256: abc}}\n", "mmsc.yaml"));
        var boundWithoutClientAuth = assertThrows(ConfigLoader.InvalidConfigException.class,
                () -> loader.parse("mm7:\n  vasps:\n    - {id: news, password: x, tls: {certificateSubject: CN=news}}\n", "mmsc.yaml"));
        assertEquals("mm7.vasps[0].tls", boundWithoutClientAuth.path());
        assertEquals(true, boundWithoutClientAuth.getMessage().contains("clientAuth OPTIONAL or REQUIRE"), boundWithoutClientAuth.getMessage());
        assertEquals("mm7.vasps[0].tls.certificateSha256", badFingerprint.path());
        var missingCa = assertThrows(ConfigLoader.InvalidConfigException.class,
                () -> loader.parse("mm7:\n  vasps:\n    - {id: news, password: x, tls: {caFile: /nonexistent/ca.pem}}\n", "mmsc.yaml"));
        assertEquals("mm7.vasps[0].tls.caFile", missingCa.path());
        String twice = "0".repeat(64);
        var sameCertificate = assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse(
                "mm7:\n" + listenerTls + "  vasps:\n    - {id: a, password: x, tls: {certificateSha256: " + twice + "}}\n    - {id: b, password: y, tls: {certificateSha256: " + twice + "}}\n",
                "mmsc.yaml"));
        assertEquals("mm7.vasps[1].tls.certificateSha256", sameCertificate.path());
        var tooOften = assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse("mm7:\n  vaspReloadInterval: 10ms\n", "mmsc.yaml"));
        assertEquals("mm7.vaspReloadInterval", tooOften.path());
    }
}
