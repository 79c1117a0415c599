package org.openmmsc.mm3.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw SMTP client for tests: writes exactly what it is told and reads replies line by line. */
final class SmtpTestClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    SmtpTestClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one whole reply (continuation lines joined by newlines); null at end of stream. */
    String reply() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String line = in.readLine();
            if (line == null) return sb.isEmpty() ? null : sb.toString();
            if (!sb.isEmpty()) sb.append('\n');
            sb.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') return sb.toString();
        }
    }

    String command(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    /** True if no reply arrives within {@code millis}. */
    boolean silentFor(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            in.mark(1);
            int c = in.read();
            in.reset();
            return c < 0 ? false : false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(5000);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
