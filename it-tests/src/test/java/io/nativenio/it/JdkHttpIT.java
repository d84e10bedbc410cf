package io.nativenio.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.it.containers.Compat;
import io.nativenio.it.containers.ContainerTest;
import io.nativenio.it.containers.OnEachJdk;
import io.nativenio.it.containers.ProgramRun;

/** The JDK's HttpServer and HttpClient (HTTP/1.1) in one JVM, both on the provider. */
class JdkHttpIT extends ContainerTest {
    @OnEachJdk
    void httpServerAndHttpClient(String jdk) throws Exception {
        Compat.record("JdkHttp", jdk, "HttpServer + HttpClient: 300 requests, 16 in flight, GET and POST bodies"
                + " up to 4 MiB, SHA-256 checked", () -> {
            ProgramRun r = ProgramRun.run(jdk, 240, "JdkHttp", "300", String.valueOf(4 << 20))
                    .assertPassedOnProvider("server.ServerSocketChannel", "server.accepted", "server.selector0",
                            "client.selector0", "client.registered0")
                    .assertResult("requests", "300")
                    .assertResult("sha256", "match");
            assertTrue(r.longResult("bytesUp") > 50L << 20 && r.longResult("bytesDown") > 50L << 20);
            return r;
        });
    }
}
