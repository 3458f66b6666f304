package io.serendip.runtime.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/** Gathering an HTTP body from the chunks Netty's codec hands out, without copying them. */
public final class Bodies {
    private Bodies() {
    }

    /**
     * The body so far (null for none) with the chunk added: the chunk itself (retained) when it is the first, else a
     * composite of both. The chunk stays owned by the caller.
     */
    public static ByteBuf append(ByteBuf body, ByteBuf chunk, ByteBufAllocator alloc) {
        if (!chunk.isReadable()) {
            return body;
        }
        if (body == null) {
            return chunk.retain();
        }
        CompositeByteBuf whole = body instanceof CompositeByteBuf composite ? composite
                : alloc.compositeBuffer().addComponent(true, body);
        return whole.addComponent(true, chunk.retain());
    }
}
