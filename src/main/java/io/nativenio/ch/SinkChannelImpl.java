package io.nativenio.ch;

import io.nativenio.compat.Compat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;

/** The write end of a pipe, after the JDK's {@code SinkChannelImpl} (behaviours.md#pipe-channels,
 * behaviours.md#async-close-wakes-a-blocked-thread, behaviours.md#interrupt-closes-a-channel-in-blocking-io). */
final class SinkChannelImpl extends Pipe.SinkChannel implements NativeChannel, ChannelFd.Bracket {
    private final ChannelFd fd;

    SinkChannelImpl(SelectorProvider provider, int fd) throws IOException {
        super(provider);
        this.fd = new ChannelFd(this, fd);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src);
        return PipeIO.write(fd, this, src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        return PipeIO.write(fd, this, srcs, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public int translateInterestOps(int ops) {
        return (ops & SelectionKey.OP_WRITE) != 0 ? Poller.POLLOUT : 0;
    }

    @Override
    public int readyOps(int events, int interest) {
        return (events & Poller.POLLOUT) != 0 ? interest & SelectionKey.OP_WRITE : 0;
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

    @Override
    public void beginBlocking() {
        if (Compat.LOOP_BLOCKING) {
            ChannelCompat.blockingOperation();
        }
        begin();
    }

    @Override
    public void endBlocking(boolean completed) throws AsynchronousCloseException {
        end(completed);
    }
}
