package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;

/** Blocking pipe I/O against close and interrupt (behaviours.md#stream-sockets, behaviours.md#pipe-channels,
 * behaviours.md#operations-on-a-closed-blocking-channel). */
class PipeAsyncCloseTest {

    /** An I/O call on a channel, for the tables below. */
    interface Op {
        Object run(Pipe p) throws Exception;
    }

    private static final Op READ = p -> p.source().read(ByteBuffer.allocate(10));
    private static final Op READ_DIRECT = p -> p.source().read(ByteBuffer.allocateDirect(10));
    private static final Op SCATTER = p -> p.source().read(new ByteBuffer[] {ByteBuffer.allocate(5)});
    private static final Op WRITE = p -> p.sink().write(ByteBuffer.allocate(10));
    private static final Op WRITE_DIRECT = p -> p.sink().write(ByteBuffer.allocateDirect(10));
    private static final Op GATHER = p -> p.sink().write(new ByteBuffer[] {ByteBuffer.allocate(5)});

    /** Fills the pipe so that the next blocking write blocks without writing anything. */
    private static void fill(Pipe.SinkChannel sink) throws Exception {
        sink.configureBlocking(false);
        ByteBuffer b = ByteBuffer.allocateDirect(65536);
        while (sink.write(b.clear()) > 0) {
            // until full
        }
        b.limit(1);
        while (sink.write(b.clear().limit(1)) > 0) {
            // the last bytes of a partly filled page
        }
        sink.configureBlocking(true);
    }

    private static void closeBoth(Pipe p) throws Exception {
        p.source().close();
        p.sink().close();
    }

    private static boolean reads(Op op) {
        return op == READ || op == READ_DIRECT || op == SCATTER;
    }

    /**
     * A pipe of {@code provider} and a thread blocked in {@code op} on it: a read of the empty pipe, or a write of
     * the pipe filled first. Its close closes both ends.
     */
    private static final class Blocked implements AutoCloseable {
        final Pipe pipe;
        final boolean reading;
        final Async<Object> io;

        /** {@code keepInterrupt}: started with {@link Async#startKeepingInterrupt}, for an op that an interrupt ends. */
        Blocked(SelectorProvider provider, Op op, boolean keepInterrupt) throws Exception {
            pipe = provider.openPipe();
            reading = reads(op);
            try {
                if (!reading) {
                    fill(pipe.sink());
                }
                io = keepInterrupt ? Async.startKeepingInterrupt("io", () -> op.run(pipe))
                        : Async.start("io", () -> op.run(pipe));
                Providers.awaitBlockedIn(io.thread, reading ? new String[] {"read", "read0", "readv", "readv0"}
                        : new String[] {"write", "write0", "writev", "writev0"});
            } catch (Exception | Error e) {
                closeBoth(pipe);
                throw e;
            }
        }

        /** The end the blocked op uses. */
        Channel end() {
            return reading ? pipe.source() : pipe.sink();
        }

        Channel otherEnd() {
            return reading ? pipe.sink() : pipe.source();
        }

        @Override
        public void close() throws Exception {
            closeBoth(pipe);
        }
    }

    // A read blocked on an empty pipe, or a write blocked on a full one, wakes with AsynchronousCloseException
    // when another thread closes that end.
    @DiffTest
    void blockedIoAsyncClose(SelectorProvider provider) throws Exception {
        for (Op op : new Op[] {READ, READ_DIRECT, SCATTER, WRITE, WRITE_DIRECT, GATHER}) {
            try (Blocked b = new Blocked(provider, op, false)) {
                b.end().close();
                b.io.failure(AsynchronousCloseException.class);
                assertFalse(b.end().isOpen());
                assertFalse(b.io.thread.isInterrupted());
            }
        }
    }

    // Interrupting a thread blocked in read or write closes the channel; it gets ClosedByInterruptException.
    @DiffTest
    void blockedIoInterrupted(SelectorProvider provider) throws Exception {
        for (Op op : new Op[] {READ, READ_DIRECT, SCATTER, WRITE, WRITE_DIRECT, GATHER}) {
            try (Blocked b = new Blocked(provider, op, true)) {
                b.io.thread.interrupt();
                b.io.failure(ClosedByInterruptException.class);
                assertFalse(b.end().isOpen(), "closed by the interrupt");
                assertTrue(b.otherEnd().isOpen(), "the other end stays open");
            }
        }
    }

    // Closing the sink wakes a reader blocked on the source with EOF, not an exception.
    @DiffTest
    void blockedReadSeesEofWhenSinkClosed(SelectorProvider provider) throws Exception {
        try (Blocked b = new Blocked(provider, READ, false)) {
            b.pipe.sink().close();
            assertEquals(-1, b.io.get());
            assertTrue(b.pipe.source().isOpen());
        }
    }

    // configureBlocking waits for a blocking read in progress (it takes the read lock)
    // (behaviours.md#changing-the-blocking-mode).
    @DiffTest
    void configureBlockingWaitsForBlockedRead(SelectorProvider provider) throws Exception {
        try (Blocked b = new Blocked(provider, READ, false)) {
            Pipe p = b.pipe;
            Async<Boolean> config = Async.start("configure", () -> {
                p.source().configureBlocking(false);
                return p.source().isBlocking();
            });
            Providers.awaitWaiting(config.thread);
            assertFalse(config.isDone(), "configureBlocking must wait for the read");
            p.sink().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertEquals(3, b.io.get());
            assertFalse(config.get());
        }
    }

    // A thread whose interrupt status is already set fails at once and closes the channel.
    @DiffTest
    void alreadyInterrupted(SelectorProvider provider) throws Exception {
        for (Op op : new Op[] {READ, SCATTER, WRITE, GATHER}) {
            Pipe p = provider.openPipe();
            try {
                Async<Object> io = Async.startKeepingInterrupt("io", () -> {
                    Thread.currentThread().interrupt();
                    return op.run(p);
                });
                io.failure(ClosedByInterruptException.class);
                assertFalse((reads(op) ? p.source() : p.sink()).isOpen());
            } finally {
                closeBoth(p);
            }
        }
    }

    // A non-blocking op on an interrupted thread does not call begin(): it works, the channel stays open.
    @DiffTest
    void nonBlockingIgnoresInterrupt(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try {
            p.source().configureBlocking(false);
            p.sink().configureBlocking(false);
            Async<int[]> io = Async.start("io", () -> {
                Thread.currentThread().interrupt();
                try {
                    return new int[] {p.sink().write(ByteBuffer.allocate(3)), p.source().read(ByteBuffer.allocate(5)),
                        p.source().read(ByteBuffer.allocate(5))};
                } finally {
                    assertTrue(Thread.interrupted());
                }
            });
            int[] r = io.get();
            assertEquals(3, r[0]);
            assertEquals(3, r[1]);
            assertEquals(0, r[2]);
            assertTrue(p.source().isOpen() && p.sink().isOpen());
        } finally {
            closeBoth(p);
        }
    }

    /**
     * An op on an already-closed blocking pipe channel throws AsynchronousCloseException on
     * JDK 17 (the open check runs inside begin/end) and ClosedChannelException on later JDKs; both providers
     * must give the running JDK's answer. Non-blocking: ClosedChannelException on both JDKs.
     */
    @DiffTest
    void opsOnClosedChannel(SelectorProvider provider) throws Exception {
        int feature = Runtime.version().feature();
        Class<?> blockingExpected = feature <= 17 ? AsynchronousCloseException.class
                : feature >= 25 ? ClosedChannelException.class : null; // in between: as the JDK provider says
        if (blockingExpected == null) {
            Pipe q = Providers.jdk().openPipe();
            closeBoth(q);
            blockingExpected = assertThrows(ClosedChannelException.class, () -> READ.run(q)).getClass();
        }
        for (boolean blocking : new boolean[] {true, false}) {
            Class<?> expected = blocking ? blockingExpected : ClosedChannelException.class;
            for (Op op : new Op[] {READ, READ_DIRECT, SCATTER, WRITE, WRITE_DIRECT, GATHER}) {
                Pipe p = provider.openPipe();
                p.source().configureBlocking(blocking);
                p.sink().configureBlocking(blocking);
                closeBoth(p);
                Throwable t = assertThrows(ClosedChannelException.class, () -> op.run(p));
                assertSame(expected, t.getClass(), (blocking ? "blocking: " : "non-blocking: ") + t);
                assertFalse(Thread.currentThread().isInterrupted());
            }
        }
    }

    // Closing a registered blocking-mode.. (behaviours.md#deferred-close-of-a-registered-channel). a registered channel
    // is non-blocking; closing it while a selector is blocked on it lets the selector flush it and release the fd.
    @DiffTest
    void closeRegisteredChannelDuringSelect(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Selector sel = provider.openSelector()) {
            p.source().configureBlocking(false);
            SelectionKey k = p.source().register(sel, SelectionKey.OP_READ);
            Async<Integer> select = Async.start("select", sel::select);
            Providers.awaitBlockedIn(select.thread, "select", "doSelect");
            p.source().close();
            assertFalse(k.isValid());
            sel.wakeup();
            select.get();
            assertEquals(0, sel.selectNow());
            assertFalse(p.source().isRegistered());
        } finally {
            closeBoth(p);
        }
    }
}
