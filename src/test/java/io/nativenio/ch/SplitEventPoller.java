package io.nativenio.ch;

import java.io.IOException;
import java.util.Arrays;

/**
 * A test-only poller over the platform's own that reports read and write readiness of one fd as two
 * events, one per direction, as a kqueue poller does (one event per filter): it proves on Linux that the
 * selector handles several events per fd per poll. Each event of the poller underneath becomes a POLLIN
 * event if the fd is registered for POLLIN and is readable or in error or hung up, and a POLLOUT event
 * likewise; as with kqueue, POLLERR and POLLHUP themselves are not reported.
 */
final class SplitEventPoller implements Poller {
    private final Poller poller;
    private int[] registered = new int[64]; // fd -> registered poll events
    private int[] fds = new int[64];
    private int[] events = new int[64];
    private int[] wakeups = new int[64]; // 1 where the event is the wakeup signal
    private int count;

    SplitEventPoller(Poller poller) {
        this.poller = poller;
    }

    @Override
    public void queueUpdate(int fd, int registeredEvents, int newEvents) {
        if (fd >= registered.length) {
            registered = Arrays.copyOf(registered, Math.max(fd + 1, registered.length * 2));
        }
        registered[fd] = newEvents;
        poller.queueUpdate(fd, registeredEvents, newEvents);
    }

    @Override
    public void remove(int fd, int registeredEvents) {
        registered[fd] = 0;
        poller.remove(fd, registeredEvents);
    }

    @Override
    public int poll(int timeout) throws IOException {
        int n = poller.poll(timeout);
        if (n < 0) {
            return n;
        }
        count = 0;
        for (int i = 0; i < n; i++) {
            int fd = poller.fd(i);
            if (poller.isWakeup(i)) {
                add(fd, POLLIN, 1);
                continue;
            }
            int ready = poller.events(i);
            int reg = fd < registered.length ? registered[fd] : 0;
            boolean failed = (ready & (POLLERR | POLLHUP)) != 0;
            if ((reg & POLLIN) != 0 && (failed || (ready & POLLIN) != 0)) {
                add(fd, POLLIN, 0);
            }
            if ((reg & POLLOUT) != 0 && (failed || (ready & POLLOUT) != 0)) {
                add(fd, POLLOUT, 0);
            }
        }
        return count;
    }

    private void add(int fd, int ev, int wakeup) {
        if (count == fds.length) {
            fds = Arrays.copyOf(fds, count * 2);
            events = Arrays.copyOf(events, count * 2);
            wakeups = Arrays.copyOf(wakeups, count * 2);
        }
        fds[count] = fd;
        events[count] = ev;
        wakeups[count] = wakeup;
        count++;
    }

    @Override
    public int pollFd() {
        return poller.pollFd();
    }

    @Override
    public int fd(int i) {
        return fds[i];
    }

    @Override
    public int events(int i) {
        return events[i];
    }

    @Override
    public boolean isWakeup(int i) {
        return wakeups[i] != 0;
    }

    @Override
    public void wakeup() throws IOException {
        poller.wakeup();
    }

    @Override
    public void clearWakeup() throws IOException {
        poller.clearWakeup();
    }

    @Override
    public void close() throws IOException {
        poller.close();
    }
}
