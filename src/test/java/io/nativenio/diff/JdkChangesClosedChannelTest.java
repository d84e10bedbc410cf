package io.nativenio.diff;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * JDK 23 (JDK-8329190): an I/O method of a closed channel in blocking mode throws ClosedChannelException. Up to
 * JDK 22 SocketChannel.connect and finishConnect, ServerSocketChannel.accept, the pipe channels' read and write
 * and every DatagramChannel read, write, send and receive checked inside their begin/end bracket, where the
 * bracket turned it into AsynchronousCloseException (docs/jdk-changes.md#closed-channels-in-blocking-mode).
 */
class JdkChangesClosedChannelTest {
    private static final Class<? extends Exception> EXPECTED = Runtime.version().feature() >= 23
            ? ClosedChannelException.class : AsynchronousCloseException.class;
    private static final SocketAddress SOMEWHERE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 7);

    @DiffTest
    void streamChannels(SelectorProvider provider) throws Exception {
        SocketChannel unconnected = provider.openSocketChannel();
        unconnected.close();
        Tcp.expect(EXPECTED, null, () -> unconnected.connect(SOMEWHERE));
        try (Tcp.Backlog full = new Tcp.Backlog(provider)) {
            SocketChannel pending = provider.openSocketChannel();
            pending.configureBlocking(false);
            pending.connect(full.address());
            pending.configureBlocking(true);
            pending.close();
            Tcp.expect(EXPECTED, null, pending::finishConnect);
        }
        ServerSocketChannel server = Tcp.listen(provider);
        server.close();
        Tcp.expect(EXPECTED, null, server::accept);
    }

    @DiffTest
    void pipes(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        p.source().close();
        p.sink().close();
        ByteBuffer b = ByteBuffer.allocate(8);
        Tcp.expect(EXPECTED, null, () -> p.source().read(b));
        Tcp.expect(EXPECTED, null, () -> p.source().read(new ByteBuffer[] {b}));
        Tcp.expect(EXPECTED, null, () -> p.sink().write(b));
        Tcp.expect(EXPECTED, null, () -> p.sink().write(new ByteBuffer[] {b}));
    }

    @DiffTest
    void datagrams(SelectorProvider provider) throws Exception {
        for (boolean connected : new boolean[] {false, true}) {
            DatagramChannel dc = DatagramIOTest.bound(provider, StandardProtocolFamily.INET);
            if (connected) {
                dc.connect(SOMEWHERE);
            }
            dc.close();
            ByteBuffer b = ByteBuffer.allocate(8);
            ByteBuffer[] bs = {b};
            Tcp.expect(EXPECTED, null, () -> dc.send(b, SOMEWHERE));
            Tcp.expect(EXPECTED, null, () -> dc.receive(b));
            Tcp.expect(EXPECTED, null, () -> dc.read(b));
            Tcp.expect(EXPECTED, null, () -> dc.read(bs));
            Tcp.expect(EXPECTED, null, () -> dc.write(b));
            Tcp.expect(EXPECTED, null, () -> dc.write(bs, 0, 1));
        }
    }
}
