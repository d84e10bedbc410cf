package io.nativenio.compat;

import io.nativenio.observe.Events;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the detectors of the compatibility-testing mode found: logged through {@code System.Logger}
 * ({@code io.nativenio}, WARNING) the first time for each kind and call site, with the stack; counted every
 * time, and the counts printed on standard error when the JVM exits (not logged: the JDK's logging shuts down
 * in a shutdown hook of its own, which may run first); and one JFR event each time a recording is on
 * ({@code io.nativenio.Compat}, see the observability docs).
 */
public final class Reports {
    /**
     * nativenio's own packages: a call site is the first frame outside them and the JDK. A list rather than a
     * prefix, so that programs under io.nativenio (the project's own test programs) have call sites too.
     */
    static final Set<String> OWN_PACKAGES = Set.of("io.nativenio", "io.nativenio.ch", "io.nativenio.compat",
            "io.nativenio.epoll", "io.nativenio.iouring", "io.nativenio.kqueue", "io.nativenio.observe",
            "io.nativenio.selfcheck");

    private static final Logger LOG = System.getLogger("io.nativenio");
    private static final Map<String, AtomicLong> SITES = new ConcurrentHashMap<>();

    static {
        if (Compat.ON) {
            Runtime.getRuntime().addShutdownHook(new Thread(Reports::logCounts, "nativenio-compat-report"));
        }
    }

    private Reports() {
    }

    /**
     * Reports a finding of {@code kind} (an {@link Compat.Option#key()}) with the stack {@code where} (where
     * the misuse happened, or for a leak where the channel was opened). The call site is the first frame of
     * {@code where} outside nativenio and the JDK's own modules.
     */
    public static void report(String kind, String message, Throwable where) {
        String site = kind + " at " + callSite(where.getStackTrace());
        Events.compat(kind, message);
        if (SITES.computeIfAbsent(site, s -> new AtomicLong()).getAndIncrement() == 0) {
            LOG.log(Level.WARNING, "nativenio " + kind + ": " + message, where);
        }
    }

    /** Records a perturbation of {@code kind} as a JFR event when a recording is on; nothing else. */
    public static void perturbed(String kind, String what) {
        Events.compat(kind, what);
    }

    /** The number of reports of each call site so far (for tests and the exit log). */
    public static Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<>();
        SITES.forEach((site, n) -> m.put(site, n.get()));
        return m;
    }

    static String callSite(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            String module = e.getModuleName();
            boolean jdk = module != null && (module.startsWith("java.") || module.startsWith("jdk."));
            if (!jdk && !OWN_PACKAGES.contains(packageOf(e.getClassName()))) {
                return e.toString();
            }
        }
        return stack.length == 0 ? "unknown" : stack[stack.length - 1].toString();
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    private static void logCounts() {
        Map<String, Long> counts = counts();
        if (!counts.isEmpty()) {
            StringBuilder sb = new StringBuilder("nativenio compatibility-testing mode, reports by call site:");
            counts.forEach((site, n) -> sb.append("\n  ").append(n).append(" x ").append(site));
            System.err.println(sb);
        }
    }
}
