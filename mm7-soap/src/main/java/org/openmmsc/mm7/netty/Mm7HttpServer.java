package org.openmmsc.mm7.netty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openmmsc.mm7.Mm7Config;
import org.openmmsc.mm7.VaspAccount;
import org.openmmsc.mm7.codec.Mm7Envelope;
import org.openmmsc.mm7.codec.Mm7Exception;
import org.openmmsc.mm7.codec.Mm7Namespace;
import org.openmmsc.mm7.codec.Mm7SoapCodec;
import org.openmmsc.mm7.codec.Mm7Status;
import org.openmmsc.mm7.service.Mm7Reply;
import org.openmmsc.mm7.service.Mm7Service;
import org.openmmsc.mm7.service.VaspDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MM7 HTTP listener. The event loop only authenticates, admits (throughput cap) and checks
 * the size; SOAP parsing and the relay run on a bounded worker pool, and the answer is written
 * when the relay's future completes (that is, once the message is durable).
 */
public final class Mm7HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Mm7HttpServer.class);

    private final Mm7Config config;
    private final VaspDirectory vasps;
    private final Mm7Service service;
    private final Mm7SoapCodec codec = new Mm7SoapCodec();
    private final MeterRegistry meters;
    private final ThreadPoolExecutor workers;
    private final Timer latency;
    private EventLoopGroup acceptors;
    private EventLoopGroup loops;
    private Channel channel;
    private volatile boolean accepting = true;

    public Mm7HttpServer(Mm7Config config, Mm7Service service, MeterRegistry meters) {
        this(config, new VaspDirectory(config, System::nanoTime), service, meters);
    }

    /** {@code vasps} is shared with the client side, so a reload reaches both. */
    public Mm7HttpServer(Mm7Config config, VaspDirectory vasps, Mm7Service service, MeterRegistry meters) {
        this.config = config;
        this.vasps = vasps;
        this.service = service;
        this.meters = meters;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(config.workers(), config.workers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueLimit()), r -> {
                    Thread t = new Thread(r, "mm7-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.latency = Timer.builder("mmsc.mm7.request.latency").description("MM7 request to answer, server side")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    /** Binds and returns the port (useful with port 0). */
    public int start() throws InterruptedException {
        io.netty.handler.ssl.SslContext ssl = config.tls() == null ? null : config.tls().serverContext();
        acceptors = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loops = new MultiThreadIoEventLoopGroup(Math.min(4, Runtime.getRuntime().availableProcessors()), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, loops)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        ch.pipeline()
                                .addLast("http", new HttpServerCodec())
                                .addLast("gate", new Gate())
                                .addLast("aggregate", new CappedAggregator(config.maxMessageBytes()))
                                .addLast("mm7", new Handler());
                    }
                });
        channel = bootstrap.bind(config.bindAddress(), config.port()).sync().channel();
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        log.info("MM7 listening on {}://{}:{}/ for {} VASPs", ssl == null ? "http" : "https", config.bindAddress(), port, vasps.accounts().size());
        return port;
    }

    public void stopAccepting() {
        accepting = false;
        if (channel != null) channel.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        stopAccepting();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (loops != null) loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (acceptors != null) acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Runs on the request head, before any body is buffered: credentials, source address,
     * declared size and the throughput cap. A refused request is answered at once and its body dropped.
     */
    private final class Gate extends io.netty.channel.ChannelInboundHandlerAdapter {
        private boolean discarding;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
                discarding = false;
                try {
                    if (!accepting) throw new Mm7Exception(Mm7Status.SERVICE_UNAVAILABLE, "MMSC is shutting down; retry on another node or later");
                    if (req.method() != HttpMethod.POST) {
                        discarding = true;
                        io.netty.util.ReferenceCountUtil.release(msg);
                        plain(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "MM7 takes SOAP requests by HTTP POST\n");
                        return;
                    }
                    VaspAccount vasp = vasps.authenticate(req.headers().get(HttpHeaderNames.AUTHORIZATION),
                            ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress(), clientCertificate(ctx));
                    long declared = HttpUtil.getContentLength(req, -1L);
                    int cap = config.maxMessageBytes(vasp);
                    if (declared > cap) {
                        throw new Mm7Exception(Mm7Status.CONTENT_REFUSED, "request of " + declared + " bytes exceeds the limit of " + cap + " bytes for VASP " + vasp.id());
                    }
                    vasps.admit(vasp);
                    ctx.channel().attr(VASP).set(vasp);
                } catch (Mm7Exception e) {
                    discarding = true;
                    io.netty.util.ReferenceCountUtil.release(msg);
                    count("unknown", "unknown", e.status());
                    fault(ctx, null, e, false);
                    return;
                }
            } else if (discarding) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** The TLS client certificate of this connection (the handshake is over once a request arrives), or null. */
    private static java.security.cert.X509Certificate clientCertificate(ChannelHandlerContext ctx) {
        io.netty.handler.ssl.SslHandler tls = ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class);
        if (tls == null) return null;
        try {
            java.security.cert.Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof java.security.cert.X509Certificate x ? x : null;
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private static final io.netty.util.AttributeKey<VaspAccount> VASP = io.netty.util.AttributeKey.valueOf("mm7.vasp");

    /** Chunked bodies have no declared length; the aggregator's own cap catches them, answered as MM7. */
    private final class CappedAggregator extends HttpObjectAggregator {
        CappedAggregator(int max) {
            super(max);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            fault(ctx, null, new Mm7Exception(Mm7Status.CONTENT_REFUSED, "request exceeds the limit of " + config.maxMessageBytes() + " bytes"), false);
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            long started = System.nanoTime();
            VaspAccount vasp = ctx.channel().attr(VASP).get();
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            int cap = config.maxMessageBytes(vasp);
            if (req.content().readableBytes() > cap) {
                fault(ctx, null, new Mm7Exception(Mm7Status.CONTENT_REFUSED, "request of " + req.content().readableBytes()
                        + " bytes exceeds the limit of " + cap + " bytes for VASP " + vasp.id()), keepAlive);
                return;
            }
            byte[] body = ByteBufUtil.getBytes(req.content());
            String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
            try {
                workers.execute(() -> process(ctx, vasp, body, contentType, keepAlive, started));
            } catch (RejectedExecutionException e) {
                count(vasp.id(), "unknown", Mm7Status.SERVICE_UNAVAILABLE);
                fault(ctx, null, new Mm7Exception(Mm7Status.SERVICE_UNAVAILABLE, "MMSC is at capacity; retry shortly with the same TransactionID"), keepAlive);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            String why = cause.toString();
            // A TLS failure quotes the whole offending record in hex; the first words say enough.
            log.warn("MM7 connection from {} failed: {}", ctx.channel().remoteAddress(), why.length() > 200 ? why.substring(0, 200) + "…" : why);
            ctx.close();
        }
    }

    private void process(ChannelHandlerContext ctx, VaspAccount vasp, byte[] body, String contentType, boolean keepAlive, long started) {
        Mm7Envelope env;
        try {
            env = codec.decode(body, contentType);
        } catch (Mm7Exception e) {
            count(vasp.id(), "unknown", e.status());
            log.info("MM7 request from VASP {} refused: {}", vasp.id(), e.getMessage());
            fault(ctx, null, e, keepAlive);
            return;
        } catch (RuntimeException e) {
            log.error("MM7 request from VASP {}: decoder failed", vasp.id(), e);
            fault(ctx, null, new Mm7Exception(Mm7Status.SERVER_ERROR, "the request could not be processed"), keepAlive);
            return;
        }
        service.handle(vasp, env).whenComplete((reply, error) -> {
            Mm7Reply r = reply;
            if (error != null) {
                log.error("MM7 {} from VASP {} failed", env.operation(), vasp.id(), error);
                r = new Mm7Reply("RSErrorRsp", Mm7Status.SERVER_ERROR, Mm7Status.SERVER_ERROR.text() + ": internal error; retry with the same TransactionID", null);
            }
            count(vasp.id(), env.operation(), r.status());
            latency.record(Duration.ofNanos(System.nanoTime() - started));
            if (r.isFault()) log.info("MM7 {} {} from VASP {}: {}", env.operation(), env.transactionId(), vasp.id(), r.statusText());
            write(ctx, encode(env, r), r.isFault() ? HttpResponseStatus.INTERNAL_SERVER_ERROR : HttpResponseStatus.OK, keepAlive, null);
        });
    }

    private byte[] encode(Mm7Envelope env, Mm7Reply r) {
        String version = env.version() == null || env.version().isEmpty() ? Mm7Namespace.DEFAULT_VERSION : env.version();
        if (r.isFault()) return codec.encodeFault(env.namespace(), version, env.transactionId(), "RSErrorRsp", r.status(), r.statusText());
        java.util.List<Mm7SoapCodec.Field> fields = new java.util.ArrayList<>();
        fields.add(Mm7SoapCodec.Field.text("MM7Version", version));
        if (r.responseElement().startsWith("extended")) {
            // Rel-6 extendedCancelRsp / extendedReplaceRsp: MessageID (replace) before a Status that holds StatusCode only.
            if (r.messageId() != null) fields.add(Mm7SoapCodec.Field.text("MessageID", r.messageId()));
            fields.add(new Mm7SoapCodec.Field.Group("Status", java.util.List.of(Mm7SoapCodec.Field.text("StatusCode", Integer.toString(r.status().code())))));
            return codec.encode(env.namespace(), env.transactionId(), r.responseElement(), fields);
        }
        fields.add(Mm7SoapCodec.Field.status(r.status().code(), r.statusText()));
        if (r.messageId() != null) fields.add(Mm7SoapCodec.Field.text("MessageID", r.messageId()));
        return codec.encode(env.namespace(), env.transactionId(), r.responseElement(), fields);
    }

    private void fault(ChannelHandlerContext ctx, Mm7Envelope env, Mm7Exception e, boolean keepAlive) {
        byte[] bytes = codec.encodeFault(env == null ? Mm7Namespace.DEFAULT : env.namespace(), Mm7Namespace.DEFAULT_VERSION,
                env == null ? null : env.transactionId(), "RSErrorRsp", e.status(), e.statusText());
        HttpResponseStatus http = switch (e.status()) {
            case IMPROPER_IDENTIFICATION -> HttpResponseStatus.UNAUTHORIZED;
            case SERVICE_DENIED -> HttpResponseStatus.FORBIDDEN;
            case SERVICE_UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case CONTENT_REFUSED -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            default -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
        };
        // Refused before the body was read: close, so an unread body cannot be mistaken for the next request.
        boolean unread = http != HttpResponseStatus.INTERNAL_SERVER_ERROR;
        write(ctx, bytes, http, keepAlive && !unread, e.status() == Mm7Status.IMPROPER_IDENTIFICATION ? "Basic realm=\"MM7\"" : null);
    }

    private static void write(ChannelHandlerContext ctx, byte[] body, HttpResponseStatus status, boolean keepAlive, String challenge) {
        FullHttpResponse rsp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        rsp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/xml; charset=utf-8");
        rsp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (challenge != null) rsp.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
        if (status == HttpResponseStatus.SERVICE_UNAVAILABLE) rsp.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        if (keepAlive) {
            rsp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(rsp);
        } else {
            rsp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(rsp).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void plain(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        FullHttpResponse rsp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        rsp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        rsp.headers().set(HttpHeaderNames.ALLOW, "POST");
        rsp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        rsp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(rsp).addListener(ChannelFutureListener.CLOSE);
    }

    private void count(String vasp, String operation, Mm7Status status) {
        Counter.builder("mmsc.mm7.requests").tag("vasp", vasp).tag("operation", operation).tag("status", Integer.toString(status.code()))
                .description("MM7 requests answered, by VASP, operation and MM7 status").register(meters).increment();
    }
}
