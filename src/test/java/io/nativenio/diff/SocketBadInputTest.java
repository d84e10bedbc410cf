package io.nativenio.diff;

import static io.nativenio.diff.Tcp.expect;
import static io.nativenio.diff.Tcp.expectClass;
import static io.nativenio.diff.Tcp.local;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * Issue 3 item 7: bad input gets the JDK's exception class and message (literals confirmed on JDK 17 and 25)
 * and changes nothing. NPEs the JDK raises implicitly carry "helpful" messages that name JDK-internal
 * variables (and differ between 17 and 25), so only their class is compared.
 */
class SocketBadInputTest {

    private static final ProtocolFamily CUSTOM_FAMILY = () -> "CUSTOM";

    // Open with a null or unknown protocol family (behaviours.md#protocol-families).
    @DiffTest
    void openWithBadFamily(SelectorProvider provider) throws Exception {
        expect(NullPointerException.class, "'family' is null", () -> provider.openSocketChannel(null));
        expect(NullPointerException.class, "'family' is null", () -> provider.openServerSocketChannel(null));
        expect(UnsupportedOperationException.class, "Protocol family not supported",
                () -> provider.openSocketChannel(CUSTOM_FAMILY));
        expect(UnsupportedOperationException.class, "Protocol family not supported",
                () -> provider.openServerSocketChannel(CUSTOM_FAMILY));
    }

    // Null buffers and arrays; nothing is consumed (behaviours.md#reads-and-writes).
    @DiffTest
    void nullBuffers(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            conn.peer.write(ByteBuffer.wrap(new byte[] {1, 2}));
            SocketChannel c = conn.client;
            expect(NullPointerException.class, null, () -> c.read((ByteBuffer) null));
            expect(NullPointerException.class, null, () -> c.write((ByteBuffer) null));
            expectClass(NullPointerException.class, () -> c.read((ByteBuffer[]) null));
            expectClass(NullPointerException.class, () -> c.write((ByteBuffer[]) null));
            expectClass(NullPointerException.class, () -> c.read(new ByteBuffer[] {ByteBuffer.allocate(1), null}));
            expectClass(NullPointerException.class, () -> c.write(new ByteBuffer[] {ByteBuffer.allocate(1), null}));
            expectClass(NullPointerException.class, () -> c.read(new ByteBuffer[] {null}, 0, 1));
            ByteBuffer ok = ByteBuffer.allocate(4);
            expectClass(NullPointerException.class, () -> c.read(new ByteBuffer[] {ok, null}));
            assertEquals(0, ok.position(), "nothing read before the null element was found");
            c.configureBlocking(false);
            expect(NullPointerException.class, null, () -> c.read((ByteBuffer) null));
            expect(NullPointerException.class, null, () -> c.write((ByteBuffer) null));
            c.configureBlocking(true);
            assertArrayEquals(new byte[] {1, 2}, Tcp.readFully(c, 2), "the data is still there");
            assertTrue(c.isOpen());
        }
    }

    // Register with ops outside validOps, or while blocking; configureBlocking(true) with a valid key
    // (behaviours.md#registering-and-re-registering).
    @DiffTest
    void registrationErrors(SelectorProvider provider) throws Exception {
        try (SocketChannel c = provider.openSocketChannel(); ServerSocketChannel s = provider.openServerSocketChannel();
                Selector sel = provider.openSelector()) {
            expect(IllegalBlockingModeException.class, null, () -> c.register(sel, SelectionKey.OP_READ));
            expect(IllegalBlockingModeException.class, null, () -> s.register(sel, SelectionKey.OP_ACCEPT));
            c.configureBlocking(false);
            s.configureBlocking(false);
            expect(IllegalArgumentException.class, null, () -> c.register(sel, SelectionKey.OP_ACCEPT));
            expect(IllegalArgumentException.class, null, () -> s.register(sel, SelectionKey.OP_READ));
            expect(IllegalArgumentException.class, null, () -> s.register(sel, SelectionKey.OP_CONNECT));
            expect(IllegalArgumentException.class, null, () -> c.register(sel, -1));
            SelectionKey k = c.register(sel, SelectionKey.OP_CONNECT);
            expect(IllegalArgumentException.class, null, () -> k.interestOps(SelectionKey.OP_ACCEPT));
            expect(IllegalBlockingModeException.class, null, () -> c.configureBlocking(true));
            assertTrue(k.isValid());
            k.cancel();
            // allowed once every key is invalid (behaviours.md#registering-and-re-registering)
            c.configureBlocking(true);
        }
    }

    // Connecting to port 0 is refused by the kernel, and closes the channel, as any failed connect
    // (behaviours.md#connect-state-machine).
    @DiffTest
    void connectToPortZero(SelectorProvider provider) throws Exception {
        try (SocketChannel c = provider.openSocketChannel()) {
            expect(ConnectException.class, "Connection refused",
                    () -> c.connect(new InetSocketAddress(Tcp.LOOPBACK, 0)));
            assertTrue(!c.isOpen());
        }
    }

    // Item 7: an error in one channel leaves its peer and server untouched, and the pair usable.
    @DiffTest
    void errorsChangeNothing(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            SocketChannel c = conn.client;
            expect(IllegalArgumentException.class, "Read-only buffer", () -> c.read(ByteBuffer.allocate(2).asReadOnlyBuffer()));
            expect(IndexOutOfBoundsException.class, "Range [0, 0 + 3) out of bounds for length 2",
                    () -> c.write(new ByteBuffer[2], 0, 3));
            expect(java.nio.channels.AlreadyConnectedException.class, null, () -> c.connect(local(conn.server)));
            expect(java.nio.channels.AlreadyBoundException.class, null, () -> c.bind(null));
            expect(java.nio.channels.AlreadyBoundException.class, null, () -> conn.server.bind(null));
            expect(IllegalArgumentException.class, "Invalid IP_TOS value",
                    () -> c.setOption(java.net.StandardSocketOptions.IP_TOS, 1000));
            c.write(ByteBuffer.wrap(new byte[] {5, 6}));
            assertArrayEquals(new byte[] {5, 6}, Tcp.readFully(conn.peer, 2));
            conn.peer.write(ByteBuffer.wrap(new byte[] {7}));
            assertArrayEquals(new byte[] {7}, Tcp.readFully(c, 1));
            try (SocketChannel second = provider.openSocketChannel()) {
                second.connect(local(conn.server));
                conn.server.accept().close();
            }
        }
    }
}
