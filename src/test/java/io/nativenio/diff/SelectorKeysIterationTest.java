package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * keys() is weakly consistent, as the JDK's concurrent key set (behaviours.md#key-sets): an iterator made before
 * keys are deregistered and registered returns every key that stayed registered exactly once, never throws, and
 * returns nothing that was never registered; a slot freed by a deregistration is reused by a later registration.
 */
class SelectorKeysIterationTest {

    @SelectorDiffTest
    void iteratorSurvivesDeregistrationAndReuse(SelectorProvider provider) throws Exception {
        List<Pipe> pipes = new ArrayList<>();
        try (Selector sel = provider.openSelector()) {
            List<SelectionKey> keys = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                keys.add(registerPipe(provider, sel, pipes));
            }
            Iterator<SelectionKey> it = sel.keys().iterator();
            Set<SelectionKey> seen = new HashSet<>();
            assertTrue(seen.add(it.next()));
            // deregister two keys, then register two more channels, which may take their places
            keys.get(2).cancel();
            keys.get(5).cancel();
            assertEquals(0, sel.selectNow());
            List<SelectionKey> added = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                added.add(registerPipe(provider, sel, pipes));
            }
            while (it.hasNext()) {
                assertTrue(seen.add(it.next()), "a key returned twice");
            }
            for (int i = 0; i < keys.size(); i++) {
                if (i != 2 && i != 5) {
                    assertTrue(seen.contains(keys.get(i)), "key " + i + " missed");
                }
            }
            Set<SelectionKey> all = new HashSet<>(keys);
            all.addAll(added);
            assertTrue(all.containsAll(seen));
            assertEquals(8, sel.keys().size());
            assertFalse(sel.keys().contains(keys.get(2)));
            assertTrue(sel.keys().containsAll(added));
            assertEquals(8, new HashSet<>(sel.keys()).size());
        } finally {
            for (Pipe p : pipes) {
                p.source().close();
                p.sink().close();
            }
        }
    }

    /** A new pipe of {@code provider}, kept in {@code pipes}, its source registered with {@code sel} for OP_READ. */
    private static SelectionKey registerPipe(SelectorProvider provider, Selector sel, List<Pipe> pipes)
            throws IOException {
        Pipe p = provider.openPipe();
        pipes.add(p);
        p.source().configureBlocking(false);
        return p.source().register(sel, SelectionKey.OP_READ);
    }
}
