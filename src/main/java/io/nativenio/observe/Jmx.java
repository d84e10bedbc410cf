package io.nativenio.observe;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/** The one class that names java.management: loaded only where {@link Support#JMX} holds. */
final class Jmx {
    private Jmx() {
    }

    /**
     * Registers {@code counters} on the platform MBeanServer; false if that failed, which costs the MXBean,
     * never the channel being opened.
     */
    static boolean register(Counters counters) {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(counters, new ObjectName(counters.objectName()));
            return true;
        } catch (JMException | RuntimeException e) {
            System.getLogger("io.nativenio").log(Level.DEBUG, "nativenio: MXBean " + counters.objectName()
                    + " not registered", e);
            return false;
        }
    }
}
