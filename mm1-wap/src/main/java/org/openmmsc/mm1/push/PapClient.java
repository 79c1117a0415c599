package org.openmmsc.mm1.push;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PAP 2.0 push over plain HTTP/1.1, written by hand so the request carries only the headers a
 * PPG needs: Kannel copies client headers such as User-Agent and Accept into the pushed SMS,
 * where they cost octets the notification needs. Blocking; callers run it on a virtual thread.
 */
public final class PapClient {
    private static final Pattern CODE = Pattern.compile("code\\s*=\\s*\"(\\d{4})\"");
    private static final Pattern DESC = Pattern.compile("desc\\s*=\\s*\"([^\"]*)\"");
    private static final int MAX_ANSWER = 64 * 1024;

    private final URI url;
    private final String authorization;
    private final Duration timeout;

    public PapClient(URI url, String user, String password, Duration timeout) {
        this.url = url;
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
    }

    /** What the PPG answered: its HTTP status and the PAP code (-1 when none could be read). */
    public record Answer(int httpStatus, int papCode, String description) {}

    /**
     * Pushes {@code content} (an MMS PDU) to {@code address} ("WAPPUSH=+47…/TYPE=PLMN@domain").
     *
     * @throws IOException when the PPG cannot be reached or answers nothing readable
     */
    public Answer push(String pushId, String address, byte[] content) throws IOException {
        String boundary = "mmsc-pap-" + Long.toHexString(System.nanoTime());
        byte[] body = body(boundary, pushId, address, content);
        int port = url.getPort() < 0 ? 80 : url.getPort();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) path += "?" + url.getRawQuery();
        StringBuilder head = new StringBuilder()
                .append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(url.getHost()).append(':').append(port).append("\r\n")
                // Kannel's wapbox crashes on a multipart request without boundary=, so it is always there.
                .append("Content-Type: multipart/related; boundary=").append(boundary).append("; type=\"application/xml\"\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        if (authorization != null) head.append("Authorization: ").append(authorization).append("\r\n");
        head.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return parse(readAll(socket.getInputStream()));
        }
    }

    static byte[] body(String boundary, String pushId, String address, byte[] content) {
        String control = "<?xml version=\"1.0\"?>\r\n"
                + "<!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP 2.0//EN\" \"http://www.wapforum.org/DTD/pap_2.0.dtd\">\r\n"
                + "<pap><push-message push-id=\"" + xml(pushId) + "\">"
                + "<address address-value=\"" + xml(address) + "\"/>"
                + "<quality-of-service delivery-method=\"unconfirmed\"/>"
                + "</push-message></pap>\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 700);
        out.writeBytes(("--" + boundary + "\r\nContent-Type: application/xml\r\n\r\n" + control
                + "--" + boundary + "\r\nContent-Type: application/vnd.wap.mms-message\r\n"
                + "X-Wap-Application-Id: x-wap-application:mms.ua\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            if (out.size() > MAX_ANSWER) break;
        }
        return out.toByteArray();
    }

    static Answer parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.")) throw new IOException("PPG answered no HTTP status line");
        int sp = text.indexOf(' ');
        int status;
        try {
            status = Integer.parseInt(text.substring(sp + 1, sp + 4));
        } catch (RuntimeException e) {
            throw new IOException("PPG answered a bad HTTP status line");
        }
        int bodyStart = text.indexOf("\r\n\r\n");
        String body = bodyStart < 0 ? "" : text.substring(bodyStart + 4);
        // Kannel writes code ="1001" (space before '='): match leniently.
        Matcher code = CODE.matcher(body);
        Matcher desc = DESC.matcher(body);
        return new Answer(status, code.find() ? Integer.parseInt(code.group(1)) : -1, desc.find() ? desc.group(1) : "");
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;").replace(">", "&gt;");
    }
}
