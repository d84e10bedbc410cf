package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.jvm.app.FamilyProbe;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * IPv4, IPv6 and dual stack as the JDK does them (behaviours.md#default-family-and-dual-stack,
 * behaviours.md#protocol-families): the same probe of family rules on the JDK's provider and on nativenio's, in child
 * JVMs started with and without {@code java.net.preferIPv4Stack}, must print the same lines.
 */
class FamilyIT {
    @TempDir
    Path dir;

    private ChildJvm.Result probe(String provider, String preferIPv4) throws Exception {
        return program(dir, FamilyProbe.class).options("-Djava.net.preferIPv4Stack=" + preferIPv4)
                .run(provider + preferIPv4, provider);
    }

    @ParameterizedTest(name = "preferIPv4Stack={0}")
    @ValueSource(strings = {"false", "true"})
    void sameAsTheJdk(String preferIPv4) throws Exception {
        ChildJvm.Result jdk = probe("jdk", preferIPv4);
        ChildJvm.Result ours = probe("nativenio", preferIPv4);
        assertTrue(jdk.stdout().lines().count() >= 15, jdk.describe());
        assertEquals(jdk.stdout(), ours.stdout(), ours.describe());
    }
}
