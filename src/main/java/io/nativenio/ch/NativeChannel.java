package io.nativenio.ch;

import java.io.IOException;
import java.nio.channels.Channel;

/**
 * What the selector needs of a channel of this provider (the JDK's {@code SelChImpl}): its fd, the
 * translation between SelectionKey ops and poll event bits (CONFORMANCE B16), and {@link #kill()}, which
 * finishes a close that was deferred while the channel was registered (B13, B14).
 */
interface NativeChannel extends Channel {
    /** The fd number; stays valid until {@link #kill()} or a close with no registration releases it. */
    int fdVal();

    /** The poll event bits ({@link Poller#POLLIN}, ...) that watch for the SelectionKey ops {@code ops}. */
    int translateInterestOps(int ops);

    /**
     * Translates {@code events} (poll bits) into ready ops starting from {@code initialOps}, sets them on the
     * key and returns true if a bit was added that the key did not have before (the JDK's translateReadyOps).
     */
    default boolean translateReadyOps(int events, int initialOps, NativeSelectionKey key) {
        int interest = key.nioInterestOps();
        int oldOps = key.nioReadyOps();
        int newOps = initialOps;
        if ((events & (Poller.POLLERR | Poller.POLLHUP)) != 0) {
            newOps = interest; // an error or hang-up makes every interesting operation "ready" (B15)
        } else {
            newOps |= readyOps(events, interest);
        }
        key.nioReadyOps(newOps);
        return (newOps & ~oldOps) != 0;
    }

    /** The ops among {@code interest} that {@code events} (poll bits, no error or hang-up) make ready. */
    int readyOps(int events, int interest);

    /** Closes the fd if the channel is closed and no longer registered; called by the selector. */
    void kill() throws IOException;
}
