package io.nativenio.ch;

import io.nativenio.compat.Compat;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectionKey;

/**
 * A key of {@link NativeSelector}, after the JDK's {@code SelectionKeyImpl}. Interest changes are lock-free
 * and only queue the key for the selector's next selection op (behaviours.md#interest-changes-never-block,
 * behaviours.md#selection-key-operations); the atomic {@code interestOpsOr/And} replace the default methods that lock
 * the key.
 */
final class NativeSelectionKey extends AbstractSelectionKey {
    private static final VarHandle INTEREST_OPS = VarHandles.of(MethodHandles.lookup(), "interestOps", int.class);

    private final NativeChannel channel;
    private final NativeSelector selector;
    private volatile int interestOps;
    private volatile int readyOps;

    // Owned by the selector, under its lock.
    /** The poll bits currently registered with the poller for this key's fd. */
    int registeredEvents;
    /** Index in the selected-key set, or -1 (see {@link SelectedKeys}). */
    int selectedIndex = -1;
    /** Slot in the selector's key set, or -1 (see {@link RegisteredKeys}; guarded by that set's lock). */
    int keysIndex = -1;
    /** The selector's poll count when this key was last counted as updated (NativeSelector.processEvents). */
    int lastPolled;
    /** True while the key is in the selector's update queue (guarded by the queue's lock). */
    boolean updateQueued;
    /** Set by {@link #reset}, cleared by the selector when it registers the fd again. */
    private volatile boolean reset;

    NativeSelectionKey(NativeChannel channel, NativeSelector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    NativeChannel nativeChannel() {
        return channel;
    }

    int fdVal() {
        return channel.fdVal();
    }

    @Override
    public SelectableChannel channel() {
        return (SelectableChannel) channel;
    }

    @Override
    public Selector selector() {
        return selector;
    }

    private void ensureValid() {
        if (!isValid()) {
            throw new CancelledKeyException();
        }
    }

    @Override
    public int interestOps() {
        ensureValid();
        return interestOps;
    }

    /** Checks that the key is valid and that {@code ops} are among the channel's valid ops. */
    private void checkOps(int ops) {
        ensureValid();
        if ((ops & ~channel().validOps()) != 0) {
            throw new IllegalArgumentException();
        }
    }

    /** The interest set went from {@code oldOps} to {@code newOps}: queues the key when they differ. */
    private void interestChanged(int oldOps, int newOps) {
        if (newOps != oldOps) {
            selector.queueUpdate(this);
            if (Compat.MISUSE && (newOps & ~oldOps) != 0) {
                selector.interestAdded();
            }
        }
    }

    @Override
    public NativeSelectionKey interestOps(int ops) {
        checkOps(ops);
        interestChanged((int) INTEREST_OPS.getAndSet(this, ops), ops);
        return this;
    }

    @Override
    public int interestOpsOr(int ops) {
        checkOps(ops);
        int oldVal = (int) INTEREST_OPS.getAndBitwiseOr(this, ops);
        interestChanged(oldVal, oldVal | ops);
        return oldVal;
    }

    @Override
    public int interestOpsAnd(int ops) {
        ensureValid();
        int oldVal = (int) INTEREST_OPS.getAndBitwiseAnd(this, ops);
        interestChanged(oldVal, oldVal & ops);
        return oldVal;
    }

    @Override
    public int readyOps() {
        ensureValid();
        return readyOps;
    }

    int nioInterestOps() {
        return interestOps;
    }

    int nioReadyOps() {
        return readyOps;
    }

    void nioReadyOps(int ops) {
        // A key ready again with the same ops (every select, level-triggered) skips the volatile store, a full
        // fence on most CPUs; a reader cannot tell the value apart from the one already there.
        if (readyOps != ops) {
            readyOps = ops;
        }
    }

    /** Ready ops from {@code events} replacing the current ones; see {@link NativeChannel#translateReadyOps}. */
    boolean translateAndSetReadyOps(int events) {
        return channel.translateReadyOps(events, 0, this);
    }

    /** Ready ops from {@code events} OR-ed into the current ones; true if a new bit appeared. */
    boolean translateAndUpdateReadyOps(int events) {
        return channel.translateReadyOps(events, readyOps, this);
    }

    /**
     * The channel put a new socket under its fd (DatagramChannel.disconnect on macOS), which dropped the fd's
     * registration: the selector registers it again from scratch at its next selection op, as the JDK's
     * {@code SelectionKeyImpl.reset}.
     */
    void reset() {
        reset = true;
        selector.queueUpdate(this);
        selector.wakeup();
    }

    /** Whether {@link #reset} was called since the last call; the selector calls it under its lock. */
    boolean getAndClearReset() {
        boolean r = reset;
        if (r) {
            reset = false;
        }
        return r;
    }

    /** The poll bits for the current interest set. */
    int translateInterestOps() {
        return channel.translateInterestOps(interestOps);
    }

    /** The same text as the JDK's {@code SelectionKeyImpl}, which programs put in their logs. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("channel=").append(channel).append(", selector=").append(selector);
        if (isValid()) {
            sb.append(", interestOps=").append(interestOps).append(", readyOps=").append(readyOps);
        } else {
            sb.append(", invalid");
        }
        return sb.toString();
    }
}
