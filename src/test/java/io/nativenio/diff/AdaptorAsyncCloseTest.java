package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.InterruptibleChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.Callable;

/**
 * Blocking operations of the socket() adaptors (stream read and write, accept, connect), with and without a
 * timeout, closed by another thread or interrupted (behaviours.md#socket-adaptors, behaviours.md#stream-sockets).
 * Measured on JDK 17 and 25: the adaptors let the channel's AsynchronousCloseException / ClosedByInterruptException
 * through untranslated, whether the op is timed (poll) or not.
 */
class AdaptorAsyncCloseTest {

    /** Runs {@code op} on a thread, waits until it blocks, then closes {@code ch} or interrupts; checks the outcome. */
    private static void check(String what, InterruptibleChannel ch, boolean interrupt, Callable<Object> op) throws Exception {
        Async<Object> a = Async.start(what, () -> {
            try {
                return op.call();
            } finally {
                if (interrupt) {
                    assertTrue(Thread.interrupted(), what + ": the interrupt status stays set");
                }
            }
        });
        Providers.awaitBlockedIn(a.thread, Tcp.BLOCKING);
        if (interrupt) {
            a.thread.interrupt();
        } else {
            ch.close();
        }
        Throwable t = a.failure();
        assertSame(interrupt ? ClosedByInterruptException.class : AsynchronousCloseException.class, t.getClass(),
                what + (interrupt ? " interrupted: " : " closed: ") + t);
        assertFalse(ch.isOpen(), what);
    }

    // A stream read blocked with SO_TIMEOUT 0 or 5000.
    @DiffTest
    void streamRead(SelectorProvider provider) throws Exception {
        for (int timeout : new int[] {0, 5000}) {
            for (boolean interrupt : new boolean[] {false, true}) {
                try (Tcp.Conn conn = Tcp.pair(provider)) {
                    conn.client.socket().setSoTimeout(timeout);
                    check("read, timeout " + timeout, conn.client, interrupt,
                            () -> conn.client.socket().getInputStream().read());
                }
            }
        }
    }

    // A stream write blocked on full buffers.
    @DiffTest
    void streamWrite(SelectorProvider provider) throws Exception {
        for (boolean interrupt : new boolean[] {false, true}) {
            try (Tcp.Conn conn = Tcp.pair(provider)) {
                Tcp.fill(conn.client);
                // One write far larger than any socket buffer: it stays inside one stream write until the
                // close, even if the kernel frees some room meanwhile. Single-byte writes in a loop left a
                // window between two writes, where a close gives ClosedChannelException on every provider.
                byte[] tooLarge = new byte[64 << 20];
                check("write", conn.client, interrupt, () -> {
                    OutputStream out = conn.client.socket().getOutputStream();
                    out.write(tooLarge);
                    return "wrote " + tooLarge.length + " bytes that nobody reads";
                });
            }
        }
    }

    // A ServerSocket adaptor accept with SO_TIMEOUT 0 or 5000.
    @DiffTest
    void accept(SelectorProvider provider) throws Exception {
        for (int timeout : new int[] {0, 5000}) {
            for (boolean interrupt : new boolean[] {false, true}) {
                try (ServerSocketChannel s = Tcp.listen(provider)) {
                    s.socket().setSoTimeout(timeout);
                    check("accept, timeout " + timeout, s, interrupt, () -> s.socket().accept());
                }
            }
        }
    }

    // An adaptor connect (untimed and timed) to a server whose accept queue is full.
    @DiffTest
    void connect(SelectorProvider provider) throws Exception {
        for (int timeout : new int[] {0, 5000}) {
            for (boolean interrupt : new boolean[] {false, true}) {
                try (Tcp.Backlog full = new Tcp.Backlog(provider); SocketChannel c = provider.openSocketChannel()) {
                    check("connect, timeout " + timeout, c, interrupt, () -> {
                        c.socket().connect(full.address(), timeout);
                        return null;
                    });
                }
            }
        }
    }
}
