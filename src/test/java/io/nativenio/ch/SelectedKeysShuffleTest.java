package io.nativenio.ch;

import static java.nio.channels.SelectionKey.OP_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.NativeSelectorProvider;
import io.nativenio.compat.Dice;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The selected-key set's shuffle (the compatibility-testing mode's shuffle-keys, docs/testing.md#shuffle-keys)
 * keeps the set what it was: the same keys, each found by contains and remove, each returned once by the
 * iterator, whose remove still works; the order is the dice's. (The mode's switch is off in this JVM: the
 * shuffle is called directly. CompatSelectorIT runs selectors with the mode on.)
 */
class SelectedKeysShuffleTest {
    private static final int KEYS = 16;

    private static List<SelectionKey> order(Selector sel) {
        return new ArrayList<>(sel.selectedKeys());
    }

    @Test
    void shuffleKeepsTheSetAndFollowsTheDice() throws Exception {
        List<Pipe> pipes = new ArrayList<>();
        try (Selector sel = new NativeSelectorProvider().openSelector()) {
            for (int i = 0; i < KEYS; i++) {
                Pipe p = sel.provider().openPipe();
                pipes.add(p);
                p.sink().write(ByteBuffer.wrap(new byte[1]));
                p.source().configureBlocking(false);
                p.source().register(sel, OP_READ);
            }
            assertEquals(KEYS, sel.selectNow());
            @SuppressWarnings("unchecked")
            SelectedKeys<SelectionKey> set = (SelectedKeys<SelectionKey>) (Object) sel.selectedKeys();
            List<SelectionKey> before = order(sel);

            set.shuffle(new Dice(1, 1));
            List<SelectionKey> once = order(sel);
            assertNotEquals(before, once);
            assertEquals(new HashSet<>(before), new HashSet<>(once));
            assertEquals(KEYS, new HashSet<>(once).size(), "each key once");
            for (SelectionKey k : before) {
                assertTrue(set.contains(k));
            }

            // the same dice from the same order, the same order
            set.clear();
            assertEquals(KEYS, sel.selectNow());
            assertEquals(before, order(sel));
            set.shuffle(new Dice(1, 1));
            assertEquals(once, order(sel));

            // removal by the iterator and by the set after a shuffle
            Iterator<SelectionKey> it = set.iterator();
            SelectionKey first = it.next();
            it.remove();
            assertFalse(set.contains(first));
            SelectionKey other = it.next();
            assertTrue(set.remove(other));
            assertEquals(KEYS - 2, set.size());
            assertEquals(KEYS - 2, new HashSet<>(order(sel)).size());
            assertEquals(2, sel.selectNow(), "the two removed keys are selected again");
        } finally {
            for (Pipe p : pipes) {
                p.source().close();
                p.sink().close();
            }
        }
    }
}
