package io.nativenio.ch;

import io.nativenio.compat.Compat;
import io.nativenio.compat.EventLoops;
import io.nativenio.observe.SelectorObserver;
import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The selector: all of the JDK's selection semantics (behaviours.md#selector, after {@code SelectorImpl} and
 * its per-OS subclasses) over a {@link Poller} that knows only fds and event bits.
 *
 * <p>Locks: a selection op holds this selector's monitor, then the monitor of the selected-key set, for its
 * whole duration, including the wait (behaviours.md#select-locks-the-selector-and-its-selected-key-set);
 * {@code close()} takes the same two in the same order. Interest changes and registrations take only {@code updateLock}
 * and never wait for a select (behaviours.md#interest-changes-never-block).
 */
public final class NativeSelector extends AbstractSelector {
    private final Poller poller;
    private final RegisteredKeys keys = new RegisteredKeys();
    private final Set<SelectionKey> publicKeys = Collections.unmodifiableSet(keys);
    private final SelectedKeys<SelectionKey> selectedKeys = new SelectedKeys<>(this);

    // The update queue: each key at most once, flagged by NativeSelectionKey.updateQueued.
    private final Object updateLock = new Object();
    private NativeSelectionKey[] updateQueue = new NativeSelectionKey[64];
    private int updateCount;

    // The cancelled-key flush's copy of the cancelled keys; guarded by this.
    private SelectionKey[] cancelledCopy = new SelectionKey[16];

    // fd -> key, used only by the selecting thread (behaviours.md#level-triggered-readiness).
    private NativeSelectionKey[] fdToKey = new NativeSelectionKey[64];

    // Wakeup (behaviours.md#wakeup): many wakeup() calls between two selections cost one write to the poller.
    private final Object interruptLock = new Object();
    private boolean interruptTriggered;

    // True while a selection op runs; a reentrant select throws (behaviours.md#select-with-an-action). Guarded by this.
    private boolean inSelect;

    // Counts polls, so that a key that gets several events in one poll (a backend may report one per
    // direction) is counted once (behaviours.md#select-with-an-action). Guarded by this.
    private int pollCount;

    private final SelectorObserver observer; // counters and JFR events (docs/observability.md)

    // The compatibility-testing mode (docs/testing.md), null when it is off; used only under a Compat flag.
    private final SelectorCompat compat = Compat.ON ? new SelectorCompat(Compat.nextSelector(), updateLock) : null;

    public NativeSelector(SelectorProvider provider) throws IOException {
        this(provider, Backends.get().openPoller());
    }

    /** A selector over {@code poller}, which it owns and closes. */
    NativeSelector(SelectorProvider provider, Poller poller) {
        super(provider);
        this.poller = poller;
        this.observer = new SelectorObserver(provider);
    }

    private void ensureOpen() {
        if (!isOpen()) {
            throw new ClosedSelectorException();
        }
    }

    @Override
    public Set<SelectionKey> keys() {
        ensureOpen();
        return publicKeys;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        ensureOpen();
        return selectedKeys;
    }

    @Override
    public int selectNow() throws IOException {
        return lockAndDoSelect(null, 0);
    }

    @Override
    public int select(long timeout) throws IOException {
        if (timeout < 0) {
            throw new IllegalArgumentException("Negative timeout");
        }
        return lockAndDoSelect(null, timeout == 0 ? -1 : timeout);
    }

    @Override
    public int select() throws IOException {
        return select(0);
    }

    // select(Consumer) is the JDK's, not Selector's default, which would clear the selected-key set
    // (behaviours.md#select-with-an-action).
    @Override
    public int select(Consumer<SelectionKey> action, long timeout) throws IOException {
        Objects.requireNonNull(action);
        if (timeout < 0) {
            throw new IllegalArgumentException("Negative timeout");
        }
        return lockAndDoSelect(action, timeout == 0 ? -1 : timeout);
    }

    @Override
    public int select(Consumer<SelectionKey> action) throws IOException {
        return select(action, 0);
    }

    @Override
    public int selectNow(Consumer<SelectionKey> action) throws IOException {
        Objects.requireNonNull(action);
        return lockAndDoSelect(action, 0);
    }

    private int lockAndDoSelect(Consumer<SelectionKey> action, long timeout) throws IOException {
        if (Compat.LOOP_BLOCKING) {
            EventLoops.select(this, timeout != 0);
        }
        synchronized (this) {
            ensureOpen();
            if (inSelect) {
                throw new IllegalStateException("select in progress");
            }
            inSelect = true;
            try {
                synchronized (selectedKeys) {
                    if (Compat.MISUSE) {
                        compat.selecting(Thread.currentThread());
                    }
                    Object event = observer.beginSelect();
                    int n = doSelect(action, timeout);
                    observer.endSelect(event, n, timeout, keys);
                    return n;
                }
            } finally {
                if (Compat.MISUSE) {
                    compat.selecting(null);
                }
                inSelect = false;
            }
        }
    }

    /**
     * One selection op. {@code timeout}: -1 waits without limit, 0 does not block, else milliseconds.
     *
     * <p>Cancelled keys are flushed before the update queue is turned into poller changes (the JDK does the
     * reverse): the changes are applied inside the same native call as the wait, and a key cancelled in
     * between must never have its fd, closed by {@link NativeChannel#kill()}, added back to the poller.
     */
    private int doSelect(Consumer<SelectionKey> action, long timeout) throws IOException {
        // clamped to Integer.MAX_VALUE ms (behaviours.md#select-timeouts)
        int to = (int) Math.min(timeout, Integer.MAX_VALUE);
        processDeregisterQueue();
        processUpdateQueue();
        if (Compat.EMPTY_SELECTS && to != 0 && compat.emptySelect()) {
            return 0; // docs/testing.md#empty-selects: nothing polled, so no readiness is lost
        }
        if (Compat.FALSE_READY && compat.pickFalseReady(keys)) {
            to = 0; // docs/testing.md#false-ready: the select has a ready key without waiting
        }
        boolean blocking = to != 0;
        boolean timed = to > 0;
        int n;
        try {
            if (blocking) {
                // an interrupt calls wakeup(); the select then returns normally
                // (behaviours.md#an-interrupted-select-returns-normally)
                begin();
                if (Compat.MISUSE) {
                    compat.watch();
                }
            }
            do {
                long start = timed ? System.nanoTime() : 0;
                n = blocking && VirtualThreads.isVirtual() ? pollVirtual(to) : poller.poll(to);
                if (n == IOStatus.INTERRUPTED && timed) {
                    // An EINTR'd timed wait continues with the time that is left (behaviours.md#select-timeouts)
                    to -= (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    if (to <= 0) {
                        n = 0;
                    }
                }
            } while (n == IOStatus.INTERRUPTED);
        } finally {
            if (blocking) {
                if (Compat.MISUSE) {
                    compat.unwatch();
                }
                end();
            }
        }
        processDeregisterQueue();
        int updated = processEvents(n, action);
        if (Compat.SHUFFLE_KEYS && action == null) {
            compat.shuffle(selectedKeys);
        }
        return updated;
    }

    /**
     * The blocking wait of a virtual thread (behaviours.md#blocking-io-parks-a-virtual-thread): polls without blocking,
     * and while nothing is ready parks on the poller's fd through VirtualThreads, which a ready channel or a wakeup (also
     * an interrupt's) makes readable, until then or the timeout ({@code timeout} ms, -1: none). Where the fd cannot be
     * watched it waits in the poller as a platform thread does.
     */
    private int pollVirtual(int timeout) throws IOException {
        long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : 0;
        for (;;) {
            int n = poller.poll(0);
            if (n != 0) {
                return n;
            }
            long nanos = 0;
            if (timeout > 0) {
                nanos = deadline - System.nanoTime();
                if (nanos <= 0) {
                    return 0;
                }
            }
            if (!VirtualThreads.park(poller.pollFd(), Poller.POLLIN, nanos)) {
                return poller.poll(nanos == 0 ? -1 : (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
            }
        }
    }

    /**
     * Updates the keys of the ready events and returns how many keys were updated. A key with several events
     * in this poll is processed once per event, as the JDK's selectors over such kernels do (an action may then be
     * invoked once per event, each time with the ready ops of that event, as Selector's specification allows),
     * and counted once.
     */
    private int processEvents(int n, Consumer<SelectionKey> action) throws IOException {
        int updated = 0;
        boolean woken = false;
        int polled = ++pollCount;
        NativeSelectionKey[] table = fdToKey;
        // docs/testing.md#shuffle-keys: the order of an action's calls; the selected-key set is shuffled after
        int[] order = Compat.SHUFFLE_KEYS && action != null ? compat.eventOrder(n) : null;
        for (int j = 0; j < n; j++) {
            int i = order == null ? j : order[j];
            if (poller.isWakeup(i)) {
                woken = true;
                continue;
            }
            int fd = poller.fd(i);
            // Events of fds without a key are ignored (normal right after a cancel)
            // (behaviours.md#level-triggered-readiness)
            NativeSelectionKey k = fd < table.length ? table[fd] : null;
            if (k != null) {
                updated += processEvent(poller.events(i), k, action, polled);
            }
        }
        if (Compat.FALSE_READY) {
            updated += processFalseReady(action, polled);
        }
        if (woken) {
            clearWakeup();
        }
        return updated;
    }

    /** Processes {@code events} for {@code k} in the poll {@code polled}; 1 if that counts the key, once a poll. */
    private int processEvent(int events, NativeSelectionKey k, Consumer<SelectionKey> action, int polled) {
        if (processReadyEvents(events, k, action) > 0 && k.lastPolled != polled) {
            k.lastPolled = polled;
            return 1;
        }
        return 0;
    }

    /**
     * Processes the false readiness picked before the poll (docs/testing.md#false-ready) as events of the poll,
     * for the keys that are still registered for them: the ready sets, the selected-key set, an action's calls and
     * the count follow the same rules as for the kernel's events.
     */
    private int processFalseReady(Consumer<SelectionKey> action, int polled) {
        int updated = 0;
        for (int i = 0, n = compat.falseReadyCount(); i < n; i++) {
            NativeSelectionKey k = compat.falseReadyKey(i);
            int events = compat.falseReadyEvents(i) & k.registeredEvents;
            if (events != 0 && k.isValid()) {
                compat.madeReady(k, events);
                updated += processEvent(events, k, action, polled);
            }
        }
        compat.clearFalseReady();
        return updated;
    }

    /** The two readyOps modes, after the JDK's {@code SelectorImpl.processReadyEvents}
     * (behaviours.md#ready-sets-are-replaced-or-accumulated). */
    private int processReadyEvents(int events, NativeSelectionKey k, Consumer<SelectionKey> action) {
        if (action != null) {
            k.translateAndSetReadyOps(events);
            if ((k.nioReadyOps() & k.nioInterestOps()) != 0) {
                action.accept(k);
                ensureOpen(); // an action that closed the selector ends the op (behaviours.md#select-with-an-action)
                return 1;
            }
        } else if (selectedKeys.containsKey(k)) {
            if (k.translateAndUpdateReadyOps(events)) {
                return 1;
            }
        } else {
            k.translateAndSetReadyOps(events);
            if ((k.nioReadyOps() & k.nioInterestOps()) != 0) {
                selectedKeys.addKey(k);
                return 1;
            }
        }
        return 0;
    }

    /**
     * Queues an interest change for the next selection op; called by the key, never blocks. As JDK 24's
     * selectors it does not check that the selector is open: SelectionKey.interestOps throws only
     * CancelledKeyException, and a close racing this one leaves the queue unread.
     */
    void queueUpdate(NativeSelectionKey k) {
        synchronized (updateLock) {
            if (!k.updateQueued) {
                k.updateQueued = true;
                if (updateCount == updateQueue.length) {
                    updateQueue = Arrays.copyOf(updateQueue, updateCount * 2);
                }
                updateQueue[updateCount++] = k;
            }
        }
    }

    /**
     * A key's interest set gained ops (or a channel was registered with some), after {@link #queueUpdate}: the
     * misuse detector of the compatibility-testing mode (docs/testing.md#misuse-of-a-selector) notes a change that
     * waits for a blocked select.
     */
    void interestAdded() {
        compat.interestAdded();
    }

    /** The misuse detector: the selected-key set is used by the current thread. */
    void selectedKeysUsed() {
        compat.checkSelectedKeysUse(selectedKeys);
    }

    /** Turns queued interest changes of valid keys into poller updates (behaviours.md#level-triggered-readiness). */
    private void processUpdateQueue() {
        synchronized (updateLock) {
            for (int i = 0; i < updateCount; i++) {
                NativeSelectionKey k = updateQueue[i];
                updateQueue[i] = null;
                k.updateQueued = false;
                if (!k.isValid()) {
                    continue;
                }
                int fd = k.fdVal();
                if (fd >= fdToKey.length) {
                    fdToKey = Arrays.copyOf(fdToKey, Math.max(fd + 1, fdToKey.length * 2));
                }
                fdToKey[fd] = k;
                if (k.getAndClearReset()) {
                    // A new socket under the fd (DatagramChannelImpl's re-create): drop what the poller may still
                    // hold for the old one (even with no events registered, see Poller.remove), then register
                    // afresh, as the JDK's selectors do on a reset key
                    poller.remove(fd, k.registeredEvents);
                    if (k.registeredEvents != 0) {
                        observer.readinessChange();
                        k.registeredEvents = 0;
                    }
                }
                int newEvents = k.translateInterestOps();
                if (newEvents != k.registeredEvents) {
                    // An interest set of 0 removes the fd from the poller (behaviours.md#level-triggered-readiness)
                    poller.queueUpdate(fd, k.registeredEvents, newEvents);
                    observer.readinessChange();
                    k.registeredEvents = newEvents;
                }
            }
            updateCount = 0;
        }
    }

    /** Flushes cancelled keys and finishes the deferred close of channels no longer registered
     * (behaviours.md#cancelled-keys-are-flushed-at-every-select). */
    private void processDeregisterQueue() throws IOException {
        Set<SelectionKey> cancelled = cancelledKeys();
        synchronized (cancelled) {
            int n = cancelled.size();
            if (n == 0) {
                return;
            }
            // Copied out rather than iterated: HashSet.toArray into an array that is large enough allocates
            // nothing. Each key leaves the set just before it is processed, as with an iterator's remove().
            if (n > cancelledCopy.length) {
                cancelledCopy = new SelectionKey[Math.max(n, cancelledCopy.length * 2)];
            }
            SelectionKey[] a = cancelled.toArray(cancelledCopy);
            try {
                for (int i = 0; i < n; i++) {
                    NativeSelectionKey k = (NativeSelectionKey) a[i];
                    cancelled.remove(k);
                    implDereg(k);
                    selectedKeys.removeKey(k);
                    keys.removeKey(k);
                    deregister(k);
                    observer.keyDeregistered();
                    killIfClosedAndUnregistered(k);
                }
            } finally {
                Arrays.fill(a, 0, n, null);
            }
        }
    }

    private void implDereg(NativeSelectionKey k) {
        int fd = k.fdVal();
        if (fd < fdToKey.length && fdToKey[fd] == k) {
            fdToKey[fd] = null;
            // also with no events registered: the poller may still hold the fd (see Poller.remove)
            poller.remove(fd, k.registeredEvents);
            if (k.registeredEvents != 0) {
                observer.readinessChange();
                k.registeredEvents = 0;
            }
        }
    }

    private static void killIfClosedAndUnregistered(NativeSelectionKey k) throws IOException {
        SelectableChannel ch = k.channel();
        if (!ch.isOpen() && !ch.isRegistered()) {
            k.nativeChannel().kill();
        }
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object attachment) {
        // As the JDK, which accepts any of its own channels (SelChImpl), whichever provider instance
        // made them; only channels of another implementation are refused (behaviours.md#foreign-channels-are-refused).
        if (!(ch instanceof NativeChannel nch)) {
            throw new IllegalSelectorException();
        }
        ensureOpen();
        NativeSelectionKey k = new NativeSelectionKey(nch, this);
        if (attachment != null) {
            k.attach(attachment);
        }
        // As JDK 24's SelectorImpl.register: add the key, then look again. A close that began after the
        // first look may have gone through the key set before the key was in it, so the key is taken back;
        // a close that found it waits (for the channel's key lock, held by our caller) until this returns.
        keys.addKey(k);
        try {
            k.interestOps(ops);
        } catch (CancelledKeyException e) {
            // another thread found the key in keys() and cancelled it; a cancelled key may be returned
        }
        if (!isOpen()) {
            keys.removeKey(k);
            k.cancel();
            throw new ClosedSelectorException();
        }
        observer.keyRegistered();
        nch.registered(k);
        return k;
    }

    @Override
    public Selector wakeup() {
        if (Compat.MISUSE) {
            compat.woken();
        }
        synchronized (interruptLock) {
            if (!interruptTriggered) {
                try {
                    poller.wakeup();
                    observer.wakeup();
                } catch (IOException e) {
                    throw new InternalError(e);
                }
                interruptTriggered = true;
            }
        }
        return this;
    }

    private void clearWakeup() throws IOException {
        synchronized (interruptLock) {
            poller.clearWakeup();
            observer.woken();
            interruptTriggered = false;
        }
    }

    /** Wake, lock, free the poller, deregister every key and kill closed channels (behaviours.md#closing-a-selector). */
    @Override
    protected void implCloseSelector() throws IOException {
        wakeup();
        synchronized (this) {
            synchronized (interruptLock) {
                interruptTriggered = true; // wakeup() after close is a no-op (behaviours.md#wakeup)
            }
            observer.closed();
            poller.close();
            synchronized (selectedKeys) {
                Iterator<SelectionKey> it = keys.iterator();
                while (it.hasNext()) {
                    NativeSelectionKey k = (NativeSelectionKey) it.next();
                    // keyFor waits for a registration still under way (its thread holds the channel's key
                    // lock). A key that register then took back is not the channel's, and deregistering it
                    // would throw on JDK 17 for a channel never registered before (removeKey).
                    if (k.channel().keyFor(this) == k) {
                        deregister(k);
                        observer.keyDeregistered();
                        killIfClosedAndUnregistered(k);
                    }
                    selectedKeys.removeKey(k);
                    it.remove();
                }
                selectedKeys.clear(); // what unsynchronized use of the set may have left in it
                Arrays.fill(fdToKey, null);
            }
        }
    }
}
