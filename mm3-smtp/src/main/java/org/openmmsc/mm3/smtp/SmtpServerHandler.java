package org.openmmsc.mm3.smtp;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP server session (RFC 5321 with SIZE, PIPELINING, 8BITMIME, ENHANCEDSTATUSCODES). The
 * states are explicit; the policy decides relay control and takes finished messages. While a
 * message is being made durable the session reads nothing more and queues lines already
 * decoded, so pipelined commands are answered in order and the 250 to DATA comes only once the
 * policy's stage completes.
 */
final class SmtpServerHandler extends SimpleChannelInboundHandler<Object> {
    private static final Logger log = LoggerFactory.getLogger(SmtpServerHandler.class);
    private static final AtomicLong SESSION_IDS = new AtomicLong();

    private enum State { CONNECTED, READY, MAIL, DATA, CLOSING }

    private final String hostname;
    private final SmtpLimits limits;
    private final SmtpPolicy policy;
    private final ConnectionLimiter connections;
    private final SslContext tls;
    private boolean tlsActive;
    /** After STARTTLS, plaintext that followed the command is dropped: it must not be read as if it came encrypted. */
    private boolean awaitingHandshake;
    /** Lines (and an end of data) decoded while the session waits for the store; handled in order afterwards. */
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private final String sessionId = Long.toString(SESSION_IDS.incrementAndGet(), 36).toUpperCase(Locale.ROOT);

    private State state = State.CONNECTED;
    private boolean counted;
    private boolean busy;
    private InetSocketAddress client;
    /** The chain the client presented in the TLS handshake (empty: none, or no TLS). */
    private List<java.security.cert.X509Certificate> clientCertificates = List.of();
    private String helo;
    private String reversePath;
    private final List<String> recipients = new ArrayList<>();
    private DataBuffer data;
    /** SIZE= of the open transaction (RFC 1870), 0 if none: the content buffer is sized from it. */
    private long declaredSize;
    private int messagesInSession;

    SmtpServerHandler(String hostname, SmtpLimits limits, SmtpPolicy policy, ConnectionLimiter connections, SslContext tls) {
        this.tls = tls;
        this.hostname = hostname;
        this.limits = limits;
        this.policy = policy;
        this.connections = connections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = (InetSocketAddress) ctx.channel().remoteAddress();
        if (!connections.tryAcquire(client.getAddress())) {
            log.warn("SMTP session from {} refused: connection limit reached", client.getAddress().getHostAddress());
            state = State.CLOSING;
            ctx.writeAndFlush(Unpooled.copiedBuffer("421 4.7.0 " + hostname + " too many connections, try later\r\n", StandardCharsets.US_ASCII))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        counted = true;
        reply(ctx, 220, null, hostname + " ESMTP OpenMMSC");
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) connections.release(client.getAddress());
        counted = false;
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                log.debug("SMTP session {} from {}: TLS handshake failed: {}", sessionId, client, done.cause().toString());
                ctx.close();
                return;
            }
            tlsActive = true;
            awaitingHandshake = false;
            clientCertificates = presentedCertificates(ctx);
            return;
        }
        if (evt instanceof IdleStateEvent && !busy && state != State.CLOSING) {
            state = State.CLOSING;
            ctx.writeAndFlush(Unpooled.copiedBuffer("421 4.4.2 " + hostname + " idle too long, closing\r\n", StandardCharsets.US_ASCII))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset by the peer is routine; anything else is ours to log. The peer never sees a stack trace.
        log.debug("SMTP session {} from {} failed: {}", sessionId, client, cause.toString());
        ctx.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Replies to one read's worth of (pipelined) commands leave in one write.
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object decoded) {
        if (state == State.CLOSING || awaitingHandshake) return;
        if (busy) {
            queued.add(decoded);
            return;
        }
        handle(ctx, decoded);
    }

    private void handle(ChannelHandlerContext ctx, Object decoded) {
        if (decoded instanceof SmtpLineDecoder.DataEnd) {
            endOfData(ctx);
            return;
        }
        SmtpLineDecoder.Line line = (SmtpLineDecoder.Line) decoded;
        if (state == State.DATA) {
            dataLine(ctx, line);
            return;
        }
        if (line.tooLong()) {
            reply(ctx, 500, "5.5.2", "line too long");
            return;
        }
        String text = new String(line.bytes(), StandardCharsets.ISO_8859_1);
        if (text.equalsIgnoreCase("STARTTLS")) {
            startTls(ctx);
            return;
        }
        String verb = (text.length() >= 4 ? text.substring(0, 4) : text).toUpperCase(Locale.ROOT);
        String argument = text.length() > 4 ? text.substring(4).strip() : "";
        if (text.length() > 4 && text.charAt(4) != ' ') verb = "?";
        switch (verb) {
            case "EHLO" -> hello(ctx, argument, true);
            case "HELO" -> hello(ctx, argument, false);
            case "MAIL" -> mail(ctx, argument);
            case "RCPT" -> rcpt(ctx, argument);
            case "DATA" -> data(ctx, argument);
            case "RSET" -> {
                resetTransaction();
                reply(ctx, 250, "2.0.0", "OK");
            }
            case "NOOP" -> reply(ctx, 250, "2.0.0", "OK");
            case "QUIT" -> {
                state = State.CLOSING;
                ctx.writeAndFlush(Unpooled.copiedBuffer("221 2.0.0 " + hostname + " closing\r\n", StandardCharsets.US_ASCII))
                        .addListener(ChannelFutureListener.CLOSE);
            }
            case "VRFY" -> reply(ctx, 252, "2.5.2", "cannot verify, send a message");
            default -> reply(ctx, 500, "5.5.1", "command not recognised");
        }
    }

    private void startTls(ChannelHandlerContext ctx) {
        if (tls == null || tlsActive) {
            reply(ctx, tls == null ? 502 : 503, "5.5.1", tls == null ? "STARTTLS not offered" : "TLS already active");
            return;
        }
        if (state != State.READY) {
            reply(ctx, 503, "5.5.1", state == State.CONNECTED ? "say EHLO first" : "not inside a transaction");
            return;
        }
        // RFC 3207: forget everything said in plaintext; the client starts again with EHLO.
        awaitingHandshake = true;
        queued.clear();
        resetTransaction();
        state = State.CONNECTED;
        helo = null;
        // A fresh line decoder drops any plaintext bytes buffered after the command (RFC 3207 §6 injection).
        ctx.pipeline().replace(SmtpLineDecoder.class, "lines", new SmtpLineDecoder(limits.maxLineLength()));
        ctx.pipeline().addFirst("tls", new SslHandler(tls.newEngine(ctx.alloc()), true));
        ctx.writeAndFlush(Unpooled.copiedBuffer("220 2.0.0 ready to start TLS\r\n", StandardCharsets.US_ASCII));
    }

    private static List<java.security.cert.X509Certificate> presentedCertificates(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) return List.of();
        try {
            List<java.security.cert.X509Certificate> chain = new ArrayList<>();
            for (java.security.cert.Certificate c : tls.engine().getSession().getPeerCertificates()) {
                if (c instanceof java.security.cert.X509Certificate x) chain.add(x);
            }
            return List.copyOf(chain);
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return List.of(); // the client sent no certificate: it may still be known by its address
        }
    }

    private ClientInfo clientInfo() {
        return new ClientInfo(client, clientCertificates);
    }

    private void hello(ChannelHandlerContext ctx, String argument, boolean extended) {
        if (argument.isEmpty() || !printable(argument)) {
            reply(ctx, 501, "5.5.4", "a host name is required");
            return;
        }
        resetTransaction();
        helo = argument;
        state = State.READY;
        if (!extended) {
            reply(ctx, 250, null, hostname);
            return;
        }
        write(ctx, "250-" + hostname + " greets " + argument + "\r\n"
                + "250-SIZE " + limits.maxMessageSize() + "\r\n"
                + "250-PIPELINING\r\n"
                + "250-8BITMIME\r\n"
                + (tls != null && !tlsActive ? "250-STARTTLS\r\n" : "")
                + "250 ENHANCEDSTATUSCODES\r\n");
    }

    private void mail(ChannelHandlerContext ctx, String argument) {
        if (state == State.CONNECTED) {
            reply(ctx, 503, "5.5.1", "say EHLO first");
            return;
        }
        if (state != State.READY) {
            reply(ctx, 503, "5.5.1", "a transaction is already open");
            return;
        }
        if (!argument.regionMatches(true, 0, "FROM:", 0, 5)) {
            reply(ctx, 501, "5.5.4", "syntax: MAIL FROM:<address>");
            return;
        }
        PathAndParameters parsed = PathAndParameters.parse(argument.substring(5));
        if (parsed == null) {
            reply(ctx, 501, "5.1.7", "bad sender address syntax");
            return;
        }
        for (String parameter : parsed.parameters()) {
            String upper = parameter.toUpperCase(Locale.ROOT);
            if (upper.startsWith("SIZE=")) {
                long declared;
                try {
                    declared = Long.parseLong(upper.substring(5));
                } catch (NumberFormatException e) {
                    reply(ctx, 501, "5.5.4", "bad SIZE value");
                    return;
                }
                if (declared > limits.maxMessageSize()) {
                    reply(ctx, 552, "5.3.4", "message size exceeds fixed limit of " + limits.maxMessageSize() + " bytes");
                    return;
                }
                declaredSize = Math.max(declared, 0);
            } else if (!upper.equals("BODY=7BIT") && !upper.equals("BODY=8BITMIME")) {
                reply(ctx, 555, "5.5.4", "parameter not supported");
                return;
            }
        }
        SmtpReply refusal = policy.onMail(clientInfo(), parsed.path());
        if (refusal != null) {
            reply(ctx, refusal);
            return;
        }
        reversePath = parsed.path();
        state = State.MAIL;
        reply(ctx, 250, "2.1.0", "sender OK");
    }

    private void rcpt(ChannelHandlerContext ctx, String argument) {
        if (state != State.MAIL) {
            reply(ctx, 503, "5.5.1", "need MAIL before RCPT");
            return;
        }
        if (!argument.regionMatches(true, 0, "TO:", 0, 3)) {
            reply(ctx, 501, "5.5.4", "syntax: RCPT TO:<address>");
            return;
        }
        PathAndParameters parsed = PathAndParameters.parse(argument.substring(3));
        if (parsed == null || parsed.path().isEmpty()) {
            reply(ctx, 501, "5.1.3", "bad recipient address syntax");
            return;
        }
        if (!parsed.parameters().isEmpty()) {
            reply(ctx, 555, "5.5.4", "parameter not supported");
            return;
        }
        if (recipients.size() >= limits.maxRecipients()) {
            reply(ctx, 452, "4.5.3", "too many recipients");
            return;
        }
        SmtpReply refusal = policy.onRcpt(clientInfo(), reversePath, List.copyOf(recipients), parsed.path());
        if (refusal != null) {
            reply(ctx, refusal);
            return;
        }
        recipients.add(parsed.path());
        reply(ctx, 250, "2.1.5", "recipient OK");
    }

    private void data(ChannelHandlerContext ctx, String argument) {
        if (state != State.MAIL) {
            reply(ctx, 503, "5.5.1", "need MAIL before DATA");
            return;
        }
        if (recipients.isEmpty()) {
            reply(ctx, 554, "5.5.1", "no valid recipients");
            return;
        }
        if (!argument.isEmpty()) {
            reply(ctx, 501, "5.5.4", "DATA takes no argument");
            return;
        }
        state = State.DATA;
        data = new DataBuffer(traceHeader(), declaredSize, limits.maxMessageSize());
        // The decoder writes the content lines straight into the buffer from here on.
        ctx.pipeline().get(SmtpLineDecoder.class).startData(data);
        reply(ctx, 354, null, "end data with <CR><LF>.<CR><LF>");
    }

    /** Content lines decoded before the decoder was switched (a client that did not wait for 354). */
    private void dataLine(ChannelHandlerContext ctx, SmtpLineDecoder.Line line) {
        byte[] bytes = line.bytes();
        if (line.tooLong()) {
            data.lineTooLong();
            return;
        }
        if (bytes.length == 1 && bytes[0] == '.') {
            ctx.pipeline().get(SmtpLineDecoder.class).startData(null);
            endOfData(ctx);
            return;
        }
        int offset = bytes.length > 0 && bytes[0] == '.' ? 1 : 0; // dot-unstuffing (RFC 5321 §4.5.2)
        data.appendLine(bytes, offset, bytes.length - offset);
    }

    private void endOfData(ChannelHandlerContext ctx) {
        if (data.tooLarge()) {
            resetTransaction();
            reply(ctx, 552, "5.3.4", "message size exceeds fixed limit of " + limits.maxMessageSize() + " bytes");
            return;
        }
        if (data.hasLineTooLong()) {
            resetTransaction();
            reply(ctx, 500, "5.5.2", "line too long in message");
            return;
        }
        Envelope envelope = new Envelope(client, helo, reversePath, recipients, clientCertificates);
        byte[] message = data.content();
        resetTransaction();
        busy = true;
        ctx.channel().config().setAutoRead(false);
        CompletionStage<SmtpReply> outcome;
        try {
            outcome = policy.onMessage(envelope, message);
        } catch (RuntimeException e) {
            outcome = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((answer, error) -> ctx.executor().execute(() -> {
            if (error != null) {
                log.error("SMTP session {}: message from {} could not be taken: {}", sessionId, client.getAddress().getHostAddress(), error.toString());
                reply(ctx, 451, "4.3.0", "temporary failure, try again later");
            } else {
                reply(ctx, answer);
            }
            messagesInSession++;
            busy = false;
            while (!busy && state != State.CLOSING && !queued.isEmpty()) handle(ctx, queued.poll());
            ctx.flush();
            if (!busy && ctx.channel().isActive()) ctx.channel().config().setAutoRead(true);
        }));
    }

    private byte[] traceHeader() {
        String date = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
        String trace = "Received: from " + helo + " ([" + client.getAddress().getHostAddress() + "])\r\n\tby " + hostname
                + " (OpenMMSC) with " + (tlsActive ? "ESMTPS" : "ESMTP") + " id " + sessionId + "." + messagesInSession + ";\r\n\t" + date + "\r\n";
        return trace.getBytes(StandardCharsets.US_ASCII);
    }

    private void resetTransaction() {
        if (state != State.CONNECTED && state != State.CLOSING) state = State.READY;
        reversePath = null;
        recipients.clear();
        data = null;
        declaredSize = 0;
    }

    private void reply(ChannelHandlerContext ctx, int code, String enhanced, String text) {
        reply(ctx, SmtpReply.of(code, enhanced, text));
    }

    private void reply(ChannelHandlerContext ctx, SmtpReply reply) {
        write(ctx, reply.line() + "\r\n");
    }

    /** Queued until the read completes (or the async reply is done), then flushed together. */
    private void write(ChannelHandlerContext ctx, String text) {
        ctx.write(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    /** Only visible ASCII (0x21–0x7E): host names and paths. A loop, not a regex compiled per command. */
    static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) return false;
        }
        return true;
    }

    /** "<path> PARAM=V …" of MAIL/RCPT; null when the syntax is wrong or the path holds characters no address may. */
    record PathAndParameters(String path, List<String> parameters) {
        static PathAndParameters parse(String text) {
            String s = text.strip();
            if (!s.startsWith("<")) return null;
            int close = s.indexOf('>');
            if (close < 0) return null;
            String path = s.substring(1, close);
            // Source routes ("@a,@b:user@c") are obsolete; take the mailbox after the colon (RFC 5321 §4.1.2).
            if (path.startsWith("@") && path.indexOf(':') > 0) path = path.substring(path.indexOf(':') + 1);
            if (!printable(path) || path.indexOf('<') >= 0 || path.length() > 256) return null;
            String rest = s.substring(close + 1).strip();
            List<String> parameters = rest.isEmpty() ? List.of() : List.of(rest.split("\\s+"));
            return new PathAndParameters(path, parameters);
        }
    }
}
