package io.nativenio.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A TCP connection over loopback, both ends on the benchmark thread: {@code blocking} writes {@code size}
 * bytes and reads them at the other end; {@code selectorPingPong} is an event loop's round trip (select,
 * read, write back, select, read) with non-blocking channels on one selector.
 */
public class SocketBench extends BufferBench {
    private SocketChannel client;
    private SocketChannel server;
    private Selector selector;
    private SelectionKey clientKey;
    private SelectionKey serverKey;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SelectorProvider p = provider();
        Loopback c = Loopback.connect(p);
        client = c.client();
        server = c.server();
        selector = p.openSelector();
        allocateBuffers();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        selector.close();
        client.close();
        server.close();
    }

    @Benchmark
    public int blocking() throws IOException {
        client.write(out.clear());
        in.clear();
        int n = 0;
        while (n < size) {
            n += server.read(in);
        }
        return n;
    }

    @Benchmark
    public int selectorPingPong() throws IOException {
        if (clientKey == null) {
            client.configureBlocking(false);
            server.configureBlocking(false);
            clientKey = client.register(selector, SelectionKey.OP_READ);
            serverKey = server.register(selector, SelectionKey.OP_READ);
        }
        writeFully(client, out.clear());
        int echoed = 0;
        int received = 0;
        while (received < size) {
            selector.select();
            for (SelectionKey k : selector.selectedKeys()) {
                in.clear();
                if (k == serverKey) {
                    int n = server.read(in);
                    echoed += n;
                    writeFully(server, in.flip());
                } else {
                    received += client.read(in);
                }
            }
            selector.selectedKeys().clear();
        }
        return echoed + received;
    }

    private static void writeFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
