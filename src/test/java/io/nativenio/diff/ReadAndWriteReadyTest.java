package io.nativenio.diff;

import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.channels.SelectionKey.OP_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keys whose channels are ready for reading and writing at once. A backend may report the two directions as
 * separate events (kqueue: one per filter); each key is still counted once and its ready set is the union,
 * and an action sees each ready operation once (behaviours.md#select-with-an-action): the JDK's epoll
 * selector invokes it once with both, its kqueue selector once per direction.
 */
class ReadAndWriteReadyTest {

    /** Two connections whose client ends are writable and have a byte to read. */
    private static List<Tcp.Conn> readableAndWritable(SelectorProvider provider, int n) throws Exception {
        List<Tcp.Conn> conns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Tcp.Conn c = Tcp.pair(provider);
            conns.add(c);
            c.peer.write(ByteBuffer.wrap(new byte[] {1}));
            c.client.configureBlocking(false);
        }
        return conns;
    }

    private static void closeAll(List<Tcp.Conn> conns) throws Exception {
        for (Tcp.Conn c : conns) {
            c.close();
        }
    }

    // select() counts each key once and sets its ready set to both operations.
    @SelectorDiffTest
    void selectCountsEachKeyOnceWithTheUnionOfReadyOps(SelectorProvider provider) throws Exception {
        List<Tcp.Conn> conns = readableAndWritable(provider, 2);
        try (Selector sel = provider.openSelector()) {
            SelectionKey k0 = conns.get(0).client.register(sel, OP_READ | OP_WRITE);
            SelectionKey k1 = conns.get(1).client.register(sel, OP_READ | OP_WRITE);
            awaitReadable(sel, k0, k1);
            assertEquals(Set.of(k0, k1), sel.selectedKeys());
            assertEquals(OP_READ | OP_WRITE, k0.readyOps());
            assertEquals(OP_READ | OP_WRITE, k1.readyOps());
            // Already selected keys: their ready sets are updated, and each is counted once again.
            k0.interestOps(OP_WRITE);
            assertEquals(0, sel.selectNow(), "ready sets that did not change are not counted");
            sel.selectedKeys().clear();
            assertEquals(2, sel.selectNow());
            assertEquals(OP_WRITE, k0.readyOps());
            assertEquals(OP_READ | OP_WRITE, k1.readyOps());
        } finally {
            closeAll(conns);
        }
    }

    // select(Consumer) returns the number of keys; the action may run more than once for a key, but the
    // operations it sees for one key never repeat and add up to both.
    @SelectorDiffTest
    void actionSeesEachReadyOperationOnce(SelectorProvider provider) throws Exception {
        List<Tcp.Conn> conns = readableAndWritable(provider, 2);
        try (Selector sel = provider.openSelector()) {
            SocketChannel c0 = conns.get(0).client;
            SocketChannel c1 = conns.get(1).client;
            SelectionKey k0 = c0.register(sel, OP_READ | OP_WRITE);
            SelectionKey k1 = c1.register(sel, OP_READ | OP_WRITE);
            awaitReadable(sel, k0, k1);
            sel.selectedKeys().clear();
            Map<SelectionKey, Integer> seen = new HashMap<>();
            List<String> repeated = new ArrayList<>();
            int n = sel.selectNow(k -> {
                int before = seen.getOrDefault(k, 0);
                if ((before & k.readyOps()) != 0) {
                    repeated.add(k + " saw " + before + " then " + k.readyOps());
                }
                seen.put(k, before | k.readyOps());
            });
            assertEquals(2, n);
            assertEquals(Map.of(k0, OP_READ | OP_WRITE, k1, OP_READ | OP_WRITE), seen);
            assertEquals(List.of(), repeated);
            assertTrue(sel.selectedKeys().isEmpty());
        } finally {
            closeAll(conns);
        }
    }

    /** Selects until both keys are ready for reading (the bytes are on their way over loopback). */
    private static void awaitReadable(Selector sel, SelectionKey... keys) throws Exception {
        for (int i = 0; i < 1000; i++) {
            sel.select(10);
            boolean all = true;
            for (SelectionKey k : keys) {
                all &= k.isReadable();
            }
            if (all) {
                return;
            }
        }
        throw new AssertionError("the keys did not become readable");
    }
}
