package io.nativenio.it.programs;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 (core handlers): the same server with blocking accept (one acceptor thread) and with selector
 * accept (no acceptor thread), each called by the JDK's HttpClient and by Jetty's HttpClient: downloads and
 * uploads up to several MiB, SHA-256 checked. Args: requests per client and mode, max body size.
 */
public final class JettyHttp {
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int maxSize = args.length > 1 ? Integer.parseInt(args[1]) : 4 << 20;
        Report.start("JettyHttp", 220);
        for (int acceptors : new int[] {1, 0}) {
            String mode = acceptors > 0 ? "blockingAccept" : "selectorAccept";
            Server server = new Server(new QueuedThreadPool(32, 4));
            ServerConnector connector = new ServerConnector(server, acceptors, 1);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            server.setHandler(new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) throws Exception {
                    EndPoint ep = request.getConnectionMetaData().getConnection().getEndPoint();
                    SEEN.putIfAbsent("server." + mode + ".accepted", ep.getTransport().getClass().getName());
                    Fields q = Request.extractQueryParameters(request);
                    if (request.getHttpURI().getPath().equals("/blob")) {
                        byte[] b = Report.content(Long.parseLong(q.getValue("seed")), Integer.parseInt(q.getValue("size")));
                        response.getHeaders().put("X-Sha256", Report.sha256(b));
                        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
                        response.write(true, ByteBuffer.wrap(b), callback);
                    } else {
                        ByteBuffer in = Content.Source.asByteBuffer(request);
                        byte[] b = new byte[in.remaining()];
                        in.get(b);
                        response.getHeaders().put("X-Sha256", Report.sha256(b));
                        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
                        response.write(true, ByteBuffer.wrap(b), callback);
                    }
                    return true;
                }
            });
            server.start();
            Report.channel("server." + mode + ".ServerSocketChannel", connector.getTransport());
            Report.sample("server." + mode, () -> selectors(connector.getSelectorManager()));
            int port = connector.getLocalPort();

            jdkClient(mode, port, requests, maxSize);
            jettyClient(mode, port, requests, maxSize);
            Report.printSamples();
            server.stop();
        }
        SEEN.forEach(Report::channelClass);
        Report.ok();
    }

    static List<Selector> selectors(SelectorManager sm) {
        List<Selector> l = new ArrayList<>();
        for (ManagedSelector ms : (ManagedSelector[]) Report.field(sm, "_selectors")) {
            if (ms != null) l.add((Selector) Report.field(ms, "_selector"));
        }
        return l;
    }

    static int size(int n, int maxSize) {
        return (n % 10 == 0 || n % 10 == 5) ? maxSize - n : 1 + (n * 7919) % 65536;
    }

    /** One request of a client: n even downloads {@code size} bytes, n odd uploads {@code up} and gets it back. */
    interface Send {
        CompletableFuture<?> send(int n, int size, byte[] up) throws Exception;
    }

    /** Sends {@code requests} requests, 16 at most in flight, waits for them all and reports them as {@code client}. */
    static void load(String mode, String client, int requests, int maxSize, Send send) throws Exception {
        AtomicLong bytes = new AtomicLong();
        Semaphore inflight = new Semaphore(16);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int n = 0; n < requests; n++) {
            int size = size(n, maxSize);
            byte[] up = n % 2 == 0 ? null : Report.content(n, size);
            inflight.acquire();
            all.add(send.send(n, size, up).thenRun(() -> bytes.addAndGet(size))
                    .whenComplete((v, t) -> inflight.release()));
        }
        Report.awaitAll(all, 100, mode + " " + client);
        Report.result(mode + "." + client + ".requests", requests);
        Report.result(mode + "." + client + ".bytes", bytes.get());
    }

    /** Checks a response to request n: status 200, and the body and the X-Sha256 header are those of what was asked for. */
    static void checkResponse(String what, int n, int size, byte[] up, int status, byte[] body, String shaHeader) {
        String sha = Report.sha256(up != null ? up : Report.content(n, size));
        check(status == 200, what + " " + n + ": status " + status);
        check(sha.equals(Report.sha256(body)), what + " " + n + ": body differs");
        check(sha.equals(shaHeader), what + " " + n + ": sha header");
    }

    static void jdkClient(String mode, int port, int requests, int maxSize) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        Object impl = Report.field(client, "impl");
        Report.sample("jdkClient." + mode, () -> List.of((Selector) Report.path(impl, "selmgr", "selector")));
        load(mode, "jdkClient", requests, maxSize, (n, size, up) -> {
            HttpRequest.Builder rq = up == null
                    ? HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/blob?seed=" + n + "&size=" + size))
                    : HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(up));
            return client.sendAsync(rq.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray())
                    .thenAccept(r -> checkResponse(mode + " jdk", n, size, up, r.statusCode(), r.body(),
                            r.headers().firstValue("X-Sha256").orElse("")));
        });
    }

    static void jettyClient(String mode, int port, int requests, int maxSize) throws Exception {
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient();
        client.setMaxConnectionsPerDestination(16);
        client.start();
        try {
            Object cc = client.getContainedBeans(org.eclipse.jetty.io.ClientConnector.class).iterator().next();
            Report.sample("jettyClient." + mode, () ->
                    selectors(((org.eclipse.jetty.io.ClientConnector) cc).getSelectorManager()));
            load(mode, "jettyClient", requests, maxSize, (n, size, up) -> {
                org.eclipse.jetty.client.Request rq = up == null
                        ? client.newRequest("http://127.0.0.1:" + port + "/blob?seed=" + n + "&size=" + size)
                        : client.newRequest("http://127.0.0.1:" + port + "/echo").method(HttpMethod.POST)
                                .body(new BytesRequestContent(up));
                rq.timeout(60, TimeUnit.SECONDS);
                CompletableFuture<ContentResponse> f = new CompletableResponseListener(rq, maxSize + 1024).send();
                return f.thenAccept(r -> checkResponse(mode + " jetty", n, size, up, r.getStatus(), r.getContent(),
                        r.getHeaders().get("X-Sha256")));
            });
        } finally {
            client.stop();
        }
    }

    static void check(boolean cond, String what) {
        if (!cond) throw new IllegalStateException(what);
    }
}
