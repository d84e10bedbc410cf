package io.nativenio.ch;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.SelectionKey;

/**
 * What the selector needs of a channel of this provider (the JDK's {@code SelChImpl}): its fd, the
 * translation between SelectionKey ops and poll event bits (behaviours.md#readiness-per-channel-type), and
 * {@link #kill()}, which finishes a close that was deferred while the channel was registered
 * (behaviours.md#cancelled-keys-are-flushed-at-every-select, behaviours.md#deferred-close-of-a-registered-channel).
 */
public interface NativeChannel extends Channel {
    /** The channel's fd and its life cycle. */
    ChannelFd channelFd();

    /** The fd number; stays valid until {@link #kill()} or a close with no registration releases it. */
    default int fdVal() {
        return channelFd().fdVal();
    }

    /**
     * The poll event bits ({@link Poller#POLLIN}, ...) that watch for the SelectionKey ops {@code ops}, which are
     * among the channel's {@code validOps()} (the key checks them), so one translation serves every channel type.
     */
    default int translateInterestOps(int ops) {
        int events = 0;
        if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            events |= Poller.POLLIN;
        }
        if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            events |= Poller.POLLOUT; // the JDK's Net.POLLCONN is POLLOUT on Linux, macOS and FreeBSD
        }
        return events;
    }

    /**
     * Translates {@code events} (poll bits) into ready ops starting from {@code initialOps}, sets them on the
     * key and returns true if a bit was added that the key did not have before (the JDK's translateReadyOps).
     */
    default boolean translateReadyOps(int events, int initialOps, NativeSelectionKey key) {
        int interest = key.nioInterestOps();
        int oldOps = key.nioReadyOps();
        int newOps = initialOps;
        if ((events & (Poller.POLLERR | Poller.POLLHUP)) != 0) {
            // an error or hang-up makes every interesting operation "ready"
            // (behaviours.md#ready-sets-are-replaced-or-accumulated)
            newOps = interest;
        } else {
            newOps |= readyOps(events, interest);
        }
        key.nioReadyOps(newOps);
        return (newOps & ~oldOps) != 0;
    }

    /**
     * The ops among {@code interest} that {@code events} (poll bits, no error or hang-up) make ready: by default
     * those that {@link #translateInterestOps} watches each bit for; a channel whose readiness depends on its state
     * (a socket's connection) overrides it.
     */
    default int readyOps(int events, int interest) {
        int ops = 0;
        if ((events & Poller.POLLIN) != 0) {
            ops |= interest & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if ((events & Poller.POLLOUT) != 0) {
            ops |= interest & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
        }
        return ops;
    }

    /**
     * Called by {@link ChannelFd} with the state lock held when a close in non-blocking mode could not release the
     * fd (the channel is still registered): a connected socket shuts down its output here.
     */
    default void closeDeferred() {
    }

    /** Closes the fd if the channel is closed and no longer registered; called by the selector. */
    default void kill() throws IOException {
        channelFd().kill();
    }

    /**
     * Called by a selector once it registered the channel with {@code key}. A channel that may replace its socket
     * under the same fd (DatagramChannelImpl) remembers its keys, to {@link NativeSelectionKey#reset} them.
     */
    default void registered(NativeSelectionKey key) {
    }
}
