package io.nativenio.iouring;

import io.nativenio.ch.Errno;
import io.nativenio.ch.Errors;
import io.nativenio.ch.IOStatus;
import io.nativenio.ch.NativeBuffer;
import io.nativenio.ch.Poller;
import io.nativenio.ch.PollerResources;
import io.nativenio.epoll.EventFd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The io_uring(7) poller (docs/iouring.md): each fd of interest has one one-shot IORING_OP_POLL_ADD request in
 * flight. A poll reports its fd once; the fd's request is submitted again at the next poll, whose readiness check
 * then reports it again if its data was not read: level-triggered (behaviours.md#level-triggered-readiness) with
 * no readiness syscall of its own. When the last poll reported many fds, the next one first checks them all with one
 * poll(2) that does not wait: those still ready are reported again without a request, only the others get one; a
 * check that finds most of them drained (an event loop that reads what it is told about) is made less and less
 * often (docs/iouring.md#how-it-works). Interest changes (IORING_OP_POLL_REMOVE of the request in flight, then a new
 * request) and re-arms are queued and go to the kernel with the wait, in one io_uring_enter per poll; completions
 * already in the completion queue are read without a syscall. A deregistered fd's request is cancelled at once. Every request carries the fd and a generation of the fd's slot in its user_data,
 * and the generation changes whenever the fd's request is cancelled, so a late completion of a removed fd, or of
 * an fd number closed and reused, is recognised and dropped. An eventfd polled the same way wakes a selector
 * (behaviours.md#wakeup). The arrays are native memory or per-fd int arrays owned by this object; nothing is
 * allocated per poll in steady state.
 */
final class IOUringPoller implements Poller {
    /** The JDK's epoll selector returns at most this many events per wait; so does this poller. */
    static final int MAX_EVENTS = 1024;
    /** Submission slots; a poll with more requests flushes the full queue on the way (one io_uring_enter each time). */
    static final int SQ_ENTRIES = 256;
    /** Completion slots; more requests may be in flight: the kernel keeps what does not fit (IORING_FEAT_NODROP). */
    static final int CQ_ENTRIES = 4096;
    /**
     * From this many fds reported by the last poll, the next poll checks them with one poll(2) before submitting
     * requests (docs/iouring.md#measurements); fewer go straight to the kernel as requests, with the wait.
     */
    static final int RECHECK_MIN = 16;
    /** The longest pause, in polls, of the poll(2) check after checks that found most fds drained. */
    static final int RECHECK_PAUSE_MAX = 64;
    /** The most fds a poll reports from its poll(2) check: the rest of MAX_EVENTS is left to completions. */
    static final int RECHECK_REPORT_MAX = MAX_EVENTS - MAX_EVENTS / 4;
    private static final int EVENT_BITS = POLLIN | POLLOUT | POLLERR | POLLHUP;

    private final PollerResources resources = new PollerResources();
    private final long ringAddress;
    private final int ringFd;
    private final int wakeupFd;
    private final NativeBuffer cqes;
    private final NativeBuffer requests;
    private int requestCount;
    private final NativeBuffer pollfds;

    // Per fd, indexed by fd: the events its poll should watch (0: not in the poller); the events of its poll
    // request in flight (0: none); the generation in that request's user_data; whether it is in `pending`;
    // whether a poll reported it and it has had no request since (then it is in `pending`, and armed is 0).
    private int[] interest = new int[64];
    private int[] armed = new int[64];
    private int[] generation = new int[64];
    private boolean[] queued = new boolean[64];
    private boolean[] reported = new boolean[64];
    // The poll(2) check's back-off: polls left without it, and the length of the last pause (0: none)
    private int recheckSkip;
    private int recheckPause;
    // fds whose request the next poll submits, or cancels and submits again, each once
    private int[] pending = new int[64];
    private int pendingCount;
    // The kernel runs a request's completion work on the thread that submitted it, and fails the request when that
    // thread has exited: a poll on another thread than the last one makes every request anew, on itself.
    private Thread submitter;
    // set by a poll that found a request cancelled by the kernel rather than by this poller
    private boolean cancelled;

    private final int[] readyFds = new int[MAX_EVENTS];
    private final int[] readyEvents = new int[MAX_EVENTS];
    private int readyCount;

    IOUringPoller() throws IOException {
        ringAddress = resources.buffer(IOUring.RING_SIZE).address();
        ringFd = resources.check(IOUring.open(ringAddress, SQ_ENTRIES, CQ_ENTRIES));
        resources.add(() -> IOUring.close(ringAddress)); // closes ringFd
        wakeupFd = resources.fd(EventFd.open());
        cqes = resources.buffer(MAX_EVENTS * IOUring.CQE_SIZE);
        requests = resources.buffer(64 * IOUring.REQUEST_SIZE);
        pollfds = resources.buffer(MAX_EVENTS * IOUring.POLLFD_SIZE);
        queueUpdate(wakeupFd, 0, POLLIN);
    }

    /** The user_data of the fd's request: the fd in the low half, its generation (1 to 2^31) in the high half, never 0. */
    private long userData(int fd) {
        return ((generation[fd] & 0x7fffffffL) + 1) << 32 | fd;
    }

    @Override
    public void queueUpdate(int fd, int registeredEvents, int newEvents) {
        if (fd >= interest.length) {
            grow(fd);
        }
        interest[fd] = newEvents;
        reported[fd] = false; // a new interest set gets a request of its own
        markPending(fd);
    }

    private void grow(int fd) {
        int length = Math.max(fd + 1, interest.length * 2);
        interest = Arrays.copyOf(interest, length);
        armed = Arrays.copyOf(armed, length);
        generation = Arrays.copyOf(generation, length);
        queued = Arrays.copyOf(queued, length);
        reported = Arrays.copyOf(reported, length);
    }

    private void markPending(int fd) {
        if (!queued[fd]) {
            queued[fd] = true;
            if (pendingCount == pending.length) {
                pending = Arrays.copyOf(pending, pendingCount * 2);
            }
            pending[pendingCount++] = fd;
        }
    }

    /**
     * Cancels the fd's poll request in flight, if any, with a POLL_REMOVE submitted at once (the request holds a
     * reference to the fd's file, which the selector may close right after this: the socket must not outlive it).
     * The fd's generation changes, so whatever that request still completes with is dropped. A failure to submit
     * leaves the POLL_REMOVE in the submission queue for the next poll; it is otherwise ignored, as the JDK's epoll
     * selector ignores a failing EPOLL_CTL_DEL (behaviours.md#deferred-close-of-a-registered-channel).
     */
    @Override
    public void remove(int fd, int registeredEvents) {
        if (fd < interest.length) {
            interest[fd] = 0;
            reported[fd] = false;
            if (armed[fd] != 0) {
                cancel(fd); // the only request queued: the others are queued and submitted within poll
                IOUring.submit(ringAddress, requests.address(), requestCount);
                requestCount = 0;
            }
        }
    }

    private void cancel(int fd) {
        if (armed[fd] != 0) {
            addRequest(userData(fd), fd, 0);
            generation[fd]++;
            armed[fd] = 0;
        }
    }

    private void addRequest(long userData, int fd, int events) {
        int at = requestCount * IOUring.REQUEST_SIZE;
        requests.grow(at + IOUring.REQUEST_SIZE);
        requests.buf().putLong(at + IOUring.REQUEST_USER_DATA_OFFSET, userData)
                .putInt(at + IOUring.REQUEST_FD_OFFSET, fd)
                .putInt(at + IOUring.REQUEST_EVENTS_OFFSET, events);
        requestCount++;
    }

    @Override
    public int pollFd() {
        return ringFd; // readable while completions wait in its completion queue (io_uring_enter(2))
    }

    @Override
    public int poll(int timeout) throws IOException {
        Thread current = Thread.currentThread();
        if (current != submitter) {
            rearmAll();
            submitter = current;
        }
        readyCount = 0;
        int n = submitAndReap(timeout, true);
        if (cancelled && n >= 0 && readyCount < MAX_EVENTS) {
            // A request whose thread exited (a virtual thread's carrier, say) is failed with ECANCELED when its fd
            // becomes ready: submitted again at once, it still reports what is ready now.
            n = submitAndReap(0, false);
        }
        if (readyCount > 0) {
            return readyCount;
        }
        // A wait that ended with nothing to report (a signal, or completions of cancelled or stale requests only):
        // the selector waits again for the time left (behaviours.md#select-timeouts).
        return n == -Errno.EINTR || (n > 0 && timeout != 0) ? IOStatus.INTERRUPTED : 0;
    }

    /**
     * Checks the fds the last poll reported with poll(2) when {@code recheck} and they are many, reporting
     * those still ready; queues the requests of the other pending fds, submits every queued request, waits as
     * {@link IOUring#select} and turns the completions into ready events. When poll(2) found any ready it does not
     * wait, and with no request to submit it only reads the completions already there ({@link IOUring#reap}: the
     * poll(2) syscall has run the completion work the kernel had queued for this thread). The number of
     * completions, or -EINTR. Without {@code recheck} (a second pass within one poll) those fds wait for the next
     * poll.
     */
    private int submitAndReap(int timeout, boolean recheck) throws IOException {
        cancelled = false;
        int checked = recheck ? recheck() : 0;
        int entry = 0;
        int kept = 0;
        int rechecked = readyCount;
        for (int i = 0; i < pendingCount; i++) {
            int fd = pending[i];
            int want = interest[fd];
            if (reported[fd] && want != 0 && (!recheck || entry < checked)) {
                // If poll(2) found it still ready it is reported again without a request, and goes to the end of
                // `pending`; past RECHECK_REPORT_MAX (and in a second pass) it stays at the front, for the next
                // poll: no fd that stays ready keeps another from being reported.
                int events = recheck ? revents(entry++) & (want | POLLERR | POLLHUP) : 0;
                if (events != 0 && readyCount < RECHECK_REPORT_MAX) {
                    readyFds[readyCount] = fd;
                    readyEvents[readyCount++] = events;
                    queued[fd] = false;
                    continue;
                }
                if (!recheck || events != 0) {
                    pending[kept++] = fd;
                    continue;
                }
            }
            queued[fd] = false;
            reported[fd] = false;
            if (armed[fd] != want) {
                cancel(fd);
                if (want != 0) {
                    addRequest(userData(fd), fd, want);
                    armed[fd] = want;
                }
            }
        }
        pendingCount = kept;
        for (int i = rechecked; i < readyCount; i++) {
            markPending(readyFds[i]);
        }
        int count = requestCount;
        requestCount = 0;
        int n = readyCount > 0 && count == 0 ? IOUring.reap(ringAddress, cqes.address(), MAX_EVENTS - readyCount)
                : IOUring.select(ringAddress, requests.address(), count, cqes.address(), MAX_EVENTS - readyCount,
                        readyCount > 0 ? 0 : timeout);
        if (n == -IOUring.EBADR) {
            // The kernel could not keep an overflowed completion (no memory): which fds it reported is lost, and
            // the kernel fails every later wait of this ring (io_uring_enter(2), EBADR).
            throw new IOException("io_uring dropped completions: the completion queue overflowed");
        }
        if (n < 0 && n != -Errno.EINTR) {
            throw Errors.ioException(-n);
        }
        ByteBuffer c = cqes.buf();
        for (int i = 0; i < n; i++) {
            int at = i * IOUring.CQE_SIZE;
            complete(c.getLong(at + IOUring.CQE_USER_DATA_OFFSET), c.getInt(at + IOUring.CQE_RES_OFFSET));
        }
        return n;
    }

    private void complete(long userData, int res) {
        int fd = (int) userData;
        if (userData == 0 || fd < 0 || fd >= armed.length || armed[fd] == 0 || userData != userData(fd)) {
            return; // a POLL_REMOVE's own completion, or one of a request cancelled meanwhile
        }
        armed[fd] = 0;
        if (res >= 0) {
            readyFds[readyCount] = fd;
            readyEvents[readyCount++] = res & EVENT_BITS;
            reported[fd] = true;
            markPending(fd);
        } else if (res == -Errno.ECANCELED) {
            cancelled = true;
            markPending(fd);
        }
        // Any other error: the fd cannot be polled. It stays out of the poller until its interest changes, as
        // the JDK's epoll selector leaves out an fd whose epoll_ctl failed.
    }

    /**
     * Fills the poll(2) entries with the pending fds that the last poll reported (at most MAX_EVENTS, in the order of
     * `pending`) and, if they are at least RECHECK_MIN, checks them all with one poll(2) that does not wait. Returns
     * how many entries hold a result: 0 when they were too few, during a pause, or when poll(2) failed (then all get
     * requests, which check their readiness in the kernel all the same). A check that finds most of its fds drained
     * gained less than its syscall cost: the next checks pause for 1, 2, 4 ... up to RECHECK_PAUSE_MAX polls, until
     * one finds most of them still ready.
     */
    private int recheck() {
        if (recheckSkip > 0) {
            recheckSkip--;
            return 0;
        }
        int count = 0;
        for (int i = 0; i < pendingCount && count < MAX_EVENTS; i++) {
            int fd = pending[i];
            if (reported[fd] && interest[fd] != 0) {
                int at = count++ * IOUring.POLLFD_SIZE;
                pollfds.buf().putInt(at + IOUring.POLLFD_FD_OFFSET, fd)
                        .putShort(at + IOUring.POLLFD_EVENTS_OFFSET, (short) interest[fd])
                        .putShort(at + IOUring.POLLFD_REVENTS_OFFSET, (short) 0);
            }
        }
        if (count < RECHECK_MIN) {
            return 0;
        }
        int ready = IOUring.pollNow(pollfds.address(), count);
        if (ready < 0) {
            return 0;
        }
        if (ready * 2 < count) {
            recheckPause = Math.min(Math.max(1, recheckPause * 2), RECHECK_PAUSE_MAX);
            recheckSkip = recheckPause;
        } else {
            recheckPause = 0;
        }
        return count;
    }

    private int revents(int entry) {
        return pollfds.buf().getShort(entry * IOUring.POLLFD_SIZE + IOUring.POLLFD_REVENTS_OFFSET);
    }

    /** Makes every request in flight anew, on the thread that polls now. */
    private void rearmAll() {
        for (int fd = 0; fd < armed.length; fd++) {
            if (armed[fd] != 0) {
                cancel(fd);
                markPending(fd);
            }
        }
    }

    @Override
    public int fd(int i) {
        return readyFds[i];
    }

    @Override
    public int events(int i) {
        return readyEvents[i];
    }

    @Override
    public boolean isWakeup(int i) {
        return readyFds[i] == wakeupFd;
    }

    @Override
    public void wakeup() throws IOException {
        Errors.check(EventFd.signal(wakeupFd));
    }

    @Override
    public void clearWakeup() throws IOException {
        Errors.check(EventFd.clear(wakeupFd));
    }

    @Override
    public void close() throws IOException {
        resources.close();
    }
}
