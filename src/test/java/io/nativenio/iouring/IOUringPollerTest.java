package io.nativenio.iouring;

import static io.nativenio.diff.PollerFixture.fd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativenio.ch.IOStatus;
import io.nativenio.ch.Poller;
import io.nativenio.diff.PollerFixture;
import io.nativenio.diff.PollerTestBase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The io_uring poller's own contract, below the selector (docs/iouring.md): level-triggered reports from one-shot
 * poll requests submitted again at each poll, interest changes and removals that cancel the request in flight,
 * stale completions (of a removed fd, of an fd number closed and reused) dropped, a submission queue that
 * overflows within one poll, requests of a thread that ended made anew by the next thread's poll, many reported fds
 * checked again by one poll(2) (still level-triggered, none starved), the eventfd wakeup, and a ring fd that is
 * readable while completions wait. The fds are the JDK's pipes and sockets, so
 * that readiness does not depend on nativenio's channels. Skipped where the kernel refuses io_uring.
 */
class IOUringPollerTest extends PollerTestBase<IOUringPoller> {
    @BeforeAll
    static void ioUringAvailable() {
        String why = IOUringBackend.unavailable();
        assumeTrue(why == null, "skipped: " + why);
    }

    @Override
    protected IOUringPoller openPoller() throws IOException {
        return new IOUringPoller();
    }

    /** A poll whose wait may end early with nothing (IOStatus.INTERRUPTED) is repeated, as the selector does. */
    private static int poll(IOUringPoller p, int timeout) throws IOException {
        int n;
        while ((n = p.poll(timeout)) == IOStatus.INTERRUPTED) {
            assertTrue(timeout != 0, "a poll that does not wait never asks to be repeated");
        }
        return n;
    }

    @Test
    void levelTriggered() throws IOException {
        Pipe p = pipe(true);
        int source = fd(p.source());
        poller.queueUpdate(source, 0, Poller.POLLIN);
        assertEquals(source + ":" + Poller.POLLIN, events(poll(poller, WAIT_MS)));
        // not read: reported again, by a poll that does not wait as by one that does
        assertEquals(source + ":" + Poller.POLLIN, events(poll(poller, 0)));
        assertEquals(source + ":" + Poller.POLLIN, events(poll(poller, WAIT_MS)));
        p.source().read(ByteBuffer.allocate(1));
        assertEquals("", events(poll(poller, 0)));
        p.sink().write(ByteBuffer.wrap(new byte[] {2}));
        assertEquals(source + ":" + Poller.POLLIN, events(poll(poller, WAIT_MS)));
    }

    @Test
    void interestChangesReplaceTheRequestInFlight() throws IOException {
        PollerFixture.Connection c = connection();
        int fd = fd(c.client());
        poller.queueUpdate(fd, 0, Poller.POLLIN);
        assertEquals("", events(poll(poller, 0))); // nothing to read: the request waits in the kernel
        poller.queueUpdate(fd, Poller.POLLIN, Poller.POLLIN | Poller.POLLOUT);
        assertEquals(fd + ":" + Poller.POLLOUT, events(poll(poller, WAIT_MS)));
        c.peer().write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(fd + ":" + (Poller.POLLIN | Poller.POLLOUT), events(poll(poller, WAIT_MS)));
        poller.queueUpdate(fd, Poller.POLLIN | Poller.POLLOUT, Poller.POLLIN);
        assertEquals(fd + ":" + Poller.POLLIN, events(poll(poller, WAIT_MS)));
        poller.queueUpdate(fd, Poller.POLLIN, 0); // interest 0 takes the fd out
        assertEquals("", events(poll(poller, 0)));
    }

    @Test
    void removedFdIsNotReported() throws IOException {
        Pipe p = pipe(false);
        int source = fd(p.source());
        poller.queueUpdate(source, 0, Poller.POLLIN);
        assertEquals("", events(poll(poller, 0)));
        poller.remove(source, Poller.POLLIN);
        // The request in flight fires before the POLL_REMOVE reaches the kernel: its completion is stale.
        p.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals("", events(poll(poller, 0)));
        assertEquals("", events(poll(poller, 0)));
    }

    /** The poll request holds the socket: a removal drops it at once, so closing the fd closes the connection. */
    @Test
    void removalReleasesTheSocketAtOnce() throws IOException {
        PollerFixture.Connection c = connection();
        poller.queueUpdate(fd(c.client()), 0, Poller.POLLIN);
        assertEquals("", events(poll(poller, 0)));
        poller.remove(fd(c.client()), Poller.POLLIN);
        c.client().close();
        c.peer().configureBlocking(false);
        assertEquals(-1, c.peer().read(ByteBuffer.allocate(1)), "end of stream, not nothing yet");
    }

    @Test
    void closedAndReusedFdNumberGetsNoStaleEvent() throws IOException {
        Pipe old = pipe(false);
        int number = fd(old.source());
        poller.queueUpdate(number, 0, Poller.POLLIN);
        assertEquals("", events(poll(poller, 0)));
        old.sink().write(ByteBuffer.wrap(new byte[] {1})); // the request completes; no poll reads it yet
        poller.remove(number, Poller.POLLIN);
        old.source().close();
        Pipe reused = pipe(false);
        int fresh = fd(reused.source());
        poller.queueUpdate(fresh, 0, Poller.POLLIN);
        assertEquals("", events(poll(poller, 0)), "fd " + fresh + " reusing " + number);
        reused.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(fresh + ":" + Poller.POLLIN, events(poll(poller, WAIT_MS)));
    }

    @Test
    void moreRequestsThanSubmissionSlots() throws IOException {
        List<Integer> sinks = new ArrayList<>();
        for (int i = 0; i < IOUringPoller.SQ_ENTRIES / 2 + 10; i++) {
            Pipe p = pipe(i % 2 == 0);
            poller.queueUpdate(fd(p.source()), 0, Poller.POLLIN);
            poller.queueUpdate(fd(p.sink()), 0, Poller.POLLOUT);
            sinks.add(fd(p.sink()));
        }
        int n = poll(poller, WAIT_MS);
        int in = 0;
        int out = 0;
        for (int i = 0; i < n; i++) {
            if (poller.events(i) == Poller.POLLOUT) {
                assertTrue(sinks.contains(poller.fd(i)), events(n));
                out++;
            } else {
                assertEquals(Poller.POLLIN, poller.events(i), events(n));
                in++;
            }
        }
        // every request was submitted and every ready fd reported by the one poll
        assertEquals(sinks.size(), out, events(n));
        assertEquals((sinks.size() + 1) / 2, in, events(n));
    }

    /** The events of a poll as a set of "fd:events" (their order is not part of the contract). */
    private Set<String> eventSet(int n) {
        Set<String> set = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            assertTrue(set.add(poller.fd(i) + ":" + poller.events(i)), "fd " + poller.fd(i) + " twice in one poll");
        }
        return set;
    }

    /**
     * From RECHECK_MIN fds reported, the next poll checks them with poll(2) rather than with requests: still
     * level-triggered (an fd not read is reported again, a drained one is not and is watched by a request again).
     */
    @Test
    void manyReportedFdsStayLevelTriggered() throws IOException {
        List<Pipe> pipes = new ArrayList<>();
        Set<String> all = new TreeSet<>();
        for (int i = 0; i < IOUringPoller.RECHECK_MIN * 2; i++) {
            Pipe p = pipe(true);
            pipes.add(p);
            poller.queueUpdate(fd(p.source()), 0, Poller.POLLIN);
            all.add(fd(p.source()) + ":" + Poller.POLLIN);
        }
        assertEquals(all, eventSet(poll(poller, WAIT_MS))); // by completions
        assertEquals(all, eventSet(poll(poller, 0))); // by poll(2), twice
        assertEquals(all, eventSet(poll(poller, WAIT_MS)));
        Set<String> undrained = new TreeSet<>(all);
        for (int i = 0; i < pipes.size(); i += 2) {
            pipes.get(i).source().read(ByteBuffer.allocate(1));
            undrained.remove(fd(pipes.get(i).source()) + ":" + Poller.POLLIN);
        }
        assertEquals(undrained, eventSet(poll(poller, 0)));
        assertEquals(undrained, eventSet(poll(poller, WAIT_MS)));
        // a drained fd has a request again: new data reports it, beside the ones still ready
        pipes.get(0).sink().write(ByteBuffer.wrap(new byte[] {2}));
        Set<String> expected = new TreeSet<>(undrained);
        expected.add(fd(pipes.get(0).source()) + ":" + Poller.POLLIN);
        assertEquals(expected, eventSet(poll(poller, WAIT_MS)));
        for (int i = 0; i < pipes.size(); i++) {
            if (i % 2 == 1 || i == 0) {
                pipes.get(i).source().read(ByteBuffer.allocate(1)); // the fixture's pipes block: only those with a byte
            }
        }
        assertEquals(Set.of(), eventSet(poll(poller, 0)));
    }

    /** A completion (here the wakeup's) is reported beside the fds that the poll(2) check reports. */
    @Test
    void completionsAreReportedBesideRecheckedFds() throws IOException {
        Set<String> all = new TreeSet<>();
        for (int i = 0; i < IOUringPoller.RECHECK_MIN; i++) {
            Pipe p = pipe(true);
            poller.queueUpdate(fd(p.source()), 0, Poller.POLLIN);
            all.add(fd(p.source()) + ":" + Poller.POLLIN);
        }
        assertEquals(all, eventSet(poll(poller, WAIT_MS)));
        poller.wakeup();
        int n = poll(poller, 0);
        assertEquals(all.size() + 1, n, events(n));
        assertTrue(events(n).contains("wakeup"), events(n));
        poller.clearWakeup();
        assertEquals(all, eventSet(poll(poller, 0)));
    }

    /**
     * A poll reports at most RECHECK_REPORT_MAX fds from its poll(2) check: the ready fds past it are reported by
     * the next poll, first, so that fds which stay ready never keep others out.
     */
    @Test
    void fdsPastTheRecheckLimitAreReportedNext() throws IOException {
        Set<String> all = new TreeSet<>();
        for (int i = 0; i < IOUringPoller.RECHECK_REPORT_MAX + 8; i++) {
            Pipe p = pipe(true);
            poller.queueUpdate(fd(p.source()), 0, Poller.POLLIN);
            all.add(fd(p.source()) + ":" + Poller.POLLIN);
        }
        assertEquals(all, eventSet(poll(poller, WAIT_MS))); // by completions: fewer than MAX_EVENTS
        Set<String> first = eventSet(poll(poller, 0));
        assertEquals(IOUringPoller.RECHECK_REPORT_MAX, first.size());
        Set<String> second = eventSet(poll(poller, 0));
        Set<String> missed = new TreeSet<>(all);
        missed.removeAll(first);
        assertTrue(second.containsAll(missed), "missed by the first poll " + missed + ", second " + second);
    }

    /**
     * The kernel runs a request's completion work on the thread that submitted it and fails the request once that
     * thread has exited: a poll on another thread submits every request again, so it reports an fd that is ready.
     */
    @Test
    void requestsOfAThreadThatEndedAreSubmittedAgain() throws Exception {
        Pipe p = pipe(false);
        int source = fd(p.source());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                poller.queueUpdate(source, 0, Poller.POLLIN);
                assertEquals("", events(poll(poller, 0)));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        p.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(source + ":" + Poller.POLLIN, events(poll(poller, 0)));
        assertEquals(source + ":" + Poller.POLLIN, events(poll(poller, 0)));
    }

    @Test
    void wakeupIsOneEventUntilCleared() throws IOException {
        poller.wakeup();
        poller.wakeup();
        assertEquals("wakeup", events(poll(poller, -1)));
        assertEquals("wakeup", events(poll(poller, 0))); // level-triggered until cleared, as the eventfd of epoll
        poller.clearWakeup();
        assertEquals("", events(poll(poller, 0)));
        poller.wakeup();
        assertEquals("wakeup", events(poll(poller, WAIT_MS)));
        poller.clearWakeup();
    }

    @Test
    void ringFdIsReadableWhileCompletionsWait() throws IOException {
        assertEquals("", events(poll(poller, 0))); // the wakeup's request is in flight
        IOUringPoller watcher = new IOUringPoller();
        try {
            watcher.queueUpdate(poller.pollFd(), 0, Poller.POLLIN);
            assertEquals(0, poll(watcher, 0)); // nothing waits in the ring yet
            poller.wakeup();
            int n = poll(watcher, WAIT_MS);
            assertEquals(1, n);
            assertEquals(poller.pollFd(), watcher.fd(0));
            assertEquals("wakeup", events(poll(poller, 0)));
            poller.clearWakeup();
        } finally {
            watcher.close();
        }
    }
}
