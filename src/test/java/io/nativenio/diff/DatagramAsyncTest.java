package io.nativenio.diff;

import static io.nativenio.diff.DatagramIOTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;

/** Blocked receive and read against close, interrupt and connect; selector readiness (behaviours.md#stream-sockets,
 * behaviours.md#datagram-connect, behaviours.md#readiness-per-channel-type). */
class DatagramAsyncTest {

    /** A blocking operation on a channel, for the tables below. */
    interface Op {
        Object run(DatagramChannel dc) throws Exception;
    }

    private static final Op RECEIVE = dc -> dc.receive(ByteBuffer.allocate(10));
    private static final Op RECEIVE_DIRECT = dc -> dc.receive(ByteBuffer.allocateDirect(10));
    private static final Op READ = dc -> dc.read(ByteBuffer.allocate(10));
    private static final Op SCATTER = dc -> dc.read(new ByteBuffer[] {ByteBuffer.allocate(10)});
    private static final String[] BLOCKING_METHODS = {"receive0", "read", "read0", "readv", "readv0"};

    private static DatagramChannel connectedToSelf(SelectorProvider provider) throws Exception {
        DatagramChannel dc = provider.openDatagramChannel();
        dc.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        dc.connect(dc.getLocalAddress());
        return dc;
    }

    // A receive or read blocked in another thread ends with AsynchronousCloseException on close.
    @DiffTest
    void blockedAsyncClose(SelectorProvider provider) throws Exception {
        for (Op op : new Op[] {RECEIVE, RECEIVE_DIRECT, READ, SCATTER}) {
            try (DatagramChannel dc = connectedToSelf(provider)) {
                Async<Object> io = Async.start("receiver", () -> op.run(dc)).awaitBlockedIn(BLOCKING_METHODS);
                dc.close();
                io.failure(AsynchronousCloseException.class);
                assertFalse(dc.isOpen());
            }
        }
    }

    // Interrupting a thread blocked in receive or read closes the channel; it gets ClosedByInterruptException.
    @DiffTest
    void blockedInterrupted(SelectorProvider provider) throws Exception {
        for (Op op : new Op[] {RECEIVE, RECEIVE_DIRECT, READ, SCATTER}) {
            try (DatagramChannel dc = connectedToSelf(provider)) {
                Async<Object> io = Async.startKeepingInterrupt("receiver", () -> op.run(dc))
                        .awaitBlockedIn(BLOCKING_METHODS);
                io.thread.interrupt();
                io.failure(ClosedByInterruptException.class);
                assertFalse(dc.isOpen());
            }
        }
    }

    // A thread already interrupted fails at once in blocking mode, and the channel is closed.
    @DiffTest
    void alreadyInterrupted(SelectorProvider provider) throws Exception {
        for (Op op : new Op[] {RECEIVE, READ, dc -> dc.send(text("x", false), dc.getRemoteAddress()),
                dc -> dc.write(text("x", true))}) {
            try (DatagramChannel dc = connectedToSelf(provider)) {
                Async<Object> io = Async.start("io", () -> {
                    Thread.currentThread().interrupt();
                    try {
                        return op.run(dc);
                    } finally {
                        Thread.interrupted();
                    }
                });
                io.failure(ClosedByInterruptException.class);
                assertFalse(dc.isOpen());
            }
        }
    }

    // A blocked receive holds the read lock; a datagram wakes it with the sender; connect waits for it
    // (behaviours.md#reads-and-writes-run-concurrently).
    @DiffTest
    void blockedReceiveGetsDatagram(SelectorProvider provider) throws Exception {
        try (DatagramChannel dc = provider.openDatagramChannel();
                DatagramChannel peer = provider.openDatagramChannel()) {
            dc.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            peer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ByteBuffer dst = ByteBuffer.allocate(10);
            Async<SocketAddress> rx = Async.start("receiver", () -> dc.receive(dst)).awaitBlockedIn(BLOCKING_METHODS);
            Async<Object> connect = Async.start("connect", () -> dc.connect(peer.getLocalAddress()));
            Providers.awaitWaiting(connect.thread);
            assertFalse(connect.isDone(), "connect waits for the blocked receive");
            peer.send(text("wake", false), dc.getLocalAddress());
            assertEquals(peer.getLocalAddress(), rx.get());
            assertSame(dc, connect.get());
            assertEquals("wake", DatagramIOTest.text(dst));
        }
    }

    // OP_READ when a datagram waits, OP_WRITE at once, connected or not.
    @DiffTest
    void readiness(SelectorProvider provider) throws Exception {
        try (Selector sel = provider.openSelector(); DatagramChannel dc = provider.openDatagramChannel();
                DatagramChannel peer = provider.openDatagramChannel()) {
            dc.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            peer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            dc.configureBlocking(false);
            assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, dc.validOps());
            SelectionKey key = dc.register(sel, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            assertEquals(1, sel.selectNow());
            assertEquals(SelectionKey.OP_WRITE, key.readyOps());
            sel.selectedKeys().clear();
            key.interestOps(SelectionKey.OP_READ);
            assertEquals(0, sel.selectNow());
            peer.send(text("hi", false), dc.getLocalAddress());
            assertEquals(1, sel.select(5000));
            assertEquals(SelectionKey.OP_READ, key.readyOps());
            sel.selectedKeys().clear();
            assertEquals(peer.getLocalAddress(), dc.receive(ByteBuffer.allocate(4)));
            assertEquals(0, sel.selectNow());
            dc.connect(peer.getLocalAddress());
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            assertEquals(1, sel.selectNow());
            assertEquals(SelectionKey.OP_WRITE, key.readyOps());
        }
    }

    // SelectWhenRefused: an ICMP port unreachable does not select an unconnected channel; a connected
    // channel is selected (POLLERR makes every interest op ready) and the error shows once.
    @DiffTest
    void selectWhenRefused(SelectorProvider provider) throws Exception {
        InetSocketAddress nobody = DatagramIOTest.freePort(provider);
        try (Selector sel = provider.openSelector(); DatagramChannel dc = provider.openDatagramChannel()) {
            dc.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            dc.configureBlocking(false);
            SelectionKey key = dc.register(sel, SelectionKey.OP_READ);
            dc.send(text("x", false), nobody);
            assertEquals(0, sel.select(200));
            dc.connect(nobody);
            dc.write(text("x", false));
            assertEquals(1, sel.select(5000));
            assertEquals(SelectionKey.OP_READ, key.readyOps());
            Throwable t = org.junit.jupiter.api.Assertions.assertThrows(java.net.PortUnreachableException.class,
                    () -> dc.read(ByteBuffer.allocate(4)));
            assertEquals(null, t.getMessage());
            sel.selectedKeys().clear();
            assertEquals(0, sel.selectNow());
        }
    }
}
