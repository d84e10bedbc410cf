package io.nativenio.it.programs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JDK's HttpServer (com.sun.net.httpserver) called by the JDK's HttpClient (HTTP/1.1): many concurrent
 * requests, downloads and uploads of up to several MiB, each body's SHA-256 checked at the other end.
 * Args: requests, max body size.
 */
public final class JdkHttp {
    static final Map<String, String> ACCEPTED = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int maxSize = args.length > 1 ? Integer.parseInt(args[1]) : 4 << 20;
        Report.start("JdkHttp", 200);

        ExecutorService serverPool = Executors.newFixedThreadPool(8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.createContext("/blob", ex -> {
            recordAccepted(ex);
            Map<String, String> q = query(ex.getRequestURI());
            byte[] b = Report.content(Long.parseLong(q.get("seed")), Integer.parseInt(q.get("size")));
            ex.getResponseHeaders().add("X-Sha256", Report.sha256(b));
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        });
        server.createContext("/echo", ex -> {
            recordAccepted(ex);
            byte[] in;
            try (InputStream is = ex.getRequestBody()) {
                in = is.readAllBytes();
            }
            ex.getResponseHeaders().add("X-Sha256", Report.sha256(in));
            ex.sendResponseHeaders(200, in.length == 0 ? -1 : in.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(in);
            }
        });
        server.setExecutor(serverPool);
        server.start();
        int port = server.getAddress().getPort();

        Object serverImpl = Report.field(server, "server");
        Report.channel("server.ServerSocketChannel", Report.field(serverImpl, "schan"));
        Report.sample("server", () -> List.of((Selector) Report.field(serverImpl, "selector")));

        ExecutorService clientPool = Executors.newFixedThreadPool(4);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(clientPool).build();
        Object clientImpl = Report.field(client, "impl");
        Report.sample("client", () -> List.of((Selector) Report.path(clientImpl, "selmgr", "selector")));

        AtomicLong bytesDown = new AtomicLong(), bytesUp = new AtomicLong();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        java.util.concurrent.Semaphore inflight = new java.util.concurrent.Semaphore(32);
        for (int i = 0; i < requests; i++) {
            final int n = i;
            // sizes: mostly small, one GET and one POST in ten large (about maxSize)
            int size = (n % 10 == 0 || n % 10 == 5) ? maxSize - n : 1 + (n * 7919) % 65536;
            inflight.acquire();
            CompletableFuture<Void> f;
            if (n % 2 == 0) {
                HttpRequest rq = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/blob?seed=" + n + "&size=" + size))
                        .timeout(Duration.ofSeconds(60)).build();
                f = client.sendAsync(rq, HttpResponse.BodyHandlers.ofByteArray()).thenAccept(r -> {
                    byte[] want = Report.content(n, size);
                    check(r.statusCode() == 200, "GET " + n + ": status " + r.statusCode());
                    check(r.body().length == size, "GET " + n + ": " + r.body().length + " bytes, want " + size);
                    String sha = Report.sha256(r.body());
                    check(sha.equals(Report.sha256(want)), "GET " + n + ": body sha256 differs");
                    check(sha.equals(r.headers().firstValue("X-Sha256").orElse("")), "GET " + n + ": header sha256");
                    bytesDown.addAndGet(size);
                });
            } else {
                byte[] body = Report.content(n, size);
                HttpRequest rq = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                f = client.sendAsync(rq, HttpResponse.BodyHandlers.ofByteArray()).thenAccept(r -> {
                    check(r.statusCode() == 200, "POST " + n + ": status " + r.statusCode());
                    String sha = Report.sha256(body);
                    check(sha.equals(r.headers().firstValue("X-Sha256").orElse("")), "POST " + n + ": server saw another body");
                    check(sha.equals(Report.sha256(r.body())), "POST " + n + ": echoed body differs");
                    bytesUp.addAndGet(size);
                });
            }
            all.add(f.whenComplete((v, t) -> inflight.release()));
        }
        Report.awaitAll(all, 150, "request failed");
        Report.printSamples();
        ACCEPTED.forEach(Report::channelClass);
        server.stop(0);
        serverPool.shutdownNow();
        clientPool.shutdownNow();

        Report.result("requests", requests);
        Report.result("bytesDown", bytesDown.get());
        Report.result("bytesUp", bytesUp.get());
        Report.result("sha256", "match");
        Report.ok();
    }

    static void recordAccepted(HttpExchange ex) {
        Object conn = Report.path(ex, "impl", "connection");
        SocketChannel ch = (SocketChannel) Report.field(conn, "chan");
        ACCEPTED.putIfAbsent("server.accepted", ch.getClass().getName());
    }

    static void check(boolean cond, String what) {
        if (!cond) throw new IllegalStateException(what);
    }

    static Map<String, String> query(URI u) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String kv : u.getRawQuery().split("&")) {
            String[] f = kv.split("=", 2);
            m.put(f[0], f[1]);
        }
        return m;
    }
}
