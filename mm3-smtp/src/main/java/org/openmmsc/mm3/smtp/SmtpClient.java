package org.openmmsc.mm3.smtp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.smtp.DefaultLastSmtpContent;
import io.netty.handler.codec.smtp.DefaultSmtpRequest;
import io.netty.handler.codec.smtp.SmtpCommand;
import io.netty.handler.codec.smtp.SmtpRequest;
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.handler.codec.smtp.SmtpResponseDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMTP client on Netty's SMTP codec, with a small connection pool per destination.
 *
 * <p>A destination is a host, port and TLS policy. Sessions to it are reused: after each
 * transaction the session is parked, and its next transaction starts with RSET (pipelined with
 * MAIL, RCPT and DATA when the server offers PIPELINING), which clears what the last one left and
 * proves the session alive; a parked session is closed after the idle timeout, and a session is
 * closed once it has carried the configured number of messages. At most
 * {@code maxConnectionsPerDestination} sessions are open per destination; more senders wait for
 * one. MAIL, RCPT and DATA are pipelined when the server offers PIPELINING (RFC 2920).
 *
 * <p>TLS (RFC 3207): {@link TlsMode#OPPORTUNISTIC} uses STARTTLS when offered, without
 * authenticating the server (as Postfix's "may" level: a clear fallback is allowed anyway, so
 * verification would protect nothing), and goes on in clear if the server does not offer it; if
 * the handshake fails, the message goes at once over a new session in clear, and the session
 * after that tries TLS again. {@link TlsMode#REQUIRED} never sends a message in clear: no STARTTLS, a
 * refused STARTTLS or a failed handshake or certificate check fail the attempt with
 * {@link TlsFailure}; the server's certificate is checked against the destination's trust and its
 * name against {@link Destination#tlsName()} (the JDK's "HTTPS" endpoint check: RFC 2818 matching of SAN dNSName or iPAddress).
 *
 * <p>A send completes with the reply that decided the outcome (the 250 to the message, or the
 * first refusal, with its step), or exceptionally with an IOException when the server cannot be
 * reached, goes silent or drops the session ({@link TlsFailure} for TLS policy failures).
 */
public final class SmtpClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpClient.class);
    private static final SmtpCommand STARTTLS = SmtpCommand.valueOf("STARTTLS");

    /** The deciding reply, and which step it answered ("MAIL", "RCPT", "DATA", "message", "greeting", "EHLO"). */
    public record Result(String step, SmtpReply reply) {
        public boolean accepted() {
            return reply.code() == 250 && step.equals("message");
        }
    }

    /** What a destination demands of TLS. */
    public enum TlsMode { REQUIRED, OPPORTUNISTIC, OFF }

    /**
     * Where to send and how. Sessions are pooled per distinct destination.
     *
     * @param host    the server's name (MX target or configured host); also the TLS name unless {@code tlsName} is set
     * @param address where to connect; null = resolve {@code host} with the system resolver (off the event loops)
     * @param port    TCP port
     * @param tls     TLS policy
     * @param sslContext client context (its trust and client certificate); null = the JDK's trust under REQUIRED, none
     *                   under OPPORTUNISTIC; an OPPORTUNISTIC context should trust anything (nothing is verified there)
     * @param tlsName the name the server's certificate must carry under REQUIRED; null = {@code host}
     */
    public record Destination(String host, InetAddress address, int port, TlsMode tls, SslContext sslContext, String tlsName) {
        public Destination {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(tls, "tls");
        }

        public static Destination plain(String host, int port) {
            return new Destination(host, null, port, TlsMode.OFF, null, null);
        }

        String describe() {
            return host + (address == null || address.getHostAddress().equals(host) ? "" : "[" + address.getHostAddress() + "]") + ":" + port;
        }
    }

    /**
     * Connection reuse.
     *
     * @param maxConnectionsPerDestination sessions open at once to one destination
     * @param maxMessagesPerConnection     messages per session before it is closed (spreads load, bounds a session's life)
     * @param idleTimeout                  a parked session unused this long is closed (with QUIT)
     */
    public record PoolSettings(int maxConnectionsPerDestination, int maxMessagesPerConnection, Duration idleTimeout) {
        public PoolSettings {
            if (maxConnectionsPerDestination < 1) throw new IllegalArgumentException("maxConnectionsPerDestination must be at least 1");
            if (maxMessagesPerConnection < 1) throw new IllegalArgumentException("maxMessagesPerConnection must be at least 1");
            if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("idleTimeout must be positive");
        }

        public static PoolSettings defaults() {
            return new PoolSettings(16, 100, Duration.ofSeconds(30));
        }
    }

    /** The TLS policy of the destination could not be met; nothing was sent in clear. */
    public static final class TlsFailure extends IOException {
        public TlsFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A refusal before any transaction (greeting or EHLO), carried to the sender as a Result. */
    private static final class Refused extends IOException {
        final Result result;

        Refused(Result result) {
            super(result.step() + " refused: " + result.reply().line());
            this.result = result;
        }
    }

    private final EventLoopGroup loops;
    private final String heloName;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final PoolSettings poolSettings;
    private final SslContext opportunisticContext;
    private final Map<Destination, Pool> pools = new ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService resolving = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    public SmtpClient(String heloName, Duration connectTimeout, Duration responseTimeout) {
        this(heloName, connectTimeout, responseTimeout, PoolSettings.defaults());
    }

    public SmtpClient(String heloName, Duration connectTimeout, Duration responseTimeout, PoolSettings poolSettings) {
        this.loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        this.heloName = heloName;
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.poolSettings = poolSettings;
        try {
            this.opportunisticContext = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS client context", e);
        }
        long sweep = Math.max(100, Math.min(poolSettings.idleTimeout().toMillis() / 2, 5_000));
        loops.scheduleAtFixedRate(this::closeIdle, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /** One message to {@code host:port} without TLS (MM3's smarthost). */
    public CompletableFuture<Result> send(String host, int port, String mailFrom, String rcptTo, byte[] message) {
        return send(Destination.plain(host, port), mailFrom, rcptTo, message);
    }

    /** One message to the destination over a pooled session (a new one if none is free). */
    public CompletableFuture<Result> send(Destination destination, String mailFrom, String rcptTo, byte[] message) {
        byte[] stuffed = DotStuffing.stuff(message);
        Pool pool = pools.computeIfAbsent(destination, Pool::new);
        CompletableFuture<Result> result = new CompletableFuture<>();
        attempt(pool, mailFrom, rcptTo, stuffed, result, true);
        return result;
    }

    /** Sessions open now to a destination (tests and meters). */
    public int openConnections(Destination destination) {
        Pool pool = pools.get(destination);
        return pool == null ? 0 : pool.open();
    }

    private void attempt(Pool pool, String mailFrom, String rcptTo, byte[] content, CompletableFuture<Result> result, boolean mayRetry) {
        pool.acquire().whenComplete((conn, error) -> {
            if (error != null) {
                Throwable cause = unwrap(error);
                if (cause instanceof Refused r) {
                    result.complete(r.result);
                } else if (cause instanceof TlsFailure && pool.destination.tls() == TlsMode.OPPORTUNISTIC && mayRetry) {
                    // Opportunistic: a failed handshake is no reason to hold the message; a fresh session goes in clear.
                    attempt(pool, mailFrom, rcptTo, content, result, false);
                } else {
                    result.completeExceptionally(cause);
                }
                return;
            }
            conn.channel.eventLoop().execute(() -> conn.transaction(mailFrom, rcptTo, content).whenComplete((outcome, failure) -> {
                if (failure == null) {
                    result.complete(outcome);
                    return;
                }
                Throwable cause = unwrap(failure);
                // A parked session the server closed meanwhile fails before the content went out: nothing was
                // delivered, so the message goes once more on a fresh session instead of waiting for a retry.
                if (mayRetry && conn.reused && !conn.contentSent) {
                    log.debug("SMTP session to {} was stale ({}); sending on a new one", pool.destination.describe(), cause.getMessage());
                    attempt(pool, mailFrom, rcptTo, content, result, false);
                } else {
                    result.completeExceptionally(cause);
                }
            }));
        });
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private void closeIdle() {
        long now = System.nanoTime();
        for (Pool pool : pools.values()) pool.closeIdle(now);
    }

    /** The sessions to one destination: parked ones, the count open, and senders waiting for one. */
    private final class Pool {
        final Destination destination;
        private final ArrayDeque<Connection> idle = new ArrayDeque<>();
        private final ArrayDeque<CompletableFuture<Connection>> waiters = new ArrayDeque<>();
        private int open;
        /** Set when STARTTLS failed on an opportunistic destination: its next session goes in clear. */
        private volatile boolean tlsBroken;

        Pool(Destination destination) {
            this.destination = destination;
        }

        synchronized int open() {
            return open;
        }

        CompletableFuture<Connection> acquire() {
            synchronized (this) {
                Connection c;
                while ((c = idle.pollLast()) != null) {
                    if (c.channel.isActive()) {
                        c.reused = true;
                        return CompletableFuture.completedFuture(c);
                    }
                }
                if (open >= poolSettings.maxConnectionsPerDestination()) {
                    CompletableFuture<Connection> waiter = new CompletableFuture<>();
                    waiters.add(waiter);
                    return waiter;
                }
                open++;
            }
            return connect();
        }

        /** A session just finished a transaction: hand it to a waiting sender, or park it. */
        void release(Connection c) {
            while (true) {
                CompletableFuture<Connection> waiter;
                synchronized (this) {
                    waiter = waiters.poll();
                    if (waiter == null) {
                        c.idleSince = System.nanoTime();
                        idle.addLast(c);
                        return;
                    }
                }
                c.reused = true;
                if (waiter.complete(c)) return; // else that sender was cancelled meanwhile: the next one, or park
            }
        }

        /** A session ended (or never opened): count it out, and open one for a waiting sender. */
        void closed(Connection c) {
            CompletableFuture<Connection> waiter;
            synchronized (this) {
                if (c != null) idle.remove(c);
                open--;
                waiter = waiters.poll();
                if (waiter == null) return;
                open++;
            }
            connect().whenComplete((conn, error) -> {
                if (error != null) waiter.completeExceptionally(unwrap(error));
                else if (!waiter.complete(conn)) release(conn); // the sender was cancelled meanwhile: the session serves another
            });
        }

        void closeIdle(long now) {
            List<Connection> expired = new java.util.ArrayList<>();
            synchronized (this) {
                idle.removeIf(c -> {
                    boolean old = now - c.idleSince > poolSettings.idleTimeout().toNanos();
                    if (old) expired.add(c);
                    return old;
                });
            }
            for (Connection c : expired) c.quit();
        }

        private CompletableFuture<Connection> connect() {
            if (destination.address() != null) return connect(destination.address());
            // A name without an address (MM3's smarthost): the system resolver may block, so it runs on a virtual thread,
            // never on an event loop.
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return InetAddress.getByName(destination.host());
                } catch (java.net.UnknownHostException e) {
                    throw new CompletionException(new IOException("cannot resolve " + destination.host() + ": " + e.getMessage(), e));
                }
            }, resolving).handle((address, error) -> {
                if (error == null) return connect(address);
                closed(null);
                return CompletableFuture.<Connection>failedFuture(unwrap(error));
            }).thenCompose(f -> f);
        }

        private CompletableFuture<Connection> connect(InetAddress address) {
            CompletableFuture<Connection> ready = new CompletableFuture<>();
            Connection conn = new Connection(this, ready);
            InetSocketAddress remote = new InetSocketAddress(address, destination.port());
            new Bootstrap()
                    .group(loops)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast("idle", new IdleStateHandler(responseTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                                    .addLast("replies", new SmtpResponseDecoder(4096))
                                    .addLast("requests", new SmtpRequestEncoder())
                                    .addLast("session", conn);
                        }
                    })
                    .connect(remote)
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            conn.endedBeforeUse();
                            ready.completeExceptionally(new IOException("cannot connect to " + destination.describe() + ": " + f.cause().getMessage()));
                        }
                    });
            return ready;
        }
    }

    /** One SMTP session: replies are matched to the commands in the order they were written (pipelining). */
    private final class Connection extends SimpleChannelInboundHandler<SmtpResponse> {
        private final Pool pool;
        private final CompletableFuture<Connection> ready;
        private final ArrayDeque<CompletableFuture<SmtpResponse>> pending = new ArrayDeque<>();
        private final CompletableFuture<SmtpResponse> greeting = new CompletableFuture<>();
        Channel channel;
        Set<String> extensions = Set.of();
        boolean tls;
        boolean reused;
        boolean contentSent;
        int messages;
        long idleSince;
        private boolean counted = true;

        Connection(Pool pool, CompletableFuture<Connection> ready) {
            this.pool = pool;
            this.ready = ready;
            pending.add(greeting);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            open().whenComplete((v, error) -> {
                if (error == null) {
                    ready.complete(this);
                } else {
                    ready.completeExceptionally(unwrap(error));
                    quit();
                }
            });
            ctx.fireChannelActive();
        }

        /** Greeting, EHLO, and STARTTLS as the destination's policy asks. */
        private CompletableFuture<Void> open() {
            Destination d = pool.destination;
            return greeting.thenCompose(g -> {
                if (g.code() / 100 != 2) throw new CompletionException(new Refused(new Result("greeting", toReply(g))));
                return ehlo();
            }).thenCompose(v -> {
                boolean offered = extensions.contains("STARTTLS");
                if (d.tls() == TlsMode.OPPORTUNISTIC && offered && pool.tlsBroken) {
                    // The last handshake with this host failed: this one session goes in clear, the next tries TLS again.
                    pool.tlsBroken = false;
                    return CompletableFuture.completedFuture(null);
                }
                if (d.tls() == TlsMode.OFF || (d.tls() == TlsMode.OPPORTUNISTIC && !offered)) {
                    return CompletableFuture.completedFuture(null);
                }
                if (!offered) {
                    throw new CompletionException(new TlsFailure("TLS required for " + d.describe() + " but it did not offer STARTTLS; nothing sent in clear", null));
                }
                return command(new DefaultSmtpRequest(STARTTLS)).thenCompose(r -> {
                    if (r.code() != 220) {
                        if (d.tls() == TlsMode.REQUIRED) {
                            throw new CompletionException(new TlsFailure("TLS required for " + d.describe() + " but STARTTLS was answered "
                                    + toReply(r).line() + "; nothing sent in clear", null));
                        }
                        return CompletableFuture.completedFuture(null); // opportunistic: RFC 3207 lets the session go on in clear
                    }
                    return handshake(d).thenCompose(x -> ehlo());
                });
            });
        }

        private CompletableFuture<Void> handshake(Destination d) {
            boolean verify = d.tls() == TlsMode.REQUIRED;
            SslContext context = d.sslContext() != null ? d.sslContext() : verify ? defaultContext() : opportunisticContext;
            String name = d.tlsName() != null ? d.tlsName() : d.host();
            SSLEngine engine = context.newEngine(channel.alloc(), name, d.port());
            if (verify) {
                // The JDK's "HTTPS" identification is RFC 2818 host name matching (SAN dNSName/iPAddress).
                SSLParameters params = engine.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                engine.setSSLParameters(params);
            }
            SslHandler handler = new SslHandler(engine);
            handler.setHandshakeTimeoutMillis(responseTimeout.toMillis());
            CompletableFuture<Void> done = new CompletableFuture<>();
            channel.pipeline().addFirst("tls", handler);
            handler.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    tls = true;
                    SSLSession session = engine.getSession();
                    log.debug("SMTP to {}: TLS {} {} ({})", d.describe(), session.getProtocol(), session.getCipherSuite(),
                            verify ? "server verified as " + name : "not authenticated");
                    done.complete(null);
                    return;
                }
                String why = f.cause() == null ? "handshake failed" : rootMessage(f.cause());
                if (!verify) pool.tlsBroken = true; // the next session to this destination goes in clear
                done.completeExceptionally(new TlsFailure("TLS with " + d.describe() + " failed: " + why
                        + (verify ? "; nothing sent in clear" : "; the next session goes in clear"), f.cause()));
            });
            return done;
        }

        private CompletableFuture<Void> ehlo() {
            return command(SmtpRequests.ehlo(heloName)).thenAccept(r -> {
                if (r.code() / 100 != 2) throw new CompletionException(new Refused(new Result("EHLO", toReply(r))));
                Set<String> ext = new HashSet<>();
                List<CharSequence> lines = List.copyOf(r.details());
                for (int i = 1; i < lines.size(); i++) {
                    String keyword = lines.get(i).toString().strip().split("\\s+")[0].toUpperCase(Locale.ROOT);
                    ext.add(keyword);
                }
                extensions = ext;
            });
        }

        /**
         * [RSET,] MAIL, RCPT, DATA (pipelined when offered), the content; then the session is parked or, at its message
         * limit, closed. A reused session starts with RSET: it clears whatever the previous transaction left (a refused
         * DATA, say) and proves the session alive, in the same round trip as the transaction when pipelining.
         * Runs on the event loop.
         */
        CompletableFuture<Result> transaction(String mailFrom, String rcptTo, byte[] content) {
            contentSent = false;
            boolean rset = messages > 0;
            CompletableFuture<Result> outcome;
            if (extensions.contains("PIPELINING")) {
                CompletableFuture<SmtpResponse> reset = rset ? write(SmtpRequests.rset()) : CompletableFuture.completedFuture(null);
                CompletableFuture<SmtpResponse> mail = write(SmtpRequests.mail(mailFrom));
                CompletableFuture<SmtpResponse> rcpt = write(SmtpRequests.rcpt(rcptTo));
                CompletableFuture<SmtpResponse> data = write(SmtpRequests.data());
                channel.flush();
                outcome = CompletableFuture.allOf(reset, mail, rcpt, data).thenCompose(v -> {
                    if (rset && reset.join().code() != 250) return staleSession(reset.join(), data.join());
                    if (mail.join().code() / 100 != 2) return abandon(new Result("MAIL", toReply(mail.join())), data.join());
                    if (rcpt.join().code() / 100 != 2) return abandon(new Result("RCPT", toReply(rcpt.join())), data.join());
                    if (data.join().code() != 354) return CompletableFuture.completedFuture(new Result("DATA", toReply(data.join())));
                    return content(content);
                });
            } else {
                CompletableFuture<SmtpResponse> reset = rset ? command(SmtpRequests.rset()) : CompletableFuture.completedFuture(null);
                outcome = reset.thenCompose(x -> {
                    if (rset && x.code() != 250) return staleSession(x, null);
                    return command(SmtpRequests.mail(mailFrom));
                }).thenCompose(m -> {
                    if (m.code() / 100 != 2) return CompletableFuture.completedFuture(new Result("MAIL", toReply(m)));
                    return command(SmtpRequests.rcpt(rcptTo)).thenCompose(r -> {
                        if (r.code() / 100 != 2) return CompletableFuture.completedFuture(new Result("RCPT", toReply(r)));
                        return command(SmtpRequests.data()).thenCompose(d -> d.code() != 354
                                ? CompletableFuture.completedFuture(new Result("DATA", toReply(d)))
                                : content(content));
                    });
                });
            }
            return outcome.whenComplete((result, error) -> {
                if (error == null) afterTransaction(result);
                else channel.close(); // a session in an unknown state is never parked; closing it counts it out of the pool
            });
        }

        /** RSET refused on a reused session: it is not in a state to trust; close it (the caller retries on a fresh one). */
        private <T> CompletableFuture<T> staleSession(SmtpResponse reset, SmtpResponse dataReply) {
            channel.close();
            return CompletableFuture.failedFuture(new IOException("session to " + pool.destination.describe() + " answered RSET with "
                    + toReply(reset).line()));
        }

        private CompletableFuture<Result> abandon(Result refusal, SmtpResponse dataReply) {
            if (dataReply.code() == 354) {
                // A server that opened DATA after refusing MAIL or RCPT is confused; end the session rather than send anything.
                channel.close();
            }
            return CompletableFuture.completedFuture(refusal);
        }

        private CompletableFuture<Result> content(byte[] content) {
            contentSent = true;
            return command(new DefaultLastSmtpContent(Unpooled.wrappedBuffer(content))).thenApply(r -> new Result("message", toReply(r)));
        }

        private void afterTransaction(Result result) {
            messages++;
            if (!channel.isActive()) return;
            if (messages >= poolSettings.maxMessagesPerConnection()) {
                quit();
                return;
            }
            // Parked before the sender hears the outcome, so its next message finds this session free.
            pool.release(this);
        }

        void quit() {
            if (channel == null || !channel.isActive()) return;
            channel.eventLoop().execute(() -> {
                if (!channel.isActive()) return;
                try {
                    write(SmtpRequests.quit()).whenComplete((r, e) -> channel.close());
                    channel.flush();
                } catch (RuntimeException e) {
                    channel.close(); // the encoder refuses QUIT while it expects content: just close
                }
                channel.eventLoop().schedule(() -> channel.close(), 2, TimeUnit.SECONDS);
            });
        }

        private CompletableFuture<SmtpResponse> command(Object request) {
            CompletableFuture<SmtpResponse> reply = write(request);
            channel.flush();
            return reply;
        }

        private CompletableFuture<SmtpResponse> write(Object request) {
            CompletableFuture<SmtpResponse> reply = new CompletableFuture<>();
            pending.add(reply);
            channel.write(request).addListener(f -> {
                if (!f.isSuccess()) fail(new IOException("cannot write to " + pool.destination.describe() + ": " + f.cause()));
            });
            return reply;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SmtpResponse response) {
            CompletableFuture<SmtpResponse> waiting = pending.poll();
            if (waiting == null) {
                // Unsolicited (a 421 to a parked session, say): the session is over.
                log.debug("SMTP to {}: unsolicited {}; closing", pool.destination.describe(), response.code());
                ctx.close();
                return;
            }
            waiting.complete(response);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent e && e.state() == IdleState.READER_IDLE) {
                if (!pending.isEmpty()) {
                    fail(new IOException("no reply from " + pool.destination.describe() + " within " + responseTimeout.toMillis() + " ms"));
                    ctx.close();
                }
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(new IOException("connection to " + pool.destination.describe() + " closed" + (contentSent ? " after the message was sent" : "")));
            endedBeforeUse();
        }

        void endedBeforeUse() {
            if (counted) {
                counted = false;
                pool.closed(this);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause instanceof IOException io ? io : new IOException("SMTP session with " + pool.destination.describe() + " failed: " + rootMessage(cause), cause));
            ctx.close();
        }

        private void fail(IOException error) {
            CompletableFuture<SmtpResponse> f;
            while ((f = pending.poll()) != null) f.completeExceptionally(error);
        }
    }

    private volatile SslContext defaultContext;

    /** The JDK's default trust (cacerts), no client certificate. */
    private SslContext defaultContext() {
        SslContext c = defaultContext;
        if (c == null) {
            try {
                c = SslContextBuilder.forClient().build();
            } catch (SSLException e) {
                throw new IllegalStateException("cannot build the default TLS client context", e);
            }
            defaultContext = c;
        }
        return c;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private static SmtpReply toReply(SmtpResponse response) {
        String text = String.join(" ", response.details());
        String enhanced = null;
        if (text.matches("[245]\\.\\d{1,3}\\.\\d{1,3}( .*)?")) {
            int space = text.indexOf(' ');
            enhanced = space < 0 ? text : text.substring(0, space);
            text = space < 0 ? "" : text.substring(space + 1);
        }
        int code = response.code() < 200 || response.code() > 599 ? 554 : response.code();
        return new SmtpReply(code, enhanced, text);
    }

    @Override
    public void close() {
        for (Pool pool : pools.values()) {
            List<Connection> parked;
            synchronized (pool) {
                parked = List.copyOf(pool.idle);
                pool.idle.clear();
            }
            parked.forEach(Connection::quit);
        }
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        resolving.shutdown();
    }
}
