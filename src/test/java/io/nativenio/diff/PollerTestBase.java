package io.nativenio.diff;

import io.nativenio.ch.Poller;
import java.io.IOException;
import java.nio.channels.Pipe;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The frame of a backend poller's own tests, below the selector: a new poller before each test, closed after
 * it with the JDK's pipes and connections the test made ({@link PollerFixture}).
 *
 * @param <P> the backend's poller
 */
public abstract class PollerTestBase<P extends Poller> {
    /** How long a poll that expects an event waits at most. */
    protected static final int WAIT_MS = 10_000;

    private final PollerFixture fixture = new PollerFixture();
    protected P poller;

    /** A new poller of the backend under test. */
    protected abstract P openPoller() throws IOException;

    @BeforeEach
    protected final void open() throws IOException {
        poller = openPoller();
    }

    @AfterEach
    protected final void close() throws IOException {
        poller.close();
        fixture.close();
    }

    /** A JDK pipe, closed after the test; with one byte in it if {@code readable}. */
    protected final Pipe pipe(boolean readable) throws IOException {
        return fixture.pipe(readable);
    }

    /** A JDK TCP connection, closed after the test. */
    protected final PollerFixture.Connection connection() throws IOException {
        return fixture.connection();
    }

    /** Turns on {@code events} of {@code fd}, registered for none, and asserts that the next poll reports them. */
    protected final void turnOnAndAssertReported(int fd, int events) throws IOException {
        poller.queueUpdate(fd, 0, events);
        Assertions.assertEquals(fd + ":" + events, events(poller.poll(WAIT_MS)));
    }

    /** The first {@code n} events of the last poll (PollerFixture.events). */
    protected final String events(int n) {
        return PollerFixture.events(poller, n);
    }
}
