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
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;

/** SelectionKey behaviour (behaviours.md#cancelled-keys-are-flushed-at-every-select,
 * behaviours.md#selection-key-operations). */
class SelectionKeyTest {

    // Accessors, attach/attachment.
    @SelectorDiffTest
    void basics(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            f.src.configureBlocking(false);
            Object att = new Object();
            SelectionKey k = f.src.register(f.sel, OP_READ, att);
            assertSame(f.src, k.channel());
            assertSame(f.sel, k.selector());
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
            assertSame(k, f.src.keyFor(f.sel));
        }
    }

    // toString as the JDK's SelectionKeyImpl: channel, selector, then the op sets or "invalid".
    @SelectorDiffTest
    void keyToString(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            SelectionKey k = f.registerSink(OP_WRITE);
            f.sel.selectNow();
            assertEquals("channel=" + f.sink + ", selector=" + f.sel + ", interestOps=4, readyOps=4", k.toString());
            k.cancel();
            assertEquals("channel=" + f.sink + ", selector=" + f.sel + ", invalid", k.toString());
        }
    }

    // interestOps and interestOpsOr validate; interestOpsAnd does not; Or/And return the previous set.
    @SelectorDiffTest
    void interestOpsValidationAndAtomicUpdates(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            SelectionKey rk = f.registerSource(OP_READ);
            SelectionKey wk = f.registerSink(0);
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
            assertEquals(1, f.sel.selectNow());
        }
    }

    // A cancelled key throws CancelledKeyException from the op accessors;
    // attach/attachment still work; cancel is idempotent.
    @SelectorDiffTest
    void cancelledKey(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            f.sink.configureBlocking(false);
            SelectionKey k = f.sink.register(f.sel, OP_WRITE, "a");
            assertEquals(1, f.sel.selectNow());
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
            assertSame(f.sink, k.channel());
            assertSame(f.sel, k.selector());
        }
    }

    // A cancelled key stays in keys(), keyFor() and isRegistered() until the next selection op, and
    // is removed from the selected-key set by it; re-registering before that throws CancelledKeyException.
    @SelectorDiffTest
    void cancelIsFlushedByNextSelect(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            SelectionKey k = f.registerSink(OP_WRITE);
            assertEquals(1, f.sel.selectNow());
            k.cancel();
            assertSame(k, f.sink.keyFor(f.sel));
            assertTrue(f.sink.isRegistered());
            assertTrue(f.sel.keys().contains(k));
            assertTrue(f.sel.selectedKeys().contains(k));
            assertThrows(CancelledKeyException.class, () -> f.sink.register(f.sel, OP_WRITE));
            assertThrows(CancelledKeyException.class, () -> f.sink.register(f.sel, 0, "att"));
            assertEquals(0, f.sel.selectNow());
            assertNull(f.sink.keyFor(f.sel));
            assertFalse(f.sink.isRegistered());
            assertFalse(f.sel.keys().contains(k));
            assertFalse(f.sel.selectedKeys().contains(k));
            // after the flush a new key can be made
            SelectionKey k2 = f.sink.register(f.sel, OP_WRITE);
            assertTrue(k2 != k && k2.isValid());
            assertEquals(1, f.sel.selectNow());
            assertEquals(java.util.Set.of(k2), f.sel.selectedKeys());
        }
    }

    // Every kind of selection op flushes cancelled keys, also a blocking one.
    @SelectorDiffTest
    void everySelectFlushes(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            f.src.configureBlocking(false);
            for (int i = 0; i < 4; i++) {
                SelectionKey k = f.src.register(f.sel, OP_READ);
                k.cancel();
                switch (i) {
                    case 0 -> f.sel.select(1);
                    case 1 -> f.sel.select(x -> { }, 1);
                    case 2 -> f.sel.selectNow(x -> { });
                    default -> {
                        f.sel.wakeup();
                        f.sel.select();
                    }
                }
                assertFalse(f.src.isRegistered(), "flushed by op " + i);
            }
        }
    }
}
