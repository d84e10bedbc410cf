package io.nativenio.diff;

import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.channels.SelectionKey.OP_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;

/** Closing the selector, and closing registered channels (behaviours.md#deferred-close-of-a-registered-channel,
 * behaviours.md#closing-a-selector). */
class SelectorCloseTest {

    // Close invalidates keys and deregisters channels, but does not close them.
    @SelectorDiffTest
    void closeInvalidatesKeysAndKeepsChannelsOpen(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            f.src.configureBlocking(false);
            f.sink.configureBlocking(false);
            SelectionKey rk = f.src.register(f.sel, OP_READ, "r");
            SelectionKey wk = f.sink.register(f.sel, OP_WRITE);
            assertEquals(1, f.sel.selectNow());
            f.sel.close();
            assertFalse(f.sel.isOpen());
            assertFalse(rk.isValid());
            assertFalse(wk.isValid());
            assertEquals("r", rk.attachment());
            assertThrows(CancelledKeyException.class, rk::interestOps);
            assertTrue(f.src.isOpen());
            assertTrue(f.sink.isOpen());
            assertFalse(f.src.isRegistered());
            assertFalse(f.sink.isRegistered());
            assertNull(f.src.keyFor(f.sel));
            // deregistered, so they can go back to blocking mode and still do I/O
            f.src.configureBlocking(true);
            f.sink.configureBlocking(true);
            f.sink.write(ByteBuffer.wrap(new byte[] {7}));
            ByteBuffer b = ByteBuffer.allocate(1);
            assertEquals(1, f.src.read(b));
            assertEquals(7, b.get(0));
        }
    }

    // After close, select*, keys(), selectedKeys() and register throw ClosedSelectorException; close again is fine.
    @SelectorDiffTest
    void operationsAfterClose(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            f.sel.close();
            f.sel.close();
            assertThrows(ClosedSelectorException.class, f.sel::selectNow);
            assertThrows(ClosedSelectorException.class, f.sel::select);
            assertThrows(ClosedSelectorException.class, () -> f.sel.select(10));
            assertThrows(ClosedSelectorException.class, () -> f.sel.select(k -> { }));
            assertThrows(ClosedSelectorException.class, () -> f.sel.select(k -> { }, 10));
            assertThrows(ClosedSelectorException.class, () -> f.sel.selectNow(k -> { }));
            assertThrows(ClosedSelectorException.class, f.sel::keys);
            assertThrows(ClosedSelectorException.class, f.sel::selectedKeys);
            f.src.configureBlocking(false);
            assertThrows(ClosedSelectorException.class, () -> f.src.register(f.sel, OP_READ));
            assertFalse(f.src.isRegistered());
            f.sel.wakeup();
        }
    }

    // Closing the selector makes a select blocked in another thread return.
    @SelectorDiffTest
    void closeWakesBlockedSelect(SelectorProvider provider) throws Exception {
        for (boolean consumer : new boolean[] {false, true}) {
            try (PipeFixture f = new PipeFixture(provider)) {
                SelectionKey k = f.registerSource(OP_READ);
                Async<Integer> select = Async.start("select", () -> consumer ? f.sel.select(x -> { }) : f.sel.select());
                Providers.awaitBlockedIn(select.thread, "select", "doSelect");
                f.sel.close();
                // the JDK returns normally (0) from the wait it was in
                assertEquals(0, select.get());
                assertFalse(k.isValid());
                assertFalse(f.src.isRegistered());
                assertTrue(f.src.isOpen());
            }
        }
    }

    // A registered channel that is closed keeps its fd until the selector's next
    // selection op deregisters it; its key is invalid at once.
    @SelectorDiffTest
    void closeOfRegisteredChannelIsDeferredUntilFlush(SelectorProvider provider) throws Exception {
        try (Selector sel = provider.openSelector()) {
            Pipe p = provider.openPipe();
            try (Pipe.SinkChannel sink = p.sink()) {
                Pipe.SourceChannel src = p.source();
                src.configureBlocking(false);
                SelectionKey k = src.register(sel, OP_READ);
                assertEquals(0, sel.selectNow());
                int before = Providers.stableFdCount();
                src.close();
                assertFalse(src.isOpen());
                assertFalse(k.isValid());
                assertTrue(src.isRegistered());
                assertEquals(k, src.keyFor(sel));
                assertTrue(sel.keys().contains(k));
                Providers.assertFdCount(before, "fd kept while still registered");
                assertEquals(0, sel.selectNow());
                assertFalse(src.isRegistered());
                assertNull(src.keyFor(sel));
                assertFalse(sel.keys().contains(k));
                Providers.assertFdCount(before - 1, "fd released by the flush");
            }
        }
    }

    // A registered channel closed while the selector is idle is released by the selector's close.
    @SelectorDiffTest
    void closeOfRegisteredChannelCompletedBySelectorClose(SelectorProvider provider) throws Exception {
        int beforeSelector = Providers.stableFdCount();
        Selector sel = provider.openSelector();
        int selectorFds = Providers.stableFdCount() - beforeSelector;
        Pipe p = provider.openPipe();
        try (Pipe.SinkChannel sink = p.sink()) {
            Pipe.SourceChannel src = p.source();
            src.configureBlocking(false);
            src.register(sel, OP_READ);
            int before = Providers.stableFdCount();
            src.close();
            Providers.assertFdCount(before, "fd kept while still registered");
            assertTrue(src.isRegistered());
            sel.close();
            assertFalse(src.isRegistered());
            Providers.assertFdCount(before - 1 - selectorFds, "fd released by the selector's close");
        }
    }

    // Once the selector is closed its channels are unregistered, so closing one releases its fd at once.
    @SelectorDiffTest
    void channelCloseAfterSelectorClose(SelectorProvider provider) throws Exception {
        Selector sel = provider.openSelector();
        Pipe p = provider.openPipe();
        try (Pipe.SinkChannel sink = p.sink()) {
            p.source().configureBlocking(false);
            p.source().register(sel, OP_READ);
            sel.close();
            int before = Providers.stableFdCount();
            p.source().close();
            Providers.assertFdCount(before - 1, "fd count");
        }
    }

    // A channel registered with two selectors is released after the last one flushes.
    @SelectorDiffTest
    void closeWithTwoSelectors(SelectorProvider provider) throws Exception {
        try (Selector s1 = provider.openSelector(); Selector s2 = provider.openSelector()) {
            Pipe p = provider.openPipe();
            try (Pipe.SinkChannel sink = p.sink()) {
                Pipe.SourceChannel src = p.source();
                src.configureBlocking(false);
                src.register(s1, OP_READ);
                src.register(s2, OP_READ);
                int before = Providers.stableFdCount();
                src.close();
                s1.selectNow();
                assertTrue(src.isRegistered());
                Providers.assertFdCount(before, "fd count");
                s2.selectNow();
                assertFalse(src.isRegistered());
                Providers.assertFdCount(before - 1, "fd count");
            }
        }
    }

    // Closing an unregistered channel releases its fd at once
    // (behaviours.md#closing-an-unregistered-channel-frees-its-fd-at-once).
    @SelectorDiffTest
    void closeOfUnregisteredChannelIsImmediate(SelectorProvider provider) throws Exception {
        int before = Providers.stableFdCount();
        Pipe p = provider.openPipe();
        Providers.assertFdCount(before + 2, "fd count");
        p.source().close();
        Providers.assertFdCount(before + 1, "fd count");
        p.sink().configureBlocking(false);
        p.sink().close();
        Providers.assertFdCount(before, "fd count");
    }
}
