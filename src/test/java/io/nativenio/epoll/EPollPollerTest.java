package io.nativenio.epoll;

import static io.nativenio.diff.PollerFixture.fd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativenio.ch.Poller;
import io.nativenio.diff.PollerTestBase;
import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The epoll poller's parking, below the selector: an fd whose events go to 0 stays in the epoll set with no events
 * (what /proc/self/fdinfo of the epoll fd lists), comes back with one EPOLL_CTL_MOD, and is never reported; its
 * hang-up deletes it from the set. Runs on Linux.
 */
class EPollPollerTest extends PollerTestBase<EPollPoller> {
    private static final Pattern TFD = Pattern.compile("tfd:\\s*(\\d+)\\s+events:\\s*([0-9a-f]+)");

    @BeforeAll
    static void linux() {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "skipped: epoll is Linux's");
    }

    @Override
    protected EPollPoller openPoller() throws IOException {
        return new EPollPoller();
    }

    /** The events epoll holds for {@code fd} (from fdinfo), or -1 if the fd is not in the set. */
    private int kernelEvents(int fd) throws IOException {
        Matcher m = TFD.matcher(Files.readString(Path.of("/proc/self/fdinfo/" + poller.pollFd())));
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) == fd) {
                return Integer.parseInt(m.group(2), 16);
            }
        }
        return -1;
    }

    @Test
    void eventsToZeroParksAndBackIsAModify() throws IOException {
        Pipe p = pipe(true);
        int fd = fd(p.source());
        turnOnAndAssertReported(fd, Poller.POLLIN);
        poller.queueUpdate(fd, Poller.POLLIN, 0);
        assertEquals("", events(poller.poll(0)));
        // still in the set, with only what epoll always reports: an error or a hang-up
        assertEquals(Poller.POLLERR | Poller.POLLHUP, kernelEvents(fd));
        turnOnAndAssertReported(fd, Poller.POLLIN);
        assertEquals(Poller.POLLIN | Poller.POLLERR | Poller.POLLHUP, kernelEvents(fd));
    }

    @Test
    void hangUpOfAParkedFdIsNotReportedAndDeletesIt() throws IOException {
        Pipe p = pipe(false);
        int fd = fd(p.source());
        poller.queueUpdate(fd, 0, Poller.POLLIN);
        assertEquals("", events(poller.poll(0)));
        poller.queueUpdate(fd, Poller.POLLIN, 0);
        assertEquals("", events(poller.poll(0)));
        p.sink().close();
        // only the parked fd's hang-up: no event, and the timed wait goes on to its end
        assertEquals("", events(poller.poll(20)));
        assertEquals(-1, kernelEvents(fd));
        // events on again: an add, and the hang-up is reported
        poller.queueUpdate(fd, 0, Poller.POLLIN);
        assertEquals(fd + ":" + Poller.POLLHUP, events(poller.poll(WAIT_MS)));
    }

    @Test
    void parkedHangUpAmongOtherEvents() throws IOException {
        Pipe parked = pipe(false);
        Pipe ready = pipe(true);
        int fd = fd(parked.source());
        String readable = fd(ready.source()) + ":" + Poller.POLLIN;
        poller.queueUpdate(fd, 0, Poller.POLLIN);
        poller.queueUpdate(fd(ready.source()), 0, Poller.POLLIN);
        assertEquals(readable, events(poller.poll(WAIT_MS)));
        poller.queueUpdate(fd, Poller.POLLIN, 0);
        parked.sink().close();
        assertEquals(readable, events(poller.poll(WAIT_MS)));
        assertEquals(-1, kernelEvents(fd));
        assertEquals(readable, events(poller.poll(WAIT_MS)));
    }

    @Test
    void removeDeletesAParkedFd() throws IOException {
        Pipe p = pipe(false);
        int fd = fd(p.source());
        poller.queueUpdate(fd, 0, Poller.POLLIN);
        poller.queueUpdate(fd, Poller.POLLIN, 0);
        assertEquals(0, poller.poll(0));
        assertEquals(Poller.POLLERR | Poller.POLLHUP, kernelEvents(fd));
        poller.remove(fd, 0);
        assertEquals(-1, kernelEvents(fd));
        // and the next registration is an add again
        poller.queueUpdate(fd, 0, Poller.POLLIN);
        assertEquals(0, poller.poll(0));
        assertEquals(Poller.POLLIN | Poller.POLLERR | Poller.POLLHUP, kernelEvents(fd));
    }
}
