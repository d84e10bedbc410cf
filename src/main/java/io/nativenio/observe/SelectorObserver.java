package io.nativenio.observe;

import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * What one selector reports: its provider's counters and its select events. Each method is one hook line of
 * the selector; only {@link #beginSelect} and {@link #endSelect} run on every selection operation.
 */
public final class SelectorObserver {
    private final Counters counters;
    private boolean woken; // set by the selecting thread during the operation, read by it at the end

    /** The observer of a selector of {@code provider} that was just opened. */
    public SelectorObserver(SelectorProvider provider) {
        counters = Counters.of(provider);
        counters.selectorOpened();
    }

    /** A selection operation starts: counts it; returns the select event, or null (see {@link Events#begin}). */
    public Object beginSelect() {
        counters.selected();
        woken = false;
        return Events.begin(Events.SELECT);
    }

    /**
     * A selection operation that waited at most {@code timeout} (-1: no limit, 0: did not wait, else
     * milliseconds) updated {@code selected} keys; {@code keys} is the key set, sized only for an event.
     */
    public void endSelect(Object event, int selected, long timeout, Set<?> keys) {
        if (event != null) {
            Events.select(event, counters.getBackend(), keys.size(), selected, woken,
                    timeout < 0 ? Long.MAX_VALUE : timeout);
        }
    }

    /** The operation consumed a wakeup signal. */
    public void woken() {
        woken = true;
    }

    /** {@code wakeup()} signalled the selector. */
    public void wakeup() {
        counters.wakeup();
    }

    public void keyRegistered() {
        counters.keyRegistered();
    }

    public void keyDeregistered() {
        counters.keyDeregistered();
    }

    /** One change of the kernel's readiness queue: an fd added, changed or removed. */
    public void readinessChange() {
        counters.readinessChange();
    }

    public void closed() {
        counters.selectorClosed();
    }
}
