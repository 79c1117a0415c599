package org.openmmsc.server.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's aggregator with the admin API's answer to an oversized body: a JSON 413, then the
 * connection closes so the rest of the body is never read. Netty's own answer has no body.
 */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
    private static final Logger log = LoggerFactory.getLogger(JsonHttpObjectAggregator.class);
    private final int maxContentLength;
    private final byte[] tooLargeBody;

    JsonHttpObjectAggregator(int maxContentLength, MessageJson json) {
        super(maxContentLength);
        this.maxContentLength = maxContentLength;
        this.tooLargeBody = json.error("request body larger than " + maxContentLength + " bytes", null);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (!(oversized instanceof HttpRequest request)) {
            ctx.close();
            return;
        }
        log.warn("{} {} -> 413 body larger than {} bytes", request.method(), AdminRouter.path(request.uri()), maxContentLength);
        ctx.writeAndFlush(tooLarge()).addListener(ChannelFutureListener.CLOSE);
    }

    /** With "Expect: 100-continue" the client waits for our word before sending: refuse a too-large body up front. */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
        if (answer instanceof FullHttpResponse response && response.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
            ReferenceCountUtil.release(response);
            return tooLarge();
        }
        return answer;
    }

    private FullHttpResponse tooLarge() {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.wrappedBuffer(tooLargeBody));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, ApiResponse.JSON);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, tooLargeBody.length);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
