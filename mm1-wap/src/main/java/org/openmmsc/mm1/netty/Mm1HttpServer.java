package org.openmmsc.mm1.netty;

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
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openmmsc.mm1.service.Mm1Response;
import org.openmmsc.mm1.service.Mm1Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MM1 HTTP listener: POST of MMS PDUs, GET of Content-Location URLs. Requests are handed to
 * {@link Mm1Service} on virtual threads (it reads the store), never run on a Netty event loop.
 * A body over the aggregation limit is answered with an MMS status, not HTTP 413.
 */
public final class Mm1HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Mm1HttpServer.class);
    /** Headroom over the message limit so a slightly larger PDU still decodes and gets its own transaction id back. */
    private static final int AGGREGATION_SLACK = 64 * 1024;

    private final Mm1Service service;
    private final int maxMessageBytes;
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    private final ExecutorService requests = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mm1-", 0).factory());
    private Channel channel;
    private volatile boolean accepting = true;

    public Mm1HttpServer(Mm1Service service, int maxMessageBytes) {
        this.service = service;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Binds and returns the port (useful when 0 was asked). */
    public int start(String bindAddress, int port) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new ReadTimeoutHandler(60, TimeUnit.SECONDS))
                                .addLast(new HttpServerCodec())
                                .addLast(new Aggregator(maxMessageBytes + AGGREGATION_SLACK))
                                .addLast(new Handler());
                    }
                });
        channel = b.bind(bindAddress, port).sync().channel();
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public void stopAccepting() {
        accepting = false;
        if (channel != null) channel.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        stopAccepting();
        requests.shutdown();
        try {
            requests.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Answers a body too large to aggregate with m-send-conf content-not-accepted instead of HTTP 413. */
    private final class Aggregator extends HttpObjectAggregator {
        Aggregator(int max) {
            super(max);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            log.info("MM1 request from {} over {} octets refused", ctx.channel().remoteAddress(), maxMessageBytes);
            byte[] pdu = service.oversize(maxMessageBytes).pdu();
            FullHttpResponse response = response(Mm1Response.pdu(pdu));
            response.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request) && accepting;
            if (!request.decoderResult().isSuccess()) {
                write(ctx, Mm1Response.empty(400), false);
                return;
            }
            InetAddress source = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            // Not copied: the aggregated request's headers are its own and outlive the request's buffer.
            var headers = request.headers();
            String uri = request.uri();
            HttpMethod method = request.method();
            byte[] body = ByteBufUtil.getBytes(request.content());
            CompletableFuture<Mm1Response> answer = new CompletableFuture<>();
            try {
                requests.execute(() -> {
                    try {
                        CompletableFuture<Mm1Response> r;
                        if (HttpMethod.POST.equals(method)) r = service.post(source, headers::get, body);
                        else if (HttpMethod.GET.equals(method)) r = service.get(source, headers::get, uri);
                        else r = CompletableFuture.completedFuture(Mm1Response.empty(405));
                        r.whenComplete((v, e) -> {
                            if (e != null) answer.completeExceptionally(e);
                            else answer.complete(v);
                        });
                    } catch (RuntimeException e) {
                        answer.completeExceptionally(e);
                    }
                });
            } catch (RuntimeException rejected) {
                answer.completeExceptionally(rejected);
            }
            answer.whenComplete((r, e) -> {
                if (e != null) {
                    // A bug, not the phone's fault: answer with a transient MMS status, keep the trace in the log only.
                    log.error("MM1 {} {} failed", method, uri, e);
                    r = HttpMethod.POST.equals(method) ? service.transientFailure(body) : Mm1Response.empty(503);
                }
                write(ctx, r, keepAlive);
            });
        }

        private void write(ChannelHandlerContext ctx, Mm1Response r, boolean keepAlive) {
            FullHttpResponse response = response(r);
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, "close");
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(response);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("MM1 connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    private static FullHttpResponse response(Mm1Response r) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.httpStatus()),
                r.pdu() == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.pdu()));
        if (r.pdu() != null) response.headers().set(HttpHeaderNames.CONTENT_TYPE, Mm1Response.MMS_CONTENT_TYPE);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.pdu() == null ? 0 : r.pdu().length);
        return response;
    }
}
