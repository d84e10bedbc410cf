package io.nativenio.diff;

import static java.nio.channels.SelectionKey.OP_ACCEPT;
import static java.nio.channels.SelectionKey.OP_CONNECT;
import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.channels.SelectionKey.OP_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;

/** SelectionKey behaviour (behaviours.md#cancelled-keys-are-flushed-at-every-select,
 * behaviours.md#selection-key-operations). */
class SelectionKeyTest {

    // Accessors, attach/attachment.
    @SelectorDiffTest
    void basics(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Selector sel = provider.openSelector(); Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            src.configureBlocking(false);
            Object att = new Object();
            SelectionKey k = src.register(sel, OP_READ, att);
            assertSame(src, k.channel());
            assertSame(sel, k.selector());
            assertTrue(k.isValid());
            assertSame(att, k.attachment());
            assertSame(att, k.attach("x"));
            assertEquals("x", k.attachment());
            assertEquals("x", k.attach(null));
            assertNull(k.attachment());
            assertEquals(OP_READ, k.interestOps());
            assertEquals(0, k.readyOps());
            assertSame(k, k.interestOps(0));
            assertEquals(0, k.interestOps());
            assertSame(k, src.keyFor(sel));
        }
    }

    // toString as the JDK's SelectionKeyImpl: channel, selector, then the op sets or "invalid".
    @SelectorDiffTest
    void keyToString(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Selector sel = provider.openSelector(); Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            sink.configureBlocking(false);
            SelectionKey k = sink.register(sel, OP_WRITE);
            sel.selectNow();
            assertEquals("channel=" + sink + ", selector=" + sel + ", interestOps=4, readyOps=4", k.toString());
            k.cancel();
            assertEquals("channel=" + sink + ", selector=" + sel + ", invalid", k.toString());
        }
    }

    // interestOps and interestOpsOr validate; interestOpsAnd does not; Or/And return the previous set.
    @SelectorDiffTest
    void interestOpsValidationAndAtomicUpdates(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Selector sel = provider.openSelector(); Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            src.configureBlocking(false);
            sink.configureBlocking(false);
            SelectionKey rk = src.register(sel, OP_READ);
            SelectionKey wk = sink.register(sel, 0);
            for (int bad : new int[] {OP_WRITE, OP_ACCEPT, OP_CONNECT, -1, 1 << 30, OP_READ | OP_WRITE}) {
                assertThrows(IllegalArgumentException.class, () -> rk.interestOps(bad));
                assertThrows(IllegalArgumentException.class, () -> rk.interestOpsOr(bad));
            }
            assertThrows(IllegalArgumentException.class, () -> wk.interestOps(OP_READ));
            assertEquals(OP_READ, rk.interestOps());
            assertEquals(OP_READ, rk.interestOpsAnd(-1));
            assertEquals(OP_READ, rk.interestOps());
            assertEquals(OP_READ, rk.interestOpsAnd(~OP_READ));
            assertEquals(0, rk.interestOps());
            assertEquals(0, rk.interestOpsAnd(0xFFFF_0000));
            assertEquals(0, rk.interestOpsOr(OP_READ));
            assertEquals(OP_READ, rk.interestOpsOr(OP_READ));
            assertEquals(OP_READ, rk.interestOps());
            assertEquals(0, wk.interestOpsOr(OP_WRITE));
            assertEquals(OP_WRITE, wk.interestOps());
            assertEquals(1, sel.selectNow());
        }
    }

    // A cancelled key throws CancelledKeyException from the op accessors;
    // attach/attachment still work; cancel is idempotent.
    @SelectorDiffTest
    void cancelledKey(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Selector sel = provider.openSelector(); Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            sink.configureBlocking(false);
            SelectionKey k = sink.register(sel, OP_WRITE, "a");
            assertEquals(1, sel.selectNow());
            k.cancel();
            k.cancel();
            assertFalse(k.isValid());
            assertThrows(CancelledKeyException.class, k::interestOps);
            assertThrows(CancelledKeyException.class, () -> k.interestOps(0));
            assertThrows(CancelledKeyException.class, () -> k.interestOpsOr(0));
            assertThrows(CancelledKeyException.class, () -> k.interestOpsAnd(0));
            assertThrows(CancelledKeyException.class, k::readyOps);
            assertThrows(CancelledKeyException.class, k::isReadable);
            assertThrows(CancelledKeyException.class, k::isWritable);
            assertThrows(CancelledKeyException.class, k::isAcceptable);
            assertThrows(CancelledKeyException.class, k::isConnectable);
            assertEquals("a", k.attachment());
            assertEquals("a", k.attach("b"));
            assertEquals("b", k.attachment());
            assertSame(sink, k.channel());
            assertSame(sel, k.selector());
        }
    }

    // A cancelled key stays in keys(), keyFor() and isRegistered() until the next selection op, and
    // is removed from the selected-key set by it; re-registering before that throws CancelledKeyException.
    @SelectorDiffTest
    void cancelIsFlushedByNextSelect(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Selector sel = provider.openSelector(); Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            sink.configureBlocking(false);
            SelectionKey k = sink.register(sel, OP_WRITE);
            assertEquals(1, sel.selectNow());
            k.cancel();
            assertSame(k, sink.keyFor(sel));
            assertTrue(sink.isRegistered());
            assertTrue(sel.keys().contains(k));
            assertTrue(sel.selectedKeys().contains(k));
            assertThrows(CancelledKeyException.class, () -> sink.register(sel, OP_WRITE));
            assertThrows(CancelledKeyException.class, () -> sink.register(sel, 0, "att"));
            assertEquals(0, sel.selectNow());
            assertNull(sink.keyFor(sel));
            assertFalse(sink.isRegistered());
            assertFalse(sel.keys().contains(k));
            assertFalse(sel.selectedKeys().contains(k));
            // after the flush a new key can be made
            SelectionKey k2 = sink.register(sel, OP_WRITE);
            assertTrue(k2 != k && k2.isValid());
            assertEquals(1, sel.selectNow());
            assertEquals(java.util.Set.of(k2), sel.selectedKeys());
        }
    }

    // Every kind of selection op flushes cancelled keys, also a blocking one.
    @SelectorDiffTest
    void everySelectFlushes(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Selector sel = provider.openSelector(); Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            src.configureBlocking(false);
            for (int i = 0; i < 4; i++) {
                SelectionKey k = src.register(sel, OP_READ);
                k.cancel();
                switch (i) {
                    case 0 -> sel.select(1);
                    case 1 -> sel.select(x -> { }, 1);
                    case 2 -> sel.selectNow(x -> { });
                    default -> {
                        sel.wakeup();
                        sel.select();
                    }
                }
                assertFalse(src.isRegistered(), "flushed by op " + i);
            }
        }
    }
}
