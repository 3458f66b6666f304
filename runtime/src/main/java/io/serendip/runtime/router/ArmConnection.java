package io.serendip.runtime.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.serendip.runtime.server.Bodies;
import io.serendip.runtime.server.ServingHeaders;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive connection to an arm's backend, one call at a time: writes the request, gathers the answer (status,
 * slate header, body) and hands it to the call's listener; a call that outlives the request timeout fails and its
 * connection closes (its late answer would otherwise be taken for the next call's).
 */
final class ArmConnection extends ChannelInboundHandlerAdapter implements Runnable {
    private final ArmBackend backend;
    private final ArmConnections pool;
    private ChannelHandlerContext ctx;

    private ArmBackend.Listener call;
    private ScheduledFuture<?> timeout;
    private int status;
    private String slate;
    private boolean keepAlive;
    private ByteBuf answer;

    ArmConnection(ArmBackend backend, ArmConnections pool) {
        this.backend = backend;
        this.pool = pool;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    boolean isActive() {
        return ctx.channel().isActive();
    }

    void close() {
        ctx.close();
    }

    /** Writes the request head and the body (this call's reference). */
    void send(ByteBuf body, ArmBackend.Listener listener) {
        call = listener;
        status = 0;
        slate = null;
        answer = null;
        Channel channel = ctx.channel();
        ByteBuf head = ctx.alloc().directBuffer(256);
        backend.writeHead(head, body.readableBytes());
        channel.write(head, channel.voidPromise());
        channel.writeAndFlush(body, channel.voidPromise());
        timeout = channel.eventLoop().schedule(this, backend.requestMillis(), TimeUnit.MILLISECONDS);
    }

    /** The request timeout. */
    @Override
    public void run() {
        if (call != null) {
            fail("arm " + backend.arm().name() + " did not answer within " + backend.requestMillis() + " ms");
            ctx.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (call == null) {
                ctx.close(); // bytes nobody asked for
                return;
            }
            if (msg instanceof HttpResponse response) {
                if (response.decoderResult().isFailure()) {
                    fail("arm " + backend.arm().name() + " answered malformed HTTP");
                    ctx.close();
                    return;
                }
                status = response.status().code();
                slate = response.headers().get(ServingHeaders.SLATE);
                keepAlive = HttpUtil.isKeepAlive(response);
            }
            if (msg instanceof HttpContent content) {
                answer = Bodies.append(answer, content.content(), ctx.alloc());
                if (answer != null && answer.readableBytes() > ArmBackend.MAX_ANSWER_BYTES) {
                    fail("arm " + backend.arm().name() + " answered more than " + ArmBackend.MAX_ANSWER_BYTES
                            + " bytes");
                    ctx.close();
                } else if (content instanceof LastHttpContent) {
                    complete();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void complete() {
        ArmBackend.Listener listener = call;
        ByteBuf body = answer != null ? answer : ctx.alloc().buffer(0);
        end();
        try {
            backend.answered(listener, status, body, slate);
        } finally {
            body.release();
            if (keepAlive) {
                pool.released(this);
            } else {
                ctx.close();
            }
        }
    }

    private void fail(String reason) {
        ArmBackend.Listener listener = call;
        if (answer != null) {
            answer.release();
        }
        end();
        backend.failed(listener, reason);
    }

    private void end() {
        call = null;
        answer = null;
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (call != null) {
            fail("arm " + backend.arm().name() + " closed the connection");
        }
        pool.closed(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
