package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/** Readiness of connected TCP channels at EOF, reset, shutdown and full buffers
 * (behaviours.md#ready-sets-are-replaced-or-accumulated, behaviours.md#readiness-per-channel-type). */
class SocketReadinessTest {

    private static int readyOps(Selector sel, SelectionKey k) throws Exception {
        sel.selectedKeys().clear();
        int n = sel.select(10_000);
        assertEquals(1, n, "selected within 10 s");
        return k.readyOps();
    }

    /** A shutdown, for {@link #readableAfter}. */
    private interface Shutdown {
        SocketChannel run() throws Exception;
    }

    /**
     * Registers the client of {@code conn} for OP_READ, asserts that it is not ready, runs {@code eof} and asserts
     * that the client is then ready to read; returns its key.
     */
    private static SelectionKey readableAfter(Tcp.Conn conn, Selector sel, Shutdown eof) throws Exception {
        conn.client.configureBlocking(false);
        SelectionKey k = conn.client.register(sel, SelectionKey.OP_READ);
        assertEquals(0, sel.selectNow());
        eof.run();
        assertEquals(SelectionKey.OP_READ, readyOps(sel, k));
        return k;
    }

    // The peer's FIN makes the channel readable; the read returns -1.
    @SelectorDiffTest
    void peerEofIsReadable(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider); Selector sel = provider.openSelector()) {
            readableAfter(conn, sel, conn.peer::shutdownOutput);
            assertEquals(-1, conn.client.read(ByteBuffer.allocate(1)));
        }
    }

    // A RST (HUP/ERR) reports the whole interest set; the read then throws "Connection reset".
    @SelectorDiffTest
    void peerResetReportsInterestSet(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider); Selector sel = provider.openSelector()) {
            conn.client.configureBlocking(false);
            SelectionKey k = conn.client.register(sel, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            assertEquals(SelectionKey.OP_WRITE, readyOps(sel, k));
            k.interestOps(SelectionKey.OP_READ);
            sel.selectedKeys().clear();
            assertEquals(0, sel.selectNow());
            Tcp.abort(conn.peer);
            assertEquals(SelectionKey.OP_READ, readyOps(sel, k));
            k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, readyOps(sel, k));
            Tcp.expect(java.net.SocketException.class, "Connection reset", () -> conn.client.read(ByteBuffer.allocate(1)));
        }
    }

    // After shutdownInput the channel is readable (EOF); after shutdownOutput it stays writable.
    @SelectorDiffTest
    void ownShutdown(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider); Selector sel = provider.openSelector()) {
            SelectionKey k = readableAfter(conn, sel, conn.client::shutdownInput);
            conn.client.shutdownOutput();
            k.interestOps(SelectionKey.OP_WRITE);
            assertEquals(SelectionKey.OP_WRITE, readyOps(sel, k));
        }
    }

    // A full send buffer is not writable; it becomes writable when the peer drains it.
    @SelectorDiffTest
    void fullBufferNotWritable(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider); Selector sel = provider.openSelector()) {
            long filled = Tcp.fill(conn.client);
            conn.client.configureBlocking(false);
            SelectionKey k = conn.client.register(sel, SelectionKey.OP_WRITE);
            assertEquals(0, sel.selectNow(), "not writable while full");
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            long drained = 0;
            while (drained < filled) {
                drained += conn.peer.read(b.clear());
            }
            assertEquals(filled, drained);
            assertEquals(SelectionKey.OP_WRITE, readyOps(sel, k));
            assertTrue(conn.client.write(ByteBuffer.allocate(10)) > 0);
        }
    }
}
