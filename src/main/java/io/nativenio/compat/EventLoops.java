package io.nativenio.compat;

/**
 * Which threads run an event loop: a thread that selects on one of nativenio's selectors again and again.
 * The detector of blocking calls on an event loop ({@link Compat#LOOP_BLOCKING}) asks {@link #onEventLoop()}
 * before a channel operation blocks; the selectors tell {@link #select} at every selection operation.
 */
public final class EventLoops {
    /** Selections on one selector in a row after which a thread counts as its event loop. */
    static final int LOOP_SELECTS = 2;

    private static final class Loop {
        Object selector;
        int selects;
    }

    private static final ThreadLocal<Loop> LOOPS = ThreadLocal.withInitial(Loop::new);

    private EventLoops() {
    }

    /**
     * The current thread starts a selection operation on {@code selector}; {@code blocking}: it may wait
     * (select() or select(timeout), not selectNow). A blocking select on a second selector by the event loop of
     * another is reported.
     */
    public static void select(Object selector, boolean blocking) {
        Loop loop = LOOPS.get();
        if (loop.selector == selector) {
            if (loop.selects < LOOP_SELECTS) {
                loop.selects++;
            }
            return;
        }
        if (blocking && loop.selects >= LOOP_SELECTS) {
            Reports.report(Compat.Option.LOOP_BLOCKING.key(), "a blocking select on a second selector, on the thread "
                    + "that runs the event loop of another", new Throwable("the blocking select"));
            return; // the loop stays the first selector's
        }
        loop.selector = selector;
        loop.selects = 1;
    }

    /** Whether the current thread runs an event loop: a blocking operation here stalls every channel of its selector. */
    public static boolean onEventLoop() {
        return LOOPS.get().selects >= LOOP_SELECTS;
    }
}
