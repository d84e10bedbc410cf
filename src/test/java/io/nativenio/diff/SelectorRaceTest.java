package io.nativenio.diff;

import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.channels.SelectionKey.OP_WRITE;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Selector.close() racing other threads: registrations in flight, and a selected-key set that threads use
 * without synchronizing on it. Whatever the interleaving, the close must leave no channel registered and,
 * once the channels are closed too, no fd open. Many rounds, as the interleavings cannot be forced.
 */
class SelectorRaceTest {
    private static final int ROUNDS = 300;
    private static final int REGISTER_THREADS = 3;
    private static final int CHANNELS_PER_THREAD = 24;
    private static final int MISUSE_ROUNDS = 10;

    /**
     * Channels registered while one thread closes the selector and another closes some of the channels:
     * each register throws or returns a key that the selector's close then deregisters. The close must
     * complete, leave no channel registered (a closed channel's close would then wait for ever and its fd
     * leak) and, once every channel is closed, leave no fd open. Registration with an empty interest set is
     * the case where the key's interest update does not look at the selector. JDK 17's own provider cannot
     * pass: its close throws NullPointerException from AbstractSelectableChannel.removeKey for a channel
     * whose first registration is still under way.
     */
    @SelectorDiffTest
    void registerRacingCloseLeavesNoChannelRegistered(SelectorProvider provider) throws Exception {
        assumeTrue(provider != Providers.jdk() || Runtime.version().feature() >= 24,
                "skipped: the JDK's own provider before JDK 24 throws from close in this race");
        int before = Providers.stableFdCount();
        List<String> failures = new ArrayList<>();
        int stillRegistered = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Selector sel = provider.openSelector();
            List<Pipe> pipes = new ArrayList<>();
            for (int i = 0; i < REGISTER_THREADS * CHANNELS_PER_THREAD; i++) {
                Pipe p = provider.openPipe();
                p.source().configureBlocking(false);
                pipes.add(p);
            }
            CyclicBarrier start = new CyclicBarrier(REGISTER_THREADS + 2);
            List<Async<Void>> threads = new ArrayList<>();
            for (int t = 0; t < REGISTER_THREADS; t++) {
                List<Pipe> mine = pipes.subList(t * CHANNELS_PER_THREAD, (t + 1) * CHANNELS_PER_THREAD);
                threads.add(Async.start("register-" + t, () -> {
                    start.await();
                    for (int i = 0; i < mine.size(); i++) {
                        try {
                            mine.get(i).source().register(sel, i % 2 == 0 ? 0 : OP_READ);
                        } catch (ClosedSelectorException | ClosedChannelException e) {
                            // the selector or the channel was closed first
                        }
                    }
                    return null;
                }));
            }
            // every third channel is closed while it may be being registered
            threads.add(Async.start("close-channels", () -> {
                start.await();
                for (int i = 0; i < pipes.size(); i += 3) {
                    pipes.get(i).source().close();
                }
                return null;
            }));
            start.await();
            spinRandomly(); // close somewhere in the middle of the registrations
            try {
                sel.close();
            } catch (IOException | RuntimeException e) {
                failures.add("close threw " + e);
            }
            for (Async<Void> t : threads) {
                t.get();
            }
            for (Pipe p : pipes) {
                if (p.source().isRegistered()) {
                    stillRegistered++;
                }
                p.source().close();
                p.sink().close();
            }
        }
        assertTrue(failures.isEmpty() && stillRegistered == 0, ROUNDS + " rounds: " + failures.size()
                + " closes failed " + failures + ", " + stillRegistered + " channels left registered");
        Providers.assertFdCount(before, "fds of closed channels");
    }

    private static void spinRandomly() {
        for (int spin = ThreadLocalRandom.current().nextInt(20_000); spin > 0; spin--) {
            Thread.onSpinWait();
        }
    }

    /**
     * The selected-key set used by several threads without synchronizing on it while the selector adds to
     * it (a misuse, but a common one), and registered channels closed meanwhile. The misuse may throw what
     * the JDK's HashSet iterator throws (ConcurrentModificationException, NoSuchElementException,
     * IllegalStateException) and nothing else, never hand out null; select and then close must still work,
     * and close must deregister every channel so that every fd is freed.
     */
    @SelectorDiffTest
    void unsynchronizedSelectedKeysThenClose(SelectorProvider provider) throws Exception {
        int before = Providers.stableFdCount();
        Set<String> unexpected = ConcurrentHashMap.newKeySet();
        List<String> closeFailures = new ArrayList<>();
        int stillRegistered = 0;
        for (int round = 0; round < MISUSE_ROUNDS; round++) {
            Selector sel = provider.openSelector();
            List<Pipe> pipes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Pipe p = provider.openPipe();
                p.sink().configureBlocking(false);
                p.sink().register(sel, OP_WRITE); // always ready: every select refills the set
                pipes.add(p);
            }
            Async<Void> selector = Async.start("select", () -> {
                for (int i = 0; i < 2_000; i++) {
                    if (i % 100 == 50) {
                        pipes.get(i / 100).sink().close(); // deferred: the next select flushes its key
                    }
                    sel.selectNow();
                }
                return null;
            });
            List<Async<Void>> misusers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                misusers.add(Async.start("misuse-" + t, () -> {
                    Set<SelectionKey> selected = sel.selectedKeys();
                    while (!selector.isDone()) {
                        try {
                            for (Iterator<SelectionKey> it = selected.iterator(); it.hasNext();) {
                                SelectionKey k = it.next();
                                if (k == null) {
                                    unexpected.add("iterator returned null");
                                    continue;
                                }
                                it.remove();
                            }
                            selected.remove(pipes.get(ThreadLocalRandom.current().nextInt(pipes.size()))
                                    .sink().keyFor(sel));
                        } catch (ConcurrentModificationException | NoSuchElementException
                                | IllegalStateException e) {
                            // what the JDK's set can throw when misused
                        } catch (RuntimeException e) {
                            unexpected.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            try {
                selector.get();
            } catch (java.util.concurrent.ExecutionException e) {
                unexpected.add("select threw " + e.getCause());
            }
            for (Async<Void> m : misusers) {
                m.get();
            }
            try {
                sel.close();
            } catch (IOException | RuntimeException e) {
                closeFailures.add(e.toString());
            }
            for (Pipe p : pipes) {
                if (p.sink().isRegistered()) {
                    stillRegistered++;
                }
                p.source().close();
                p.sink().close();
            }
        }
        assertTrue(unexpected.isEmpty() && closeFailures.isEmpty() && stillRegistered == 0, MISUSE_ROUNDS
                + " rounds: unexpected " + unexpected + "; " + closeFailures.size() + " closes failed " + closeFailures
                + "; " + stillRegistered + " channels left registered");
        Providers.assertFdCount(before, "fds of closed channels");
    }
}
