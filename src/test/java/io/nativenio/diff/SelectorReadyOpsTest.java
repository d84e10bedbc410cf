package io.nativenio.diff;

import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.channels.SelectionKey.OP_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Readiness: interest 0, readyOps rules, pipe translation, return values (behaviours.md#selector). */
class SelectorReadyOpsTest {

    private static void put(Pipe.SinkChannel sink, int n) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            sink.write(b);
        }
    }

    /** The source's key, registered for OP_READ, once a select found the byte this writes to the sink. */
    private static SelectionKey selectedReadableSource(PipeFixture f) throws Exception {
        SelectionKey rk = f.registerSource(OP_READ);
        put(f.sink, 1);
        assertEquals(1, f.sel.selectNow());
        return rk;
    }

    // A pipe's source has OP_READ only, the sink OP_WRITE only (behaviours.md#readiness-per-channel-type).
    @SelectorDiffTest
    void pipeValidOps(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            assertEquals(OP_READ, f.src.validOps());
            assertEquals(OP_WRITE, f.sink.validOps());
            f.src.configureBlocking(false);
            f.sink.configureBlocking(false);
            assertThrows(IllegalArgumentException.class, () -> f.src.register(f.sel, OP_WRITE));
            assertThrows(IllegalArgumentException.class, () -> f.sink.register(f.sel, OP_READ));
            assertThrows(IllegalArgumentException.class, () -> f.src.register(f.sel, SelectionKey.OP_ACCEPT));
            assertTrue(f.sel.keys().isEmpty());
        }
    }

    // The sink is writable at once, the source readable only once data arrived
    // (behaviours.md#readiness-per-channel-type, behaviours.md#what-select-returns).
    @SelectorDiffTest
    void pipeReadiness(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            SelectionKey rk = f.registerSource(OP_READ);
            SelectionKey wk = f.registerSink(OP_WRITE);
            assertEquals(1, f.sel.selectNow());
            assertEquals(Set.of(wk), f.sel.selectedKeys());
            assertEquals(OP_WRITE, wk.readyOps());
            assertTrue(wk.isWritable());
            assertFalse(wk.isReadable());
            assertEquals(0, rk.readyOps());
            put(f.sink, 10);
            // only the source's key is new (behaviours.md#ready-sets-are-replaced-or-accumulated)
            assertEquals(1, f.sel.selectNow());
            assertEquals(Set.of(wk, rk), f.sel.selectedKeys());
            assertEquals(OP_READ, rk.readyOps());
            assertTrue(rk.isReadable());
            f.sel.selectedKeys().clear();
            assertEquals(2, f.sel.selectNow()); // both updated (behaviours.md#what-select-returns)
            f.sel.selectedKeys().clear();
            assertEquals(2, f.sel.select(1000));
            f.sel.selectedKeys().clear();
            assertEquals(2, f.sel.select());
            assertEquals(2, f.sel.select(k -> { }));
        }
    }

    // An interest set of 0 is never selected, even when the fd is ready; nothing updated
    // (behaviours.md#level-triggered-readiness).
    @SelectorDiffTest
    void interestZeroIsNeverSelected(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            put(f.sink, 1);
            SelectionKey rk = f.registerSource(0);
            SelectionKey wk = f.registerSink(0);
            assertEquals(0, f.sel.selectNow());
            assertEquals(0, f.sel.select(10));
            List<SelectionKey> seen = new ArrayList<>();
            assertEquals(0, f.sel.selectNow(seen::add));
            assertEquals(0, f.sel.select(seen::add, 10));
            assertTrue(seen.isEmpty());
            assertTrue(f.sel.selectedKeys().isEmpty());
            assertEquals(0, rk.readyOps());
            assertEquals(0, wk.readyOps());
            // turning interest on is seen by the next select; off again removes it
            // (behaviours.md#level-triggered-readiness)
            rk.interestOps(OP_READ);
            assertEquals(1, f.sel.selectNow());
            f.sel.selectedKeys().clear();
            rk.interestOps(0);
            assertEquals(0, f.sel.selectNow());
            assertTrue(f.sel.selectedKeys().isEmpty());
        }
    }

    // A key already in the selected set is counted again only when a new ready bit appears
    // (behaviours.md#ready-sets-are-replaced-or-accumulated).
    @SelectorDiffTest
    void alreadySelectedKeyCountedOnlyWhenNew(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            SelectionKey wk = f.registerSink(OP_WRITE);
            assertEquals(1, f.sel.selectNow());
            assertEquals(0, f.sel.selectNow()); // still ready, already selected, same bits: not counted
            assertEquals(0, f.sel.select(1000)); // returns (the fd is ready) but counts nothing
            assertEquals(Set.of(wk), f.sel.selectedKeys());
            assertEquals(OP_WRITE, wk.readyOps());
            f.sel.selectedKeys().remove(wk);
            assertEquals(1, f.sel.selectNow()); // not in the set any more: replaced and counted
        }
    }

    // A later interestOps change does not clear readyOps of a selected key
    // (behaviours.md#ready-sets-are-replaced-or-accumulated, behaviours.md#selection-key-operations).
    @SelectorDiffTest
    void interestChangeDoesNotClearReadyOps(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            SelectionKey rk = selectedReadableSource(f);
            rk.interestOps(0);
            assertEquals(OP_READ, rk.readyOps());
            assertEquals(0, f.sel.selectNow());
            assertEquals(OP_READ, rk.readyOps());
            assertTrue(f.sel.selectedKeys().contains(rk));
            // Consumer mode replaces the ready set: with interest back, the action sees OP_READ
            rk.interestOps(OP_READ);
            List<Integer> ready = new ArrayList<>();
            assertEquals(1, f.sel.selectNow(k -> ready.add(k.readyOps())));
            assertEquals(List.of(OP_READ), ready);
            assertTrue(f.sel.selectedKeys().contains(rk)); // not cleared (behaviours.md#select-with-an-action)
        }
    }

    // A key not in the selected set gets its ready set replaced, even when it is not re-added
    // (behaviours.md#ready-sets-are-replaced-or-accumulated).
    @SelectorDiffTest
    void readyOpsReplacedForKeyNotInSelectedSet(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            SelectionKey rk = selectedReadableSource(f);
            f.sel.selectedKeys().clear();
            f.src.read(ByteBuffer.allocate(10));
            assertEquals(0, f.sel.selectNow());
            assertEquals(OP_READ, rk.readyOps()); // not polled: unchanged
            assertTrue(f.sel.selectedKeys().isEmpty());
        }
    }

    // A hang-up (sink closed) makes the source's whole interest set ready; an error (source
    // closed) the sink's (behaviours.md#ready-sets-are-replaced-or-accumulated,
    // behaviours.md#readiness-per-channel-type).
    @SelectorDiffTest
    void hangUpAndErrorReportInterestSet(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            SelectionKey rk = f.registerSource(OP_READ);
            f.sink.close();
            assertEquals(1, f.sel.selectNow());
            assertEquals(OP_READ, rk.readyOps());
            assertEquals(-1, f.src.read(ByteBuffer.allocate(1)));
        }
        try (PipeFixture f = new PipeFixture(provider)) {
            f.sink.configureBlocking(false);
            // fill the pipe so that only the error can make the sink ready
            ByteBuffer b = ByteBuffer.allocate(65536);
            while (f.sink.write(b.clear()) > 0) {
                // fill
            }
            SelectionKey wk = f.sink.register(f.sel, OP_WRITE);
            assertEquals(0, f.sel.selectNow());
            f.src.close();
            assertEquals(1, f.sel.selectNow());
            assertEquals(OP_WRITE, wk.readyOps());
        }
    }

    // The return value counts updated keys; 0 on timeout (behaviours.md#what-select-returns).
    @SelectorDiffTest
    void returnValues(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider); PipeFixture g = f.anotherPipe(provider)) {
            f.registerSource(OP_READ);
            g.registerSource(OP_READ);
            assertEquals(0, f.sel.selectNow());
            assertEquals(0, f.sel.select(20));
            assertEquals(0, f.sel.select(k -> { }, 20));
            put(f.sink, 1);
            put(g.sink, 1);
            assertEquals(2, f.sel.select());
            assertEquals(2, f.sel.selectedKeys().size());
            int[] calls = new int[1];
            assertEquals(2, f.sel.select(k -> calls[0]++));
            assertEquals(2, calls[0]);
        }
    }
}
