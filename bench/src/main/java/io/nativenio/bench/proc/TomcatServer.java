package io.nativenio.bench.proc;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * Embedded Tomcat with its NIO connector, one servlet answering every request with {@link Announce#HELLO}.
 * Keep-alive connections are never closed by the server (Tomcat's default closes one every 100 requests),
 * so it serves the same load as the other servers.
 */
public final class TomcatServer {
    private TomcatServer() {
    }

    public static void main(String[] args) throws IOException, LifecycleException {
        Tomcat tomcat = new Tomcat();
        // bench/run starts every server in a scratch directory it removes afterwards.
        tomcat.setBaseDir(Path.of("tomcat").toAbsolutePath().toString());
        Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxKeepAliveRequests", "-1");
        connector.setProperty("acceptCount", "1024");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "hello", new Hello());
        context.addServletMappingDecoded("/*", "hello");
        tomcat.start();
        Announce.listening(connector.getLocalPort());
        tomcat.getServer().await();
    }

    private static final class Hello extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.setContentLength(Announce.HELLO.length);
            response.getOutputStream().write(Announce.HELLO);
        }
    }
}
