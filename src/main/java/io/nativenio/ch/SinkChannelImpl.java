package io.nativenio.ch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;

/** The write end of a pipe, after the JDK's {@code SinkChannelImpl} (behaviours.md#pipe-channels,
 * behaviours.md#async-close-wakes-a-blocked-thread, behaviours.md#interrupt-closes-a-channel-in-blocking-io). */
final class SinkChannelImpl extends Pipe.SinkChannel implements NativeChannel {
    private final ChannelFd fd;

    SinkChannelImpl(SelectorProvider provider, int fd) throws IOException {
        super(provider);
        this.fd = new ChannelFd(this, fd, this::begin, this::end);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return PipeIO.write(fd, this, src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return PipeIO.write(fd, this, srcs, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public ChannelFd channelFd() {
        return fd;
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        fd.configureBlocking(block);
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        fd.close(isBlocking());
    }
}
