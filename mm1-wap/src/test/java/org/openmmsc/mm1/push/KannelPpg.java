package org.openmmsc.mm1.push;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Kannel 1.4.5 PPG for tests, after ../shared/recipes/kannel-ppg: bearerbox + wapbox (PPG,
 * HTTP Basic auth, only 127.0.0.1 admitted) + fakesmsc, on free ports, with a generated config.
 * {@link #close()} stops exactly the processes it started, TERM then KILL.
 */
public final class KannelPpg implements AutoCloseable {
    static final Path BEARERBOX = Path.of("/usr/sbin/bearerbox");
    static final Path WAPBOX = Path.of("/usr/sbin/wapbox");
    static final Path FAKESMSC = Path.of("/usr/lib/kannel/test/fakesmsc");
    public static final String USER = "mmsc";
    public static final String PASSWORD = "mmsc-secret";

    private final Path dir;
    private final int adminPort;
    private final int ppgPort;
    private final int smscPort;
    private final List<Process> started = new ArrayList<>();

    static boolean installed() {
        return Files.isExecutable(BEARERBOX) && Files.isExecutable(WAPBOX) && Files.isExecutable(FAKESMSC);
    }

    /**
     * Skips the calling test when Kannel is absent, unless bin/test asked for every real neighbour
     * (openmmsc.requireNeighbours): then its absence is a failure.
     */
    public static void requireInstalled() {
        if (installed()) return;
        if (Boolean.getBoolean("openmmsc.requireNeighbours")) {
            throw new AssertionError("Kannel (kannel, kannel-extras) is required but not installed");
        }
        org.junit.jupiter.api.Assumptions.abort("Kannel not installed (apt-get install kannel kannel-extras)");
    }

    public KannelPpg(Path dir) throws IOException {
        this.dir = dir;
        int[] ports = freePorts(5);
        adminPort = ports[0];
        ppgPort = ports[3];
        smscPort = ports[4];
        String conf = """
                group = core
                admin-port = %d
                admin-interface = 127.0.0.1
                admin-password = kannel-admin
                status-password = kannel-status
                admin-deny-ip = "*.*.*.*"
                admin-allow-ip = "127.0.0.1"
                smsbox-port = %d
                smsbox-interface = 127.0.0.1
                wapbox-port = %d
                box-deny-ip = "*.*.*.*"
                box-allow-ip = "127.0.0.1"

                group = wapbox
                bearerbox-host = 127.0.0.1
                concatenation = true
                max-messages = 10
                syslog-level = none

                group = ppg
                ppg-url = /wappush
                ppg-port = %d
                trusted-pi = false
                ppg-allow-ip = "127.0.0.1"
                concurrent-pushes = 100
                users = 10
                global-sender = 1234
                service-name = ppg

                group = smsbox
                bearerbox-host = 127.0.0.1

                group = smsc
                smsc = fake
                smsc-id = fake1
                port = %d
                our-host = 127.0.0.1
                connect-allow-ip = 127.0.0.1

                group = wap-push-user
                wap-push-user = mmsc-under-test
                ppg-username = %s
                ppg-password = %s
                allow-ip = "127.0.0.1"
                allowed-prefix = "+47"
                """.formatted(adminPort, ports[1], ports[2], ppgPort, smscPort, USER, PASSWORD);
        Files.writeString(dir.resolve("kannel.conf"), conf);
    }

    public String papUrl() {
        return "http://127.0.0.1:" + ppgPort + "/wappush";
    }

    public void start(Duration timeout) throws Exception {
        Path conf = dir.resolve("kannel.conf");
        spawn("bearerbox", BEARERBOX.toString(), "-v", "1", conf.toString());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (status() == null) waitOrFail(deadline, "bearerbox admin");
        spawn("wapbox", WAPBOX.toString(), "-v", "1", conf.toString());
        // -v 0: fakesmsc logs received SMS at DEBUG; the dummy message keeps it out of interactive mode.
        spawn("fakesmsc", FAKESMSC.toString(), "-v", "0", "-H", "127.0.0.1", "-r", Integer.toString(smscPort), "-m", "0", "0 0 text unused");
        while (true) {
            String st = status();
            if (st != null && st.matches("(?s).*wapbox, IP .*\\(on-line.*") && st.contains("FAKE:" + smscPort + " (online") && ppgListening()) break;
            waitOrFail(deadline, "wapbox and the fake SMSC link");
        }
    }

    public boolean wapboxAlive() {
        return started.size() > 1 && started.get(1).isAlive();
    }

    /** The WAP Push SMS fakesmsc received so far, as user data (UDH + payload). */
    public List<byte[]> receivedUserData() throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("fakesmsc.log"), StandardCharsets.ISO_8859_1)) {
            int at = line.indexOf("Got message ");
            if (at < 0) continue;
            String body = line.substring(line.indexOf('<', at) + 1, line.lastIndexOf('>'));
            String[] f = body.split(" ");
            // <from> <to> udh <UDH> data <DATA>
            if (f.length < 6 || !f[2].equals("udh") || !f[4].equals("data")) continue;
            byte[] udh = URLDecoder.decode(f[3], StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
            byte[] data = URLDecoder.decode(f[5], StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
            byte[] ud = new byte[udh.length + data.length];
            System.arraycopy(udh, 0, ud, 0, udh.length);
            System.arraycopy(data, 0, ud, udh.length, data.length);
            out.add(ud);
        }
        return out;
    }

    /** Waits until fakesmsc has received at least {@code atLeast} SMS; answers all it received. */
    public List<byte[]> awaitUserData(int atLeast, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (receivedUserData().size() >= atLeast) {
                Thread.sleep(300); // a concatenated push's later segments follow within milliseconds
                return receivedUserData();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no WAP Push SMS reached fakesmsc within " + patience + "; got " + receivers());
    }

    /** Waits until fakesmsc has received an SMS for {@code receiver}; answers all it received. */
    public List<byte[]> awaitUserDataTo(String receiver, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (receivers().contains(receiver)) {
                Thread.sleep(300);
                return receivedUserData();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no WAP Push SMS to " + receiver + " within " + patience + "; got " + receivers());
    }

    /** Receivers of the SMS fakesmsc logged, in order. */
    public List<String> receivers() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("fakesmsc.log"), StandardCharsets.ISO_8859_1)) {
            int at = line.indexOf("Got message ");
            // The number is written as the PAP address gave it, with a literal '+' (not URL-encoded like the data).
            if (at >= 0) out.add(line.substring(line.indexOf('<', at) + 1).split(" ")[1]);
        }
        return out;
    }

    public String logs() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("bearerbox.log", "wapbox.log", "fakesmsc.log")) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve(name), StandardCharsets.ISO_8859_1);
                sb.append("== ").append(name).append('\n');
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> sb.append(l).append('\n'));
            } catch (IOException e) {
                sb.append("== ").append(name).append(": ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        // wapbox and fakesmsc first, bearerbox last (as the recipe's stop.sh).
        List<Process> order = new ArrayList<>(started);
        if (!order.isEmpty()) order.add(order.removeFirst());
        for (Process p : order) p.destroy();
        for (Process p : order) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        started.clear();
    }

    private void spawn(String name, String... command) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
        started.add(p);
    }

    private void waitOrFail(long deadline, String what) throws Exception {
        for (Process p : started) {
            if (!p.isAlive()) throw new IllegalStateException(p.info().command().orElse("a Kannel process") + " exited while waiting for " + what + "\n" + logs());
        }
        if (System.nanoTime() > deadline) throw new IllegalStateException("Kannel not ready: " + what + "\n" + logs());
        Thread.sleep(100);
    }

    private String status() {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/status.txt?password=kannel-status"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private boolean ppgListening() {
        // Only a TCP connect: an HTTP request without a multipart body would be a PAP error (and some crash wapbox).
        try (Socket s = new Socket("127.0.0.1", ppgPort)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) s.close();
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
