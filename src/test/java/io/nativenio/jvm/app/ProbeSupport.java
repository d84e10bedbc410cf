package io.nativenio.jvm.app;

import java.nio.channels.spi.SelectorProvider;
import java.util.Arrays;
import java.util.Map;

/** What the differential probes share: the provider named on their command line, and result lines. */
final class ProbeSupport {
    private ProbeSupport() {
    }

    interface Op {
        Object run() throws Exception;
    }

    /**
     * {@code jdk}: the JDK's own provider (the JVM runs with --add-exports java.base/sun.nio.ch); anything
     * else: a new NativeSelectorProvider.
     */
    static SelectorProvider provider(String name) throws ReflectiveOperationException {
        return name.equals("jdk")
                ? (SelectorProvider) Class.forName("sun.nio.ch.DefaultSelectorProvider").getMethod("get").invoke(null)
                : (SelectorProvider) Class.forName("io.nativenio.NativeSelectorProvider").getConstructor().newInstance();
    }

    /** One case of a probe, run on the provider under test. */
    interface Case {
        void run(SelectorProvider p) throws Exception;
    }

    /** Runs on the provider {@code args[0]} names the cases the other arguments name, in their order. */
    static void runCases(String[] args, Map<String, Case> cases) throws Exception {
        SelectorProvider p = provider(args[0]);
        for (String name : Arrays.asList(args).subList(1, args.length)) {
            Case c = cases.get(name);
            if (c == null) {
                throw new IllegalArgumentException(name);
            }
            c.run(p);
        }
    }

    /** What {@code op} returned, or the class and message of what it threw. */
    static String result(Op op) {
        try {
            return String.valueOf(op.run());
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
