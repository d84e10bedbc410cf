package io.nativenio.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A TCP round trip of {@code size} bytes over loopback between two event loops: an echo thread waits in
 * select() on its own selector, reads and writes back; the benchmark thread writes, then selects and reads
 * until the echo is back. Each side blocks in its selector, as a client and a server do.
 */
public class PingPongBench extends ProviderBench {
    @Param({"1024"})
    public int size;

    private SocketChannel client;
    private Selector clientSelector;
    private ByteBuffer out;
    private ByteBuffer in;
    private Thread echo;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SelectorProvider p = provider();
        Loopback c = Loopback.connect(p);
        client = c.client();
        SocketChannel server = c.server();
        for (SocketChannel ch : new SocketChannel[] {client, server}) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.configureBlocking(false);
        }
        clientSelector = p.openSelector();
        client.register(clientSelector, SelectionKey.OP_READ);
        Selector echoSelector = p.openSelector();
        server.register(echoSelector, SelectionKey.OP_READ);
        out = ByteBuffer.allocateDirect(size);
        in = ByteBuffer.allocateDirect(size);
        echo = new Thread(() -> echo(echoSelector, server, ByteBuffer.allocateDirect(64 * 1024)), "echo");
        echo.setDaemon(true);
        echo.start();
    }

    /** Echoes until the client closes its end. */
    private static void echo(Selector selector, SocketChannel server, ByteBuffer buf) {
        try (selector; server) {
            while (true) {
                selector.select();
                selector.selectedKeys().clear();
                int n = server.read(buf.clear());
                if (n < 0) {
                    return;
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    server.write(buf);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        client.close();
        echo.join();
        clientSelector.close();
    }

    @Benchmark
    public int pingPong() throws IOException {
        out.clear();
        while (out.hasRemaining()) {
            client.write(out);
        }
        in.clear();
        while (in.hasRemaining()) {
            clientSelector.select();
            clientSelector.selectedKeys().clear();
            client.read(in);
        }
        return in.position();
    }
}
