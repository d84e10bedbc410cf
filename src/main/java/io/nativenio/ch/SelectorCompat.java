package io.nativenio.ch;

import io.nativenio.compat.Compat;
import io.nativenio.compat.Dice;
import io.nativenio.compat.Reports;

/**
 * What the compatibility-testing mode ({@link Compat}) does to one selector: its perturbations (false-ready,
 * shuffle-keys, empty-selects: docs/testing.md#perturbations-of-selectors) and its detectors of misuse
 * (docs/testing.md#misuse-of-a-selector). A selector makes one only when the mode is on, and calls it only under
 * a {@code Compat} flag, so that with the mode off nothing of it runs.
 *
 * <p>Each perturbation draws from a {@link Dice} stream of its own, derived from the run's seed and the
 * selector's identity (its rank among the selectors opened), so that switching one perturbation on or off
 * leaves the decisions of the others as they were. The perturbations run on the selecting thread, under the
 * selector's lock; the detectors of late interest changes share the selector's update lock.
 */
final class SelectorCompat {
    /** The most keys one select makes falsely ready. */
    static final int FALSE_READY_KEYS = 3;

    private static final int DIRECTIONS = Poller.POLLIN | Poller.POLLOUT;
    private static final String MISUSE = Compat.Option.MISUSE.key();

    private final long identity;
    private final Dice falseReadyDice;
    private final Dice shuffleDice;
    private final Dice emptyDice;

    // false-ready: the keys picked before this select's poll, and the poll bits each gets.
    private final NativeSelectionKey[] falseReady = new NativeSelectionKey[FALSE_READY_KEYS];
    private final int[] falseReadyEvents = new int[FALSE_READY_KEYS];
    private int falseReadyCount;

    // shuffle-keys: a permutation of the events of a poll, for select(Consumer).
    private int[] order = new int[0];

    // empty-selects: the last blocking select was made empty, so the next one is not.
    private boolean lastEmpty;

    // misuse: the thread in a select on this selector, or null.
    private volatile Thread selecting;

    // misuse: late interest changes, all guarded by the selector's update lock (see watch, interestAdded).
    private final Object updateLock;
    /** A blocking poll runs, started after the update queue was drained. */
    private boolean watching;
    /** The first change that added interest during this poll, with no wakeup() after it yet. */
    private Change late;
    /** A late change whose thread was still running when the poll ended: it may yet call wakeup(). */
    private Change suspect;

    /** An interest change: the thread that made it, and where. */
    private record Change(Thread thread, Throwable where) {
    }

    SelectorCompat(long identity, Object updateLock) {
        this.identity = identity;
        this.falseReadyDice = new Dice(identity, 0);
        this.shuffleDice = new Dice(identity, 1);
        this.emptyDice = new Dice(identity, 2);
        this.updateLock = updateLock;
    }

    // ---- false-ready

    /**
     * Decides, before the poll, whether this select reports false readiness (with probability
     * {@link Compat#RATE}) and for which keys: one to {@link #FALSE_READY_KEYS} keys, each the first key with
     * interest registered with the poller at or after a random one of the used slots of {@code keys} (nearly
     * uniform: few used slots are free). A key interested in reading and writing is made ready for one of the two.
     * True if any key was picked: the select then does not block.
     */
    boolean pickFalseReady(RegisteredKeys keys) {
        falseReadyCount = 0;
        if (!falseReadyDice.roll()) {
            return false;
        }
        NativeSelectionKey[] slots = keys.slots();
        int used = Math.min(keys.used(), slots.length);
        if (used == 0) {
            return false;
        }
        int picks = 1 + falseReadyDice.below(FALSE_READY_KEYS);
        for (int i = 0; i < picks; i++) {
            NativeSelectionKey k = interestedFrom(slots, falseReadyDice.below(used), used);
            if (k == null) {
                break; // no key has interest
            }
            int events = k.registeredEvents & DIRECTIONS;
            if (events == DIRECTIONS) {
                events = falseReadyDice.below(2) == 0 ? Poller.POLLIN : Poller.POLLOUT;
            }
            falseReady[falseReadyCount] = k;
            falseReadyEvents[falseReadyCount++] = events;
        }
        return falseReadyCount > 0;
    }

    /**
     * The first valid key whose fd the poller watches, from slot {@code start} on, wrapping around at
     * {@code used}; or null.
     */
    private static NativeSelectionKey interestedFrom(NativeSelectionKey[] slots, int start, int used) {
        for (int i = start, n = 0; n < used; n++, i = i + 1 == used ? 0 : i + 1) {
            NativeSelectionKey k = slots[i];
            if (k != null && k.isValid() && (k.registeredEvents & DIRECTIONS) != 0) {
                return k;
            }
        }
        return null;
    }

    int falseReadyCount() {
        return falseReadyCount;
    }

    NativeSelectionKey falseReadyKey(int i) {
        return falseReady[i];
    }

    int falseReadyEvents(int i) {
        return falseReadyEvents[i];
    }

    /** Forgets the picks once applied, so that no key stays reachable from here. */
    void clearFalseReady() {
        for (int i = 0; i < falseReadyCount; i++) {
            falseReady[i] = null;
        }
        falseReadyCount = 0;
    }

    /** Records that {@code k} was made ready by {@code events} (poll bits) that the kernel did not report. */
    void madeReady(NativeSelectionKey k, int events) {
        Reports.perturbed(Compat.Option.FALSE_READY.key(), "selector " + name() + ": fd " + k.fdVal() + " ready for "
                + (events == Poller.POLLIN ? "input" : "output") + " without a kernel event");
    }

    // ---- shuffle-keys

    /** With probability {@link Compat#RATE}, puts the selected-key set in a random order. */
    void shuffle(SelectedKeys<?> set) {
        if (set.size() > 1 && shuffleDice.roll()) {
            set.shuffle(shuffleDice);
            Reports.perturbed(Compat.Option.SHUFFLE_KEYS.key(), "selector " + name() + ": " + set.size()
                    + " selected keys shuffled");
        }
    }

    /**
     * The order in which select(Consumer) processes the {@code n} events of a poll: with probability
     * {@link Compat#RATE} a random permutation of 0..n-1, else null (their order).
     */
    int[] eventOrder(int n) {
        if (n < 2 || !shuffleDice.roll()) {
            return null;
        }
        if (order.length < n) {
            order = new int[Math.max(n, order.length * 2)];
        }
        int[] a = order;
        for (int i = 0; i < n; i++) {
            int j = shuffleDice.below(i + 1); // inside-out Fisher-Yates
            a[i] = a[j];
            a[j] = i;
        }
        Reports.perturbed(Compat.Option.SHUFFLE_KEYS.key(), "selector " + name() + ": " + n
                + " events in a random order");
        return a;
    }

    // ---- empty-selects

    /**
     * Whether this blocking select returns 0 at once: with probability {@link Compat#RATE}, but never twice in
     * a row, so that a program that selects again always gets to its events.
     */
    boolean emptySelect() {
        if (lastEmpty) {
            lastEmpty = false;
            return false;
        }
        lastEmpty = emptyDice.roll();
        if (lastEmpty) {
            Reports.perturbed(Compat.Option.EMPTY_SELECTS.key(), "selector " + name() + ": select returned 0 at once");
        }
        return lastEmpty;
    }

    // ---- misuse: the selected-key set used during a select

    /** The current thread starts a selection operation; null: it ended. */
    void selecting(Thread t) {
        selecting = t;
    }

    /**
     * Reports a use of the selected-key set {@code set} by a thread other than the one selecting, while it
     * selects: the set is not thread-safe, and the select adds and removes keys in it.
     */
    void checkSelectedKeysUse(Object set) {
        Thread t = selecting;
        if (t != null && t != Thread.currentThread() && !Thread.holdsLock(set)) {
            Reports.report(MISUSE, "the selected-key set used by a thread other than the one selecting on its "
                    + "selector, while it selects (" + t.getName() + "); the set is not thread-safe: synchronize on "
                    + "it, or use it on the selecting thread", new Throwable("the use of the selected-key set"));
        }
    }

    // ---- misuse: interest changes that wait for a blocked select

    /** A blocking poll starts (the selecting thread, after the update queue was drained). */
    void watch() {
        Change verdict;
        synchronized (updateLock) {
            verdict = judge(suspect);
            if (verdict != null) {
                suspect = null;
            }
            watching = true;
        }
        report(verdict);
    }

    /**
     * The blocking poll ended. A change made during it with no wakeup() after it is reported, unless its thread
     * is still running: it may be about to call wakeup(), and is judged again at the next blocking poll.
     */
    void unwatch() {
        Change verdict;
        synchronized (updateLock) {
            watching = false;
            Change c = late;
            late = null;
            verdict = judge(c);
            if (c != null && verdict == null) {
                suspect = c;
            }
        }
        report(verdict);
    }

    /** {@code c} if its thread no longer runs (it waits, or ended) and so will not call wakeup() for it now. */
    private static Change judge(Change c) {
        return c != null && c.thread.getState() != Thread.State.RUNNABLE ? c : null;
    }

    /**
     * The current thread added ops to a key's interest set (or registered a channel with some): while a poll
     * runs, the change waits for its end. A suspect change of the same thread is reported: it went on without
     * waking the selector.
     */
    void interestAdded() {
        Thread me = Thread.currentThread();
        Change verdict = null;
        synchronized (updateLock) {
            if (suspect != null && suspect.thread == me) {
                verdict = suspect;
                suspect = null;
            }
            if (watching && late == null) {
                late = new Change(me, new Throwable("the interest change"));
            }
        }
        report(verdict);
    }

    /** wakeup() was called: any change so far takes effect at once. */
    void woken() {
        synchronized (updateLock) {
            late = null;
            suspect = null;
        }
    }

    private static void report(Change c) {
        if (c != null) {
            Reports.report(MISUSE, "an interest change or registration made while another thread was blocked in a "
                    + "select on the selector, with no wakeup() after it: it takes effect only when that select "
                    + "ends for another reason", c.where);
        }
    }

    private String name() {
        return Long.toString(identity & Long.MAX_VALUE);
    }
}
