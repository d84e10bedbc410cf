package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Arrays;

/**
 * DatagramChannel behaviours that changed between JDK 17 and JDK 25, one test per change
 * (docs/jdk-changes.md#datagrams).
 */
class JdkChangesDatagramTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Where a platform thread blocked in the adaptor's receive waits: recvfrom untimed, poll when timed. */
    private static final String[] RECEIVING = {"receive0", "poll", "poll0"};

    private static DatagramChannel bound(SelectorProvider provider) throws Exception {
        return DatagramIOTest.bound(provider, StandardProtocolFamily.INET);
    }

    /**
     * JDK 20 (JDK-8280113, in 17.0.12 too): closing the adaptor while a receive waits ends that receive with
     * SocketException("Socket closed") even after datagrams were received through the channel (the JDK's
     * cached sender address used to make it return a stale one) (jdk-changes.md#adaptor-close-after-receive).
     */
    @DiffTest
    void adaptorCloseAfterReceives(SelectorProvider provider) throws Exception {
        for (int timeout : new int[] {0, 60_000}) {
            try (DatagramChannel dc = bound(provider)) {
                SocketAddress self = dc.getLocalAddress();
                for (int i = 0; i < 2; i++) {
                    dc.send(ByteBuffer.wrap(new byte[] {(byte) i}), self);
                    assertEquals(self, dc.receive(ByteBuffer.allocate(4)));
                }
                DatagramSocket s = dc.socket();
                s.setSoTimeout(timeout);
                Async<Object> r = Async.start("receiver", () -> {
                    DatagramPacket p = new DatagramPacket(new byte[10], 10);
                    s.receive(p);
                    return p.getSocketAddress();
                });
                Providers.awaitBlockedIn(r.thread, RECEIVING);
                s.close();
                Throwable t = r.failure();
                assertSame(SocketException.class, t.getClass(), t.toString());
                assertEquals("Socket closed", t.getMessage());
            }
        }
    }

    /**
     * Whether the DatagramSocket adaptor's receive holds the packet's monitor while it waits: from JDK 24
     * (JDK-8344328); up to 23 it takes the monitor only to copy the datagram into the packet.
     */
    static boolean receiveHoldsThePacket(Runtime.Version v) {
        return v.feature() >= 24;
    }

    /**
     * Another thread's {@code packet.setData} during the adaptor's receive: where the receive holds the packet's
     * monitor (this JDK: see {@link #receiveHoldsThePacket}) setData waits, and the datagram lands in the old
     * buffer; where it does not, setData returns at once and the datagram lands in the new buffer, truncated
     * to its length (jdk-changes.md#adaptor-receive-and-the-packet).
     */
    @DiffTest
    void adaptorReceiveAndThePacketsMonitor(SelectorProvider provider) throws Exception {
        boolean locked = receiveHoldsThePacket(Runtime.version());
        try (DatagramChannel dc = bound(provider); DatagramChannel sender = bound(provider)) {
            DatagramSocket s = dc.socket();
            byte[] big = new byte[100];
            DatagramPacket p = new DatagramPacket(big, big.length);
            Async<Object> r = Async.start("receiver", () -> {
                s.receive(p);
                return null;
            });
            Providers.awaitBlockedIn(r.thread, RECEIVING);
            byte[] small = new byte[4];
            Async<Object> setter = Async.start("setter", () -> {
                p.setData(small);
                return null;
            });
            if (locked) {
                Providers.awaitWaiting(setter.thread);
                assertEquals(Thread.State.BLOCKED, setter.thread.getState());
            } else {
                setter.get();
            }
            byte[] sent = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
            sender.send(ByteBuffer.wrap(sent), dc.getLocalAddress());
            r.get();
            setter.get();
            assertSame(small, p.getData());
            assertEquals(4, p.getLength());
            if (locked) {
                assertArrayEquals(sent, Arrays.copyOf(big, 10));
                assertArrayEquals(new byte[4], small);
            } else {
                assertArrayEquals(Arrays.copyOf(sent, 4), small);
            }
            assertEquals(sender.getLocalAddress(), p.getSocketAddress());
        }
    }

    /**
     * Specified in JDK 22 (JDK-8319962), the same on JDK 17: connecting a channel bound to the wildcard address
     * may change its local address to the one the connection uses; disconnect restores the wildcard address
     * (jdk-changes.md#datagram-local-address-after-connect).
     */
    @DiffTest
    void localAddressAfterConnectAndDisconnect(SelectorProvider provider) throws Exception {
        try (DatagramChannel dc = provider.openDatagramChannel(StandardProtocolFamily.INET);
                DatagramChannel peer = bound(provider)) {
            dc.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            InetSocketAddress before = (InetSocketAddress) dc.getLocalAddress();
            assertTrue(before.getAddress().isAnyLocalAddress(), before.toString());
            for (int round = 0; round < 2; round++) {
                dc.connect(peer.getLocalAddress());
                InetSocketAddress connected = (InetSocketAddress) dc.getLocalAddress();
                assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), before.getPort()), connected);
                assertEquals(peer.getLocalAddress(), dc.getRemoteAddress());
                dc.disconnect();
                assertEquals(before, dc.getLocalAddress());
                assertEquals(null, dc.getRemoteAddress());
            }
        }
    }

    /**
     * Unchanged from JDK 17 to 25, pinned because it was on the list of suspects: send to another address on a
     * connected channel throws AlreadyConnectedException and leaves the channel open and connected.
     */
    @DiffTest
    void sendElsewhereWhenConnected(SelectorProvider provider) throws Exception {
        try (DatagramChannel dc = bound(provider); DatagramChannel peer = bound(provider)) {
            dc.connect(peer.getLocalAddress());
            ByteBuffer b = ByteBuffer.wrap(new byte[] {1});
            for (boolean blocking : new boolean[] {true, false}) {
                dc.configureBlocking(blocking);
                Tcp.expect(AlreadyConnectedException.class, null, () -> dc.send(b, new InetSocketAddress(LOOPBACK, 7)));
                assertTrue(dc.isOpen() && dc.isConnected());
                assertEquals(0, b.position());
            }
        }
    }
}
