package io.nativenio.kqueue;

import static io.nativenio.diff.PollerFixture.fd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativenio.ch.Poller;
import io.nativenio.diff.PollerFixture;
import io.nativenio.diff.PollerTestBase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kqueue poller's own contract, below the selector (docs/kqueue.md): one event per filter, failed
 * changes neither reported nor stopping the changes after them, deletes of both filters that do not stop
 * at a missing one, the EVFILT_USER wakeup, the one-shot poller. The fds are the JDK's pipes, so that
 * readiness does not depend on nativenio's channels. Runs where the library has the kqueue backend (macOS,
 * FreeBSD, and the Linux build of .ci/stages/kqueue against libkqueue); skipped elsewhere.
 */
class KQueuePollerTest extends PollerTestBase<KQueuePoller> {
    @BeforeAll
    static void kqueueBuilt() {
        boolean built;
        try {
            built = KQueue.KEVENT_SIZE > 0;
        } catch (LinkageError e) {
            built = false;
        }
        assumeTrue(built, "skipped: the native library has no kqueue backend (docs/kqueue.md)");
    }

    @Override
    protected KQueuePoller openPoller() throws IOException {
        return new KQueuePoller();
    }

    @Test
    void oneEventPerFilter() throws IOException {
        PollerFixture.Connection c = connection();
        c.peer().write(ByteBuffer.wrap(new byte[] {1}));
        int fd = fd(c.client());
        turnOnAndAssertReported(fd, Poller.POLLIN); // the byte is in
        poller.queueUpdate(fd, Poller.POLLIN, Poller.POLLIN | Poller.POLLOUT);
        String got = events(poller.poll(WAIT_MS));
        assertTrue(got.equals(fd + ":" + Poller.POLLIN + " " + fd + ":" + Poller.POLLOUT)
                || got.equals(fd + ":" + Poller.POLLOUT + " " + fd + ":" + Poller.POLLIN), got);
        // level-triggered: reported again; an interest change deletes only its own filter
        poller.queueUpdate(fd, Poller.POLLIN | Poller.POLLOUT, Poller.POLLIN);
        assertEquals(fd + ":" + Poller.POLLIN, events(poller.poll(WAIT_MS)));
        poller.queueUpdate(fd, Poller.POLLIN, 0);
        assertEquals("", events(poller.poll(0)));
    }

    @Test
    void failedChangesAreNotEventsAndDoNotStopTheRest() throws IOException {
        Pipe idle = pipe(false);
        Pipe ready = pipe(true);
        // More failing deletes than the event array has slots at first (256) and than the initial changelist (64).
        for (int i = 0; i < 300; i++) {
            poller.queueUpdate(fd(idle.source()), Poller.POLLIN, 0);
        }
        poller.queueUpdate(fd(ready.source()), 0, Poller.POLLIN);
        int n = poller.poll(WAIT_MS);
        assertEquals(fd(ready.source()) + ":" + Poller.POLLIN, events(n));
        // Only failing changes and nothing ready: no event.
        poller.queueUpdate(fd(ready.source()), Poller.POLLIN, 0);
        poller.queueUpdate(fd(idle.source()), Poller.POLLIN, 0);
        assertEquals("", events(poller.poll(0)));
    }

    @Test
    void removeDeletesEachFilterEvenIfOneIsMissing() throws IOException {
        Pipe p = pipe(true);
        int sink = fd(p.sink());
        turnOnAndAssertReported(sink, Poller.POLLOUT);
        poller.remove(sink, Poller.POLLIN | Poller.POLLOUT); // the read filter was never added
        assertEquals("", events(poller.poll(0)));
    }

    @Test
    void wakeupIsOneEventAndResetsItself() throws IOException {
        poller.wakeup();
        poller.wakeup();
        int n = poller.poll(-1);
        assertEquals("wakeup", events(n));
        poller.clearWakeup();
        assertEquals("", events(poller.poll(0)));
    }

    @Test
    void pollFdIsReadableWhileEventsArePending() throws IOException {
        assumeTrue(poller.pollFd() >= 0, "skipped: the kqueue fd is not pollable under libkqueue (docs/kqueue.md)");
        KQueueOneShotPoller watcher = new KQueueOneShotPoller();
        try {
            assertEquals(0, watcher.arm(poller.pollFd(), Poller.POLLIN));
            poller.wakeup();
            assertEquals(1, watcher.poll());
            assertEquals(poller.pollFd(), watcher.fd(0));
        } finally {
            watcher.close();
        }
    }

    @Test
    void oneShot() throws IOException {
        KQueueOneShotPoller oneShot = new KQueueOneShotPoller();
        try {
            Pipe p = pipe(true);
            int source = fd(p.source());
            assertEquals(0, oneShot.arm(source, Poller.POLLIN));
            assertEquals(1, oneShot.poll());
            assertEquals(source, oneShot.fd(0));
            oneShot.disarm(source, Poller.POLLIN); // fired, so deleted already: the failure is ignored
            assertEquals(0, oneShot.arm(source, Poller.POLLIN)); // and it can be armed again
            assertEquals(1, oneShot.poll());
            assertFalse(oneShot.arm(-1, Poller.POLLOUT) >= 0, "arming an fd that is not open fails");
        } finally {
            oneShot.close();
        }
    }
}
