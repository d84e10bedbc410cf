package io.nativenio.ch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;

/** The read end of a pipe, after the JDK's {@code SourceChannelImpl} (behaviours.md#pipe-channels,
 * behaviours.md#async-close-wakes-a-blocked-thread, behaviours.md#interrupt-closes-a-channel-in-blocking-io). */
final class SourceChannelImpl extends Pipe.SourceChannel implements NativeChannel {
    private final ChannelFd fd;

    SourceChannelImpl(SelectorProvider provider, int fd) throws IOException {
        super(provider);
        this.fd = new ChannelFd(this, fd, this::begin, this::end);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return PipeIO.read(fd, this, dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return PipeIO.read(fd, this, dsts, offset, length);
    }

    @Override
    public long read(ByteBuffer[] dsts) throws IOException {
        return read(dsts, 0, dsts.length);
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
