package org.openmmsc.mm3.smtp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The SMTP listener: a small Netty pipeline (line decoder, idle timer, session handler). Shared
 * by MM3 and MM4; the {@link SmtpPolicy} decides what is accepted.
 */
public final class SmtpServer implements AutoCloseable {
    private final String bindAddress;
    private final int port;
    private final String hostname;
    private final SmtpLimits limits;
    private final SmtpPolicy policy;
    private final ConnectionLimiter connections;
    private final SslContext tls;
    private EventLoopGroup acceptors;
    private EventLoopGroup loops;
    private Channel listener;
    private int boundPort;

    public SmtpServer(String bindAddress, int port, String hostname, SmtpLimits limits, SmtpPolicy policy) {
        this(bindAddress, port, hostname, limits, policy, null);
    }

    /** @param tls server TLS context for STARTTLS (RFC 3207), or null to not offer it */
    public SmtpServer(String bindAddress, int port, String hostname, SmtpLimits limits, SmtpPolicy policy, SslContext tls) {
        this.tls = tls;
        this.bindAddress = bindAddress;
        this.port = port;
        this.hostname = hostname;
        this.limits = limits;
        this.policy = policy;
        this.connections = new ConnectionLimiter(limits.maxConnectionsPerPeer(), limits.maxConnections());
    }

    /** Binds and answers the bound port (useful with port 0). */
    public synchronized int start() throws InterruptedException {
        acceptors = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loops = new MultiThreadIoEventLoopGroup(Math.min(4, Runtime.getRuntime().availableProcessors()), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, loops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast(new SmtpLineDecoder(limits.maxLineLength()))
                                .addLast(new SmtpServerHandler(hostname, limits, policy, connections, tls));
                    }
                });
        try {
            listener = bootstrap.bind(new InetSocketAddress(bindAddress, port)).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        boundPort = ((InetSocketAddress) listener.localAddress()).getPort();
        return boundPort;
    }

    public int port() {
        return boundPort;
    }

    public String bindAddress() {
        return bindAddress;
    }

    /** Sessions open now. */
    public int openSessions() {
        return connections.open();
    }

    /** Stops taking new sessions; sessions under way go on until closed. */
    public synchronized void stopAccepting() {
        if (listener != null) listener.close().awaitUninterruptibly();
    }

    @Override
    public synchronized void close() {
        stopAccepting();
        if (loops != null) loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (acceptors != null) acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        loops = null;
        acceptors = null;
    }
}
