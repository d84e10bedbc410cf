package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/** Locks held by selection ops and non-blocking interest changes (behaviours.md#selector). */
class SelectorLockingTest {

    // The action of select(Consumer) runs holding the selector and selected-key set monitors, not keys()
    // (behaviours.md#select-locks-the-selector-and-its-selected-key-set).
    @SelectorDiffTest
    void actionRunsHoldingSelectorAndSelectedKeysLocks(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            f.registerSink(SelectionKey.OP_WRITE);
            boolean[] held = new boolean[3];
            int n = f.sel.selectNow(k -> {
                held[0] = Thread.holdsLock(f.sel);
                held[1] = Thread.holdsLock(f.sel.selectedKeys());
                held[2] = Thread.holdsLock(f.sel.keys());
            });
            assertEquals(1, n);
            assertTrue(held[0], "selector monitor held");
            assertTrue(held[1], "selectedKeys() monitor held");
            assertFalse(held[2], "keys() monitor not held");
        }
    }

    // A thread blocked in select() holds the selector, then the selectedKeys() object, and not keys()
    // (behaviours.md#select-locks-the-selector-and-its-selected-key-set).
    @SelectorDiffTest
    void blockedSelectHoldsSelectorAndSelectedKeysMonitors(SelectorProvider provider) throws Exception {
        try (Selector sel = provider.openSelector()) {
            Async<Integer> select = Async.start("select", sel::select);
            Providers.awaitBlockedIn(select.thread, "select", "doSelect");
            int[] locked = Providers.lockedMonitors(select.thread);
            assertTrue(contains(locked, System.identityHashCode(sel)), "selector locked");
            assertTrue(contains(locked, System.identityHashCode(sel.selectedKeys())), "selectedKeys() locked");
            assertFalse(contains(locked, System.identityHashCode(sel.keys())), "keys() not locked");
            // ... and another thread cannot take them meanwhile, but can take keys()
            Async<Boolean> keysLock = Async.start("keys-lock", () -> {
                synchronized (sel.keys()) {
                    return true;
                }
            });
            assertTrue(keysLock.get());
            sel.wakeup();
            assertEquals(0, select.get());
        }
    }

    private static boolean contains(int[] a, int v) {
        return Arrays.stream(a).anyMatch(x -> x == v);
    }

    // Register from another thread while select blocks: it does not block and is seen only by the next select
    // (behaviours.md#interest-changes-never-block).
    @SelectorDiffTest
    void registerDuringSelectDoesNotBlockAndWaitsForNextSelect(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            f.sink.write(ByteBuffer.wrap(new byte[] {1}));
            f.src.configureBlocking(false);
            Async<Integer> select = Async.start("select", f.sel::select);
            Providers.awaitBlockedIn(select.thread, "select", "doSelect");
            AtomicReference<SelectionKey> key = new AtomicReference<>();
            Async.start("register", () -> {
                key.set(f.src.register(f.sel, SelectionKey.OP_READ));
                return null;
            }).get(); // fails after 10 s if register blocks on the selector
            // A select that saw the registration would return 1, now or after the wakeup below
            assertFalse(select.isDone(), "the blocked select must not see the new registration");
            assertTrue(f.sel.keys().contains(key.get()));
            f.sel.wakeup();
            assertEquals(0, select.get());
            assertTrue(f.sel.selectedKeys().isEmpty());
            assertEquals(1, f.sel.selectNow());
            assertTrue(f.sel.selectedKeys().contains(key.get()));
        }
    }

    // interestOps(int) from another thread while select blocks returns at once; effect at the next select
    // (behaviours.md#interest-changes-never-block).
    @SelectorDiffTest
    void interestOpsDuringSelectDoesNotBlockAndWaitsForNextSelect(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            f.sink.write(ByteBuffer.wrap(new byte[] {1}));
            SelectionKey key = f.registerSource(0);
            assertEquals(0, f.sel.selectNow());
            Async<Integer> select = Async.start("select", f.sel::select);
            Providers.awaitBlockedIn(select.thread, "select", "doSelect");
            Async.start("interestOps", () -> key.interestOps(SelectionKey.OP_READ)).get();
            assertEquals(SelectionKey.OP_READ, key.interestOps());
            // A select that saw the change would return 1, now or after the wakeup below
            assertFalse(select.isDone(), "the blocked select must not see the interest change");
            f.sel.wakeup();
            assertEquals(0, select.get());
            assertEquals(1, f.sel.selectNow());
            assertEquals(SelectionKey.OP_READ, key.readyOps());
            // interestOpsOr/And do not block either
            f.src.read(ByteBuffer.allocate(1));
            f.sel.selectedKeys().clear();
            Async<Integer> select2 = Async.start("select2", f.sel::select);
            Providers.awaitBlockedIn(select2.thread, "select", "doSelect");
            assertEquals(SelectionKey.OP_READ, (int) Async.start("and", () -> key.interestOpsAnd(0)).get());
            assertEquals(0, (int) Async.start("or", () -> key.interestOpsOr(SelectionKey.OP_READ)).get());
            f.sel.wakeup();
            assertEquals(0, select2.get());
        }
    }
}
