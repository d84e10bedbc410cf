package io.nativenio.jvm.app;

import java.nio.channels.spi.SelectorProvider;

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

    /** What {@code op} returned, or the class and message of what it threw. */
    static String result(Op op) {
        try {
            return String.valueOf(op.run());
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
