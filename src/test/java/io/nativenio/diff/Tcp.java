package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/** Shared helpers of the TCP differential tests: connected pairs, addresses, exact-exception checks. */
final class Tcp {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /**
     * The message of a connect refused when it is polled (finishConnect, the adaptor's timed connect): JDK-8384163
     * appended " (connect failed)" in JDK 27 and in 21.0.13; a connect refused at once keeps "Connection refused".
     */
    static final String REFUSED_WHEN_POLLED = refusedWhenPolled(Runtime.version());

    private static String refusedWhenPolled(Runtime.Version v) {
        boolean named = v.feature() >= 27 || (v.feature() == 21 && v.update() >= 13);
        return named ? "Connection refused (connect failed)" : "Connection refused";
    }

    /** The method names of native frames a thread blocked in TCP I/O sits in, on the JDK and on nativenio. */
    static final String[] BLOCKING = {"read", "read0", "readv", "readv0", "write", "write0", "writev", "writev0",
        "connect", "connect0", "accept", "accept0", "poll", "poll0", "pollConnect"};

    private Tcp() {
    }

    /** Something that may throw, for {@link #expect}. */
    interface Op {
        Object run() throws Throwable;
    }

    /** A server bound to the loopback address on an ephemeral port. */
    static ServerSocketChannel listen(SelectorProvider p) throws IOException {
        ServerSocketChannel s = p.openServerSocketChannel();
        try {
            s.bind(new InetSocketAddress(LOOPBACK, 0));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    static InetSocketAddress local(java.nio.channels.NetworkChannel ch) throws IOException {
        return (InetSocketAddress) ch.getLocalAddress();
    }

    /** A connected pair: the client, the server's accepted channel ("peer") and the listening server. */
    static final class Conn implements AutoCloseable {
        final ServerSocketChannel server;
        final SocketChannel client;
        final SocketChannel peer;

        Conn(ServerSocketChannel server, SocketChannel client, SocketChannel peer) {
            this.server = server;
            this.client = client;
            this.peer = peer;
        }

        @Override
        public void close() throws IOException {
            try {
                if (client != null) {
                    client.close();
                }
            } finally {
                try {
                    if (peer != null) {
                        peer.close();
                    }
                } finally {
                    server.close();
                }
            }
        }
    }

    /** Opens a client channel, for {@link #pair(ServerSocketChannel, Client)}. */
    interface Client {
        SocketChannel open() throws IOException;
    }

    /** A blocking client connected to a loopback server of the same provider, and the accepted channel. */
    static Conn pair(SelectorProvider p) throws IOException {
        return pair(listen(p), p::openSocketChannel);
    }

    /** A blocking client from {@code open} connected to {@code server}, and the accepted channel; all closed on failure. */
    static Conn pair(ServerSocketChannel server, Client open) throws IOException {
        SocketChannel client = null;
        try {
            client = open.open();
            client.connect(server.getLocalAddress());
            SocketChannel peer = server.accept();
            return new Conn(server, client, peer);
        } catch (IOException | RuntimeException e) {
            if (client != null) {
                client.close();
            }
            server.close();
            throw e;
        }
    }

    /** A loopback address where nothing listens (a port bound, then released). */
    static InetSocketAddress refusedAddress(SelectorProvider p) throws IOException {
        try (ServerSocketChannel s = listen(p)) {
            return local(s);
        }
    }

    /**
     * A server with backlog 1 whose accept queue is full, so that a further connect to it waits (the kernel
     * drops its SYNs): used to block a connect on loopback. {@link Backlog#close} closes everything.
     */
    static final class Backlog implements AutoCloseable {
        final ServerSocketChannel server;
        final List<SocketChannel> fillers = new ArrayList<>();

        Backlog(SelectorProvider p) throws Exception {
            server = p.openServerSocketChannel();
            server.bind(new InetSocketAddress(LOOPBACK, 0), 1);
            for (int i = 0; i < 8; i++) {
                SocketChannel c = p.openSocketChannel();
                fillers.add(c);
                c.configureBlocking(false);
                c.connect(server.getLocalAddress());
            }
            Thread.sleep(200); // let the handshakes that can complete complete
        }

        InetSocketAddress address() throws IOException {
            return local(server);
        }

        @Override
        public void close() throws IOException {
            for (SocketChannel c : fillers) {
                c.close();
            }
            server.close();
        }
    }

    /** Asserts that {@code op} throws exactly {@code type} with exactly {@code message} (may be null). */
    static <T extends Throwable> T expect(Class<T> type, String message, Op op) {
        Throwable t;
        try {
            Object r = op.run();
            throw new AssertionError("expected " + type.getName() + "(" + message + "), returned " + r);
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable e) {
            t = e;
        }
        if (t.getClass() != type) {
            AssertionError e = new AssertionError("expected " + type.getName() + "(" + message + "), got " + t);
            e.initCause(t);
            throw e;
        }
        assertEquals(message, t.getMessage(), () -> "message of " + t);
        return type.cast(t);
    }

    /**
     * Asserts that {@code op} throws a ClosedChannelException or a subclass of it (AsynchronousCloseException, on a
     * channel closed while blocked), and returns it for the caller to check its class.
     */
    static Throwable expectClosed(Op op) {
        try {
            Object r = op.run();
            throw new AssertionError("returned " + r);
        } catch (ClosedChannelException e) {
            return e;
        } catch (Throwable e) {
            throw new AssertionError("expected a ClosedChannelException, got " + e, e);
        }
    }

    /**
     * Asserts the exceptions of binding {@code ch} to the address of {@code bound} (in use), to an address of no local
     * interface, to an unresolved and to an unsupported address, and that they leave {@code ch} open and unbound.
     */
    static void assertBindErrors(NetworkChannel ch, NetworkChannel bound) throws IOException {
        expect(BindException.class, "Address already in use", () -> ch.bind(local(bound)));
        expect(BindException.class, "Cannot assign requested address",
                () -> ch.bind(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0)));
        expect(UnresolvedAddressException.class, null,
                () -> ch.bind(InetSocketAddress.createUnresolved("nativenio.invalid", 0)));
        expect(UnsupportedAddressTypeException.class, null, () -> ch.bind(new CustomAddress()));
        assertTrue(ch.isOpen());
        assertNull(ch.getLocalAddress(), "a failed bind leaves the channel unbound");
    }

    /** A socket adaptor's bind(SocketAddress): Socket's or ServerSocket's. */
    interface AdaptorBind {
        void bind(SocketAddress address) throws IOException;
    }

    /** Asserts the Socket API's exceptions of an adaptor's bind to an unsupported and to an unresolved address. */
    static void assertAdaptorBindErrors(AdaptorBind adaptor) {
        expect(SocketException.class, "Unsupported address type", () -> {
            adaptor.bind(new CustomAddress());
            return null;
        });
        expect(SocketException.class, "Unresolved address", () -> {
            adaptor.bind(InetSocketAddress.createUnresolved("nativenio.invalid", 0));
            return null;
        });
    }

    /** Asserts that {@code op} throws exactly {@code type}, whatever its message (for JDK-internal NPE texts). */
    static <T extends Throwable> T expectClass(Class<T> type, Op op) {
        try {
            Object r = op.run();
            throw new AssertionError("expected " + type.getName() + ", returned " + r);
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable e) {
            if (e.getClass() != type) {
                AssertionError a = new AssertionError("expected " + type.getName() + ", got " + e);
                a.initCause(e);
                throw a;
            }
            return type.cast(e);
        }
    }

    /** A {@code jdk.net.ExtendedSocketOptions} constant, reflectively (the tests may not read jdk.net). */
    @SuppressWarnings("unchecked")
    static <T> SocketOption<T> ext(String name) {
        try {
            return (SocketOption<T>) Class.forName("jdk.net.ExtendedSocketOptions").getField(name).get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** The option of {@code ch.supportedOptions()} with that name (for the internal SO_OOBINLINE). */
    @SuppressWarnings("unchecked")
    static <T> SocketOption<T> byName(java.nio.channels.NetworkChannel ch, String name) {
        for (SocketOption<?> o : ch.supportedOptions()) {
            if (o.name().equals(name)) {
                return (SocketOption<T>) o;
            }
        }
        return fail(name + " not in " + ch.supportedOptions());
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    /** Reads exactly {@code n} bytes (blocking channel). */
    static byte[] readFully(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new java.io.EOFException("EOF after " + b.position() + " of " + n);
            }
        }
        return b.array();
    }

    /** Reads until EOF (blocking channel); returns the bytes. */
    static byte[] readToEof(SocketChannel ch) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(65536);
        while (ch.read(b.clear()) >= 0) {
            out.write(b.array(), 0, b.position());
        }
        return out.toByteArray();
    }

    /**
     * Makes the next blocking write on {@code ch} block without sending anything: its send buffer and the
     * peer's receive buffer are filled by non-blocking writes until two writes, 50 ms apart, write nothing.
     * Restores blocking mode. Returns the number of bytes written.
     */
    static long fill(SocketChannel ch) throws Exception {
        ch.configureBlocking(false);
        ByteBuffer b = ByteBuffer.allocateDirect(65536);
        long total = 0;
        int zeros = 0;
        while (zeros < 2) {
            int n = ch.write(b.clear());
            if (n == 0) {
                n = ch.write(b.clear().limit(1));
            }
            if (n == 0) {
                zeros++;
                Thread.sleep(50);
            } else {
                total += n;
                zeros = 0;
            }
        }
        ch.configureBlocking(true);
        return total;
    }

    /**
     * Waits until {@code ch} (blocking or not, unregistered) is readable or has a pending error, with a
     * temporary selector; restores blocking mode. Used to know that a peer's RST has arrived.
     */
    static void awaitReadable(SelectorProvider p, SocketChannel ch) throws IOException {
        boolean blocking = ch.isBlocking();
        try (Selector sel = p.openSelector()) {
            ch.configureBlocking(false);
            SelectionKey k = ch.register(sel, SelectionKey.OP_READ);
            assertTrue(sel.select(10_000) > 0, "readable within 10 s");
            k.cancel();
            sel.selectNow();
        }
        ch.configureBlocking(blocking);
    }

    /** Sets SO_LINGER 0 on {@code ch} and closes it, so that its peer gets a RST. */
    static void abort(SocketChannel ch) throws IOException {
        ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        ch.close();
    }

    /** A SocketAddress subclass no provider knows. */
    static final class CustomAddress extends SocketAddress {
        private static final long serialVersionUID = 1L;
    }

    static void assertSameProvider(SelectorProvider p, java.nio.channels.SelectableChannel ch) {
        assertSame(p, ch.provider());
    }
}
