package io.nativenio.compat;

import java.nio.channels.Selector;

/**
 * Which threads run an event loop: a thread that selects on one of nativenio's selectors again and again.
 * The detector of blocking calls on an event loop ({@link Compat#LOOP_BLOCKING}) asks {@link #onEventLoop()}
 * before a channel operation blocks; the selectors tell {@link #select} at every selection operation.
 */
public final class EventLoops {
    /** Selections on one selector in a row after which a thread counts as its event loop. */
    static final int LOOP_SELECTS = 2;

    private static final class Loop {
        Selector selector;
        int selects;

        /** Whether the thread runs the event loop of a selector that is still open (selects > 0: one is set). */
        boolean running() {
            return selects >= LOOP_SELECTS && selector.isOpen();
        }
    }

    private static final ThreadLocal<Loop> LOOPS = ThreadLocal.withInitial(Loop::new);

    private EventLoops() {
    }

    /**
     * The current thread starts a selection operation on {@code selector}; {@code blocking}: it may wait
     * (select() or select(timeout), not selectNow). A blocking select on a second selector by the event loop of
     * another is reported. The loop stays the first selector's until that one is closed: a selectNow on a
     * second selector, or the reported select, does not end it.
     */
    public static void select(Selector selector, boolean blocking) {
        Loop loop = LOOPS.get();
        if (loop.selector == selector) {
            if (loop.selects < LOOP_SELECTS) {
                loop.selects++;
            }
            return;
        }
        if (loop.running()) {
            if (blocking) {
                Reports.report(Compat.Option.LOOP_BLOCKING.key(), "a blocking select on a second selector, on the "
                        + "thread that runs the event loop of another", new Throwable("the blocking select"));
            }
            return;
        }
        loop.selector = selector;
        loop.selects = 1;
    }

    /** Whether the current thread runs an event loop: a blocking operation here stalls every channel of its selector. */
    public static boolean onEventLoop() {
        return LOOPS.get().running();
    }
}
