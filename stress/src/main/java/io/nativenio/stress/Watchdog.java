package io.nativenio.stress;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Hang detection. Each participant (a worker thread, or the check's own thread) beats after every
 * operation; when one has not beaten for the hang time while the check runs, the watchdog prints a
 * thread dump with lock information, the check's FAILED line and the summary, and halts the JVM: a hung
 * thread cannot be taken back, and the next check would only hang on it too.
 */
final class Watchdog implements AutoCloseable {
    private final String check;
    private final String provider;
    private final Results results;
    private final long hangNanos;
    private final AtomicLongArray beats;
    private final Thread thread;
    private volatile boolean closed;

    Watchdog(String check, String provider, Results results, int participants, int hangSeconds) {
        this.check = check;
        this.provider = provider;
        this.results = results;
        this.hangNanos = hangSeconds * 1_000_000_000L;
        this.beats = new AtomicLongArray(participants);
        long now = System.nanoTime();
        for (int i = 0; i < participants; i++) {
            beats.set(i, now);
        }
        thread = new Thread(this::watch, "stress-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    void beat(int participant) {
        beats.lazySet(participant, System.nanoTime());
    }

    /** Marks a participant as finished: it is no longer watched. */
    void done(int participant) {
        beats.set(participant, Long.MAX_VALUE);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    private void watch() {
        while (!closed) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (int i = 0; i < beats.length(); i++) {
                long last = beats.get(i);
                if (last != Long.MAX_VALUE && now - last > hangNanos && !closed) {
                    hang(i, (now - last) / 1_000_000_000L);
                }
            }
        }
    }

    private void hang(int participant, long seconds) {
        System.out.println("stress: " + check + " on " + provider + ": participant " + participant
                + " made no progress for " + seconds + " s; thread dump:");
        System.out.println(threadDump());
        results.fail(check, provider, "hang: participant " + participant + " made no progress for " + seconds
                + " s (thread dump above)");
        results.printSummary();
        Runtime.getRuntime().halt(1);
    }

    /** Every platform thread with its full stack, held monitors and synchronizers, and what it waits for;
     *  on JDK 21+ the virtual threads too (HotSpotDiagnosticMXBean.dumpThreads). */
    static String threadDump() {
        StringBuilder sb = new StringBuilder();
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            sb.append('"').append(t.getThreadName()).append("\" id=").append(t.getThreadId()).append(' ')
                    .append(t.getThreadState());
            if (t.getLockName() != null) {
                sb.append(" on ").append(t.getLockName());
            }
            if (t.getLockOwnerName() != null) {
                sb.append(" owned by \"").append(t.getLockOwnerName()).append("\" id=").append(t.getLockOwnerId());
            }
            sb.append('\n');
            StackTraceElement[] stack = t.getStackTrace();
            for (int i = 0; i < stack.length; i++) {
                sb.append("\tat ").append(stack[i]).append('\n');
                for (MonitorInfo m : t.getLockedMonitors()) {
                    if (m.getLockedStackDepth() == i) {
                        sb.append("\t- locked ").append(m).append('\n');
                    }
                }
            }
            for (LockInfo l : t.getLockedSynchronizers()) {
                sb.append("\t- holds ").append(l).append('\n');
            }
            sb.append('\n');
        }
        sb.append(virtualThreads());
        return sb.toString();
    }

    private static String virtualThreads() {
        if (Runtime.version().feature() < 21) {
            return "";
        }
        try {
            Class<?> bean = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<?> format = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Method dump = bean.getMethod("dumpThreads", String.class, format);
            Path file = Files.createTempDirectory("stress-dump").resolve("threads.txt");
            Object textFormat = format.getField("TEXT_PLAIN").get(null);
            dump.invoke(ManagementFactory.getPlatformMXBean(bean.asSubclass(java.lang.management.PlatformManagedObject.class)),
                    file.toString(), textFormat);
            return "all threads, virtual ones included:\n" + Files.readString(file);
        } catch (Exception e) {
            return "(no virtual-thread dump: " + e + ")\n";
        }
    }
}
