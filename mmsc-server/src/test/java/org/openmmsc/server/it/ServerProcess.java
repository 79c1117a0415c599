package org.openmmsc.server.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An MMSC started the way an operator starts it — {@code org.openmmsc.server.Main run CONFIG} in
 * its own JVM — optionally under strace, with its output captured to a log file.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int adminPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServerProcess(Process process, Path log, int adminPort) {
        this.process = process;
        this.log = log;
        this.adminPort = adminPort;
    }

    /** Writes a config for {@code dataDir} on a free admin port and starts the server; {@code prefix} wraps the java command (e.g. strace). */
    static ServerProcess start(Path workDir, Path dataDir, boolean sync, List<String> prefix, String logName) throws IOException {
        int port = freePort();
        Path config = workDir.resolve("mmsc-" + port + ".yaml");
        Files.writeString(config, """
                node: {id: it-node}
                store: {directory: "%s", sync: %s}
                admin: {port: %d}
                mm1: {port: %d}
                mm7: {port: %d}
                smtp: {port: %d}
                """.formatted(dataDir.toString().replace("\\", "/"), sync, port, freePort(), freePort(), freePort()));
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("--enable-native-access=ALL-UNNAMED"); // RocksDB loads its JNI library
        // The server's own logging, as in production, whatever test logging is on the class path.
        command.add("-Dlogback.configurationFile=" + ClassLoader.getSystemResource("logback.xml"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.openmmsc.server.Main");
        command.add("run");
        command.add(config.toString());
        Path log = workDir.resolve(logName);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ServerProcess(p, log, port);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    int adminPort() {
        return adminPort;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + adminPort + path);
    }

    /** Waits until /ready answers 200; fails with the server's log if it does not within {@code timeout}. */
    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("server exited with " + process.exitValue() + ":\n" + logText());
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server not ready within " + timeout + ":\n" + logText());
    }

    /**
     * The MMSC's own JVM: the process itself, or under a wrapper such as strace its descendant.
     * Signals go to it, not to the wrapper (strace would detach and leave the JVM running).
     */
    private ProcessHandle mmscJvm() {
        return process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElse(process.toHandle());
    }

    /** SIGKILL: no shutdown hook, no flush — what a crash or an OOM kill does. */
    void kill() throws InterruptedException {
        mmscJvm().destroyForcibly();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, and the exit code once it stopped (the wrapper's, which passes the JVM's on). */
    int terminate(Duration timeout) throws InterruptedException {
        mmscJvm().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("server did not stop within " + timeout + " of SIGTERM:\n" + logText());
        }
        return process.exitValue();
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Log lines at ERROR level: every integration test asserts there are none it did not expect. */
    List<String> errorLines() {
        return logText().lines().filter(l -> l.contains(" ERROR ")).toList();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }
}
