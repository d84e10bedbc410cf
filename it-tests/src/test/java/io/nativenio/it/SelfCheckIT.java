package io.nativenio.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.it.containers.Compat;
import io.nativenio.it.containers.JarSelfCheckTest;
import io.nativenio.it.containers.OnEachJdkAndOldGlibc;
import io.nativenio.it.containers.ProgramRun;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;

/**
 * The provider jar's own self-check ({@code java -jar nativenio.jar}) in every image of the matrix: the
 * jar's native library loads against the image's glibc (bullseye's 2.31 is the oldest) and every check
 * passes. A library linked against a newer glibc than the image's exits 2 with "library NOT LOADED".
 */
class SelfCheckIT extends JarSelfCheckTest {
    private static final Pattern LOADED_FROM_JAR =
            Pattern.compile("(?m)^library +/\\S+/libnativenio\\.so \\(extracted from the jar");

    @OnEachJdkAndOldGlibc
    void libraryLoadsAndChecksPass(String jdk) throws Exception {
        Compat.record("Self-check", jdk, "java -jar nativenio.jar: the jar's library loads, every check passes", () -> {
            try (GenericContainer<?> c = ProgramRun.container(jdk)) {
                c.start();
                String glibc = c.execInContainer("getconf", "GNU_LIBC_VERSION").getStdout().trim();
                Container.ExecResult r = c.execInContainer(StandardCharsets.UTF_8,
                        "timeout", "-k", "5", "180", "java", "-jar", "/opt/it/nativenio.jar");
                String out = r.getStdout();
                ProgramRun.writeLog("SelfCheck", jdk, r.getExitCode(), "(" + glibc + ")\n" + out, r.getStderr());
                String what = ProgramRun.where("SelfCheck", jdk) + " with " + glibc + "\n--- stdout\n" + out
                        + "\n--- stderr\n" + r.getStderr();
                // Exit 2: the library did not load; its reason (e.g. a GLIBC_ version the image lacks) leads.
                String headline = r.getExitCode() == 2
                        ? "library NOT LOADED with " + glibc + ": " + r.getStderr().strip().split("\n", 2)[0]
                        : "exit code of the self-check";
                assertEquals(0, r.getExitCode(), headline + "\n" + what);
                assertTrue(LOADED_FROM_JAR.matcher(out).find(), "the library did not load from the jar: " + what);
                assertTrue(ALL_PASSED.matcher(out).find(), "not every check passed: " + what);
                System.out.printf("nativenio it-tests: self-check on %s (%s, %s): all passed%n",
                        jdk, c.getDockerImageName(), glibc);
                return null;
            }
        });
    }
}
