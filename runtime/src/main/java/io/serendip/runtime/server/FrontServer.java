package io.serendip.runtime.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The listening port of a shell with {@link FastRoute}s: plain Netty with the HTTP/1.1 codec, one event loop per core.
 * Requests for a fast route are answered here; every other request (health, metrics, the rest of the API) is relayed
 * over a loopback connection to the shell's Vert.x server, which listens on 127.0.0.1 only.
 */
final class FrontServer {
    /** A fast route and what it serves. */
    record Route(HttpMethod method, String path, FastRoute handler) {
        boolean matches(HttpMethod requestMethod, String uri) {
            if (!method.equals(requestMethod) || !uri.startsWith(path)) {
                return false;
            }
            return uri.length() == path.length() || uri.charAt(path.length()) == '?';
        }
    }

    /** What the front needs of the shell: draining (answers close their connection) and in-flight counting. */
    interface Shell {
        boolean draining();

        void requestStarted();

        void requestEnded();

        int maxRequestBytes();

        InetSocketAddress relayAddress();
    }

    static final int MAX_INITIAL_LINE = 8192;
    static final int MAX_HEADER_BYTES = 16384;

    private final NettyTransport transport;
    private final EventLoopGroup group;
    private final Channel listener;

    private FrontServer(NettyTransport transport, EventLoopGroup group, Channel listener) {
        this.transport = transport;
        this.group = group;
        this.listener = listener;
    }

    static FrontServer start(String host, int port, int eventLoops, List<Route> routes, Shell shell,
                             NettyTransport transport) throws InterruptedException {
        EventLoopGroup group = transport.newGroup(eventLoops, "front");
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(
                                    new HttpRequestDecoder(new HttpDecoderConfig()
                                            .setMaxInitialLineLength(MAX_INITIAL_LINE)
                                            .setMaxHeaderSize(MAX_HEADER_BYTES)),
                                    new HttpResponseEncoder(),
                                    new HttpServerExpectContinueHandler(),
                                    new FrontHandler(routes, shell, transport));
                        }
                    });
            Channel listener = bootstrap.bind(host, port).sync().channel();
            return new FrontServer(transport, group, listener);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    NettyTransport transport() {
        return transport;
    }

    /** Stops accepting, then closes the connections (the shell has drained them by then). */
    void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
