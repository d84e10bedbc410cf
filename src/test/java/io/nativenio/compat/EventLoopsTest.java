package io.nativenio.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Which thread runs an event loop, and the report of a blocking select on a second selector by one. Called
 * directly (the mode is off in this JVM; CompatSelectorIT runs the selectors with it on), on a fresh thread each,
 * as the loops are per thread.
 */
class EventLoopsTest {
    private static final String KIND = Compat.Option.LOOP_BLOCKING.key();

    private static long reports() {
        return Reports.counts().entrySet().stream().filter(e -> e.getKey().startsWith(KIND + " at "))
                .mapToLong(e -> e.getValue()).sum();
    }

    private static void onThread(Runnable r) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @Test
    void twoSelectsInARowMakeALoop() throws Exception {
        try (Selector a = Selector.open(); Selector b = Selector.open()) {
            onThread(() -> {
                assertFalse(EventLoops.onEventLoop());
                EventLoops.select(a, true);
                assertFalse(EventLoops.onEventLoop());
                EventLoops.select(b, true);
                EventLoops.select(a, false);
                assertFalse(EventLoops.onEventLoop(), "the selects were not in a row");
                EventLoops.select(a, false);
                assertTrue(EventLoops.onEventLoop());
            });
        }
    }

    @Test
    void aBlockingSelectOnASecondSelectorIsReported() throws Exception {
        try (Selector a = Selector.open(); Selector b = Selector.open()) {
            long before = reports();
            onThread(() -> {
                EventLoops.select(a, true);
                EventLoops.select(a, true);
                EventLoops.select(b, false);
                assertEquals(before, reports(), "selectNow on another selector is not reported");
                assertTrue(EventLoops.onEventLoop(), "and does not end the loop");
                EventLoops.select(b, true);
                assertEquals(before + 1, reports());
                EventLoops.select(a, true);
                assertTrue(EventLoops.onEventLoop(), "still the first selector's loop");
            });
        }
    }

    @Test
    void closingTheSelectorEndsItsLoop() throws Exception {
        Selector a = Selector.open();
        try (Selector b = Selector.open()) {
            long before = reports();
            onThread(() -> {
                EventLoops.select(a, true);
                EventLoops.select(a, true);
                try {
                    a.close();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                assertFalse(EventLoops.onEventLoop());
                EventLoops.select(b, true);
                EventLoops.select(b, true);
                assertTrue(EventLoops.onEventLoop(), "now the second selector's loop");
            });
            assertEquals(before, reports());
        }
    }
}
