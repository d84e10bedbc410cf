package io.nativenio.ch;

import io.nativenio.compat.Compat;
import io.nativenio.compat.Reports;
import io.nativenio.observe.Counters;
import io.nativenio.observe.Events;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fd of one channel and its life cycle: open, closing, closed (behaviours.md#async-close-wakes-a-blocked-thread,
 * behaviours.md#deferred-close-of-a-registered-channel). The real close(2) happens only when no thread is blocked on
 * the fd and no selector has it registered, so an fd number can never be reused while a thread or a selector's readiness queue still
 * refers to it.
 *
 * <p>Blocking I/O runs on a blocking fd, with the thread recorded; a close from another thread dup2's a
 * dead socket onto the fd (the number stays reserved, a new read sees EOF) and signals the thread out of
 * its syscall, after the JDK's {@code preClose} and {@code NativeThread.signal}.
 *
 * <p>A DatagramChannel that becomes unreachable without being closed has its fd closed by a {@link Cleaner}, as
 * the JDK's {@code DatagramChannelImpl}; under the compatibility-testing mode's leak detector every channel does,
 * and is reported (docs/testing.md#detectors). Reads and writes of stream channels go through here so that the
 * mode can shorten them (docs/testing.md#perturbations-of-channels).
 */
final class ChannelFd {
    /**
     * The channel's protected {@code end(boolean)} of AbstractInterruptibleChannel, passed as {@code this::end} with
     * its {@code this::begin}: the two install and remove the hook that closes the channel when its thread is
     * interrupted (behaviours.md#interrupt-closes-a-channel-in-blocking-io), and only the channel may call them.
     */
    @FunctionalInterface
    interface End {
        void end(boolean completed) throws AsynchronousCloseException;
    }

    /**
     * Whether an operation on an already-closed blocking channel throws ClosedChannelException before
     * {@code begin()} (JDK 23 and later, JDK-8329190), or inside the begin/end bracket, where {@code end(false)}
     * turns it into AsynchronousCloseException (JDK 17 to 22). Match the running JDK
     * (behaviours.md#operations-on-a-closed-blocking-channel).
     */
    static final boolean CHECK_OPEN_BEFORE_BEGIN = Runtime.version().feature() >= 23;

    /**
     * Whether a selector's final close of a deregistered channel ({@link #kill()}) first waits for the
     * channel's I/O in progress, as the JDK's {@code kill()} does from JDK 23 and 21.0.6 on (the JDK's fix for
     * a final close under a concurrent non-blocking read or write). Older JDKs close at once, so there a
     * read that blocks while the channel is registered never holds up the selector.
     */
    static final boolean KILL_WAITS_FOR_IO = killWaitsForIo(Runtime.version());

    private static final int ST_INUSE = 0;
    private static final int ST_CLOSING = 1;
    private static final int ST_CLOSED = 2;

    /**
     * The pre-close fd (see {@link #preClose()}), one per process as the JDK's, made by the first channel
     * and not in a static initializer: at the fd limit that channel fails with the JDK's IOException and a
     * later one tries again. -1 until made; written once under the class lock.
     */
    private static volatile int deadSocket = -1;

    private final SelectableChannel channel;
    private final Runnable channelBegin;
    private final End channelEnd;
    private final int fd;
    final ReentrantLock readLock = new ReentrantLock();
    final ReentrantLock writeLock = new ReentrantLock();
    final Object stateLock = new Object();

    // Written under stateLock.
    private volatile int state;
    private long readerThread;
    private long writerThread;
    // Virtual threads in a blocking operation, woken by unpark instead of a signal (VirtualThreads,
    // behaviours.md#blocking-io-parks-a-virtual-thread).
    private Thread readerVirtual;
    private Thread writerVirtual;
    // Set once a virtual thread made the fd non-blocking; it stays so, whatever the blocking mode (as the JDK).
    private boolean forcedNonBlocking;

    /** Run once the channel is closed (possibly before the fd itself is); null for most channels. */
    private final Runnable afterClose;

    // The provider's counters and the channel's kind among them (docs/observability.md).
    private final Counters counters;
    private final int kind;
    /** How the fd is written and its failures reported: by the channel's kind. */
    private final Dispatch dispatch;

    /** The compatibility-testing mode's decisions for this channel; null when the mode is off. */
    final ChannelCompat compat;

    /** The close of the fd when a Cleaner watches the channel (null when none does), and its registration. */
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    /**
     * For an fd just created for {@code channel}, whose {@code begin()} and {@code end(boolean)} are {@code begin}
     * and {@code end}: the fd is closed if this throws.
     */
    <C extends SelectableChannel & NativeChannel> ChannelFd(C channel, int fd, Runnable begin, End end)
            throws IOException {
        this(channel, fd, begin, end, null, true);
    }

    /** For an accepted or inherited fd, which stays the caller's to close if this throws. */
    <C extends SelectableChannel & NativeChannel> ChannelFd(C channel, int fd, Runnable begin, End end,
            Runnable afterClose) throws IOException {
        this(channel, fd, begin, end, afterClose, false);
    }

    private <C extends SelectableChannel & NativeChannel> ChannelFd(C channel, int fd, Runnable begin, End end,
            Runnable afterClose, boolean closeOnFailure) throws IOException {
        if (deadSocket < 0) {
            try {
                makeDeadSocket();
            } catch (IOException e) {
                if (closeOnFailure) {
                    IO.close(fd);
                }
                throw e;
            }
        }
        this.channel = channel;
        this.channelBegin = begin;
        this.channelEnd = end;
        this.fd = fd;
        this.afterClose = afterClose;
        this.counters = Counters.of(channel.provider());
        this.kind = Counters.kindOf(channel);
        this.dispatch = kind == Counters.PIPE ? Dispatch.PIPE : kind == Counters.DATAGRAM ? Dispatch.DATAGRAM
                : Dispatch.STREAM;
        this.compat = Compat.ON ? new ChannelCompat(Compat.nextChannel()) : null;
        if (Compat.SMALL_BUFFERS && kind == Counters.SOCKET) {
            ChannelCompat.smallBuffers(fd);
        }
        counters.opened(kind);
        // last: once registered, the Cleaner closes the fd if the channel's constructor fails after this one
        if (kind == Counters.DATAGRAM || Compat.LEAKS) {
            Throwable opened = Compat.LEAKS ? new Throwable(openedHere(channel)) : null;
            this.release = new Release(fd, counters, kind, opened);
            this.cleanable = Release.watch(channel, release);
        } else {
            this.release = null;
            this.cleanable = null;
        }
    }

    /** "SocketChannel opened here": what the stack of a leaked channel shows, by the JDK type it extends. */
    private static String openedHere(SelectableChannel channel) {
        return channel.getClass().getSuperclass().getSimpleName() + " opened here";
    }

    /**
     * One read of a stream channel into {@code dst}, or a scattering one into {@code dsts} when that is not
     * null; counted. Under short-reads it may transfer fewer bytes than it could, or in non-blocking mode
     * return 0 without a system call ({@link ChannelCompat#readLimit}).
     */
    long read(ByteBuffer dst, ByteBuffer[] dsts, int offset, int length, boolean blocking) throws IOException {
        long max = Long.MAX_VALUE;
        if (Compat.SHORT_READS) {
            max = compat.readLimit(IOUtil.remaining(dst, dsts, offset, length, true), blocking);
            if (max == 0) {
                return 0;
            }
        }
        return countRead(dsts == null ? IOUtil.read(fd, dst, (int) Math.min(max, Integer.MAX_VALUE), dispatch)
                : IOUtil.read(fd, dsts, offset, length, max, dispatch));
    }

    /** A blocking read into {@code b[off, off + len)}, {@code len > 0}, for the socket adaptor's stream. */
    int read(byte[] b, int off, int len) throws IOException {
        int n = Compat.SHORT_READS ? (int) compat.readLimit(len, true) : len;
        return (int) countRead(IOUtil.read(fd, b, off, n));
    }

    /**
     * One write of a stream channel from {@code src}, or a gathering one from {@code srcs} when that is not
     * null, as the channel's {@link Dispatch} writes; counted. Under short-writes a non-blocking one may transfer
     * fewer bytes than it could, or return 0 without a system call ({@link ChannelCompat#writeLimit}); a
     * blocking one never does.
     */
    long write(ByteBuffer src, ByteBuffer[] srcs, int offset, int length, boolean blocking)
            throws IOException {
        long max = Long.MAX_VALUE;
        if (Compat.SHORT_WRITES && !blocking) {
            max = compat.writeLimit(IOUtil.remaining(src, srcs, offset, length, false));
            if (max == 0) {
                return 0;
            }
        }
        return countWritten(srcs == null ? IOUtil.write(fd, src, (int) Math.min(max, Integer.MAX_VALUE), dispatch)
                : IOUtil.write(fd, srcs, offset, length, max, dispatch));
    }

    /** Counts {@code n} bytes read when positive; returns {@code n}. Called with every read's result. */
    long countRead(long n) {
        if (n > 0) {
            counters.read(n);
        }
        return n;
    }

    /** Counts {@code n} bytes written when positive; returns {@code n}. Called with every write's result. */
    long countWritten(long n) {
        if (n > 0) {
            counters.written(n);
        }
        return n;
    }

    /**
     * The step of a blocking operation's loop after each try (the JDK's {@code okayToRetry} then {@code park}):
     * whether a try that returned {@code n}, a count or an {@link IOStatus} code, is tried again. It is after EAGAIN
     * (an fd made non-blocking for a virtual thread or a timed operation) or EINTR while the channel is open, and
     * this first waits until the fd has one of the poll {@code events}.
     */
    boolean awaitRetry(long n, int events) throws IOException {
        return awaitRetry(n, events, 0, 0, null);
    }

    /**
     * {@link #awaitRetry(long, int)} for an operation that waits, when {@code nanos} is positive, at most until
     * {@code nanos} after {@code start} ({@link #timerStart}), and once that has passed throws
     * {@code SocketTimeoutException(timeoutMessage)}.
     */
    boolean awaitRetry(long n, int events, long start, long nanos, String timeoutMessage) throws IOException {
        if (!IOStatus.okayToRetry(n) || !channel.isOpen()) {
            return false;
        }
        park(events, start, nanos, timeoutMessage);
        return true;
    }

    /**
     * Waits until the fd has one of the poll {@code events}, as {@link #awaitRetry(long, int, long, long, String)};
     * callers re-check their state and retry (the JDK's {@code SelChImpl.park}, with the deadline its callers compute).
     */
    void park(int events, long start, long nanos, String timeoutMessage) throws IOException {
        long remaining = 0;
        if (nanos > 0) {
            remaining = nanos - (System.nanoTime() - start);
            if (remaining <= 0) {
                throw new SocketTimeoutException(timeoutMessage);
            }
        }
        Net.park(fd, events, remaining);
    }

    /** The start of an operation that waits at most {@code nanos}: now when that is positive, else unused. */
    static long timerStart(long nanos) {
        return nanos > 0 ? System.nanoTime() : 0;
    }

    /** The fd number (the JDK's {@code getFDVal}). */
    int fdVal() {
        return fd;
    }

    void ensureOpen() throws ClosedChannelException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /**
     * True once {@link #close} started. Unlike {@code isOpen()}, which turns false before the channel's
     * implCloseSelectableChannel runs, this is the JDK channels' {@code state >= ST_CLOSING}.
     */
    boolean isClosing() {
        return state != ST_INUSE;
    }

    /**
     * Records the calling thread as blocked in a read (or connect) or a write; the caller holds stateLock. A
     * virtual thread is recorded as a Thread, and the fd is made non-blocking so that its syscalls return
     * EAGAIN and it parks instead of pinning its carrier (behaviours.md#blocking-io-parks-a-virtual-thread).
     */
    void setThread(boolean reader) {
        Thread t = Thread.currentThread();
        if (VirtualThreads.isVirtual(t)) {
            if (!forcedNonBlocking) {
                // if this fails the operation still works: it blocks the carrier, as before
                forcedNonBlocking = IO.setBlocking(fd, false) == 0;
            }
            if (reader) {
                readerVirtual = t;
            } else {
                writerVirtual = t;
            }
        } else if (reader) {
            readerThread = NativeThread.current();
        } else {
            writerThread = NativeThread.current();
        }
    }

    /** Wakes the thread blocked in a read or in a write, if any (shutdownInput/Output); holds stateLock. */
    void signal(boolean reader) {
        long thread = reader ? readerThread : writerThread;
        if (thread != 0) {
            NativeThread.signal(thread);
        }
        Thread virtual = reader ? readerVirtual : writerVirtual;
        if (virtual != null) {
            LockSupport.unpark(virtual);
        }
    }

    /**
     * The channel's {@code begin()} before an operation in blocking mode; under loop-blocking a report when the
     * thread runs an event loop ({@link ChannelCompat#blockingOperation}).
     */
    void beginBlocking() {
        if (Compat.LOOP_BLOCKING) {
            ChannelCompat.blockingOperation();
        }
        channelBegin.run();
    }

    /**
     * Starts an I/O operation in the given mode; the caller holds the read or write lock and calls
     * {@link #end} in a finally block even when this throws. In blocking mode it calls {@code begin()},
     * then, in both modes, checks that the channel is open and records a blocking caller's thread.
     */
    void begin(boolean reader, boolean blocking) throws ClosedChannelException {
        if (blocking) {
            beginBlocking();
        }
        synchronized (stateLock) {
            ensureOpen();
            if (blocking) {
                setThread(reader);
            }
        }
    }

    /**
     * Ends an I/O operation: forgets the thread, finishes a close that waited for it, and calls
     * {@code end(completed)}, which throws AsynchronousCloseException or ClosedByInterruptException if the
     * channel was closed meanwhile (behaviours.md#interrupt-closes-a-channel-in-blocking-io).
     */
    void end(boolean reader, boolean blocking, boolean completed) throws AsynchronousCloseException {
        if (blocking) {
            synchronized (stateLock) {
                if (reader) {
                    readerThread = 0;
                    readerVirtual = null;
                } else {
                    writerThread = 0;
                    writerVirtual = null;
                }
                if (state == ST_CLOSING) {
                    tryFinishClose();
                }
            }
            channelEnd.end(completed);
        }
    }

    /** The channel's implConfigureBlocking: waits for I/O in progress (behaviours.md#changing-the-blocking-mode). */
    void configureBlocking(boolean block) throws IOException {
        lockBoth();
        try {
            lockedConfigureBlocking(block);
        } finally {
            unlockBoth();
        }
    }

    /**
     * Takes the read lock, then the write lock, for an operation that excludes all I/O (bind, connect, a change
     * of the blocking mode); {@link #unlockBoth} in a finally block releases them.
     */
    void lockBoth() {
        readLock.lock();
        try {
            writeLock.lock();
        } catch (Throwable t) {
            readLock.unlock();
            throw t;
        }
    }

    void unlockBoth() {
        writeLock.unlock();
        readLock.unlock();
    }

    /**
     * Sets the fd's blocking mode while the caller holds an I/O lock; a timed operation of a socket adaptor
     * makes the fd non-blocking for its duration (behaviours.md#socket-adaptor).
     */
    void lockedConfigureBlocking(boolean block) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (!forcedNonBlocking) {
                Errors.check(IO.setBlocking(fd, block));
            }
        }
    }

    /** Restores the blocking mode after a timed operation, unless the channel was closed meanwhile. */
    void tryLockedConfigureBlocking(boolean block) throws IOException {
        synchronized (stateLock) {
            if (channel.isOpen() && !forcedNonBlocking) {
                Errors.check(IO.setBlocking(fd, block));
            }
        }
    }

    /**
     * The channel's implCloseSelectableChannel. In blocking mode it must not wait for the I/O locks (it can
     * run inside Thread.interrupt, behaviours.md#interrupt-closes-a-channel-in-blocking-io); in non-blocking mode it
     * waits for an I/O call in progress (behaviours.md#non-blocking-close-waits-for-io-in-progress).
     */
    void close(boolean blocking) throws IOException {
        counters.closed(kind);
        if (release != null) {
            release.channelClosed();
        }
        Object event = channel.isRegistered() ? Events.begin(Events.CLOSE) : null;
        try {
            closeFd(blocking);
        } finally {
            Events.close(event, kind, fd, state == ST_CLOSED);
            if (afterClose != null) {
                afterClose.run();
            }
        }
    }

    private void closeFd(boolean blocking) throws IOException {
        if (blocking) {
            synchronized (stateLock) {
                state = ST_CLOSING;
                if (!tryClose()) {
                    if (readerThread != 0 || writerThread != 0 || readerVirtual != null || writerVirtual != null) {
                        preClose();
                        signal(true);
                        signal(false);
                    }
                }
            }
        } else {
            synchronized (stateLock) {
                state = ST_CLOSING;
            }
            readLock.lock();
            readLock.unlock();
            writeLock.lock();
            writeLock.unlock();
            synchronized (stateLock) {
                if (state == ST_CLOSING && !tryClose()) {
                    ((NativeChannel) channel).closeDeferred(); // a NativeChannel: see the constructor
                }
            }
        }
    }

    /**
     * Called by a selector after deregistration: finishes a deferred close. Where the running JDK's kill
     * does ({@link #KILL_WAITS_FOR_IO}), it first waits for an I/O call in progress: a non-blocking read or
     * write records no thread, and a key cancelled before a concurrent close can be flushed while close
     * still waits for that call, so without this the fd could be closed (and its number reused) under a
     * syscall still using it. The price, on those JDKs as in this provider, is that a read that blocks while
     * the channel is registered (configureBlocking(true) racing a read, which no thread is recorded for)
     * holds up the selecting thread until the read returns.
     */
    void kill() {
        if (KILL_WAITS_FOR_IO) {
            readLock.lock();
            readLock.unlock();
            writeLock.lock();
            writeLock.unlock();
        }
        synchronized (stateLock) {
            if (state == ST_CLOSING) {
                tryFinishClose();
            }
        }
    }

    private boolean tryClose() throws IOException {
        if (readerThread == 0 && writerThread == 0 && readerVirtual == null && writerVirtual == null
                && !channel.isRegistered()) {
            state = ST_CLOSED;
            counters.fdClosed();
            Errors.check(closeOnce());
            return true;
        }
        return false;
    }

    /** The close(2) of the fd: through {@link Release} when a Cleaner watches the channel, which it then stops. */
    private int closeOnce() {
        if (release == null) {
            return IO.close(fd);
        }
        int rc = release.close();
        cleanable.clean(); // unregisters; the Release it runs finds the fd closed
        return rc;
    }

    private void tryFinishClose() {
        try {
            tryClose();
        } catch (IOException ignore) {
            // as the JDK: the fd is released by close(2) whatever it returns
        }
    }

    /** dup2's the dead socket onto the fd so that a thread about to block on it returns at once. */
    private void preClose() throws IOException {
        Errors.check(IO.dup2(deadSocket, fd));
    }

    private static synchronized void makeDeadSocket() throws IOException {
        if (deadSocket < 0) {
            deadSocket = Errors.check(IO.deadSocket());
        }
    }

    /** JDK 23 and later, and 21 from update 6, where the JDK's fix was backported; not 17 (17.0.15 checked). */
    private static boolean killWaitsForIo(Runtime.Version v) {
        return v.feature() >= 23 || v.feature() == 21 && v.update() >= 6;
    }

    /**
     * Closes a channel's fd exactly once: when the channel's close releases the fd, or, if the channel becomes
     * unreachable first, when the Cleaner runs this. Whichever comes second does nothing, so an fd number is
     * never closed twice, nor after it was reused. Refers to no channel, which would stay reachable through it.
     */
    private static final class Release implements Runnable {
        /**
         * The Cleaner: held strongly while it watches a channel, weakly otherwise, so that its daemon thread ends
         * once no channel is left to watch and does not keep nativenio's class loader alive for good (the
         * thread's context refers to it). The next channel to watch then makes a new one. Guarded by the class.
         */
        private static WeakReference<Cleaner> cleaner = new WeakReference<>(null);
        private static Cleaner watching;
        private static int watched;

        private static final int OPEN = 0;
        private static final int CHANNEL_CLOSED = 1;
        private static final int FD_CLOSED = 2;
        private static final VarHandle STATE = VarHandles.of(MethodHandles.lookup(), "state", int.class);

        private final int fd;
        private final Counters counters;
        private final int kind;
        /** Where the channel was opened, under the leak detector; else null. */
        private final Throwable opened;
        @SuppressWarnings("unused") // through STATE
        private volatile int state;

        Release(int fd, Counters counters, int kind, Throwable opened) {
            this.fd = fd;
            this.counters = counters;
            this.kind = kind;
            this.opened = opened;
        }

        /** Has the Cleaner close {@code release} once {@code channel} is unreachable. */
        static synchronized Cleaner.Cleanable watch(SelectableChannel channel, Release release) {
            Cleaner c = cleaner.get();
            if (c == null) {
                c = Cleaner.create(r -> new Thread(null, r, "nativenio-cleaner", 0, false));
                cleaner = new WeakReference<>(c);
            }
            Cleaner.Cleanable registered = c.register(channel, release);
            watching = c;
            watched++;
            return registered;
        }

        private static synchronized void unwatch() {
            if (--watched == 0) {
                watching = null;
            }
        }

        /** The channel's close began: its fd may still wait for a selector, but it is no leak. */
        void channelClosed() {
            STATE.compareAndSet(this, OPEN, CHANNEL_CLOSED);
        }

        /** Closes the fd unless that was done; returns close(2)'s result, or 0. */
        int close() {
            if ((int) STATE.getAndSet(this, FD_CLOSED) == FD_CLOSED) {
                return 0;
            }
            unwatch();
            return IO.close(fd);
        }

        /** The Cleaner's action: the channel is unreachable. */
        @Override
        public void run() {
            int was = (int) STATE.getAndSet(this, FD_CLOSED);
            if (was == FD_CLOSED) {
                return;
            }
            try {
                if (was == OPEN && opened != null) {
                    Reports.report(Compat.Option.LEAKS.key(), "a channel became unreachable without being closed; "
                            + "its fd " + fd + " is closed now", opened);
                }
            } finally {
                unwatch();
                IO.close(fd);
                counters.fdClosed();
                if (was == OPEN) {
                    counters.closed(kind);
                }
            }
        }
    }
}
