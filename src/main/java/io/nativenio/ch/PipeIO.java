package io.nativenio.ch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads and writes of the two ends of a pipe, after the JDK's {@code SourceChannelImpl.read} and
 * {@code SinkChannelImpl.write}: a byte stream without connection state, so one loop serves both
 * (behaviours.md#pipe-channels).
 */
final class PipeIO {
    private PipeIO() {
    }

    // The pipe ends' read and write methods, which leave the checks of their arguments to these.

    static int read(ChannelFd fd, SelectableChannel ch, ByteBuffer dst) throws IOException {
        return (int) transfer(fd, ch, true, Objects.requireNonNull(dst), null, 0, 0);
    }

    static long read(ChannelFd fd, SelectableChannel ch, ByteBuffer[] dsts, int offset, int length) throws IOException {
        return transfer(fd, ch, true, null, dsts, Objects.checkFromIndexSize(offset, length, dsts.length), length);
    }

    static int write(ChannelFd fd, SelectableChannel ch, ByteBuffer src) throws IOException {
        return (int) transfer(fd, ch, false, Objects.requireNonNull(src), null, 0, 0);
    }

    static long write(ChannelFd fd, SelectableChannel ch, ByteBuffer[] srcs, int offset, int length) throws IOException {
        return transfer(fd, ch, false, null, srcs, Objects.checkFromIndexSize(offset, length, srcs.length), length);
    }

    /**
     * One read or write, retried after EINTR while the channel is open; {@code bufs} null means the single
     * buffer {@code buf}.
     */
    private static long transfer(ChannelFd fd, SelectableChannel ch, boolean reader, ByteBuffer buf, ByteBuffer[] bufs,
            int offset, int length) throws IOException {
        ReentrantLock lock = reader ? fd.readLock : fd.writeLock;
        lock.lock();
        try {
            if (ChannelFd.CHECK_OPEN_BEFORE_BEGIN) {
                fd.ensureOpen();
            }
            boolean blocking = ch.isBlocking();
            long n = 0;
            try {
                fd.begin(reader, blocking);
                int events = reader ? Poller.POLLIN : Poller.POLLOUT;
                // retry after EINTR at once; in blocking mode also after EAGAIN, which only a fd made non-blocking
                // for a virtual thread gives: wait for it first, as the blocking mode promises
                do {
                    n = transferOnce(fd, reader, buf, bufs, offset, length, blocking);
                } while (n == IOStatus.INTERRUPTED && ch.isOpen() || blocking && fd.awaitRetry(n, events));
            } finally {
                fd.end(reader, blocking, n > 0);
            }
            return IOStatus.normalize(n);
        } finally {
            lock.unlock();
        }
    }

    private static long transferOnce(ChannelFd fd, boolean reader, ByteBuffer buf, ByteBuffer[] bufs, int offset,
            int length, boolean blocking) throws IOException {
        return reader ? fd.read(buf, bufs, offset, length, blocking)
                : fd.write(buf, bufs, offset, length, blocking);
    }
}
