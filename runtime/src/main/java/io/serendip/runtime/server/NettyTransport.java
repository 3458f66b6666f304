package io.serendip.runtime.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport of the servers' own Netty channels, the fastest that works here: io_uring where the kernel
 * allows it (5.14 or later; container runtimes' default seccomp profiles refuse its system calls), else epoll where
 * its native library loads (Linux x86-64, a writable temp directory), else NIO. {@value #PROPERTY} ({@code auto},
 * {@code io_uring}, {@code epoll} or {@code nio}) names one; a transport that does not work falls back the same way.
 * On the router's benchmark io_uring served 7-10% more requests per second than epoll (docs/benchmarks.md).
 */
public enum NettyTransport {
    IO_URING, EPOLL, NIO;

    public static final String PROPERTY = "serendip.netty.transport";
    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);
    private static final NettyTransport CURRENT = choose(System.getProperty(PROPERTY, "auto"));

    /** The transport this process uses. */
    public static NettyTransport current() {
        return CURRENT;
    }

    static NettyTransport choose(String asked) {
        String name = asked.trim().toLowerCase(Locale.ROOT);
        if (!name.equals("auto") && !name.equals("io_uring") && !name.equals("epoll") && !name.equals("nio")) {
            throw new IllegalArgumentException(PROPERTY + ": auto, io_uring, epoll or nio (got " + asked + ")");
        }
        if ((name.equals("auto") || name.equals("io_uring")) && IoUring.isAvailable()) {
            return IO_URING;
        }
        if (name.equals("io_uring")) {
            LOG.warn("{}=io_uring: not available here ({}); falling back", PROPERTY, IoUring.unavailabilityCause().toString());
        }
        return !name.equals("nio") && Epoll.isAvailable() ? EPOLL : NIO;
    }

    public EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory io = switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    public Class<? extends SocketChannel> socketChannel() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }
}
