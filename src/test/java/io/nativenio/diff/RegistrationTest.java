package io.nativenio.diff;

import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.channels.SelectionKey.OP_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;

/** SelectableChannel.register and configureBlocking (behaviours.md#foreign-channels-are-refused,
 * behaviours.md#registering-and-re-registering, behaviours.md#changing-the-blocking-mode). */
class RegistrationTest {

    // A channel of another provider cannot be registered: IllegalSelectorException, both ways.
    @SelectorDiffTest
    void foreignChannelIsRejected(SelectorProvider provider) throws Exception {
        Pipe foreign = Providers.other(provider).openPipe();
        try (PipeFixture f = new PipeFixture(provider, foreign)) {
            f.src.configureBlocking(false);
            f.sink.configureBlocking(false);
            assertThrows(IllegalSelectorException.class, () -> f.src.register(f.sel, OP_READ));
            assertThrows(IllegalSelectorException.class, () -> f.sink.register(f.sel, OP_WRITE, "x"));
            assertFalse(f.src.isRegistered());
            assertFalse(f.sink.isRegistered());
            assertTrue(f.sel.keys().isEmpty());
            // the channel can still be registered with its own provider's selector
            try (Selector own = Providers.other(provider).openSelector()) {
                assertTrue(f.src.register(own, OP_READ).isValid());
            }
        }
    }

    // re-registering changes the interest set and replaces the attachment, even with null.
    @SelectorDiffTest
    void reRegisterUpdatesKeyAndClearsAttachment(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            f.src.configureBlocking(false);
            SelectionKey k = f.src.register(f.sel, OP_READ, "att");
            assertSame(k, f.src.register(f.sel, 0, "other"));
            assertEquals(0, k.interestOps());
            assertEquals("other", k.attachment());
            assertSame(k, f.src.register(f.sel, OP_READ));
            assertEquals(OP_READ, k.interestOps());
            assertNull(k.attachment(), "register(sel, ops) clears the attachment");
            assertEquals(1, f.sel.keys().size());
            assertThrows(IllegalArgumentException.class, () -> f.src.register(f.sel, OP_WRITE));
            assertThrows(IllegalArgumentException.class, () -> f.src.register(f.sel, -1));
            assertEquals(OP_READ, k.interestOps());
        }
    }

    // A bad ops value for a new registration throws IAE and registers nothing.
    @SelectorDiffTest
    void badOpsOnNewRegistration(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            f.src.configureBlocking(false);
            assertThrows(IllegalArgumentException.class, () -> f.src.register(f.sel, OP_WRITE));
            assertFalse(f.src.isRegistered());
            assertTrue(f.sel.keys().isEmpty());
        }
    }

    // The selector accepts a channel of its own implementation made by another instance of the
    // provider class (the JDK only checks for its own channel class).
    @SelectorDiffTest
    void channelOfAnotherInstanceOfTheSameProviderClass(SelectorProvider provider) throws Exception {
        SelectorProvider second = provider.getClass().getDeclaredConstructor().newInstance();
        Pipe p = second.openPipe();
        try (PipeFixture f = new PipeFixture(provider, p)) {
            SelectionKey k = f.registerSource(OP_READ);
            f.sink.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
            assertEquals(1, f.sel.select(10_000));
            assertTrue(f.sel.selectedKeys().contains(k) && k.isReadable());
        }
    }

    // configureBlocking(true) with a valid key throws IllegalBlockingModeException;
    // it is allowed as soon as every key is cancelled, before the flush.
    @SelectorDiffTest
    void blockingModeWithKeys(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Selector s1 = provider.openSelector(); Selector s2 = provider.openSelector();
                Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            assertTrue(src.isBlocking(), "new channels are blocking");
            assertTrue(sink.isBlocking());
            src.configureBlocking(false);
            SelectionKey k1 = src.register(s1, OP_READ);
            SelectionKey k2 = src.register(s2, OP_READ);
            assertThrows(IllegalBlockingModeException.class, () -> src.configureBlocking(true));
            k1.cancel();
            assertThrows(IllegalBlockingModeException.class, () -> src.configureBlocking(true));
            k2.cancel();
            assertTrue(src.isRegistered());
            src.configureBlocking(true);
            assertTrue(src.isBlocking());
            s1.selectNow();
            s2.selectNow();
            assertFalse(src.isRegistered());
            // configureBlocking to the current mode is a no-op, also while registered
            src.configureBlocking(false);
            src.register(s1, OP_READ);
            src.configureBlocking(false);
            assertFalse(src.isBlocking());
        }
    }

    // One channel registered with two selectors is selected by each, and cancelling one key
    // leaves the other working (behaviours.md#ready-sets-are-replaced-or-accumulated,
    // behaviours.md#cancelled-keys-are-flushed-at-every-select).
    @SelectorDiffTest
    void twoSelectors(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Selector s1 = provider.openSelector(); Selector s2 = provider.openSelector();
                Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            src.configureBlocking(false);
            SelectionKey k1 = src.register(s1, OP_READ);
            SelectionKey k2 = src.register(s2, OP_READ, "two");
            assertTrue(k1 != k2);
            assertSame(k1, src.keyFor(s1));
            assertSame(k2, src.keyFor(s2));
            sink.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
            assertEquals(1, s1.selectNow());
            assertEquals(1, s2.selectNow());
            k1.cancel();
            assertEquals(0, s1.selectNow());
            assertNull(src.keyFor(s1));
            assertTrue(src.isRegistered());
            s2.selectedKeys().clear();
            assertEquals(1, s2.selectNow());
            assertEquals(OP_READ, k2.readyOps());
        }
    }

    // registering a blocking channel throws IllegalBlockingModeException.
    @SelectorDiffTest
    void registerBlockingChannel(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            assertThrows(IllegalBlockingModeException.class, () -> f.src.register(f.sel, OP_READ));
            assertThrows(IllegalBlockingModeException.class, () -> f.sink.register(f.sel, 0));
            assertFalse(f.src.isRegistered());
            assertTrue(f.sel.keys().isEmpty());
        }
    }

    // Register and configureBlocking on a closed channel throw ClosedChannelException.
    @SelectorDiffTest
    void closedChannel(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Selector sel = provider.openSelector()) {
            p.source().close();
            p.sink().configureBlocking(false);
            p.sink().close();
            assertThrows(ClosedChannelException.class, () -> p.source().configureBlocking(false));
            assertThrows(ClosedChannelException.class, () -> p.source().configureBlocking(true));
            assertThrows(ClosedChannelException.class, () -> p.sink().configureBlocking(true));
            assertThrows(ClosedChannelException.class, () -> p.sink().register(sel, OP_WRITE));
            assertThrows(ClosedChannelException.class, () -> p.source().register(sel, OP_READ));
            assertTrue(sel.keys().isEmpty());
        }
    }

    // A closed channel's cancelled but unflushed key: register throws ClosedChannelException first.
    @SelectorDiffTest
    void closedRegisteredChannel(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Selector sel = provider.openSelector(); Pipe.SinkChannel sink = p.sink()) {
            Pipe.SourceChannel src = p.source();
            src.configureBlocking(false);
            src.register(sel, OP_READ);
            src.close();
            assertThrows(ClosedChannelException.class, () -> src.register(sel, OP_READ));
            sel.selectNow();
            assertFalse(src.isRegistered());
        }
    }

    // Many channels registered with one selector, then all selected at once (behaviours.md#level-triggered-readiness:
    // at least 100 keys at once) (behaviours.md#interest-changes-never-block, behaviours.md#key-sets).
    @SelectorDiffTest
    void manyKeys(SelectorProvider provider) throws Exception {
        int n = 150;
        Pipe[] pipes = new Pipe[n];
        try (Selector sel = provider.openSelector()) {
            for (int i = 0; i < n; i++) {
                pipes[i] = provider.openPipe();
                pipes[i].sink().configureBlocking(false);
                pipes[i].sink().register(sel, OP_WRITE, i);
            }
            assertEquals(n, sel.keys().size());
            assertEquals(n, sel.selectNow());
            assertEquals(n, sel.selectedKeys().size());
        } finally {
            for (Pipe p : pipes) {
                if (p != null) {
                    p.source().close();
                    p.sink().close();
                }
            }
        }
    }
}
