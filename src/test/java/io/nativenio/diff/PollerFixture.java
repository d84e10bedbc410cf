package io.nativenio.diff;

import io.nativenio.ch.Poller;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;

/**
 * What the tests of a backend's poller (below the selector) share: the JDK's pipes, so that readiness does not
 * depend on nativenio's channels, their fds, and a poll's events as text. Closing it closes the pipes it made.
 */
public final class PollerFixture implements AutoCloseable {
    private final List<Pipe> pipes = new ArrayList<>();

    /** A JDK pipe, closed with this fixture; with one byte in it if {@code readable}. */
    public Pipe pipe(boolean readable) throws IOException {
        Pipe p = Providers.jdk().openPipe();
        pipes.add(p);
        if (readable) {
            p.sink().write(ByteBuffer.wrap(new byte[] {1}));
        }
        return p;
    }

    /** The fd of a JDK channel (sun.nio.ch.SelChImpl.getFDVal, exported to the test JVM). */
    public static int fd(Object channel) {
        try {
            return (int) Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal").invoke(channel);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** The first {@code n} events of the poller's last poll, "fd:events" or "wakeup", separated by spaces. */
    public static String events(Poller poller, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(poller.isWakeup(i) ? "wakeup" : poller.fd(i) + ":" + poller.events(i)).append(' ');
        }
        return sb.toString().trim();
    }

    @Override
    public void close() throws IOException {
        for (Pipe p : pipes) {
            p.source().close();
            p.sink().close();
        }
    }
}
