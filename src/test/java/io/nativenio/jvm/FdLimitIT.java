package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.jvm.app.FdLimitProbe;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full fd table (EMFILE) fails the channels opened meanwhile with the JDK's IOException and leaves
 * nothing broken: once fds are free again every kind of channel works. The probe runs with a limit of 256
 * fds. The control is the JDK's provider after its first channel: before it, the JDK's own static
 * initialisers (the pre-close socketpair of its dispatcher, libextnet) fail at the limit and break its
 * channel classes for the JVM's life, which nativenio must not copy.
 */
class FdLimitIT {
    private static final String TOO_MANY = "Too many open files";

    @TempDir
    Path dir;

    private ChildJvm.Result probe(String provider, String order) throws Exception {
        return program(dir, FdLimitProbe.class).launcher("prlimit", "--nofile=256", "--")
                .run(provider + "-" + order, provider, order);
    }

    /** The JDK's provider once it made each kind of channel, and nativenio's in the same state: the same lines. */
    @Test
    void afterAFirstChannelEveryResultIsTheJdks() throws Exception {
        ChildJvm.Result jdk = probe("jdk", "warm");
        assertEquals("java.io.IOException: " + TOO_MANY, jdk.value("free0.pipe"), jdk.describe());
        assertEquals("ok", jdk.value("after"), jdk.describe());
        ChildJvm.Result ours = probe("nativenio", "warm");
        assertEquals(jdk.stdout(), ours.stdout(), ours.describe());
    }

    /**
     * nativenio's first channels opened at the limit: with no fd free each fails as the JDK's does; with one
     * or two free, an open may also fail with "Too many open files" (the first channel makes the pre-close
     * fd), never with an Error; afterwards everything works, IPv6 and the socket options included.
     */
    @Test
    void firstChannelsAtTheLimitFailWithIOExceptionAndLeaveNothingBroken() throws Exception {
        ChildJvm.Result jdk = probe("jdk", "warm");
        ChildJvm.Result ours = probe("nativenio", "provider-first");
        assertEquals("ok", ours.value("provider"), ours.describe());
        for (String line : ours.stdout().lines().toList()) {
            String key = line.substring(0, line.indexOf('='));
            String value = ours.value(key);
            if (key.startsWith("free0.") || key.startsWith("after")) {
                assertEquals(jdk.value(key), value, key + "\n" + ours.describe());
            } else if (key.startsWith("free")) {
                assertTrue(value.equals("ok") || value.endsWith("Exception: " + TOO_MANY), key + "\n" + ours.describe());
            }
        }
    }

    /**
     * The provider made at the limit fails (its library cannot be extracted) and a provider made later works.
     * The probe initialises the JDK's security providers first: at the limit they fail to read their
     * configuration for good, and the library's checksum needs MessageDigest.
     */
    @Test
    void providerMadeAtTheLimitWorksOnceFdsAreFree() throws Exception {
        ChildJvm.Result jdk = probe("jdk", "warm");
        ChildJvm.Result ours = probe("nativenio", "fill-first");
        assertTrue(ours.value("limit.provider").startsWith("java.lang.SecurityException: "), ours.describe());
        assertEquals("ok", ours.value("after.provider"), ours.describe());
        for (String key : List.of("after", "after.wildcard", "after.options")) {
            assertEquals(jdk.value(key), ours.value(key), key + "\n" + ours.describe());
        }
    }
}
