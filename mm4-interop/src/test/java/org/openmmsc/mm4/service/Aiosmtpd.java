package org.openmmsc.mm4.service;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Debian's python3-aiosmtpd as a real receiving mail server: its Mailbox handler writes each
 * e-mail to a maildir, with the envelope in X-MailFrom / X-RcptTo headers it adds.
 */
final class Aiosmtpd implements AutoCloseable {
    private final Process process;
    private final Path maildir;
    private final int port;

    private Aiosmtpd(Process process, Path maildir, int port) {
        this.process = process;
        this.maildir = maildir;
        this.port = port;
    }

    static Aiosmtpd start(Path dir) throws Exception {
        boolean required = Boolean.getBoolean("openmmsc.requireNeighbours");
        boolean present = new ProcessBuilder("/usr/bin/python3", "-c", "import aiosmtpd").start().waitFor() == 0;
        if (required && !present) throw new AssertionError("python3-aiosmtpd is required (Debian package python3-aiosmtpd)");
        assumeTrue(present, "python3-aiosmtpd not installed");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path maildir = dir.resolve("maildir");
        Path logFile = dir.resolve("aiosmtpd.log");
        Process p = new ProcessBuilder("/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port,
                "-c", "aiosmtpd.handlers.Mailbox", maildir.toString())
                .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return new Aiosmtpd(p, maildir, port);
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    p.destroy();
                    throw new AssertionError("aiosmtpd did not start: " + Files.readString(logFile));
                }
                Thread.sleep(50);
            }
        }
    }

    int port() {
        return port;
    }

    /** The e-mails received so far, as written to the maildir. */
    List<byte[]> received() throws IOException {
        Path fresh = maildir.resolve("new");
        if (!Files.isDirectory(fresh)) return List.of();
        try (Stream<Path> files = Files.list(fresh)) {
            return files.sorted().map(f -> {
                try {
                    return Files.readAllBytes(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
