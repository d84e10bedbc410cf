package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.program;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativenio.jvm.app.HostInfoProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jdk.includeInExceptions=hostInfo (behaviours.md#connect-state-machine): a failed connect's IOException names the
 * address as the JDK's does (": localhost/127.0.0.1:port", ": /path" for UNIX domain; same class, no cause), whether
 * the setting is a system property or a security property; without it, it does not. Also the messages that name a
 * host under hostInfoExclSocket as well (JDK 24+). The JDK's provider and nativenio's run in the same child JVM,
 * which reads the setting once, at start.
 */
class HostInfoIT {
    @TempDir
    Path dir;

    /** The probe's lines by case, for {@code provider}, from one run. */
    private static Map<String, String> lines(ChildJvm.Result r, String provider) {
        Map<String, String> m = new TreeMap<>();
        r.stdout().lines().filter(l -> l.startsWith(provider + ".")).forEach(l -> {
            int eq = l.indexOf('=');
            m.put(l.substring(provider.length() + 1, eq), l.substring(eq + 1));
        });
        return m;
    }

    private void sameAsTheJdk(String work, boolean enhanced, String... options) throws Exception {
        ChildJvm.Result r = program(dir, HostInfoProbe.class).options(options).run(work);
        Map<String, String> jdk = lines(r, "jdk");
        assertEquals(List.of("adaptor", "adaptorTimeout", "finishConnect", "open", "setInterface", "unix", "unresolved"),
                List.copyOf(jdk.keySet()), r.describe());
        // the control: the JDK's own messages name the address exactly when the setting asks for it
        assertEquals(enhanced, jdk.get("open").contains(": localhost/127.0.0.1:"), r.describe());
        assertEquals(enhanced, jdk.get("unix").contains("nobody.sock"), r.describe());
        assertEquals(jdk, lines(r, "nativenio"), r.describe());
    }

    @Test
    void withoutTheSetting() throws Exception {
        sameAsTheJdk("none", false);
    }

    @Test
    void anotherCategory() throws Exception {
        sameAsTheJdk("other", false, "-Djdk.includeInExceptions=jar,userInfo");
    }

    @Test
    void systemProperty() throws Exception {
        sameAsTheJdk("system", true, "-Djdk.includeInExceptions=foo, HOSTINFO ,bar");
    }

    @Test
    void securityProperty() throws Exception {
        Path file = Files.writeString(dir.resolve("host-info.security"), "jdk.includeInExceptions=hostInfo\n");
        sameAsTheJdk("security", true, "-Djava.security.properties=" + file);
    }
}
