package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.jdkFeature;
import static io.nativenio.jvm.ChildJvm.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativenio.jvm.app.SecurityProbe;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDK 17 SecurityManager checks of TCP, UDP and UNIX-domain channels
 * (behaviours.md#securitymanager-checks-on-jdk-17): with each SocketPermission action, and the UNIX-domain
 * NetPermission, denied in turn, nativenio's channels behave as the JDK's (same results, same exceptions and messages).
 */
class SecurityIT {
    @TempDir
    Path dir;

    private String probe(String provider, String denied) throws Exception {
        return program(dir, SecurityProbe.class).options("-Djava.security.manager=allow")
                .run(provider + denied, provider, denied).stdout();
    }

    @ParameterizedTest(name = "denied: {0}")
    @ValueSource(strings = {"none", "listen", "connect", "accept", "resolve", "unix"})
    void sameAsTheJdk(String denied) throws Exception {
        assumeTrue(jdkFeature() < 24, "a SecurityManager cannot be enabled on JDK 24+ (JEP 486)");
        assertEquals(probe("jdk", denied), probe("nativenio", denied));
    }
}
