package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.jvm.app.MulticastProbe;
import java.nio.file.Path;
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

    private ChildJvm.Result probe(NetworkNamespace ns, String provider) throws Exception {
        return program(dir, MulticastProbe.class).launcher(ns.launcher()).run(provider, provider);
    }

    @Test
    void sameTrafficAsTheJdkInsideAPrivateNetworkNamespace() throws Exception {
        try (NetworkNamespace ns = new NetworkNamespace("nativenio-mc", "mc0", "mc1", "addr add 10.99.0.1/24 dev mc0",
                "addr add fd00:99::1/64 dev mc0 nodad")) {
            ChildJvm.Result jdk = probe(ns, "jdk");
            ChildJvm.Result ours = probe(ns, "nativenio");
            // the JDK itself must have moved traffic, or the comparison proves nothing
            assertEquals("got 'one' from self:true", jdk.value("INET.anySource"), jdk.describe());
            assertEquals("got 'one' from self:true", jdk.value("INET6.anySource"), jdk.describe());
            assertTrue(jdk.stdout().lines().count() >= 15, jdk.describe());
            assertEquals(jdk.stdout(), ours.stdout(), ours.describe());
        }
    }
}
