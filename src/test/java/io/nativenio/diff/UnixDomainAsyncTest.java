package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocking UNIX-domain operations woken by a close or an interrupt from another thread
 * (behaviours.md#async-close-wakes-a-blocked-thread, behaviours.md#interrupt-closes-a-channel-in-blocking-io,
 * behaviours.md#close-and-so_linger, behaviours.md#operations-on-a-closed-blocking-channel).
 */
class UnixDomainAsyncTest {
    @TempDir
    Path dir;

    /** A thread blocked in a read of {@code ch}. */
    private static Async<Integer> blockedReader(SocketChannel ch) throws InterruptedException {
        return Async.start("reader", () -> ch.read(ByteBuffer.allocate(8))).awaitBlockedIn("read");
    }

    // A read blocked when another thread closes the channel ends with AsynchronousCloseException;
    // the peer reads EOF.
    @DiffTest
    void closeWakesBlockedRead(SelectorProvider provider) throws Exception {
        try (Tcp.Conn c = UnixDomainSocketTest.pair(provider, dir)) {
            Async<Integer> reader = blockedReader(c.client);
            c.client.close();
            assertEquals(AsynchronousCloseException.class, reader.failure().getClass());
            assertEquals(-1, c.peer.read(ByteBuffer.allocate(8)));
        }
    }

    // A blocked accept ends with AsynchronousCloseException when the server channel is closed.
    @DiffTest
    void closeWakesBlockedAccept(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel ssc = UnixDomainSocketTest.server(provider, dir, "s")) {
            Async<SocketChannel> acceptor = Async.start("acceptor", ssc::accept).awaitBlockedIn("accept");
            ssc.close();
            assertEquals(AsynchronousCloseException.class, acceptor.failure().getClass());
        }
    }

    // Interrupting a thread blocked in read closes the channel; it gets ClosedByInterruptException.
    @DiffTest
    void interruptClosesChannel(SelectorProvider provider) throws Exception {
        try (Tcp.Conn c = UnixDomainSocketTest.pair(provider, dir)) {
            Async<Integer> reader = blockedReader(c.peer);
            reader.thread.interrupt();
            assertEquals(ClosedByInterruptException.class, reader.failure().getClass());
            assertFalse(c.peer.isOpen());
            assertEquals(-1, c.client.read(ByteBuffer.allocate(8)));
        }
    }

    // shutdownInput wakes a blocked read, which returns EOF; the channel stays open
    // (behaviours.md#shutdown-of-one-direction).
    @DiffTest
    void shutdownInputWakesBlockedRead(SelectorProvider provider) throws Exception {
        try (Tcp.Conn c = UnixDomainSocketTest.pair(provider, dir)) {
            Async<Integer> reader = blockedReader(c.client);
            c.client.shutdownInput();
            assertEquals(-1, reader.get());
            assertTrue(c.client.isOpen());
        }
    }

    // operations on a closed blocking channel; connect and accept differ between 17 and 25.
    @DiffTest
    void operationsOnClosedChannel(SelectorProvider provider) throws Exception {
        Class<? extends Exception> connectOrAccept = Runtime.version().feature() >= 23
                ? ClosedChannelException.class : AsynchronousCloseException.class;
        SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.UNIX);
        ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.UNIX);
        sc.close();
        ssc.close();
        assertThrowsExactly(connectOrAccept, () -> sc.connect(UnixDomainSocketAddress.of(dir.resolve("s"))));
        assertThrowsExactly(connectOrAccept, ssc::accept);
        assertThrowsExactly(ClosedChannelException.class, () -> sc.read(ByteBuffer.allocate(1)));
        assertThrowsExactly(ClosedChannelException.class, () -> sc.write(ByteBuffer.allocate(1)));
        assertThrowsExactly(ClosedChannelException.class, () -> sc.bind(null));
        assertThrowsExactly(ClosedChannelException.class, () -> ssc.bind(null));
        assertThrowsExactly(ClosedChannelException.class, ssc::getLocalAddress);
        assertThrowsExactly(ClosedChannelException.class, sc::getRemoteAddress);
    }
}
