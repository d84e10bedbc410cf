package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.jdkFeature;
import static io.nativenio.jvm.ChildJvm.program;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativenio.jvm.app.KillWaitProbe;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A selector's final close of a closed channel whose I/O call blocks while it is registered (the state
 * that {@code configureBlocking(true)} racing an I/O call leaves): on JDK 17 the select closes the fd at
 * once and returns, on JDK 21.0.6 and 23+ it waits for the call; nativenio does what the running JDK's
 * provider does, for socket, server socket, pipe source and sink and datagram channels.
 */
class KillWaitIT {
    @TempDir
    Path dir;

    private ChildJvm.Result probe(String provider) throws Exception {
        return program(dir, KillWaitProbe.class).options("--add-opens=java.base/java.nio.channels.spi=ALL-UNNAMED")
                .run(provider, provider);
    }

    @Test
    void selectWaitsForABlockedCallOnlyWhereTheJdksDoes() throws Exception {
        ChildJvm.Result jdk = probe("jdk");
        assertEquals(25, jdk.stdout().lines().count(), jdk.describe());
        if (jdkFeature() == 17) {
            assertEquals("returned", jdk.value("socket.select"), jdk.describe());
        } else if (jdkFeature() >= 23) {
            assertEquals("waited", jdk.value("socket.select"), jdk.describe());
        }
        ChildJvm.Result ours = probe("nativenio");
        assertEquals(jdk.stdout(), ours.stdout(), ours.describe());
    }
}
