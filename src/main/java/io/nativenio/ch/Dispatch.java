package io.nativenio.ch;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;

/**
 * How a channel's fd is written and how a failed read or write is reported, after the JDK's
 * {@code NativeDispatcher} subclasses: a pipe with write(2) and writev(2), a socket with send(2) and
 * sendmsg(2) and MSG_NOSIGNAL, so that a write to a closed connection fails with EPIPE instead of raising
 * SIGPIPE. A read that fails with ECONNRESET throws {@link ConnectionResetException}, as the JDK's
 * {@code SocketDispatcher}; a connected datagram socket reports an ICMP port unreachable once, as ECONNREFUSED,
 * which the JDK's {@code DatagramDispatcher} throws as a {@link PortUnreachableException}
 * (behaviours.md#send-and-receive).
 */
enum Dispatch {
    PIPE, STREAM, DATAGRAM;

    int write(int fd, ByteBuffer buf, int pos, int len) {
        return this == PIPE ? IO.write(fd, buf, pos, len) : IO.send(fd, buf, pos, len);
    }

    long writev(int fd, long iov, int count) {
        return this == PIPE ? IO.writev(fd, iov, count) : IO.sendv(fd, iov, count);
    }

    /** A read's native result ({@code >= 0} or {@code -errno}): a count, EOF on 0 bytes, a status, or throws. */
    int readStatus(int rc) throws IOException {
        return rc == 0 ? IOStatus.EOF : (int) readResult((long) rc);
    }

    /** A vectored read's native result: a count (0 bytes is the caller's to judge), a status, or throws. */
    long readResult(long rc) throws IOException {
        if (rc == -Errno.ECONNRESET) {
            throw new ConnectionResetException();
        }
        return writeResult(rc);
    }

    /** A write's native result: a count, a status, or throws. */
    long writeResult(long rc) throws IOException {
        if (rc == -Errno.ECONNREFUSED && this == DATAGRAM) {
            throw new PortUnreachableException();
        }
        return IOStatus.of(rc);
    }
}
