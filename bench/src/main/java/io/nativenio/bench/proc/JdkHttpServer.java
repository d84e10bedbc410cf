package io.nativenio.bench.proc;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The JDK's com.sun.net.httpserver server (its dispatcher is one selector thread; with no executor set,
 * handlers run on it too), answering every request with {@link Announce#HELLO}.
 */
public final class JdkHttpServer {
    private JdkHttpServer() {
    }

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, Announce.HELLO.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(Announce.HELLO);
            }
        });
        server.start();
        Announce.listening(server.getAddress().getPort());
    }
}
