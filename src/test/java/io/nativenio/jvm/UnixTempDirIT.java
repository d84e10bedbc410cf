package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.program;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativenio.jvm.app.UnixTempDirProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A UNIX-domain server's {@code bind(null)} names its socket in jdk.net.unixdomain.tmpdir, which the JDK also reads
 * from its conf/net.properties, before java.io.tmpdir: in a child JVM with a java.io.tmpdir of its own, the JDK's
 * provider and nativenio's pick the same directory.
 */
class UnixTempDirIT {
    @TempDir
    Path dir;

    private String probe(String provider) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp-" + provider));
        ChildJvm.Result r = program(dir, UnixTempDirProbe.class).options("-Djava.io.tmpdir=" + tmp)
                .run(provider, provider);
        return r.stdout().strip().replace(tmp.toString(), "<java.io.tmpdir>");
    }

    @Test
    void sameDirectoryAsTheJdk() throws Exception {
        assertEquals(probe("jdk"), probe("nativenio"));
    }
}
