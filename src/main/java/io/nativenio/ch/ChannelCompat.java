package io.nativenio.ch;

import io.nativenio.compat.Compat;
import io.nativenio.compat.Dice;
import io.nativenio.compat.EventLoops;
import io.nativenio.compat.Reports;
import java.net.SocketException;

/**
 * One channel's part in the compatibility-testing mode (docs/testing.md#perturbations-of-channels): the
 * seeded decisions behind short reads, short writes and deferred connects, made only when the mode is on. A
 * channel's reads and its writes can run on two threads at once, so each has its own stream of decisions,
 * used under the lock that serializes them; connects run under both locks and have a third.
 */
final class ChannelCompat {
    /**
     * The SO_SNDBUF and SO_RCVBUF that small-buffers asks for (Linux doubles both for its bookkeeping). The receive
     * buffer is not smaller: below 16 KiB, a window smaller than loopback's 64 KiB segments makes TCP wait for its
     * persist timer again and again (1 MiB over loopback took 20 s with 4 KiB, 0.2 s with 16 KiB).
     */
    static final int SMALL_SEND_BUFFER = 4096;
    static final int SMALL_RECEIVE_BUFFER = 16384;

    /** How many calls of finishConnect at most return false on a connection the kernel has established. */
    static final int MAX_FALSE_FINISHES = 3;

    private static final String SHORT_READS = Compat.Option.SHORT_READS.key();
    private static final String SHORT_WRITES = Compat.Option.SHORT_WRITES.key();
    private static final String DEFERRED_CONNECT = Compat.Option.DEFERRED_CONNECT.key();

    private final Dice reads;
    private final Dice writes;
    private final Dice connects;

    // Whether the last read or write returned 0 without a system call; under the read or the write lock.
    private boolean readSkipped;
    private boolean writeSkipped;

    // Calls of finishConnect still to return false on an established connection; under both I/O locks.
    private int falseFinishes;

    /** The decisions of the channel {@code identity} ({@link Compat#nextChannel()}). */
    ChannelCompat(long identity) {
        this.reads = new Dice(identity, 0);
        this.writes = new Dice(identity, 1);
        this.connects = new Dice(identity, 2);
    }

    /**
     * The most bytes a read of {@code remaining} may transfer: {@code remaining}, or under short-reads fewer,
     * at least 1 in blocking mode. In non-blocking mode it may be 0: the caller then returns 0 without a system
     * call, but never twice in a row, so a loop of reads always progresses and meets end-of-stream.
     */
    long readLimit(long remaining, boolean blocking) {
        long max = limit(reads, remaining, blocking || readSkipped ? 1 : 0);
        readSkipped = max == 0;
        if (max < remaining) {
            Reports.perturbed(SHORT_READS, "a read of " + remaining + " bytes limited to " + max);
        }
        return max;
    }

    /**
     * The most bytes a non-blocking write of {@code remaining} may transfer: {@code remaining}, or under
     * short-writes fewer, possibly 0 (returned without a system call, never twice in a row).
     */
    long writeLimit(long remaining) {
        long max = limit(writes, remaining, writeSkipped ? 1 : 0);
        writeSkipped = max == 0;
        if (max < remaining) {
            Reports.perturbed(SHORT_WRITES, "a non-blocking write of " + remaining + " bytes limited to " + max);
        }
        return max;
    }

    /** {@code remaining}, or when the dice say so a number in [{@code least}, {@code remaining}). */
    private static long limit(Dice dice, long remaining, long least) {
        if (remaining <= least || !dice.roll()) {
            return remaining;
        }
        return least + dice.below((int) Math.min(remaining - least, Integer.MAX_VALUE));
    }

    /**
     * A non-blocking connect was started: whether it is deferred, that is reported pending even if the kernel
     * established the connection at once, and then found still pending by the next 0 to
     * {@link #MAX_FALSE_FINISHES} calls of finishConnect that see it established.
     */
    boolean deferConnect() {
        if (!connects.roll()) {
            falseFinishes = 0;
            return false;
        }
        falseFinishes = connects.below(MAX_FALSE_FINISHES + 1);
        Reports.perturbed(DEFERRED_CONNECT, "a connect deferred past " + falseFinishes + " calls of finishConnect");
        return true;
    }

    /** A non-blocking finishConnect found the connection established: whether it returns false all the same. */
    boolean deferFinish() {
        if (falseFinishes == 0) {
            return false;
        }
        falseFinishes--;
        return true;
    }

    /**
     * small-buffers: asks for small send and receive buffers on a stream socket just opened or accepted, so
     * that partial reads and writes happen in the kernel too. Best effort: a refusal leaves the defaults. A
     * program that sets the options itself later has its way.
     */
    static void smallBuffers(int fd) {
        try {
            Net.setIntOption(fd, Net.SOL_SOCKET, Net.SO_SNDBUF, SMALL_SEND_BUFFER);
            Net.setIntOption(fd, Net.SOL_SOCKET, Net.SO_RCVBUF, SMALL_RECEIVE_BUFFER);
        } catch (SocketException ignore) {
            // the socket keeps the kernel's sizes
        }
    }

    /**
     * loop-blocking: a channel operation in blocking mode is about to start; reported (once per call site) if
     * the current thread runs an event loop, whose other channels wait while it blocks.
     */
    static void blockingOperation() {
        if (EventLoops.onEventLoop()) {
            Reports.report(Compat.Option.LOOP_BLOCKING.key(), "a channel operation in blocking mode on a thread that "
                    + "runs an event loop: every channel of its selector waits while it blocks",
                    new Throwable("the blocking operation"));
        }
    }
}
