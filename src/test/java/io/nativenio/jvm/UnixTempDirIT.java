package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.app;
import static io.nativenio.jvm.ChildJvm.classPath;
import static io.nativenio.jvm.ChildJvm.jar;
import static io.nativenio.jvm.ChildJvm.run;
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
        ChildJvm.Result r = run(dir.resolve(provider), "-Djava.io.tmpdir=" + tmp,
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "-cp", classPath(jar(), app(dir)),
                UnixTempDirProbe.class.getName(), provider).assertNoCrash();
        assertEquals(0, r.exitCode(), r.describe());
        return r.stdout().strip().replace(tmp.toString(), "<java.io.tmpdir>");
    }

    @Test
    void sameDirectoryAsTheJdk() throws Exception {
        assertEquals(probe("jdk"), probe("nativenio"));
    }
}
