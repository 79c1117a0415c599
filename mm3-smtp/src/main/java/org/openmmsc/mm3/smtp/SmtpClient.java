package org.openmmsc.mm3.smtp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.handler.codec.smtp.SmtpResponseDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one message per SMTP session with Netty's SMTP codec: EHLO, MAIL, RCPT, DATA, QUIT.
 * Completes with the reply that decided the outcome (the 250 to the message, or the first
 * refusal), or exceptionally with an IOException when the peer cannot be reached or goes silent.
 */
public final class SmtpClient implements AutoCloseable {

    /** The deciding reply, and which step it answered ("MAIL", "RCPT", "DATA", "message", "greeting", "EHLO"). */
    public record Result(String step, SmtpReply reply) {
        public boolean accepted() {
            return reply.code() == 250 && step.equals("message");
        }
    }

    private final EventLoopGroup loops;
    private final String heloName;
    private final Duration connectTimeout;
    private final Duration responseTimeout;

    public SmtpClient(String heloName, Duration connectTimeout, Duration responseTimeout) {
        this.loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        this.heloName = heloName;
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
    }

    public CompletableFuture<Result> send(String host, int port, String mailFrom, String rcptTo, byte[] message) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        byte[] stuffed = DotStuffing.stuff(message);
        Bootstrap bootstrap = new Bootstrap()
                .group(loops)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new ReadTimeoutHandler(responseTimeout.toMillis(), TimeUnit.MILLISECONDS))
                                .addLast(new SmtpResponseDecoder(4096))
                                .addLast(new SmtpRequestEncoder())
                                .addLast(new Session(mailFrom, rcptTo, stuffed, result));
                    }
                });
        ChannelFuture connect = bootstrap.connect(host, port);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new IOException("cannot connect to " + host + ":" + port + ": " + f.cause().getMessage()));
            }
        });
        return result;
    }

    private final class Session extends SimpleChannelInboundHandler<SmtpResponse> {
        private final String mailFrom;
        private final String rcptTo;
        private final byte[] content;
        private final CompletableFuture<Result> result;
        private String step = "greeting";

        Session(String mailFrom, String rcptTo, byte[] content, CompletableFuture<Result> result) {
            this.mailFrom = mailFrom;
            this.rcptTo = rcptTo;
            this.content = content;
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SmtpResponse response) {
            Channel ch = ctx.channel();
            SmtpReply reply = toReply(response);
            boolean expected = step.equals("DATA") ? response.code() == 354 : response.code() / 100 == 2;
            if (!expected) {
                finish(ch, new Result(step, reply));
                return;
            }
            switch (step) {
                case "greeting" -> next(ch, "EHLO", SmtpRequests.ehlo(heloName));
                case "EHLO" -> next(ch, "MAIL", SmtpRequests.mail(mailFrom));
                case "MAIL" -> next(ch, "RCPT", SmtpRequests.rcpt(rcptTo));
                case "RCPT" -> next(ch, "DATA", SmtpRequests.data());
                case "DATA" -> {
                    step = "message";
                    ch.writeAndFlush(new DefaultLastSmtpContent(Unpooled.wrappedBuffer(content)));
                }
                case "message" -> finish(ch, new Result(step, reply));
                default -> ch.close();
            }
        }

        private void next(Channel ch, String nextStep, io.netty.handler.codec.smtp.SmtpRequest request) {
            step = nextStep;
            ch.writeAndFlush(request);
        }

        private void finish(Channel ch, Result outcome) {
            result.complete(outcome);
            step = "QUIT";
            ch.writeAndFlush(SmtpRequests.quit()).addListener(f -> ch.close());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new IOException("connection closed during " + step));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(new IOException("SMTP session failed during " + step + ": " + cause, cause));
            ctx.close();
        }
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
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
