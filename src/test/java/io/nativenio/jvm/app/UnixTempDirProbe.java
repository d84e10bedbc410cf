package io.nativenio.jvm.app;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * Where a UNIX-domain server's {@code bind(null)} puts its socket on one provider (argument {@code jdk} or
 * {@code nativenio}): prints the directory. The integration test runs it with a java.io.tmpdir of its own.
 */
public final class UnixTempDirProbe {
    private UnixTempDirProbe() {
    }

    public static void main(String[] args) throws Exception {
        SelectorProvider p = ProbeSupport.provider(args[0]);
        try (ServerSocketChannel s = p.openServerSocketChannel(StandardProtocolFamily.UNIX)) {
            UnixDomainSocketAddress a = (UnixDomainSocketAddress) s.bind(null).getLocalAddress();
            System.out.println(a.getPath().getParent());
            java.nio.file.Files.deleteIfExists(a.getPath());
        }
    }
}
