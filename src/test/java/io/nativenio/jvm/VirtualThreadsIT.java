package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.jdkFeature;
import static io.nativenio.jvm.ChildJvm.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativenio.jvm.app.VirtualThreadsProbe;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocking I/O on virtual threads does not pin the carrier (behaviours.md#blocking-io-parks-a-virtual-thread): with a
 * single carrier thread, a virtual thread blocked in accept, read, receive or select lets another virtual thread run
 * and unblock it, and close and interrupt wake it with the JDK's exceptions; the probe prints the same
 * on the JDK's provider and on nativenio's. Virtual threads exist from JDK 21: on 17 this is skipped.
 */
class VirtualThreadsIT {
    @TempDir
    Path dir;

    private ChildJvm.Result probe(String provider, String backend) throws Exception {
        return program(dir, VirtualThreadsProbe.class)
                .options("-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1",
                        "-Dnativenio.backend=" + backend)
                .run(provider, provider);
    }

    @Test
    void blockedVirtualThreadsLeaveTheCarrierFree() throws Exception {
        assumeTrue(jdkFeature() >= 21, "virtual threads exist from JDK 21");
        ChildJvm.Result jdk = probe("jdk", "epoll");
        ChildJvm.Result ours = probe("nativenio", "epoll");
        assertEquals(9, jdk.stdout().lines().count(), jdk.describe());
        assertFalse(jdk.stdout().contains("stuck"), jdk.describe());
        assertEquals(jdk.stdout(), ours.stdout(), ours.describe());
    }

    /**
     * The same on the io_uring backend, whose poll completions run on the thread that submitted the requests (the
     * one carrier) without interrupting it: a virtual thread parked in select is still woken when another one on
     * the same carrier makes its channel ready.
     */
    @Test
    void blockedVirtualThreadsLeaveTheCarrierFreeOnIoUring() throws Exception {
        assumeTrue(jdkFeature() >= 21, "virtual threads exist from JDK 21");
        ChildJvm.Result jdk = probe("jdk", "epoll");
        ChildJvm.Result ours = probe("nativenio", "io_uring");
        assertFalse(ours.stderr().contains("using epoll"), "io_uring was refused: " + ours.describe());
        assertEquals(jdk.stdout(), ours.stdout(), ours.describe());
    }
}
