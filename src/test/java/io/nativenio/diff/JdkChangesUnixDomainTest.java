package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * JDK 24 (the SecurityManager's removal, JDK-8344078): toString of a UNIX-domain channel shows its local path.
 * Up to JDK 23 the JDK's showed it only under a SecurityManager (an inverted check); nativenio shows it on
 * every JDK (docs/jdk-changes.md#tostring-of-unix-domain-channels).
 */
class JdkChangesUnixDomainTest {
    @TempDir
    Path dir;

    @DiffTest
    void toStringShowsTheLocalPath(SelectorProvider provider) throws Exception {
        boolean shown = provider != Providers.jdk() || Runtime.version().feature() >= 24;
        try (ServerSocketChannel ssc = UnixDomainSocketTest.server(provider, dir, "s")) {
            String path = ssc.getLocalAddress().toString();
            assertTrue(path.endsWith("/s"), path);
            assertTrue(ssc.toString().endsWith(shown ? "[" + path + "]" : "[]"), ssc.toString());
        }
    }
}
