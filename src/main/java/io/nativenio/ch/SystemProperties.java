package io.nativenio.ch;

import java.security.AccessController;
import java.security.PrivilegedAction;

/** System and security properties read with the provider's own permissions
 * (behaviours.md#securitymanager-checks-on-jdk-17). */
final class SystemProperties {
    private SystemProperties() {
    }

    @SuppressWarnings("removal")
    static String get(String name) {
        return AccessController.doPrivileged((PrivilegedAction<String>) () -> System.getProperty(name));
    }

    /** The system property, or else the security property (java.security) of that name, or null. */
    @SuppressWarnings("removal")
    static String getOrSecurity(String name) {
        return AccessController.doPrivileged((PrivilegedAction<String>) () -> {
            String s = System.getProperty(name);
            return s != null ? s : java.security.Security.getProperty(name);
        });
    }
}
