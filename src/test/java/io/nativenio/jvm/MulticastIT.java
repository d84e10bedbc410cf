package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativenio.jvm.app.MulticastProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multicast traffic (behaviours.md#multicast) inside a network namespace this test creates, with a
 * veth pair as its only interfaces, so that no datagram reaches the machine's own network: the same probe
 * (joins, block, unblock, drop, source-specific) on the JDK's provider and on nativenio's must print the same
 * lines. Needs root for {@code ip netns}; CI runs as root, so there it always runs.
 */
class MulticastIT {
    @TempDir
    Path dir;

    private static boolean isRoot() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
    }

    private static void ip(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }

    private ChildJvm.Result probe(String ns, String provider) throws Exception {
        return program(dir, MulticastProbe.class).launcher("ip", "netns", "exec", ns).run(provider, provider);
    }

    @Test
    void sameTrafficAsTheJdkInsideAPrivateNetworkNamespace() throws Exception {
        assumeTrue(isRoot(), "creating a network namespace needs root (CI runs as root)");
        String ns = "nativenio-mc-" + ProcessHandle.current().pid();
        ip("netns", "add", ns);
        try {
            ip("netns", "exec", ns, "ip", "link", "set", "lo", "up");
            ip("netns", "exec", ns, "ip", "link", "add", "mc0", "type", "veth", "peer", "name", "mc1");
            ip("netns", "exec", ns, "ip", "link", "set", "mc0", "up");
            ip("netns", "exec", ns, "ip", "link", "set", "mc1", "up");
            ip("netns", "exec", ns, "ip", "addr", "add", "10.99.0.1/24", "dev", "mc0");
            ip("netns", "exec", ns, "ip", "addr", "add", "fd00:99::1/64", "dev", "mc0", "nodad");
            ChildJvm.Result jdk = probe(ns, "jdk");
            ChildJvm.Result ours = probe(ns, "nativenio");
            // the JDK itself must have moved traffic, or the comparison proves nothing
            assertEquals("got 'one' from self:true", jdk.value("INET.anySource"), jdk.describe());
            assertEquals("got 'one' from self:true", jdk.value("INET6.anySource"), jdk.describe());
            assertTrue(jdk.stdout().lines().count() >= 15, jdk.describe());
            assertEquals(jdk.stdout(), ours.stdout(), ours.describe());
        } finally {
            ip("netns", "del", ns);
        }
    }
}
