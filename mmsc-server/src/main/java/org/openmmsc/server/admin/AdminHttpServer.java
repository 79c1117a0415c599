package org.openmmsc.server.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.spi.MessageStore;
import org.openmmsc.server.config.AdminConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's admin HTTP API on Netty: health, readiness, Prometheus metrics, message injection
 * and trace (see docs/admin-api.md). Event loops do I/O only; store reads and relay calls run on
 * virtual threads, at most {@link #MAX_IN_FLIGHT} at a time.
 */
public final class AdminHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminHttpServer.class);
    /** Requests being worked on at once; beyond it the API answers 503 rather than queue without bound. */
    static final int MAX_IN_FLIGHT = 256;
    /** Idle keep-alive connections are closed after this long so a client cannot hold sockets forever. */
    private static final int IDLE_SECONDS = 120;
    private static final long DRAIN_MILLIS = 10_000;

    private final AdminConfig config;
    private final AdminRouter router;
    private final MessageJson json = new MessageJson();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("admin-api-", 0).factory());
    private EventLoopGroup acceptors;
    private EventLoopGroup loops;
    private volatile Channel listener;

    public AdminHttpServer(AdminConfig config, Relay relay, MessageStore store, PrometheusMeterRegistry prometheus,
                           BooleanSupplier ready, NumberNormalizer numbers) {
        this.config = config;
        MessageService messages = new MessageService(relay, store, json);
        MessageRequestParser parser = new MessageRequestParser(numbers, config.maxRequestBytes());
        this.router = new AdminRouter(messages, parser, json, prometheus, ready, config.bearerToken());
    }

    /** Binds {@code bindAddress:port} (port 0 picks a free one) and answers the bound port. */
    public synchronized int start() throws InterruptedException {
        if (listener != null) throw new IllegalStateException("admin API already started");
        acceptors = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loops = new MultiThreadIoEventLoopGroup(Math.min(4, Runtime.getRuntime().availableProcessors()), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, loops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast("http", new HttpServerCodec())
                                .addLast("aggregate", new JsonHttpObjectAggregator(config.maxRequestBytes(), json))
                                .addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS))
                                .addLast("admin", new AdminHttpHandler(router, workers, inFlight, draining::get, json));
                    }
                });
        try {
            listener = bootstrap.bind(new InetSocketAddress(config.bindAddress(), config.port())).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            shutDownLoops();
            throw e;
        }
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        log.info("admin API listening on {}:{}{}", config.bindAddress(), port, config.bearerToken() == null ? "" : " (bearer token required on /api)");
        return port;
    }

    /** Closes the listening socket; requests in flight finish, and their connections close after answering. */
    public void stopAccepting() {
        draining.set(true);
        Channel channel = listener;
        if (channel != null) channel.close().awaitUninterruptibly();
    }

    /** Stops accepting, gives in-flight requests up to ten seconds to finish, then stops everything. */
    @Override
    public synchronized void close() {
        stopAccepting();
        try {
            if (inFlight.tryAcquire(MAX_IN_FLIGHT, DRAIN_MILLIS, TimeUnit.MILLISECONDS)) inFlight.release(MAX_IN_FLIGHT);
            else log.warn("admin API closing with requests still in flight");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutDownLoops();
        workers.shutdownNow();
    }

    private void shutDownLoops() {
        if (loops != null) loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (acceptors != null) acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
