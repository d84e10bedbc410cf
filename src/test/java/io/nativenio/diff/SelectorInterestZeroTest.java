package io.nativenio.diff;

import static java.nio.channels.SelectionKey.OP_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * A key whose interest set is 0 is never selected, whatever happens to its channel meanwhile, and is selected
 * again as soon as its interest is back (behaviours.md#level-triggered-readiness). A poller may keep such an fd
 * with the kernel with no events (see io.nativenio.ch.Poller#queueUpdate), where a hang-up or an error is still
 * reported: these cases pin that none of it shows.
 */
class SelectorInterestZeroTest {

    // The hang-up comes before the select that applies interest 0, and the same select waits: it times out
    // with nothing selected.
    @SelectorDiffTest
    void hangUpWhileInterestGoesToZero(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            SelectionKey k = f.registerSource(OP_READ);
            assertEquals(0, f.sel.selectNow());
            k.interestOps(0);
            f.sink.close();
            assertEquals(0, f.sel.select(20));
            assertEquals(0, f.sel.selectNow());
            assertTrue(f.sel.selectedKeys().isEmpty());
            assertEquals(0, k.readyOps());
            k.interestOps(OP_READ);
            assertEquals(1, f.sel.selectNow());
            assertEquals(OP_READ, k.readyOps());
        }
    }

    // The hang-up comes after a select applied interest 0; a select with an action never calls it.
    @SelectorDiffTest
    void hangUpWhileInterestIsZero(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            SelectionKey k = f.registerSource(OP_READ);
            k.interestOps(0);
            assertEquals(0, f.sel.selectNow());
            f.sink.close();
            List<SelectionKey> seen = new ArrayList<>();
            assertEquals(0, f.sel.select(seen::add, 20));
            assertEquals(0, f.sel.selectNow(seen::add));
            assertTrue(seen.isEmpty());
            assertEquals(0, k.readyOps());
            k.interestOps(OP_READ);
            assertEquals(1, f.sel.selectNow(seen::add));
            assertEquals(List.of(k), seen);
        }
    }

    // Interest off and on again, a select after each change, with data waiting all along.
    @SelectorDiffTest
    void interestOffAndOnRepeatedly(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Selector sel = provider.openSelector(); Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            src.configureBlocking(false);
            SelectionKey k = src.register(sel, OP_READ);
            assertEquals(1, sink.write(ByteBuffer.wrap(new byte[1])));
            for (int i = 0; i < 3; i++) {
                k.interestOps(0);
                assertEquals(0, sel.selectNow());
                assertTrue(sel.selectedKeys().isEmpty());
                k.interestOps(OP_READ);
                assertEquals(1, sel.selectNow());
                assertEquals(OP_READ, k.readyOps());
                sel.selectedKeys().clear();
            }
        }
    }

    // A channel closed while its interest is 0: a channel opened afterwards (which may get the same fd number)
    // and registered with the same selector is selected for its own readiness only.
    @SelectorDiffTest
    void closedWhileInterestIsZeroThenFdReused(SelectorProvider provider) throws Exception {
        try (Selector sel = provider.openSelector()) {
            Pipe old = provider.openPipe();
            old.source().configureBlocking(false);
            SelectionKey k = old.source().register(sel, OP_READ);
            assertEquals(1, old.sink().write(ByteBuffer.wrap(new byte[1])));
            k.interestOps(0);
            assertEquals(0, sel.selectNow());
            old.source().close();
            old.sink().close();
            assertEquals(0, sel.selectNow()); // the flush: the old source's fd is closed now
            assertTrue(sel.keys().isEmpty());
            Pipe p = provider.openPipe();
            try (Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
                src.configureBlocking(false);
                SelectionKey k2 = src.register(sel, OP_READ);
                assertEquals(0, sel.selectNow());
                k2.interestOps(0);
                assertEquals(0, sel.selectNow());
                k2.interestOps(OP_READ);
                assertEquals(0, sel.selectNow());
                assertEquals(1, sink.write(ByteBuffer.wrap(new byte[1])));
                assertEquals(1, sel.selectNow());
                assertEquals(OP_READ, k2.readyOps());
            }
        }
    }
}
