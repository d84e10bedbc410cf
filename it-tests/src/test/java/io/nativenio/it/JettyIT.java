package io.nativenio.it;

import io.nativenio.it.containers.Compat;
import io.nativenio.it.containers.ContainerTest;
import io.nativenio.it.containers.OnEachJdk;
import io.nativenio.it.containers.ProgramRun;

/** Jetty 12 with blocking and with selector accept, called by the JDK's and Jetty's HttpClient. */
class JettyIT extends ContainerTest {
    @OnEachJdk
    void blockingAndSelectorAccept(String jdk) throws Exception {
        Compat.record("Jetty 12", jdk, "blocking and selector accept x JDK and Jetty HttpClient: 4 x 100"
                + " requests, bodies up to 4 MiB, SHA-256 checked", () -> {
            ProgramRun r = ProgramRun.run(jdk, 240, "JettyHttp", "100", String.valueOf(4 << 20));
            r.assertPassedOnProvider(
                    "server.blockingAccept.ServerSocketChannel", "server.blockingAccept.accepted",
                    "server.blockingAccept.selector0", "server.selectorAccept.ServerSocketChannel",
                    "server.selectorAccept.accepted", "server.selectorAccept.selector0",
                    "jdkClient.blockingAccept.selector0", "jettyClient.blockingAccept.selector0",
                    "jdkClient.selectorAccept.selector0", "jettyClient.selectorAccept.selector0");
            for (String m : new String[] {"blockingAccept", "selectorAccept"}) {
                r.assertResult(m + ".jdkClient.requests", "100").assertResult(m + ".jettyClient.requests", "100");
            }
            return r;
        });
    }
}
