package io.nativenio.observe;

/**
 * What this copy of nativenio may use for observability: the optional modules jdk.jfr and java.management
 * (the module {@code requires static} them, so it also runs on a runtime built without them), and whether
 * it may hand objects to the JVM's registries.
 */
final class Support {
    /** jdk.jfr is in the runtime and readable: the event classes can be loaded. */
    static final boolean JFR = readable("jdk.jfr");

    /** java.management is in the runtime and readable: the MXBean can be registered. */
    static final boolean JMX = readable("java.management");

    /**
     * Whether nativenio's classes live as long as the JVM (loaded from the class path or the module path).
     * The platform MBeanServer and JFR's listener list keep what is registered with them for good, and with
     * it the class loader: a copy of nativenio in a loader that can be discarded (a web application's)
     * registers nothing, so that the loader can still be unloaded.
     */
    static final boolean JVM_LIFETIME = jvmLifetime(Support.class.getClassLoader());

    /**
     * {@code -Dnativenio.mxbean=true}: publish the MXBean. Off by default: starting the platform MBeanServer where
     * nothing else did costs tens of MiB of resident memory, which the JDK's provider does not.
     */
    static final boolean MXBEAN = JMX && JVM_LIFETIME && "true".equals(property("nativenio.mxbean"));

    private Support() {
    }

    private static String property(String name) {
        try {
            return System.getProperty(name);
        } catch (SecurityException e) {
            return null;
        }
    }

    private static boolean readable(String name) {
        Module self = Support.class.getModule();
        return ModuleLayer.boot().findModule(name).map(self::canRead).orElse(false);
    }

    private static boolean jvmLifetime(ClassLoader loader) {
        if (loader == null) {
            return true;
        }
        try {
            for (ClassLoader l = ClassLoader.getSystemClassLoader(); l != null; l = l.getParent()) {
                if (l == loader) {
                    return true;
                }
            }
        } catch (SecurityException e) {
            // a SecurityManager that hides the loaders: take the loader for a discardable one
        }
        return false;
    }
}
