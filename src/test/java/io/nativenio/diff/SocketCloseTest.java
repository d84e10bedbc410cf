package io.nativenio.diff;

import static io.nativenio.diff.Tcp.expect;
import static io.nativenio.diff.Tcp.local;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Close, async close, interrupt and shutdown of TCP channels (behaviours.md#stream-sockets,
 * behaviours.md#deferred-close-of-a-registered-channel, behaviours.md#shutdown-of-one-direction,
 * behaviours.md#operations-on-a-closed-blocking-channel).
 */
class SocketCloseTest {

    /** A blocking operation of a test, on a connected pair (or its server). */
    interface Op {
        Object run(Tcp.Conn c) throws Exception;
    }

    private static final Op READ = c -> c.client.read(ByteBuffer.allocate(10));
    private static final Op READ_DIRECT = c -> c.client.read(ByteBuffer.allocateDirect(10));
    private static final Op SCATTER = c -> c.client.read(new ByteBuffer[] {ByteBuffer.allocate(5), ByteBuffer.allocateDirect(5)});
    private static final AtomicLong WRITES = new AtomicLong();
    /**
     * Single-byte writes until one blocks (the caller filled the buffers); a 1-byte write is never partial.
     * Each write that returns is counted in {@link #WRITES}: see {@link #wakeBlockedWrite}.
     */
    private static final Op WRITE = c -> {
        while (true) {
            c.client.write(ByteBuffer.allocate(1));
            WRITES.incrementAndGet();
        }
    };
    private static final Op WRITE_DIRECT = c -> {
        while (true) {
            c.client.write(ByteBuffer.allocateDirect(1));
            WRITES.incrementAndGet();
        }
    };
    private static final Op GATHER = c -> {
        while (true) {
            c.client.write(new ByteBuffer[] {ByteBuffer.allocate(0), ByteBuffer.allocate(1)});
            WRITES.incrementAndGet();
        }
    };

    /** What a test does to a connection whose writer is blocked, then checks about what the writer threw. */
    interface Wake {
        void wake(Tcp.Conn c) throws Exception;
    }

    interface Check {
        void check(Tcp.Conn c, Throwable writerFailure) throws Exception;
    }

    /**
     * Runs the write loop {@code op} on a new connection with full buffers, calls {@code wake} once the writer
     * is seen blocked in a write, and hands what the writer threw to {@code check}. The kernel may free some
     * buffer room later (loopback buffers are tuned while data waits), so a writer seen blocked can still
     * complete that write and start the next one, and a wake between two writes gives
     * ClosedChannelException on every provider. A round in which a write returned after the writer was
     * seen blocked says nothing about waking a blocked write: it is repeated, a few times at most.
     */
    private static void wakeBlockedWrite(SelectorProvider provider, Op op, Wake wake, Check check) throws Exception {
        for (int round = 1; ; round++) {
            try (Tcp.Conn conn = Tcp.pair(provider)) {
                Tcp.fill(conn.client);
                Async<Object> writer = Async.start("writer", () -> op.run(conn)).awaitBlockedIn(Tcp.BLOCKING);
                long seenBlocked = WRITES.get();
                wake.wake(conn);
                Throwable t = writer.failure();
                if (WRITES.get() == seenBlocked || round == 5) {
                    check.check(conn, t);
                    return;
                }
            }
        }
    }

    private static boolean isWrite(Op op) {
        return op == WRITE || op == WRITE_DIRECT || op == GATHER;
    }

    // A read blocked in another thread wakes with AsynchronousCloseException when the channel is
    // closed; the peer then reads EOF (PeerReadsAfterAsyncClose).
    @DiffTest
    void blockedReadAsyncClose(SelectorProvider provider) throws Exception {
        for (Op op : new Op[] {READ, READ_DIRECT, SCATTER}) {
            try (Tcp.Conn conn = Tcp.pair(provider)) {
                Async<Object> reader = Async.start("reader", () -> op.run(conn)).awaitBlockedIn(Tcp.BLOCKING);
                conn.client.close();
                reader.failure(AsynchronousCloseException.class);
                assertFalse(conn.client.isOpen());
                assertFalse(reader.thread.isInterrupted());
                assertEquals(-1, conn.peer.read(ByteBuffer.allocate(1)), "close: the peer sees EOF");
            }
        }
    }

    // A write blocked on full buffers wakes with AsynchronousCloseException when the channel is closed.
    @DiffTest
    void blockedWriteAsyncClose(SelectorProvider provider) throws Exception {
        for (Op op : new Op[] {WRITE, WRITE_DIRECT, GATHER}) {
            wakeBlockedWrite(provider, op, conn -> conn.client.close(), (conn, t) -> {
                assertSame(AsynchronousCloseException.class, t.getClass(), t.toString());
                assertFalse(conn.client.isOpen());
            });
        }
    }

    // A blocking connect (to a server whose accept queue is full) wakes with AsynchronousCloseException.
    @DiffTest
    void blockedConnectAsyncClose(SelectorProvider provider) throws Exception {
        try (Tcp.Backlog full = new Tcp.Backlog(provider); SocketChannel c = provider.openSocketChannel()) {
            Async<Boolean> connect = Async.start("connect", () -> c.connect(full.address()))
                    .awaitBlockedIn(Tcp.BLOCKING);
            assertTrue(c.isConnectionPending(), "a blocking connect in progress is pending");
            c.close();
            connect.failure(AsynchronousCloseException.class);
            assertFalse(c.isConnectionPending());
            assertFalse(c.isConnected());
        }
    }

    // A blocking accept wakes with AsynchronousCloseException when the server is closed.
    @DiffTest
    void blockedAcceptAsyncClose(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider)) {
            Async<SocketChannel> accept = Async.start("accept", server::accept).awaitBlockedIn(Tcp.BLOCKING);
            server.close();
            accept.failure(AsynchronousCloseException.class);
            assertFalse(server.isOpen());
        }
    }

    // Interrupting a thread blocked in read or write closes the channel; it gets ClosedByInterruptException
    // and keeps its interrupt status.
    @DiffTest
    void blockedIoInterrupted(SelectorProvider provider) throws Exception {
        for (Op op : new Op[] {READ, READ_DIRECT, SCATTER, WRITE, WRITE_DIRECT, GATHER}) {
            try (Tcp.Conn conn = Tcp.pair(provider)) {
                if (isWrite(op)) {
                    Tcp.fill(conn.client);
                }
                Async<Object> io = Async.startKeepingInterrupt("io", () -> op.run(conn)).awaitBlockedIn(Tcp.BLOCKING);
                io.thread.interrupt();
                io.failure(ClosedByInterruptException.class);
                assertFalse(conn.client.isOpen(), "closed by the interrupt");
                assertTrue(conn.peer.isOpen());
            }
        }
    }

    // Interrupting a blocked connect or accept closes the channel with ClosedByInterruptException.
    @DiffTest
    void blockedConnectAndAcceptInterrupted(SelectorProvider provider) throws Exception {
        try (Tcp.Backlog full = new Tcp.Backlog(provider); SocketChannel c = provider.openSocketChannel()) {
            Async<Boolean> connect = Async.startKeepingInterrupt("connect", () -> c.connect(full.address()))
                    .awaitBlockedIn(Tcp.BLOCKING);
            connect.thread.interrupt();
            connect.failure(ClosedByInterruptException.class);
            assertFalse(c.isOpen());
        }
        try (ServerSocketChannel server = Tcp.listen(provider)) {
            Async<SocketChannel> accept = Async.startKeepingInterrupt("accept", server::accept)
                    .awaitBlockedIn(Tcp.BLOCKING);
            accept.thread.interrupt();
            accept.failure(ClosedByInterruptException.class);
            assertFalse(server.isOpen());
        }
    }

    // A blocking op on a thread whose interrupt status is already set fails at once and closes the channel.
    @DiffTest
    void alreadyInterrupted(SelectorProvider provider) throws Exception {
        Op connect = c -> {
            SocketChannel s = c.server.provider().openSocketChannel();
            try {
                return s.connect(local(c.server));
            } finally {
                assertFalse(s.isOpen(), "connect closed the channel");
                s.close();
            }
        };
        Op accept = c -> c.server.accept();
        for (Op op : new Op[] {READ, SCATTER, WRITE, GATHER, connect, accept}) {
            int fds = Providers.stableFdCount();
            try (Tcp.Conn conn = Tcp.pair(provider)) {
                Async<Object> io = Async.startKeepingInterrupt("io", () -> {
                    Thread.currentThread().interrupt();
                    return op.run(conn);
                });
                io.failure(ClosedByInterruptException.class);
                if (op == accept) {
                    assertFalse(conn.server.isOpen());
                } else if (op != connect) {
                    assertFalse(conn.client.isOpen());
                }
            }
            // an op that fails before it started must not close an fd it does not own (e.g. fd 0)
            Providers.assertFdCount(fds, "fds after the interrupted op and the closes");
            assertTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/fd/0")), "fd 0 still open");
        }
    }

    // non-blocking operations never call begin(): an interrupted thread's ops work and nothing closes.
    @DiffTest
    void nonBlockingIgnoresInterrupt(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider); SocketChannel other = provider.openSocketChannel()) {
            conn.client.configureBlocking(false);
            conn.peer.configureBlocking(false);
            conn.server.configureBlocking(false);
            other.configureBlocking(false);
            Async<Object[]> io = Async.start("io", () -> {
                Thread.currentThread().interrupt();
                try {
                    int w = conn.client.write(ByteBuffer.allocate(3));
                    int r = 0;
                    while (r < 3) {
                        r += conn.peer.read(ByteBuffer.allocate(5));
                    }
                    int empty = conn.peer.read(ByteBuffer.allocate(5));
                    SocketChannel none = conn.server.accept();
                    other.connect(local(conn.server));
                    return new Object[] {w, r, empty, none};
                } finally {
                    assertTrue(Thread.interrupted());
                }
            });
            Object[] r = io.get();
            assertArrayEquals(new Object[] {3, 3, 0, null}, r);
            assertTrue(conn.client.isOpen() && conn.peer.isOpen() && conn.server.isOpen() && other.isOpen());
        }
    }

    // shutdownInput wakes a blocked read, which returns -1; the channel stays open.
    @DiffTest
    void shutdownInputWakesBlockedRead(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            Async<Object> reader = Async.start("reader", () -> READ.run(conn)).awaitBlockedIn(Tcp.BLOCKING);
            conn.client.shutdownInput();
            assertEquals(-1, reader.get());
            assertTrue(conn.client.isOpen());
            conn.client.write(ByteBuffer.wrap(new byte[] {1}));
            assertEquals(1, Tcp.readFully(conn.peer, 1)[0], "the output side still works");
        }
    }

    // AsyncCloseAndInterrupt TEST_SHUTO: shutdownOutput wakes a blocked write with
    // AsynchronousCloseException; the channel stays open and can still read.
    @DiffTest
    void shutdownOutputWakesBlockedWrite(SelectorProvider provider) throws Exception {
        wakeBlockedWrite(provider, WRITE, conn -> conn.client.shutdownOutput(), (conn, t) -> {
            assertSame(AsynchronousCloseException.class, t.getClass(), t.toString());
            assertTrue(conn.client.isOpen());
            conn.peer.write(ByteBuffer.wrap(new byte[] {2}));
            assertEquals(2, Tcp.readFully(conn.client, 1)[0]);
        });
    }

    // NotYetConnectedException when unconnected, ClosedChannelException when closed, idempotent, reads -1
    // after shutdownInput even when the peer sends; the peer sees EOF after shutdownOutput.
    @DiffTest
    void shutdownStates(SelectorProvider provider) throws Exception {
        try (SocketChannel c = provider.openSocketChannel()) {
            expect(NotYetConnectedException.class, null, c::shutdownInput);
            expect(NotYetConnectedException.class, null, c::shutdownOutput);
            c.close();
            expect(ClosedChannelException.class, null, c::shutdownInput);
            expect(ClosedChannelException.class, null, c::shutdownOutput);
        }
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            assertSame(conn.client, conn.client.shutdownInput());
            assertSame(conn.client, conn.client.shutdownInput());
            assertEquals(-1, conn.client.read(ByteBuffer.allocate(4)));
            conn.peer.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertEquals(-1, conn.client.read(ByteBuffer.allocate(4)));
            assertEquals(-1, conn.client.read(new ByteBuffer[] {ByteBuffer.allocate(4)}));
            conn.client.configureBlocking(false);
            assertEquals(-1, conn.client.read(ByteBuffer.allocate(4)));
            conn.client.configureBlocking(true);
            assertSame(conn.client, conn.client.shutdownOutput());
            assertSame(conn.client, conn.client.shutdownOutput());
            assertEquals(-1, conn.peer.read(ByteBuffer.allocate(4)), "the peer sees EOF");
            assertTrue(conn.client.isOpen());
            assertTrue(conn.client.isConnected());
        }
    }

    // Any write after shutdownOutput throws AsynchronousCloseException (not
    // ClosedChannelException), blocking or not, even of an empty buffer; the channel stays open.
    @DiffTest
    void writeAfterShutdownOutput(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            conn.client.shutdownOutput();
            for (boolean blocking : new boolean[] {true, false}) {
                conn.client.configureBlocking(blocking);
                expect(AsynchronousCloseException.class, null, () -> conn.client.write(ByteBuffer.allocate(1)));
                expect(AsynchronousCloseException.class, null, () -> conn.client.write(ByteBuffer.allocateDirect(1)));
                expect(AsynchronousCloseException.class, null, () -> conn.client.write(ByteBuffer.allocate(0)));
                expect(AsynchronousCloseException.class, null,
                        () -> conn.client.write(new ByteBuffer[] {ByteBuffer.allocate(1)}));
                assertTrue(conn.client.isOpen());
            }
            assertEquals(-1, conn.peer.read(ByteBuffer.allocate(1)));
        }
    }

    // SocketChannel ops on a closed channel. read/write: ClosedChannelException on both JDKs;
    // a blocking connect or finishConnect: AsynchronousCloseException on 17 and ClosedChannelException on 25
    // (17 checks the state inside begin/end); non-blocking: ClosedChannelException on both.
    @DiffTest
    void opsOnClosedChannel(SelectorProvider provider) throws Exception {
        Class<?> blockingConnect = Runtime.version().feature() <= 22 ? AsynchronousCloseException.class
                : ClosedChannelException.class;
        java.util.List<String> wrong = new java.util.ArrayList<>();
        try (ServerSocketChannel server = Tcp.listen(provider); Selector sel = provider.openSelector()) {
            InetSocketAddress addr = local(server);
            for (boolean connected : new boolean[] {false, true}) {
                for (boolean blocking : new boolean[] {true, false}) {
                    SocketChannel c = provider.openSocketChannel();
                    if (connected) {
                        c.connect(addr);
                        server.accept().close();
                    }
                    c.configureBlocking(blocking);
                    c.close();
                    c.close();
                    String where = (connected ? "connected, " : "unconnected, ") + (blocking ? "blocking" : "non-blocking");
                    Class<?> expected = blocking ? blockingConnect : ClosedChannelException.class;
                    Throwable t = Tcp.expectClosed(() -> c.connect(addr));
                    if (t.getClass() != expected) {
                        wrong.add("connect, " + where + ": expected " + expected.getSimpleName() + ", got " + t);
                    }
                    t = Tcp.expectClosed(c::finishConnect);
                    if (t.getClass() != expected) {
                        wrong.add("finishConnect, " + where + ": expected " + expected.getSimpleName() + ", got " + t);
                    }
                    expect(ClosedChannelException.class, null, () -> c.read(ByteBuffer.allocate(1)));
                    expect(ClosedChannelException.class, null, () -> c.read(ByteBuffer.allocateDirect(1)));
                    expect(ClosedChannelException.class, null, () -> c.read(new ByteBuffer[] {ByteBuffer.allocate(1)}));
                    expect(ClosedChannelException.class, null, () -> c.write(ByteBuffer.allocate(1)));
                    expect(ClosedChannelException.class, null, () -> c.write(new ByteBuffer[] {ByteBuffer.allocate(1)}));
                    expect(ClosedChannelException.class, null, () -> c.bind(null));
                    expect(ClosedChannelException.class, null, c::getLocalAddress);
                    expect(ClosedChannelException.class, null, c::getRemoteAddress);
                    expect(ClosedChannelException.class, null, () -> c.getOption(StandardSocketOptions.TCP_NODELAY));
                    expect(ClosedChannelException.class, null, () -> c.setOption(StandardSocketOptions.TCP_NODELAY, true));
                    expect(ClosedChannelException.class, null, () -> c.configureBlocking(!blocking));
                    expect(ClosedChannelException.class, null, () -> c.register(sel, SelectionKey.OP_READ));
                    assertFalse(c.isConnected(), where);
                    assertFalse(c.isConnectionPending(), where);
                    assertFalse(c.supportedOptions().isEmpty());
                    assertEquals("java.nio.channels.SocketChannel[closed]", c.toString());
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("; ", wrong));
    }

    // CloseRegisteredChannel: closing a registered, connected, non-blocking channel lets the peer see EOF
    // at once, before any select; the key is invalid at once, the channel deregistered at the next select.
    @DiffTest
    void closeRegisteredChannelPeerSeesEof(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider); Selector sel = provider.openSelector()) {
            conn.client.configureBlocking(false);
            SelectionKey k = conn.client.register(sel, SelectionKey.OP_READ);
            sel.selectNow();
            conn.client.write(ByteBuffer.wrap(new byte[] {1, 2}));
            conn.client.close();
            assertFalse(k.isValid());
            assertTrue(conn.client.isRegistered(), "deregistered only at the next select");
            Async<byte[]> reader = Async.start("peer", () -> Tcp.readToEof(conn.peer));
            assertArrayEquals(new byte[] {1, 2}, reader.get(), "data, then EOF, without a select");
            sel.selectNow();
            assertFalse(conn.client.isRegistered());
        }
    }

    // With SO_LINGER 0 the close of a registered channel is abortive: no FIN before the select; after the
    // select the peer gets a reset.
    @DiffTest
    void closeRegisteredChannelWithLingerZero(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider); Selector sel = provider.openSelector()) {
            conn.client.configureBlocking(false);
            conn.client.setOption(StandardSocketOptions.SO_LINGER, 0);
            conn.client.register(sel, SelectionKey.OP_READ);
            sel.selectNow();
            conn.client.close();
            conn.peer.configureBlocking(false);
            assertEquals(0, conn.peer.read(ByteBuffer.allocate(1)), "no FIN: the shutdown is skipped");
            sel.selectNow();
            conn.peer.configureBlocking(true);
            expect(SocketException.class, "Connection reset", () -> conn.peer.read(ByteBuffer.allocate(1)));
        }
    }

    // A positive SO_LINGER is turned off before the shutdown of a registered channel: the peer sees the
    // data and EOF.
    @DiffTest
    void closeRegisteredChannelWithPositiveLinger(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider); Selector sel = provider.openSelector()) {
            conn.client.configureBlocking(false);
            conn.client.setOption(StandardSocketOptions.SO_LINGER, 5);
            conn.client.register(sel, SelectionKey.OP_READ);
            conn.client.write(ByteBuffer.wrap(new byte[] {3}));
            conn.client.close();
            assertArrayEquals(new byte[] {3}, Async.start("peer", () -> Tcp.readToEof(conn.peer)).get());
            sel.selectNow();
        }
    }

    // SO_LINGER 0 on an unregistered channel: close sends a RST; the peer's read throws
    // SocketException("Connection reset") (behaviours.md#reads-and-writes).
    @DiffTest
    void closeWithLingerZero(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            conn.client.setOption(StandardSocketOptions.SO_LINGER, 0);
            assertEquals(0, conn.client.getOption(StandardSocketOptions.SO_LINGER));
            conn.client.close();
            expect(SocketException.class, "Connection reset", () -> conn.peer.read(ByteBuffer.allocate(1)));
        }
    }

    // LingerOnClose: a blocking close with a positive SO_LINGER delivers everything written, then EOF.
    @DiffTest
    void closeWithPositiveLinger(SelectorProvider provider) throws Exception {
        byte[] data = Tcp.random(200_000, 38);
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            conn.client.setOption(StandardSocketOptions.SO_LINGER, 10);
            Async<byte[]> reader = Async.start("peer", () -> Tcp.readToEof(conn.peer));
            conn.client.write(ByteBuffer.wrap(data));
            conn.client.close();
            assertArrayEquals(data, reader.get());
        }
    }

    // Closing an unregistered channel releases its fd at once (SocketChannel/OpenLeak)
    // (behaviours.md#closing-an-unregistered-channel-frees-its-fd-at-once).
    @DiffTest
    void closeReleasesFdAtOnce(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider)) {
            int before = Providers.stableFdCount();
            for (int i = 0; i < 200; i++) {
                SocketChannel c = provider.openSocketChannel();
                if (i % 2 == 0) {
                    c.connect(local(server));
                    server.accept().close();
                }
                c.close();
            }
            InetSocketAddress dead = Tcp.refusedAddress(provider);
            for (int i = 0; i < 50; i++) {
                SocketChannel c = provider.openSocketChannel();
                try {
                    c.connect(dead);
                } catch (java.net.ConnectException expected) {
                    assertFalse(c.isOpen());
                }
            }
            Providers.assertFdCount(before, "every closed channel released its fd");
        }
    }

    // configureBlocking waits for a blocking read in progress (behaviours.md#changing-the-blocking-mode).
    @DiffTest
    void configureBlockingWaitsForBlockedRead(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            Async<Object> reader = Async.start("reader", () -> READ.run(conn)).awaitBlockedIn(Tcp.BLOCKING);
            Async<Boolean> config = Async.start("configure", () -> {
                conn.client.configureBlocking(false);
                return conn.client.isBlocking();
            });
            Providers.awaitWaiting(config.thread);
            assertFalse(config.isDone(), "configureBlocking must wait for the read");
            conn.peer.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertEquals(3, reader.get());
            assertFalse(config.get());
        }
    }

    // A failed connect leaves nothing behind: not pending, no remote address readable (closed)
    // (behaviours.md#connect-state-machine).
    @DiffTest
    void closedDuringPendingNonBlockingConnect(SelectorProvider provider) throws Exception {
        try (Tcp.Backlog full = new Tcp.Backlog(provider); Selector sel = provider.openSelector()) {
            SocketChannel c = provider.openSocketChannel();
            c.configureBlocking(false);
            assertFalse(c.connect(full.address()));
            SelectionKey k = c.register(sel, SelectionKey.OP_CONNECT);
            assertTrue(c.isConnectionPending());
            c.close();
            assertFalse(k.isValid());
            assertFalse(c.isConnectionPending());
            expect(ClosedChannelException.class, null, c::finishConnect);
            assertEquals(0, sel.selectNow());
            assertNull(k.attachment());
        }
    }

    // A blocking finishConnect of a pending connect (to a full accept queue) wakes with
    // AsynchronousCloseException on close and ClosedByInterruptException on interrupt (behaviours.md#stream-sockets).
    @DiffTest
    void blockedFinishConnect(SelectorProvider provider) throws Exception {
        for (boolean interrupt : new boolean[] {false, true}) {
            try (Tcp.Backlog full = new Tcp.Backlog(provider); SocketChannel c = provider.openSocketChannel()) {
                c.configureBlocking(false);
                assertFalse(c.connect(full.address()));
                c.configureBlocking(true);
                Async<Boolean> finish = Async.start("finishConnect", () -> {
                    try {
                        return c.finishConnect();
                    } finally {
                        if (interrupt) {
                            assertTrue(Thread.interrupted());
                        }
                    }
                });
                Providers.awaitBlockedIn(finish.thread, Tcp.BLOCKING);
                if (interrupt) {
                    finish.thread.interrupt();
                } else {
                    c.close();
                }
                finish.failure(interrupt ? ClosedByInterruptException.class : AsynchronousCloseException.class);
                assertFalse(c.isOpen());
                assertFalse(c.isConnectionPending());
            }
        }
    }
}
