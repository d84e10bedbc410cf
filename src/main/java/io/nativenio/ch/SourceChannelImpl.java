package io.nativenio.ch;

import io.nativenio.compat.Compat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;

/** The read end of a pipe, after the JDK's {@code SourceChannelImpl} (behaviours.md#pipe-channels,
 * behaviours.md#async-close-wakes-a-blocked-thread, behaviours.md#interrupt-closes-a-channel-in-blocking-io). */
final class SourceChannelImpl extends Pipe.SourceChannel implements NativeChannel, ChannelFd.Bracket {
    private final ChannelFd fd;

    SourceChannelImpl(SelectorProvider provider, int fd) throws IOException {
        super(provider);
        this.fd = new ChannelFd(this, fd);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst);
        return PipeIO.read(fd, this, dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        return PipeIO.read(fd, this, dsts, offset, length);
    }

    @Override
    public long read(ByteBuffer[] dsts) throws IOException {
        return read(dsts, 0, dsts.length);
    }

    @Override
    public int translateInterestOps(int ops) {
        return (ops & SelectionKey.OP_READ) != 0 ? Poller.POLLIN : 0;
    }

    @Override
    public int readyOps(int events, int interest) {
        return (events & Poller.POLLIN) != 0 ? interest & SelectionKey.OP_READ : 0;
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
