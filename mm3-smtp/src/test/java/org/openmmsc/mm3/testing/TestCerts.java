package org.openmmsc.mm3.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates made by openssl for a test (no keys are checked in). */
public final class TestCerts {
    /** A PEM certificate and its PKCS#8 PEM key. */
    public record Pair(Path certificate, Path key) {
        public String fingerprint() throws Exception {
            try (InputStream in = Files.newInputStream(certificate)) {
                X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
                return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
            }
        }
    }

    private TestCerts() {}

    public static void requireOpenssl() {
        if (Files.isExecutable(Path.of("/usr/bin/openssl"))) return;
        if (Boolean.getBoolean("openmmsc.requireNeighbours")) throw new AssertionError("openssl is required but not installed");
        org.junit.jupiter.api.Assumptions.abort("openssl not installed");
    }

    /**
     * @param cn  subject common name
     * @param san subjectAltName value, e.g. "DNS:mmsc.b.test,IP:127.0.0.1"; null for none
     */
    public static Pair selfSigned(Path dir, String name, String cn, String san) throws IOException, InterruptedException {
        requireOpenssl();
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-days", "2", "-subj", "/CN=" + cn, "-keyout", key.toString(), "-out", cert.toString()));
        if (san != null) command.addAll(java.util.List.of("-addext", "subjectAltName=" + san));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("openssl failed: " + out);
        return new Pair(cert, key);
    }
}
