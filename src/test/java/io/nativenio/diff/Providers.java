package io.nativenio.diff;

import io.nativenio.NativeSelectorProvider;
import io.nativenio.ch.SplitEventProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The differential harness: every {@link DiffTest} body runs once on the JDK's own provider (the oracle,
 * reached through {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}) and once on nativenio's, with
 * the same assertions. Also the few helpers the test classes share.
 */
public final class Providers {
    private static final SelectorProvider JDK = jdkProvider();
    private static final Path PROC_FDS = Path.of("/proc/self/fd");
    private static volatile SelectorProvider nativenio;
    private static final SelectorProvider SPLIT_EVENTS = new SplitEventProvider();

    private Providers() {
    }

    /**
     * {@code sun.nio.ch.DefaultSelectorProvider.get()}, reflectively: the test JVM runs with
     * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}, but javac compiles the tests patched into
     * module io.nativenio, which cannot see sun.nio.ch.
     */
    private static SelectorProvider jdkProvider() {
        try {
            return (SelectorProvider) Class.forName("sun.nio.ch.DefaultSelectorProvider").getMethod("get").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Identity hash codes of the monitors {@code t} holds, from ThreadMXBean.getThreadInfo(ids, true, false)
     * .getLockedMonitors(); reflective because module io.nativenio, into which javac patches the tests, does
     * not read java.management (the test JVM runs on the class path, where it is readable).
     */
    public static int[] lockedMonitors(Thread t) {
        try {
            Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Object[] infos = (Object[]) Class.forName("java.lang.management.ThreadMXBean")
                    .getMethod("getThreadInfo", long[].class, boolean.class, boolean.class)
                    .invoke(mx, new long[] {t.getId()}, true, false);
            Object[] monitors = (Object[]) Class.forName("java.lang.management.ThreadInfo")
                    .getMethod("getLockedMonitors").invoke(infos[0]);
            java.lang.reflect.Method hash = Class.forName("java.lang.management.LockInfo").getMethod("getIdentityHashCode");
            int[] r = new int[monitors.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = (int) hash.invoke(monitors[i]);
            }
            return r;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    public static SelectorProvider jdk() {
        return JDK;
    }

    public static SelectorProvider nativenio() {
        SelectorProvider p = nativenio;
        if (p == null) {
            synchronized (Providers.class) {
                p = nativenio;
                if (p == null) {
                    nativenio = p = new NativeSelectorProvider();
                }
            }
        }
        return p;
    }

    /** The arguments of every differential test: "jdk" and "nativenio". */
    public static Stream<Arguments> all() {
        return Stream.of(Arguments.of(Named.of("jdk", jdk())), Arguments.of(Named.of("nativenio", nativenio())));
    }

    /** The arguments of every {@link SelectorDiffTest}: "jdk", "nativenio" and "nativenio-split-events". */
    public static Stream<Arguments> selecting() {
        return Stream.concat(all(), Stream.of(Arguments.of(Named.of("nativenio-split-events", SPLIT_EVENTS))));
    }

    /** The provider that is not {@code p}, for cross-provider checks (behaviours.md#foreign-channels-are-refused). */
    public static SelectorProvider other(SelectorProvider p) {
        return p == jdk() ? nativenio() : jdk();
    }

    /** Every supported option of {@code ch} with its value, by name (sorted, so that a difference reads easily). */
    public static Map<String, Object> optionValues(NetworkChannel ch) throws IOException {
        Map<String, Object> m = new TreeMap<>();
        for (SocketOption<?> o : ch.supportedOptions()) {
            m.put(o.name(), ch.getOption(o));
        }
        return m;
    }

    /** Number of open file descriptors of this process (Linux lists them in /proc/self/fd, macOS and FreeBSD in /dev/fd). */
    public static int fdCount() {
        Path dir = Files.isDirectory(PROC_FDS) ? PROC_FDS : Path.of("/dev/fd");
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fd count without short-lived fds of other threads of the test JVM (Surefire's fork, for one,
     * briefly opens /proc files to watch its parent): the least of a few samples.
     */
    public static int stableFdCount() throws InterruptedException {
        int min = fdCount();
        for (int i = 0; i < 4; i++) {
            Thread.sleep(5);
            min = Math.min(min, fdCount());
        }
        return min;
    }

    /**
     * Asserts that the fd count is {@code expected}, sampling for up to 1 s so that a short-lived fd of
     * another thread cannot fail it (a wrong count that persists still fails).
     */
    public static void assertFdCount(int expected, String message) throws InterruptedException {
        long deadline = System.nanoTime() + 1_000_000_000L;
        int now;
        while ((now = fdCount()) != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (now != expected) {
            throw new AssertionError(message + ": expected " + expected + " open fds, found " + now);
        }
    }

    /**
     * Waits (up to 10 s) until {@code t} waits for a lock or a condition (state BLOCKED, WAITING or
     * TIMED_WAITING): it has reached the point where it must wait for another thread.
     */
    public static void awaitWaiting(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            Thread.State state = t.getState();
            if (state == Thread.State.BLOCKED || state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                return;
            }
            if (state == Thread.State.TERMINATED) {
                throw new AssertionError(t.getName() + " ended instead of waiting");
            }
            Thread.sleep(5);
        }
        throw new AssertionError(t.getName() + " did not wait (state " + t.getState() + ")");
    }

    /**
     * Waits (up to 10 s) until {@code t} runs a native method below a frame whose method name is one of
     * {@code methods} (e.g. "select", "read"), i.e. it is about to block or blocked in the kernel. Then
     * waits a little more so that it very likely entered the syscall; the tests are correct either way.
     */
    public static void awaitBlockedIn(Thread t, String... methods) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!t.isAlive()) {
                throw new AssertionError(t.getName() + " ended instead of blocking");
            }
            StackTraceElement[] st = t.getStackTrace();
            if (st.length > 0 && st[0].isNativeMethod()
                    && Arrays.stream(st).anyMatch(e -> Arrays.asList(methods).contains(e.getMethodName()))) {
                Thread.sleep(50);
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError(t.getName() + " did not block in " + Arrays.toString(methods));
    }
}
