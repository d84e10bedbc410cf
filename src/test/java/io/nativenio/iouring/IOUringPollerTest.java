package io.nativenio.iouring;

import static io.nativenio.diff.PollerFixture.fd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativenio.ch.IOStatus;
import io.nativenio.ch.Poller;
import io.nativenio.diff.PollerFixture;
import io.nativenio.diff.Providers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The io_uring poller's own contract, below the selector (docs/iouring.md): level-triggered reports from one-shot
 * poll requests submitted again at each poll, interest changes and removals that cancel the request in flight,
 * stale completions (of a removed fd, of an fd number closed and reused) dropped, a submission queue that
 * overflows within one poll, requests of a thread that ended made anew by the next thread's poll, the eventfd
 * wakeup, and a ring fd that is readable while completions wait. The fds are the JDK's pipes and sockets, so
 * that readiness does not depend on nativenio's channels. Skipped where the kernel refuses io_uring.
 */
class IOUringPollerTest {
    private static final int WAIT_MS = 10_000;

    private final PollerFixture fixture = new PollerFixture();
    private IOUringPoller poller;

    @BeforeAll
    static void ioUringAvailable() {
        String why = IOUringBackend.unavailable();
        assumeTrue(why == null, "skipped: " + why);
    }

    @BeforeEach
    void open() throws IOException {
        poller = new IOUringPoller();
    }

    @AfterEach
    void close() throws IOException {
        poller.close();
        fixture.close();
    }

    private Pipe pipe(boolean readable) throws IOException {
        return fixture.pipe(readable);
    }

    /** A poll whose wait may end early with nothing (IOStatus.INTERRUPTED) is repeated, as the selector does. */
    private static int poll(IOUringPoller p, int timeout) throws IOException {
        int n;
        while ((n = p.poll(timeout)) == IOStatus.INTERRUPTED) {
            assertTrue(timeout != 0, "a poll that does not wait never asks to be repeated");
        }
        return n;
    }

    private String events(int n) {
        return PollerFixture.events(poller, n);
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
        try (ServerSocketChannel server = Providers.jdk().openServerSocketChannel();
                SocketChannel client = Providers.jdk().openSocketChannel()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client.connect(server.getLocalAddress());
            try (SocketChannel peer = server.accept()) {
                int fd = fd(client);
                poller.queueUpdate(fd, 0, Poller.POLLIN);
                assertEquals("", events(poll(poller, 0))); // nothing to read: the request waits in the kernel
                poller.queueUpdate(fd, Poller.POLLIN, Poller.POLLIN | Poller.POLLOUT);
                assertEquals(fd + ":" + Poller.POLLOUT, events(poll(poller, WAIT_MS)));
                peer.write(ByteBuffer.wrap(new byte[] {1}));
                assertEquals(fd + ":" + (Poller.POLLIN | Poller.POLLOUT), events(poll(poller, WAIT_MS)));
                poller.queueUpdate(fd, Poller.POLLIN | Poller.POLLOUT, Poller.POLLIN);
                assertEquals(fd + ":" + Poller.POLLIN, events(poll(poller, WAIT_MS)));
                poller.queueUpdate(fd, Poller.POLLIN, 0); // interest 0 takes the fd out
                assertEquals("", events(poll(poller, 0)));
            }
        }
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
        try (ServerSocketChannel server = Providers.jdk().openServerSocketChannel();
                SocketChannel client = Providers.jdk().openSocketChannel()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client.connect(server.getLocalAddress());
            try (SocketChannel peer = server.accept()) {
                poller.queueUpdate(fd(client), 0, Poller.POLLIN);
                assertEquals("", events(poll(poller, 0)));
                poller.remove(fd(client), Poller.POLLIN);
                client.close();
                peer.configureBlocking(false);
                assertEquals(-1, peer.read(ByteBuffer.allocate(1)), "end of stream, not nothing yet");
            }
        }
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
