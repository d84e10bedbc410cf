package io.nativenio.it;

import io.nativenio.it.containers.Compat;
import io.nativenio.it.containers.ContainerTest;
import io.nativenio.it.containers.OnEachJdk;
import io.nativenio.it.containers.ProgramRun;

/** Embedded Tomcat 11, NIO connector, static files through sendfile, called by the JDK's HttpClient. */
class TomcatIT extends ContainerTest {
    @OnEachJdk
    void nioConnectorWithSendfile(String jdk) throws Exception {
        Compat.record("Tomcat 11 NIO", jdk, "100 requests: 10 x 16 MiB static file by sendfile, small files,"
                + " echo POSTs up to 1 MiB; SHA-256 checked", () ->
                ProgramRun.run(jdk, 240, "TomcatHttp", "100", String.valueOf(16 << 20))
                        .assertPassedOnProvider("server.ServerSocketChannel", "server.selector0",
                                "server.registered0", "client.selector0")
                        .assertResult("requests", "100")
                        .assertResult("sendfile.responses", "10")
                        .assertResult("sendfile.bytes", String.valueOf(160L << 20))
                        .assertResult("sha256", "match"));
    }
}
