package io.nativenio.diff;

import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.channels.SelectionKey.OP_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** select(Consumer), selectNow(Consumer), select(Consumer, long) (behaviours.md#select-with-an-action). */
class SelectWithConsumerTest {

    // The selected-key set is neither cleared nor filled by a Consumer-mode select.
    @SelectorDiffTest
    void doesNotClearSelectedKeys(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            SelectionKey wk = f.registerSink(OP_WRITE);
            SelectionKey rk = f.registerSource(OP_READ);
            assertEquals(1, f.sel.selectNow());
            assertEquals(Set.of(wk), f.sel.selectedKeys());
            f.sink.write(ByteBuffer.wrap(new byte[] {1}));
            List<SelectionKey> seen = new ArrayList<>();
            assertEquals(2, f.sel.selectNow(seen::add));
            assertEquals(Set.of(wk, rk), Set.copyOf(seen));
            assertEquals(2, seen.size());
            assertEquals(Set.of(wk), f.sel.selectedKeys());
            assertEquals(OP_READ, rk.readyOps());
        }
    }

    // A reentrant select on the same selector inside the action throws IllegalStateException.
    @SelectorDiffTest
    void reentrantSelectThrowsIllegalState(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            f.registerSink(OP_WRITE);
            List<Consumer<Selector>> reentrant = List.of(
                    s -> call(s::selectNow), s -> call(s::select), s -> call(() -> s.select(1)),
                    s -> call(() -> s.selectNow(k -> { })), s -> call(() -> s.select(k -> { })),
                    s -> call(() -> s.select(k -> { }, 1)));
            for (Consumer<Selector> inner : reentrant) {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> f.sel.selectNow(k -> inner.accept(f.sel)));
                assertEquals("select in progress", e.getMessage());
            }
            // the selector still works afterwards
            assertEquals(1, f.sel.selectNow(k -> { }));
        }
    }

    interface IOCall {
        Object call() throws Exception;
    }

    private static void call(IOCall c) {
        try {
            c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // An exception thrown by the action propagates; the selector stays usable.
    @SelectorDiffTest
    void actionExceptionPropagates(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            f.registerSink(OP_WRITE);
            RuntimeException boom = new RuntimeException("boom");
            assertSame(boom, assertThrows(RuntimeException.class, () -> f.sel.selectNow(k -> {
                throw boom;
            })));
            Error err = new Error("err");
            assertSame(err, assertThrows(Error.class, () -> f.sel.select(k -> {
                throw err;
            }, 1000)));
            assertEquals(1, f.sel.selectNow(k -> { }));
        }
    }

    // Closing the selector inside the action ends the op with ClosedSelectorException.
    @SelectorDiffTest
    void closeInsideActionThrowsClosedSelector(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            SelectionKey k = f.registerSink(OP_WRITE);
            int[] calls = new int[1];
            assertThrows(ClosedSelectorException.class, () -> f.sel.select(key -> {
                calls[0]++;
                call(() -> {
                    f.sel.close();
                    return null;
                });
            }));
            assertEquals(1, calls[0]);
            assertFalse(f.sel.isOpen());
            assertFalse(k.isValid());
            assertTrue(f.sink.isOpen());
            assertFalse(f.sink.isRegistered());
        }
    }

    // A null action throws NullPointerException.
    @SelectorDiffTest
    void nullActionThrowsNpe(SelectorProvider provider) throws Exception {
        try (Selector sel = provider.openSelector()) {
            assertThrows(NullPointerException.class, () -> sel.select((Consumer<SelectionKey>) null));
            assertThrows(NullPointerException.class, () -> sel.select(null, 1));
            assertThrows(NullPointerException.class, () -> sel.selectNow(null));
        }
    }

    // The action sees each ready key once, with its new ready set; a key cancelled by an
    // earlier action may still be passed on.
    @SelectorDiffTest
    void actionCalledOncePerReadyKey(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider); PipeFixture g = f.anotherPipe(provider)) {
            SelectionKey a = f.registerSink(OP_WRITE);
            SelectionKey b = g.registerSink(OP_WRITE);
            List<SelectionKey> seen = new ArrayList<>();
            assertEquals(2, f.sel.select(k -> {
                if (seen.isEmpty()) {
                    assertEquals(OP_WRITE, k.readyOps());
                }
                seen.add(k);
                a.cancel();
                b.cancel();
            }, 1000));
            assertEquals(Set.of(a, b), Set.copyOf(seen));
            assertEquals(2, seen.size());
            assertFalse(a.isValid());
            assertEquals(0, f.sel.selectNow(k -> seen.add(k)));
            assertTrue(f.sel.keys().isEmpty());
        }
    }
}
