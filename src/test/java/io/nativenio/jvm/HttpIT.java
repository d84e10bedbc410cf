package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.app;
import static io.nativenio.jvm.ChildJvm.classPath;
import static io.nativenio.jvm.ChildJvm.jar;
import static io.nativenio.jvm.ChildJvm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativenio.jvm.app.HttpRoundTrip;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK's HttpClient against the JDK's HttpServer, both unmodified, in a child JVM switched to nativenio by
 * the system property: 300 requests, 30 at a time, every tenth body about 2 MB, each
 * response checked. The same program on the JDK's own provider is the control.
 */
class HttpIT {
    private static final String OPENS_SERVER = "--add-opens=jdk.httpserver/sun.net.httpserver=ALL-UNNAMED";
    private static final String OPENS_CLIENT = "--add-opens=java.net.http/jdk.internal.net.http=ALL-UNNAMED";

    @TempDir
    Path dir;

    /** Runs the program with {@code classPath}; the jar on it selects nativenio through ServiceLoader. */
    private ChildJvm.Result roundTrip(String classPath, String... jvmOptions) throws Exception {
        String[] args = new String[jvmOptions.length + 8];
        System.arraycopy(jvmOptions, 0, args, 0, jvmOptions.length);
        System.arraycopy(new String[] {OPENS_SERVER, OPENS_CLIENT, "-cp", classPath,
                HttpRoundTrip.class.getName(), "300", "30", "2000000"}, 0, args, jvmOptions.length, 8);
        ChildJvm.Result r = run(dir.resolve("run" + System.nanoTime()), args).assertExited(0);
        assertEquals("300", r.value("requests"), r.describe());
        assertEquals("300", r.value("ok"), r.describe());
        return r;
    }

    private static void assertNativenio(ChildJvm.Result r) {
        assertEquals("io.nativenio.NativeSelectorProvider", r.value("provider"), r.describe());
        assertEquals("io.nativenio.ch.ServerSocketChannelImpl", r.value("server.channel"), r.describe());
        assertEquals("io.nativenio.ch.NativeSelector", r.value("server.selector"), r.describe());
        // a SocketChannel of another provider could not be registered with this selector
        // (behaviours.md#foreign-channels-are-refused)
        assertEquals("io.nativenio.ch.NativeSelector", r.value("client.selector"), r.describe());
    }

    @Test
    void onNativenio() throws Exception {
        assertNativenio(roundTrip(classPath(jar(), app(dir)), ChildJvm.PROPERTY));
    }

    /** sun.net.httpserver.nodelay makes the server set TCP_NODELAY through the socket adaptor. */
    @Test
    void onNativenioWithNoDelay() throws Exception {
        assertNativenio(roundTrip(classPath(jar(), app(dir)), ChildJvm.PROPERTY, "-Dsun.net.httpserver.nodelay=true"));
    }

    @Test
    void controlOnTheJdksProvider() throws Exception {
        ChildJvm.Result r = roundTrip(classPath(app(dir)));
        assertEquals("sun.nio.ch.ServerSocketChannelImpl", r.value("server.channel"), r.describe());
    }
}
