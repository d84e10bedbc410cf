package io.nativenio.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.it.containers.JarSelfCheckTest;
import io.nativenio.it.containers.OnEachJdk;
import io.nativenio.it.containers.ProgramRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;

/**
 * {@code -Dnativenio.backend=io_uring} in containers (docs/iouring.md#fallback), through the jar's self-check
 * ({@code java -Dnativenio.backend=io_uring -jar nativenio.jar}). Under a seccomp profile that makes the io_uring
 * syscalls fail with EPERM ({@code deny-io_uring.json}, what {@code docker run --security-opt
 * seccomp=deny-io_uring.json} passes) the self-check passes on epoll and exactly one WARNING line says why; the
 * same image with seccomp unconfined passes on io_uring without that line; under the engine's own default profile
 * (which denies io_uring since Docker 25) it passes on either, with the line exactly when it names epoll.
 */
class IOUringSeccompIT extends JarSelfCheckTest {
    private static final Pattern BACKEND = Pattern.compile("(?m)^backend +(\\S+)$");
    private static final String WARNING =
            "WARNING: nativenio: io_uring is not available (io_uring_setup: Operation not permitted); using epoll";

    @OnEachJdk
    void deniedByTheProfileFallsBackToEpoll(String jdk) throws Exception {
        SelfCheck r = selfCheck(jdk, "denied", "seccomp=" + profile());
        assertEquals("epoll", r.backend, r.what);
        assertEquals(1, r.lines(WARNING), "one WARNING line: " + r.what);
        assertEquals(1, r.lines("io_uring is not available"), "no other fallback line: " + r.what);
    }

    @OnEachJdk
    void unconfinedRunsOnIoUring(String jdk) throws Exception {
        String disabled = hostIoUringDisabled();
        Assumptions.assumeTrue(disabled.equals("0"), "skipped: the host kernel restricts io_uring itself"
                + " (kernel.io_uring_disabled=" + disabled + ")");
        SelfCheck r = selfCheck(jdk, "unconfined", "seccomp=unconfined");
        assertEquals("io_uring", r.backend, r.what);
        assertEquals(0, r.lines("io_uring is not available"), r.what);
    }

    @OnEachJdk
    void engineDefaultProfileChoosesOneBackendAndSaysSo(String jdk) throws Exception {
        SelfCheck r = selfCheck(jdk, "default", null);
        assertTrue(r.backend.equals("io_uring") || r.backend.equals("epoll"), r.what);
        assertEquals(r.backend.equals("epoll") ? 1 : 0, r.lines(WARNING), r.what);
        System.out.printf("nativenio it-tests: io_uring under the engine's default seccomp profile on %s: %s%n", jdk,
                r.backend.equals("epoll") ? "denied, epoll serves" : "allowed");
    }

    /** The self-check's output on io_uring in a container of {@code jdk}'s image with {@code securityOpt} (null: none). */
    private static SelfCheck selfCheck(String jdk, String name, String securityOpt) throws Exception {
        try (GenericContainer<?> c = ProgramRun.container(jdk)) {
            if (securityOpt != null) {
                c.withCreateContainerCmdModifier(cmd -> {
                    var host = cmd.getHostConfig();
                    assertNotNull(host, "Testcontainers made no HostConfig");
                    host.withSecurityOpts(List.of(securityOpt));
                });
            }
            c.start();
            Container.ExecResult r = c.execInContainer(StandardCharsets.UTF_8, "timeout", "-k", "5", "180",
                    "java", "-Dnativenio.backend=io_uring", "-jar", "/opt/it/nativenio.jar");
            String log = "IOUringSeccomp-" + name;
            ProgramRun.writeLog(log, jdk, r.getExitCode(), r.getStdout(), r.getStderr());
            SelfCheck s = new SelfCheck(r, ProgramRun.where(log, jdk) + "\n--- stdout\n" + r.getStdout()
                    + "\n--- stderr\n" + r.getStderr());
            assertEquals(0, r.getExitCode(), "exit code of the self-check: " + s.what);
            assertTrue(ALL_PASSED.matcher(r.getStdout()).find(), "not every check passed: " + s.what);
            return s;
        }
    }

    /** The profile, inline: the Docker API takes a profile's JSON itself where the CLI takes a file name. */
    private static String profile() throws IOException {
        try (InputStream in = IOUringSeccompIT.class.getResourceAsStream("/deny-io_uring.json")) {
            assertNotNull(in, "deny-io_uring.json is not on the test class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** kernel.io_uring_disabled of the host the engine runs on (this one: it-tests/README.md), "0" where absent. */
    private static String hostIoUringDisabled() throws IOException {
        Path p = Path.of("/proc/sys/kernel/io_uring_disabled");
        return Files.exists(p) ? Files.readString(p).trim() : "0";
    }

    private static final class SelfCheck {
        final String stdout;
        final String stderr;
        final String backend;
        final String what;

        SelfCheck(Container.ExecResult r, String what) {
            this.stdout = r.getStdout();
            this.stderr = r.getStderr();
            Matcher m = BACKEND.matcher(stdout);
            this.backend = m.find() ? m.group(1) : "(no backend line)";
            this.what = what;
        }

        /** The lines of both outputs that contain {@code part}. */
        long lines(String part) {
            return (stdout + "\n" + stderr).lines().filter(l -> l.contains(part)).count();
        }
    }
}
