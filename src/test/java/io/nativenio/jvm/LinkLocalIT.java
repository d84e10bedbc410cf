package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.jvm.app.LinkLocalProbe;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Link-local IPv6 addresses without a scope id (behaviours.md#bind-and-socket-defaults): bind, connect and send
 * take the scope of the one interface that has the address, inside a network namespace this test creates (the
 * machine's loopback has no link-local address). The same probe on the JDK's provider and on nativenio's must print
 * the same lines, and the JDK's must have reached its own address.
 */
class LinkLocalIT {
    @TempDir
    Path dir;

    @Test
    void sameAsTheJdkInsideAPrivateNetworkNamespace() throws Exception {
        try (NetworkNamespace ns = new NetworkNamespace("nativenio-ll", "ll0", "ll1",
                "addr add fe80::99:1/64 dev ll0 nodad", "addr add fe80::99:2/64 dev ll0 nodad",
                "addr add fe80::99:2/64 dev ll1 nodad")) {
            ChildJvm.Result jdk = program(dir, LinkLocalProbe.class).launcher(ns.launcher()).run("jdk", "jdk");
            ChildJvm.Result ours = program(dir, LinkLocalProbe.class).launcher(ns.launcher()).run("nativenio", "nativenio");
            // the control: an unscoped address worked on the JDK's provider, so the comparison tells something
            assertTrue(jdk.value("datagram.send").startsWith("to self from fe80:0:0:0:0:0:99:1%"), jdk.describe());
            assertEquals("java.net.SocketException: Duplicate link local addresses: must specify scope-id",
                    jdk.value("twoInterfaces.bind"), jdk.describe());
            assertEquals(jdk.stdout(), ours.stdout(), ours.describe());
        }
    }
}
