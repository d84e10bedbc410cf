package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** keys() and selectedKeys() (behaviours.md#key-sets). */
class SelectorKeySetsTest {

    /** Two pipes whose source and sink are all registered and ready: 2 keys selected (sinks). */
    private static final class Fixture implements AutoCloseable {
        final Selector sel;
        final Pipe p1;
        final Pipe p2;
        final SelectionKey k1;
        final SelectionKey k2;

        Fixture(SelectorProvider provider) throws Exception {
            sel = provider.openSelector();
            p1 = provider.openPipe();
            p2 = provider.openPipe();
            p1.sink().configureBlocking(false);
            p2.sink().configureBlocking(false);
            k1 = p1.sink().register(sel, SelectionKey.OP_WRITE);
            k2 = p2.sink().register(sel, SelectionKey.OP_WRITE);
        }

        @Override
        public void close() throws Exception {
            sel.close();
            for (Pipe p : List.of(p1, p2)) {
                p.source().close();
                p.sink().close();
            }
        }
    }

    // Same objects on every call; keys() is unmodifiable.
    @SelectorDiffTest
    void keysIsUnmodifiableAndSameObject(SelectorProvider provider) throws Exception {
        try (Fixture f = new Fixture(provider)) {
            Set<SelectionKey> keys = f.sel.keys();
            assertSame(keys, f.sel.keys());
            assertSame(f.sel.selectedKeys(), f.sel.selectedKeys());
            assertEquals(Set.of(f.k1, f.k2), keys);
            assertThrows(UnsupportedOperationException.class, () -> keys.add(f.k1));
            assertThrows(UnsupportedOperationException.class, () -> keys.remove(f.k1));
            assertThrows(UnsupportedOperationException.class, keys::clear);
            Iterator<SelectionKey> it = keys.iterator();
            it.next();
            assertThrows(UnsupportedOperationException.class, it::remove);
            assertEquals(2, keys.size());
        }
    }

    // keys() iterators never throw ConcurrentModificationException.
    @SelectorDiffTest
    void keysIteratorToleratesRegistration(SelectorProvider provider) throws Exception {
        try (Fixture f = new Fixture(provider)) {
            Pipe p = provider.openPipe();
            try (Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
                src.configureBlocking(false);
                Iterator<SelectionKey> it = f.sel.keys().iterator();
                it.next();
                src.register(f.sel, SelectionKey.OP_READ);
                while (it.hasNext()) {
                    it.next();
                }
                assertEquals(3, f.sel.keys().size());
            }
        }
    }

    // selectedKeys() cannot grow.
    @SelectorDiffTest
    void selectedKeysRejectsAdd(SelectorProvider provider) throws Exception {
        try (Fixture f = new Fixture(provider)) {
            Set<SelectionKey> sk = f.sel.selectedKeys();
            assertThrows(UnsupportedOperationException.class, () -> sk.add(f.k1));
            assertThrows(UnsupportedOperationException.class, () -> sk.addAll(List.of(f.k1)));
            // the JDK's ungrowable view throws even when nothing would be added
            assertThrows(UnsupportedOperationException.class, () -> sk.addAll(List.of()));
            assertThrows(UnsupportedOperationException.class, () -> sk.addAll(null));
            assertEquals(2, f.sel.selectNow());
            assertThrows(UnsupportedOperationException.class, () -> sk.addAll(List.of(f.k1)));
            assertThrows(UnsupportedOperationException.class, () -> sk.add(f.k1));
            assertEquals(2, sk.size());
            // through a raw Set, anything: the JDK's KeySets test adds a plain Object
            @SuppressWarnings({"unchecked", "rawtypes"})
            Set<Object> raw = (Set) sk;
            assertThrows(UnsupportedOperationException.class, () -> raw.add(new Object()));
            assertThrows(UnsupportedOperationException.class, () -> raw.add(null));
        }
    }

    // remove, removeAll, retainAll, clear and Iterator.remove work.
    @SelectorDiffTest
    void selectedKeysRemovals(SelectorProvider provider) throws Exception {
        try (Fixture f = new Fixture(provider)) {
            Set<SelectionKey> sk = f.sel.selectedKeys();
            assertEquals(2, f.sel.selectNow());
            assertEquals(Set.of(f.k1, f.k2), sk);
            assertTrue(sk.contains(f.k1));
            assertFalse(sk.contains("x"));
            assertTrue(sk.remove(f.k1));
            assertFalse(sk.remove(f.k1));
            assertEquals(Set.of(f.k2), sk);

            assertEquals(1, f.sel.selectNow());
            assertTrue(sk.removeAll(List.of(f.k1)));
            assertEquals(Set.of(f.k2), sk);

            assertEquals(1, f.sel.selectNow());
            assertTrue(sk.retainAll(List.of(f.k1)));
            assertEquals(Set.of(f.k1), sk);

            assertEquals(1, f.sel.selectNow());
            sk.clear();
            assertTrue(sk.isEmpty());

            assertEquals(2, f.sel.selectNow());
            Iterator<SelectionKey> it = sk.iterator();
            int seen = 0;
            while (it.hasNext()) {
                SelectionKey k = it.next();
                assertTrue(k == f.k1 || k == f.k2);
                it.remove();
                seen++;
            }
            assertEquals(2, seen);
            assertTrue(sk.isEmpty());
            assertEquals(2, f.sel.selectNow());
            Iterator<SelectionKey> it2 = sk.iterator();
            assertThrows(IllegalStateException.class, it2::remove);
            it2.next();
            it2.remove();
            assertThrows(IllegalStateException.class, it2::remove);
            assertEquals(1, sk.size());
        }
    }

    // The read-only Set methods behave as a plain Set's.
    @SelectorDiffTest
    void selectedKeysAsSet(SelectorProvider provider) throws Exception {
        try (Fixture f = new Fixture(provider)) {
            Set<SelectionKey> sk = f.sel.selectedKeys();
            assertEquals(Set.of(), sk);
            assertEquals(0, sk.hashCode());
            assertEquals("[]", sk.toString());
            assertEquals(2, f.sel.selectNow());
            assertEquals(Set.of(f.k1, f.k2), sk);
            assertEquals(sk, Set.of(f.k1, f.k2));
            assertEquals(Set.of(f.k1, f.k2).hashCode(), sk.hashCode());
            assertTrue(sk.containsAll(List.of(f.k1, f.k2)));
            assertFalse(sk.containsAll(List.of(f.k1, "x")));
            assertEquals(Set.of(f.k1, f.k2), Set.of(sk.toArray()));
            assertEquals(Set.of(f.k1, f.k2), Set.of(sk.toArray(new SelectionKey[0])));
            assertFalse(sk.contains(null));
            assertFalse(sk.remove(null));
            assertThrows(NullPointerException.class, () -> sk.removeAll(null));
            assertThrows(NullPointerException.class, () -> sk.retainAll(null));
            assertEquals(2, sk.size());
        }
    }

    // The selected-key set's iterator is fail-fast.
    @SelectorDiffTest
    void selectedKeysIteratorIsFailFast(SelectorProvider provider) throws Exception {
        try (Fixture f = new Fixture(provider)) {
            Set<SelectionKey> sk = f.sel.selectedKeys();
            assertEquals(2, f.sel.selectNow());
            Iterator<SelectionKey> it = sk.iterator();
            SelectionKey first = it.next();
            sk.remove(first);
            assertThrows(ConcurrentModificationException.class, it::next);

            // a selection op that adds a key is a modification too
            sk.clear();
            assertEquals(2, f.sel.selectNow(k -> { }));
            assertTrue(sk.isEmpty(), "select(Consumer) does not add to the selected-key set");
            f.p1.source().configureBlocking(false);
            f.p1.source().register(f.sel, SelectionKey.OP_READ);
            assertEquals(2, f.sel.selectNow());
            Iterator<SelectionKey> it2 = sk.iterator();
            it2.next();
            f.p1.sink().write(ByteBuffer.wrap(new byte[] {1}));
            assertEquals(1, f.sel.selectNow());
            assertThrows(ConcurrentModificationException.class, it2::next);
        }
    }

    // Both sets throw ClosedSelectorException once the selector is closed.
    @SelectorDiffTest
    void keySetsThrowAfterClose(SelectorProvider provider) throws Exception {
        try (Fixture f = new Fixture(provider)) {
            f.sel.close();
            assertThrows(ClosedSelectorException.class, f.sel::keys);
            assertThrows(ClosedSelectorException.class, f.sel::selectedKeys);
        }
    }
}
