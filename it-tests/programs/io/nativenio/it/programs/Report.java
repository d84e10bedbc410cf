package io.nativenio.it.programs;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every program prints, one line each, for the test to check:
 * <pre>
 * IT provider CLASS               SelectorProvider.provider()
 * IT channel ROLE CLASS           a selector or channel the framework really used, found from its objects
 * IT result KEY VALUE             counts and checksums of the traffic
 * IT ok                           the program checked its traffic and finished
 * </pre>
 * The frameworks are not changed: the objects are read through their public API where it shows them, by
 * reflection on the class path otherwise, and by {@code sun.misc.Unsafe} for the JDK's own (module-private)
 * fields, so the JVM runs with no flag but the provider's system property.
 */
public final class Report {
    private Report() {}

    private static synchronized void line(String s) {
        System.out.println("IT " + s);
        System.out.flush();
    }

    /** Prints the provider and starts a watchdog that dumps all threads and exits 3 after {@code seconds}. */
    public static void start(String program, int seconds) {
        // An exception out of main ends the JVM at once (frameworks' non-daemon threads would keep it up).
        Thread.currentThread().setUncaughtExceptionHandler((th, e) -> {
            e.printStackTrace();
            line("fail uncaught " + e);
            Runtime.getRuntime().halt(1);
        });
        line("program " + program + " java=" + System.getProperty("java.version"));
        line("provider " + SelectorProvider.provider().getClass().getName());
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("IT watchdog: " + program + " still running after " + seconds + " s; threads:");
            for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                System.out.println("\"" + e.getKey().getName() + "\" " + e.getKey().getState());
                for (StackTraceElement f : e.getValue()) System.out.println("    at " + f);
            }
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }, "it-watchdog");
        t.setDaemon(true);
        t.start();
    }

    /** Records the class of a selector or channel the program really used under {@code role}. */
    public static void channel(String role, Object o) {
        line("channel " + role + " " + (o == null ? "null" : o.getClass().getName()));
    }

    /** Records a class name seen under {@code role}. */
    public static void channelClass(String role, String className) {
        line("channel " + role + " " + className);
    }

    /** Records a selector and the distinct classes of the channels registered with it now. */
    public static void selector(String role, Selector sel) {
        channel(role + ".selector", sel);
        Set<String> classes = new TreeSet<>();
        try {
            for (SelectionKey k : sel.keys()) classes.add(k.channel().getClass().getName());
        } catch (java.nio.channels.ClosedSelectorException e) {
            return;
        }
        int i = 0;
        for (String c : classes) line("channel " + role + ".registered" + (i++) + " " + c);
    }

    // ---- sampling the selectors of a framework while traffic runs ----

    private static final Map<String, java.util.function.Supplier<java.util.Collection<Selector>>> SAMPLED =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, Set<String>> SEEN = new java.util.concurrent.ConcurrentHashMap<>();
    private static Thread sampler;

    /**
     * Samples, every 10 ms until {@link #printSamples()}, the classes of the selectors given by
     * {@code selectors} and of every channel registered with them: what the framework really used.
     */
    public static synchronized void sample(String role,
                                           java.util.function.Supplier<java.util.Collection<Selector>> selectors) {
        SAMPLED.put(role, selectors);
        sampleOnce();
        if (sampler == null) {
            sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    sampleOnce();
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "it-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }
    }

    private static void sampleOnce() {
        for (Map.Entry<String, java.util.function.Supplier<java.util.Collection<Selector>>> e : SAMPLED.entrySet()) {
            Set<String> seen = SEEN.computeIfAbsent(e.getKey(), k -> new java.util.concurrent.ConcurrentSkipListSet<>());
            try {
                for (Selector sel : e.getValue().get()) {
                    if (sel == null) continue;
                    seen.add("selector " + sel.getClass().getName());
                    for (Object k : sel.keys().toArray()) {
                        seen.add("registered " + ((SelectionKey) k).channel().getClass().getName());
                    }
                }
            } catch (RuntimeException ignored) {
                // a key set changing under us: take the next sample
            }
        }
    }

    /** Stops sampling and prints what was seen, as channel lines ROLE.selectorN and ROLE.registeredN. */
    public static synchronized void printSamples() {
        sampleOnce();
        if (sampler != null) sampler.interrupt();
        for (Map.Entry<String, Set<String>> e : new java.util.TreeMap<>(SEEN).entrySet()) {
            int s = 0, r = 0;
            for (String v : e.getValue()) {
                String[] f = v.split(" ", 2);
                if (f[0].equals("selector")) line("channel " + e.getKey() + ".selector" + (s++) + " " + f[1]);
                else line("channel " + e.getKey() + ".registered" + (r++) + " " + f[1]);
            }
        }
        SAMPLED.clear();
        SEEN.clear();
    }

    /** The selectors a channel is registered with now (read from AbstractSelectableChannel's key array). */
    public static java.util.List<Selector> selectorsOf(java.nio.channels.SelectableChannel ch) {
        java.util.List<Selector> l = new java.util.ArrayList<>();
        Object keys = path(ch, "keys");
        if (keys instanceof SelectionKey[]) {
            for (SelectionKey k : (SelectionKey[]) keys) if (k != null) l.add(k.selector());
        }
        return l;
    }

    public static void result(String key, Object value) {
        line("result " + key + " " + value);
    }

    /** The program checked everything: prints "IT ok" and exits 0 (whatever threads are left). */
    public static void ok() {
        line("ok");
        System.exit(0);
    }

    public static void fail(String why) {
        line("fail " + why);
        System.out.flush();
        System.exit(1);
    }

    public static void check(boolean cond, String what) {
        if (!cond) fail(what);
    }

    /** Waits up to {@code seconds} for every future; the first that failed fails the program with {@code what}. */
    public static void awaitAll(java.util.Collection<? extends java.util.concurrent.CompletableFuture<?>> all,
            long seconds, String what) throws Exception {
        try {
            java.util.concurrent.CompletableFuture.allOf(all.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
                    .get(seconds, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            e.getCause().printStackTrace();
            fail(what + ": " + e.getCause());
        }
    }

    // ---- reading objects of frameworks and of the JDK ----

    /** A declared field of the object's class or a superclass, by reflection (class path) or Unsafe (JDK). */
    public static Object field(Object o, String name) {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            Field f;
            try {
                f = c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                continue;
            }
            try {
                f.setAccessible(true);
                return f.get(o);
            } catch (RuntimeException | IllegalAccessException e) {
                return unsafeGet(o, f);
            }
        }
        throw new IllegalArgumentException("no field " + name + " in " + o.getClass().getName());
    }

    /** Follows a path of field names. */
    public static Object path(Object o, String... names) {
        for (String n : names) o = field(o, n);
        return o;
    }

    /** Calls a no-argument method declared in the object's class or a superclass (class path only). */
    public static Object call(Object o, String name) {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod(name);
                m.setAccessible(true);
                return m.invoke(o);
            } catch (NoSuchMethodException e) {
                // next superclass
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException("no method " + name + "() in " + o.getClass().getName());
    }

    @SuppressWarnings("removal")
    private static Object unsafeGet(Object o, Field f) {
        try {
            Field uf = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            uf.setAccessible(true);
            sun.misc.Unsafe u = (sun.misc.Unsafe) uf.get(null);
            return u.getObject(o, u.objectFieldOffset(f));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- content ----

    public static String sha256(byte[] b) {
        return sha256(b, 0, b.length);
    }

    public static String sha256(byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, off, len);
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deterministic pseudo-random content, so both ends can check it without sending a checksum. */
    public static byte[] content(long seed, int size) {
        byte[] b = new byte[size];
        new java.util.SplittableRandom(seed).nextBytes(b);
        return b;
    }
}
