package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;

/** Timeouts, wakeup and interrupt (behaviours.md#selector). */
class SelectorWakeupTest {

    /** Asserts that a select(timeout-less) started now stays blocked, then releases it with wakeup(). */
    private static void assertNextSelectBlocks(Selector sel) throws Exception {
        Async<Integer> select = Async.start("select", sel::select);
        Providers.awaitBlockedIn(select.thread, "select", "doSelect");
        // blocked in the kernel; a select that ends without a wakeup ends the join early and fails below
        select.thread.join(200);
        assertFalse(select.isDone(), "select() returned without a wakeup");
        sel.wakeup();
        assertEquals(0, select.get());
    }

    // A negative timeout throws IllegalArgumentException("Negative timeout") (behaviours.md#select-timeouts).
    @SelectorDiffTest
    void negativeTimeout(SelectorProvider provider) throws Exception {
        try (Selector sel = provider.openSelector()) {
            assertEquals("Negative timeout",
                    assertThrows(IllegalArgumentException.class, () -> sel.select(-1)).getMessage());
            assertEquals("Negative timeout",
                    assertThrows(IllegalArgumentException.class, () -> sel.select(k -> { }, -1)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> sel.select(Long.MIN_VALUE));
            assertThrows(NullPointerException.class, () -> sel.select(null, -1)); // null checked first
            sel.close();
            // the argument is checked before the selector's state
            assertThrows(IllegalArgumentException.class, () -> sel.select(-1));
            assertThrows(IllegalArgumentException.class, () -> sel.select(k -> { }, -1));
        }
    }

    // A huge timeout is accepted (clamped); the select still wakes up (behaviours.md#select-timeouts).
    @SelectorDiffTest
    void hugeTimeoutAccepted(SelectorProvider provider) throws Exception {
        try (Selector sel = provider.openSelector()) {
            sel.wakeup();
            assertEquals(0, sel.select(Long.MAX_VALUE));
            sel.wakeup();
            assertEquals(0, sel.select(k -> { }, Long.MAX_VALUE));
            sel.wakeup();
            assertEquals(0, sel.select((long) Integer.MAX_VALUE + 1));
            Async<Integer> select = Async.start("select", () -> sel.select(Long.MAX_VALUE));
            Providers.awaitBlockedIn(select.thread, "select", "doSelect");
            sel.wakeup();
            assertEquals(0, select.get());
        }
    }

    // A short timeout expires with 0 (behaviours.md#select-timeouts).
    @SelectorDiffTest
    void shortTimeoutExpires(SelectorProvider provider) throws Exception {
        try (Selector sel = provider.openSelector()) {
            assertEquals(0, sel.select(1));
            assertEquals(0, sel.select(k -> { }, 1));
            assertEquals(0, sel.selectNow());
        }
    }

    /** A selection operation, for the table below. */
    private interface SelectOp {
        int run(Selector sel) throws IOException;
    }

    // A wakeup before a selection op makes a select return at once, and selectNow clears it: either way only
    // that op sees it, and the select after it blocks (behaviours.md#wakeup).
    @SelectorDiffTest
    void pendingWakeupIsUsedByTheNextSelectionOnly(SelectorProvider provider) throws Exception {
        List<SelectOp> ops = List.of(Selector::select, s -> s.select(k -> { }), Selector::selectNow,
                s -> s.selectNow(k -> { }));
        try (Selector sel = provider.openSelector()) {
            for (SelectOp op : ops) {
                assertSame(sel, sel.wakeup());
                assertEquals(0, op.run(sel));
                assertNextSelectBlocks(sel);
            }
        }
    }

    // Many wakeups between two selections count as one (behaviours.md#wakeup).
    @SelectorDiffTest
    void wakeupsCoalesce(SelectorProvider provider) throws Exception {
        try (Selector sel = provider.openSelector()) {
            for (int i = 0; i < 1000; i++) {
                sel.wakeup();
            }
            assertEquals(0, sel.select());
            assertNextSelectBlocks(sel);
        }
    }

    // wakeup() from another thread releases a blocked select (behaviours.md#wakeup).
    @SelectorDiffTest
    void wakeupFromAnotherThread(SelectorProvider provider) throws Exception {
        try (Selector sel = provider.openSelector()) {
            for (int i = 0; i < 3; i++) {
                assertNextSelectBlocks(sel);
            }
        }
    }

    // A wakeup during a selection op (here from the action, after the wait) makes the next select return
    // (behaviours.md#wakeup).
    @SelectorDiffTest
    void wakeupDuringSelectIsKeptForTheNext(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            java.nio.channels.SelectionKey k = f.registerSink(java.nio.channels.SelectionKey.OP_WRITE);
            assertEquals(1, f.sel.selectNow(key -> f.sel.wakeup()));
            k.interestOps(0);
            assertEquals(0, f.sel.select());
            assertNextSelectBlocks(f.sel);
        }
    }

    // wakeup() after close is allowed and does nothing (behaviours.md#wakeup).
    @SelectorDiffTest
    void wakeupAfterClose(SelectorProvider provider) throws Exception {
        Selector sel = provider.openSelector();
        sel.close();
        assertSame(sel, assertDoesNotThrow(sel::wakeup));
        sel.wakeup();
    }

    // A select on an already interrupted thread returns at once, normally, and the status stays set
    // (behaviours.md#an-interrupted-select-returns-normally).
    @SelectorDiffTest
    void selectOnInterruptedThread(SelectorProvider provider) throws Exception {
        try (Selector sel = provider.openSelector()) {
            Async<boolean[]> t = Async.start("interrupted", () -> {
                boolean[] r = new boolean[3];
                Thread.currentThread().interrupt();
                assertEquals(0, sel.select());
                r[0] = Thread.currentThread().isInterrupted();
                assertEquals(0, sel.select(k -> { }));
                r[1] = Thread.currentThread().isInterrupted();
                assertEquals(0, sel.select(5_000_000));
                r[2] = Thread.interrupted(); // clears it
                return r;
            });
            boolean[] r = t.get();
            assertTrue(r[0] && r[1] && r[2], "interrupt status stays set");
            assertTrue(sel.isOpen(), "an interrupt does not close the selector");
            assertNextSelectBlocks(sel);
        }
    }

    // Interrupting a thread blocked in select makes it return normally with the status set
    // (behaviours.md#an-interrupted-select-returns-normally).
    @SelectorDiffTest
    void interruptBlockedSelect(SelectorProvider provider) throws Exception {
        try (Selector sel = provider.openSelector()) {
            Async<Boolean> t = Async.start("blocked", () -> {
                sel.select();
                boolean interrupted = Thread.currentThread().isInterrupted();
                sel.select(); // returns at once: still interrupted
                return interrupted && Thread.interrupted();
            });
            Providers.awaitBlockedIn(t.thread, "select", "doSelect");
            t.thread.interrupt();
            assertTrue(t.get());
            assertTrue(sel.isOpen());
            assertNextSelectBlocks(sel);
        }
    }
}
