package io.serendip.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

class NettyTransportTest {
    @Test
    void theFastestWorkingTransportIsChosenAndANamedOneFallsBackWhenItCannotWork() {
        NettyTransport fallback = Epoll.isAvailable() ? NettyTransport.EPOLL : NettyTransport.NIO;
        assertThat(NettyTransport.choose("auto")).isEqualTo(IoUring.isAvailable() ? NettyTransport.IO_URING : fallback);
        assertThat(NettyTransport.choose(" IO_URING ")).isEqualTo(IoUring.isAvailable() ? NettyTransport.IO_URING : fallback);
        assertThat(NettyTransport.choose("epoll")).isEqualTo(fallback);
        assertThat(NettyTransport.choose("nio")).isEqualTo(NettyTransport.NIO);
        assertThatThrownBy(() -> NettyTransport.choose("kqueue"))
                .hasMessage("serendip.netty.transport: auto, io_uring, epoll or nio (got kqueue)");
    }
}
