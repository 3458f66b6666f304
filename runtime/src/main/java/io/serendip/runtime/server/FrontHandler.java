package io.serendip.runtime.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the {@link FrontServer}. Requests are answered one at a time, in order: while one is being
 * answered, further pipelined input waits in a queue and the socket is not read. A request's body is gathered whole
 * (at most the shell's request limit), then either handed to its {@link FastRoute} or relayed to the shell over this
 * connection's own loopback connection, whose answer is passed back as it arrives.
 */
final class FrontHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(FrontHandler.class);
    private static final byte[] CRLF = {'\r', '\n'};

    private enum State { IDLE, READING, ANSWERING, CLOSING }

    private final List<FrontServer.Route> routes;
    private final FrontServer.Shell shell;
    private final NettyTransport transport;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    /** Where raw answers are written: just before the response encoder, which only relayed answers go through. */
    private ChannelHandlerContext rawWriter;
    private State state = State.IDLE;

    // the request being read
    private HttpRequest request;
    private FastRoute route;
    private ByteBuf body;
    private boolean keepAlive;
    private FastExchange exchange;

    // the loopback connection to the shell, opened at the first relayed request
    private Channel relay;
    private boolean relayAnswerStarted;

    FrontHandler(List<FrontServer.Route> routes, FrontServer.Shell shell, NettyTransport transport) {
        this.routes = routes;
        this.shell = shell;
        this.transport = transport;
    }

    EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    NettyTransport transport() {
        return transport;
    }

    ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.rawWriter = ctx.pipeline().context(HttpResponseEncoder.class);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.ANSWERING || !queued.isEmpty()) {
            queued.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        read(msg);
    }

    private void read(Object msg) {
        if (state == State.CLOSING) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest head) {
            startRequest(head);
        }
        if (msg instanceof HttpContent content && state == State.READING) {
            if (content.decoderResult().isFailure()) {
                keepAlive = false;
                releaseBody();
                answerDirect(400, "bad_request", "malformed HTTP request body");
                ReferenceCountUtil.release(msg);
                return;
            }
            append(content.content());
            if (state == State.READING && content instanceof LastHttpContent) {
                dispatch();
            }
        }
        ReferenceCountUtil.release(msg);
    }

    private void startRequest(HttpRequest head) {
        if (head.decoderResult().isFailure()) {
            Throwable cause = head.decoderResult().cause();
            int status = cause instanceof TooLongHttpLineException ? 414
                    : cause instanceof TooLongHttpHeaderException ? 431 : 400;
            keepAlive = false;
            answerDirect(status, "bad_request", "malformed HTTP request"
                    + (cause instanceof TooLongFrameException ? ": " + cause.getMessage() : ""));
            return;
        }
        if (head.protocolVersion().majorVersion() != 1 || head.protocolVersion().minorVersion() > 1) {
            keepAlive = false; // the codec takes any HTTP/x.y; this server speaks 1.0 and 1.1 only
            answerDirect(400, "bad_request", "malformed HTTP request: " + head.protocolVersion().text()
                    + " is not served here (HTTP/1.1 and HTTP/1.0 are)");
            return;
        }
        request = head;
        keepAlive = HttpUtil.isKeepAlive(head);
        route = null;
        String uri = head.uri();
        for (FrontServer.Route candidate : routes) {
            if (candidate.matches(head.method(), uri)) {
                route = candidate.handler();
                break;
            }
        }
        if (declaredLength(head) > shell.maxRequestBytes()) {
            keepAlive = false;
            answerTooLarge();
            return;
        }
        state = State.READING;
    }

    /** The Content-Length header's value, or -1 (none; an invalid one fails decoding before this). */
    private static long declaredLength(HttpRequest head) {
        try {
            return HttpUtil.getContentLength(head, -1L);
        } catch (NumberFormatException e) {
            return -1L;
        }
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    private void append(ByteBuf chunk) {
        body = Bodies.append(body, chunk, ctx.alloc());
        if (body != null && body.readableBytes() > shell.maxRequestBytes()) {
            keepAlive = false;
            answerTooLarge();
        }
    }

    private void dispatch() {
        ByteBuf whole = body != null ? body : ctx.alloc().buffer(0);
        body = null;
        state = State.ANSWERING;
        if (route == null) {
            relay(whole);
            return;
        }
        shell.requestStarted();
        if (shell.draining()) {
            keepAlive = false; // answer, then close: the client's next request finds a live replica
        }
        exchange = new FastExchange(this, request, whole);
        try {
            route.handle(exchange);
        } catch (RuntimeException e) {
            exchange.fail(e);
        }
    }

    /** Writes a fast route's answer as raw bytes: a status line, the headers and the body. */
    void answer(FastExchange answered, int status, ByteBuf json, String[] headers) {
        if (answered != exchange || !ctx.channel().isActive()) {
            json.release();
            endExchange(answered);
            return;
        }
        ByteBuf head = ctx.alloc().directBuffer(160);
        HttpResponseStatus line = HttpResponseStatus.valueOf(status);
        head.writeCharSequence("HTTP/1.1 ", StandardCharsets.US_ASCII);
        head.writeCharSequence(line.codeAsText(), StandardCharsets.US_ASCII);
        head.writeByte(' ');
        head.writeCharSequence(line.reasonPhrase(), StandardCharsets.US_ASCII);
        head.writeBytes(CRLF);
        header(head, "Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            header(head, headers[i], headers[i + 1]);
        }
        head.writeCharSequence("Content-Length: ", StandardCharsets.US_ASCII);
        head.writeCharSequence(Integer.toString(json.readableBytes()), StandardCharsets.US_ASCII);
        head.writeBytes(CRLF);
        if (!keepAlive) {
            header(head, "Connection", "close");
        }
        head.writeBytes(CRLF);
        rawWriter.write(head, rawWriter.voidPromise());
        if (keepAlive) {
            rawWriter.writeAndFlush(json, rawWriter.voidPromise());
        } else {
            rawWriter.writeAndFlush(json).addListener(ChannelFutureListener.CLOSE);
        }
        endExchange(answered);
    }

    private static void header(ByteBuf head, String name, String value) {
        head.writeCharSequence(name, StandardCharsets.US_ASCII);
        head.writeByte(':');
        head.writeByte(' ');
        head.writeCharSequence(value, StandardCharsets.ISO_8859_1);
        head.writeBytes(CRLF);
    }

    private void endExchange(FastExchange ended) {
        ended.end();
        shell.requestEnded();
        if (ended == exchange) {
            exchange = null;
            next();
        }
    }

    /** The answer is out: read on, first what already arrived. */
    private void next() {
        request = null;
        if (!keepAlive || !ctx.channel().isActive()) {
            state = State.CLOSING;
            queued.forEach(ReferenceCountUtil::release);
            queued.clear();
            return;
        }
        state = State.IDLE;
        while (!queued.isEmpty() && state != State.ANSWERING) {
            read(queued.poll());
        }
        resumeReading();
    }

    /**
     * Reads on when nothing waits in the queue, no answer is pending and the client takes what was written: a client
     * that sends requests without reading the answers is not read from until it does.
     */
    private void resumeReading() {
        if (queued.isEmpty() && state != State.ANSWERING && state != State.CLOSING && ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            resumeReading();
        } else {
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** An answer made here, not by a route (malformed request, too large): the connection closes after it. */
    private void answerDirect(int status, String code, String message) {
        state = State.CLOSING;
        FastExchange direct = new FastExchange(this, request, ctx.alloc().buffer(0));
        exchange = direct;
        shell.requestStarted();
        direct.error(status, code, message);
    }

    private void answerTooLarge() {
        releaseBody();
        answerDirect(413, "too_large", "request body: larger than " + shell.maxRequestBytes() + " bytes");
    }

    // --- relaying to the shell

    private void relay(ByteBuf whole) {
        HttpRequest head = request;
        DefaultFullHttpRequest full = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                whole, head.headers(), EmptyHttpHeaders.INSTANCE);
        if (HttpUtil.isTransferEncodingChunked(full)) {
            full.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        }
        HttpUtil.setContentLength(full, whole.readableBytes());
        relayAnswerStarted = false;
        if (relay != null && relay.isActive()) {
            relay.writeAndFlush(full, relay.voidPromise());
            return;
        }
        relay = new Bootstrap()
                .group(ctx.channel().eventLoop())
                .channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(), new RelayHandler());
                    }
                })
                .connect(shell.relayAddress())
                .addListener((ChannelFutureListener) connected -> {
                    if (connected.isSuccess()) {
                        connected.channel().writeAndFlush(full, connected.channel().voidPromise());
                    } else {
                        full.release();
                        relayFailed();
                    }
                })
                .channel();
    }

    /** The shell's answer, passed to the client as it comes; the request is done at its last part. */
    private final class RelayHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext relayCtx, Object msg) {
            if (!(msg instanceof HttpObject) || state != State.ANSWERING) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpResponse response) {
                relayAnswerStarted = true;
                if (!HttpUtil.isKeepAlive(response)) {
                    keepAlive = false; // the shell is draining: the client goes elsewhere after this answer
                } else if (!keepAlive) {
                    HttpUtil.setKeepAlive(response, false);
                }
            }
            if (msg instanceof LastHttpContent) {
                if (keepAlive) {
                    ctx.writeAndFlush(msg, ctx.voidPromise());
                } else {
                    ctx.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE);
                }
                next();
            } else {
                ctx.write(msg, ctx.voidPromise());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext relayCtx) {
            if (relay == relayCtx.channel()) {
                relay = null;
            }
            if (state == State.ANSWERING && exchange == null) {
                relayFailed();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext relayCtx, Throwable cause) {
            relayCtx.close();
        }
    }

    /** The shell did not answer: a 502 if nothing of its answer was sent yet, else the client connection closes. */
    private void relayFailed() {
        if (state != State.ANSWERING || exchange != null) {
            return;
        }
        if (relayAnswerStarted) {
            state = State.CLOSING;
            ctx.close();
            return;
        }
        keepAlive = false;
        answerDirect(502, "unavailable", "the server's API is not answering");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSING;
        queued.forEach(ReferenceCountUtil::release);
        queued.clear();
        releaseBody();
        if (relay != null) {
            relay.close();
        }
        // an exchange still waiting for its backend ends when it answers (to a closed channel)
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
