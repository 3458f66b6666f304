package io.serendip.runtime.router;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.serendip.runtime.server.NettyTransport;
import java.util.ArrayDeque;

/**
 * An arm's keep-alive connections on one event loop; used only from that loop. A call takes an idle connection, else
 * opens one (up to {@link ArmBackend#MAX_CONNECTIONS_PER_LOOP}), else waits for one to come back.
 */
final class ArmConnections {
    private record Waiting(ByteBuf body, ArmBackend.Listener listener) {
    }

    private final ArmBackend backend;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final ArrayDeque<ArmConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int open;

    ArmConnections(ArmBackend backend, EventLoop loop, NettyTransport transport) {
        this.backend = backend;
        this.loop = loop;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, backend.connectMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (backend.tls() != null) {
                            channel.pipeline().addLast(backend.tls().newHandler(channel.alloc(), backend.host(),
                                    backend.port()));
                        }
                        channel.pipeline().addLast(
                                new HttpResponseDecoder(new HttpDecoderConfig().setMaxHeaderSize(16384)),
                                new ArmConnection(backend, ArmConnections.this));
                    }
                });
    }

    /** Sends the body (this call's reference, released once written) on a pooled or new connection. */
    void send(ByteBuf body, ArmBackend.Listener listener) {
        ArmConnection connection;
        while ((connection = idle.pollLast()) != null) {
            if (connection.isActive()) {
                connection.send(body, listener);
                return;
            }
        }
        if (open < ArmBackend.MAX_CONNECTIONS_PER_LOOP) {
            connect(body, listener);
        } else {
            waiting.add(new Waiting(body, listener));
        }
    }

    private void connect(ByteBuf body, ArmBackend.Listener listener) {
        open++;
        bootstrap.connect(backend.host(), backend.port()).addListener((ChannelFutureListener) connected -> {
            if (connected.isSuccess()) {
                connected.channel().pipeline().get(ArmConnection.class).send(body, listener);
            } else {
                body.release();
                open--; // never active, so closed() is not called for it
                backend.failed(listener, "arm " + backend.arm().name() + " is unreachable: "
                        + connected.cause().getMessage());
                Waiting next = waiting.poll();
                if (next != null) {
                    connect(next.body(), next.listener());
                }
            }
        });
    }

    /** A connection finished its call and can take another. */
    void released(ArmConnection connection) {
        if (backend.isClosed()) {
            connection.close();
            return;
        }
        Waiting next = waiting.poll();
        if (next != null) {
            connection.send(next.body(), next.listener());
        } else {
            idle.addLast(connection);
        }
    }

    /** A connection (or a connect attempt) closed. */
    void closed(ArmConnection connection) {
        open--;
        idle.remove(connection);
        Waiting next = waiting.poll();
        if (next != null) {
            connect(next.body(), next.listener());
        }
    }

    void close() {
        loop.execute(() -> {
            ArmConnection connection;
            while ((connection = idle.poll()) != null) {
                connection.close();
            }
        });
    }
}
