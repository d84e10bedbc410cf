package io.nativenio.diff;

import static io.nativenio.diff.DatagramIOTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad arguments and closed channels get the JDK's exceptions and change nothing (behaviours.md#protocol-families,
 * behaviours.md#operations-on-a-closed-blocking-channel).
 */
class DatagramBadInputTest {
    private static final SocketAddress UNRESOLVED = InetSocketAddress.createUnresolved("nowhere.invalid", 1234);
    private static final SocketAddress UNIX = UnixDomainSocketAddress.of("/tmp/x");
    private static final SocketAddress IPV6 = new InetSocketAddress(DatagramIOTest.address("::1"), 1234);

    /** Asserts that {@code e} throws exactly {@code type}, with {@code message} unless that is null. */
    static void assertThrowsExactly(Class<? extends Throwable> type, String message, Executable e) {
        Throwable t = assertThrows(Throwable.class, e);
        assertSame(type, t.getClass(), t.toString());
        if (message != null) {
            assertEquals(message, t.getMessage());
        }
    }

    // The families the provider takes for datagram channels.
    @DiffTest
    void families(SelectorProvider provider) throws Exception {
        assertThrowsExactly(NullPointerException.class, "'family' is null", () -> provider.openDatagramChannel(null));
        assertThrowsExactly(UnsupportedOperationException.class, "Protocol family not supported",
                () -> provider.openDatagramChannel(StandardProtocolFamily.UNIX));
        try (DatagramChannel dc = provider.openDatagramChannel(StandardProtocolFamily.INET6)) {
            assertSame(provider, dc.provider());
        }
    }

    // Null, unresolved and wrong-type addresses, for bind, connect and send; nothing changes.
    @DiffTest
    void badAddresses(SelectorProvider provider) throws Exception {
        try (DatagramChannel dc = provider.openDatagramChannel(StandardProtocolFamily.INET)) {
            ByteBuffer src = text("x", false);
            assertThrowsExactly(NullPointerException.class, null, () -> dc.connect(null));
            assertThrowsExactly(NullPointerException.class, null, () -> dc.send(src, null));
            assertThrowsExactly(NullPointerException.class, null, () -> dc.send(null, new InetSocketAddress(1)));
            assertThrowsExactly(NullPointerException.class, null, () -> dc.receive(null));
            assertThrowsExactly(NullPointerException.class, null, () -> dc.read((ByteBuffer) null));
            assertThrowsExactly(NullPointerException.class, null, () -> dc.write((ByteBuffer) null));
            assertThrowsExactly(UnresolvedAddressException.class, null, () -> dc.bind(UNRESOLVED));
            assertThrowsExactly(UnresolvedAddressException.class, null, () -> dc.connect(UNRESOLVED));
            assertThrowsExactly(UnresolvedAddressException.class, null, () -> dc.send(src, UNRESOLVED));
            assertThrowsExactly(UnsupportedAddressTypeException.class, null, () -> dc.bind(UNIX));
            assertThrowsExactly(UnsupportedAddressTypeException.class, null, () -> dc.connect(UNIX));
            assertThrowsExactly(UnsupportedAddressTypeException.class, null, () -> dc.send(src, UNIX));
            // an INET channel takes IPv4 addresses only
            assertThrowsExactly(UnsupportedAddressTypeException.class, null, () -> dc.bind(IPV6));
            assertThrowsExactly(UnsupportedAddressTypeException.class, null, () -> dc.connect(IPV6));
            assertThrowsExactly(UnsupportedAddressTypeException.class, null, () -> dc.send(src, IPV6));
            assertNull(dc.getLocalAddress());
            assertEquals(0, src.position());
            assertThrowsExactly(IllegalArgumentException.class, "Read-only buffer",
                    () -> dc.receive(ByteBuffer.allocate(4).asReadOnlyBuffer()));
        }
        try (DatagramChannel dc = provider.openDatagramChannel()) {
            dc.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9));
            assertThrowsExactly(IllegalArgumentException.class, "Read-only buffer",
                    () -> dc.read(ByteBuffer.allocate(4).asReadOnlyBuffer()));
            assertThrowsExactly(IllegalArgumentException.class, "Read-only buffer",
                    () -> dc.read(new ByteBuffer[] {ByteBuffer.allocate(4).asReadOnlyBuffer()}));
        }
    }

    /** What an I/O call on a closed channel throws in blocking mode: up to JDK 22 it ends the bracket. */
    private static Class<? extends Throwable> closedBlocking() {
        return Runtime.version().feature() >= 23 ? ClosedChannelException.class : AsynchronousCloseException.class;
    }

    // Every operation on a closed channel, in both modes; close twice; isConnected false after close.
    @DiffTest
    void closedChannel(SelectorProvider provider) throws Exception {
        for (boolean blocking : new boolean[] {true, false}) {
            DatagramChannel dc = provider.openDatagramChannel();
            DatagramChannel peer = provider.openDatagramChannel().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                dc.configureBlocking(blocking);
                dc.connect(peer.getLocalAddress());
                dc.close();
                dc.close();
                Class<? extends Throwable> io = blocking ? closedBlocking() : ClosedChannelException.class;
                assertThrowsExactly(io, null, () -> dc.receive(ByteBuffer.allocate(1)));
                assertThrowsExactly(io, null, () -> dc.send(text("x", false), peer.getLocalAddress()));
                assertThrowsExactly(io, null, () -> dc.read(ByteBuffer.allocate(1)));
                assertThrowsExactly(io, null, () -> dc.write(text("x", false)));
                assertThrowsExactly(io, null, () -> dc.read(new ByteBuffer[] {ByteBuffer.allocate(1)}));
                assertThrowsExactly(io, null, () -> dc.write(new ByteBuffer[] {text("x", false)}));
                assertThrowsExactly(ClosedChannelException.class, null, () -> dc.bind(null));
                assertThrowsExactly(ClosedChannelException.class, null, () -> dc.connect(peer.getLocalAddress()));
                assertThrowsExactly(ClosedChannelException.class, null, dc::getLocalAddress);
                assertThrowsExactly(ClosedChannelException.class, null, dc::getRemoteAddress);
                assertSame(dc, dc.disconnect());
                assertTrue(!dc.isConnected());
            } finally {
                dc.close();
                peer.close();
            }
        }
    }
}
