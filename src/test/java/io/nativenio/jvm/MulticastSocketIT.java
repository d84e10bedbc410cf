package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.program;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativenio.jvm.app.MulticastSocketProbe;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DatagramChannel.socket() as a MulticastSocket with multicast traffic (behaviours.md#datagramsocket-adaptor), inside
 * a network namespace this test creates, so that no datagram reaches the machine's own network (joins on "any
 * interface" let the kernel pick one by its routes). The same probe on the JDK's provider and on nativenio's must
 * print the same lines, and the JDK's must have moved traffic.
 */
class MulticastSocketIT {
    @TempDir
    Path dir;

    @Test
    void sameAsTheJdkInsideAPrivateNetworkNamespace() throws Exception {
        try (NetworkNamespace ns = new NetworkNamespace("nativenio-ms", "ms0", "ms1", "addr add 10.97.0.1/24 dev ms0",
                "addr add fd00:97::1/64 dev ms0 nodad", "route add 224.0.0.0/4 dev ms0")) {
            ChildJvm.Result jdk = program(dir, MulticastSocketProbe.class).launcher(ns.launcher()).run("jdk", "jdk");
            ChildJvm.Result ours = program(dir, MulticastSocketProbe.class).launcher(ns.launcher())
                    .run("nativenio", "nativenio");
            // the control: the JDK's adaptor joined on "any interface" and received
            assertEquals("got 'one'", jdk.value("INET.joinAnyInterface"), jdk.describe());
            assertEquals("got 'one'", jdk.value("INET6.joinAnyInterface"), jdk.describe());
            assertEquals(jdk.stdout(), ours.stdout(), ours.describe());
        }
    }
}
