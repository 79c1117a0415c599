package org.openmmsc.mm3.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real DNS server for tests: Debian's dnsmasq binary started in the foreground on a free
 * loopback port with only the records a test gives it (no upstream, no hosts file, no system
 * service). It answers NXDOMAIN for unknown names under {@code .test}.
 */
public final class Dnsmasq implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/dnsmasq");

    private final Process process;
    private final int port;

    /**
     * Skips the calling test when dnsmasq is absent, unless bin/test asked for every real neighbour
     * (openmmsc.requireNeighbours): then its absence is a failure.
     */
    public static void requireInstalled() {
        if (Files.isExecutable(BINARY)) return;
        if (Boolean.getBoolean("openmmsc.requireNeighbours")) {
            throw new AssertionError("dnsmasq is required but not installed (apt-get install dnsmasq-base)");
        }
        org.junit.jupiter.api.Assumptions.abort("dnsmasq not installed (apt-get install dnsmasq-base)");
    }

    /**
     * @param ttl     TTL of every answer, seconds (dnsmasq's --local-ttl)
     * @param records dnsmasq options naming records, e.g. {@code --mx-host=d.test,mx.d.test,10}, {@code --host-record=mx.d.test,127.0.0.1}
     */
    public static Dnsmasq start(int ttl, String... records) throws IOException, InterruptedException {
        requireInstalled();
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--keep-in-foreground", "--conf-file=/dev/null",
                "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--no-poll",
                "--pid-file", "--log-facility=-", "--local=/test/", "--local-ttl=" + ttl, "--neg-ttl=" + ttl));
        if ("root".equals(System.getProperty("user.name"))) command.add("--user=root"); // no privilege drop to a user that may not exist
        command.addAll(List.of(records));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200); // dnsmasq serves TCP as well once it is up
                break;
            } catch (IOException notYet) {
                if (!p.isAlive()) throw new IOException("dnsmasq exited with " + p.exitValue() + ": " + String.join(" ", command));
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IOException("dnsmasq did not start on port " + port);
                }
                Thread.sleep(50);
            }
        }
        return new Dnsmasq(p, port);
    }

    private Dnsmasq(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** "127.0.0.1:port", as smtp.outbound.dnsServer takes it. */
    public String server() {
        return "127.0.0.1:" + port;
    }

    private static int freePort() throws IOException {
        // A port free for UDP and TCP both.
        for (int i = 0; i < 20; i++) {
            try (DatagramSocket udp = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                int port = udp.getLocalPort();
                try (java.net.ServerSocket tcp = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no free port for dnsmasq");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
