package org.openmmsc.server.admin;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Netty adapter of the admin API, one per connection: copies each request out of Netty's
 * buffers, has the {@link AdminRouter} answer it on a worker thread, and writes the answer back.
 * Requests on one connection are answered one at a time and in order (HTTP/1.1 pipelining);
 * reading pauses while one is in flight. All fields are touched on the channel's event loop only.
 */
final class AdminHttpHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);

    private final AdminRouter router;
    private final ExecutorService workers;
    private final Semaphore inFlight;
    private final BooleanSupplier draining;
    private final MessageJson json;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;

    AdminHttpHandler(AdminRouter router, ExecutorService workers, Semaphore inFlight, BooleanSupplier draining, MessageJson json) {
        this.router = router;
        this.workers = workers;
        this.inFlight = inFlight;
        this.draining = draining;
        this.json = json;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        waiting.add(request);
        if (!busy) next(ctx);
    }

    private void next(ChannelHandlerContext ctx) {
        FullHttpRequest request = waiting.poll();
        if (request == null) {
            ctx.channel().config().setAutoRead(true);
            return;
        }
        busy = true;
        ctx.channel().config().setAutoRead(false);
        DecoderResult decoded = request.decoderResult();
        boolean keepAlive = decoded.isSuccess() && HttpUtil.isKeepAlive(request) && !draining.getAsBoolean();
        if (decoded.isFailure()) {
            request.release();
            boolean tooLong = decoded.cause() instanceof TooLongFrameException;
            log.warn("malformed HTTP request -> {}: {}", tooLong ? 431 : 400, decoded.cause().toString());
            respond(ctx, ApiResponse.json(tooLong ? 431 : 400, json.error(tooLong ? "request line or headers too long" : "malformed HTTP request", null)), false);
            return;
        }
        AdminRequest adminRequest;
        try {
            adminRequest = new AdminRequest(request.method().name(), request.uri(),
                    request.headers().get(HttpHeaderNames.CONTENT_TYPE), request.headers().get(HttpHeaderNames.AUTHORIZATION),
                    ByteBufUtil.getBytes(request.content()));
        } finally {
            request.release();
        }
        if (router.answersWithoutBlocking(adminRequest)) {
            router.handle(adminRequest).thenAccept(response -> respond(ctx, response, keepAlive));
            return;
        }
        if (!inFlight.tryAcquire()) {
            respond(ctx, busyResponse(), keepAlive);
            return;
        }
        CompletableFuture<ApiResponse> answer;
        try {
            answer = CompletableFuture.supplyAsync(() -> router.handle(adminRequest), workers).thenCompose(f -> f);
        } catch (RejectedExecutionException e) {
            inFlight.release();
            respond(ctx, busyResponse(), false);
            return;
        }
        answer.whenComplete((response, error) -> {
            inFlight.release();
            ApiResponse result = response != null ? response : ApiResponse.json(500, json.error("internal error", null));
            if (error != null) log.error("{} {} failed: {}", adminRequest.method(), AdminRouter.path(adminRequest.uri()), error.toString());
            // The accept future completes on a store thread: hop back to this channel's loop to write.
            ctx.executor().execute(() -> respond(ctx, result, keepAlive));
        });
    }

    private ApiResponse busyResponse() {
        return ApiResponse.json(503, json.error("too many requests in progress; retry shortly", null)).withHeader("Retry-After", "1");
    }

    private void respond(ChannelHandlerContext ctx, ApiResponse answer, boolean keepAlive) {
        if (!ctx.channel().isActive()) {
            dropWaiting();
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()),
                Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        for (Map.Entry<String, String> header : answer.headers().entrySet()) response.headers().set(header.getKey(), header.getValue());
        response.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ChannelFuture written = ctx.writeAndFlush(response);
        busy = false;
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
            dropWaiting();
            return;
        }
        next(ctx);
    }

    private void dropWaiting() {
        FullHttpRequest request;
        while ((request = waiting.poll()) != null) request.release();
        busy = false;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent && !busy) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        dropWaiting();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Usually a peer resetting the connection; nothing to answer, nothing worth a stack trace.
        log.debug("admin connection {} closed after error: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
