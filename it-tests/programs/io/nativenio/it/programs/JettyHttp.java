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

    static void jdkClient(String mode, int port, int requests, int maxSize) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        Object impl = Report.field(client, "impl");
        Report.sample("jdkClient." + mode, () -> List.of((Selector) Report.path(impl, "selmgr", "selector")));
        AtomicLong bytes = new AtomicLong();
        Semaphore inflight = new Semaphore(16);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            final int n = i;
            final int size = size(n, maxSize);
            inflight.acquire();
            HttpRequest rq;
            byte[] up = null;
            if (n % 2 == 0) {
                rq = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/blob?seed=" + n + "&size=" + size))
                        .timeout(Duration.ofSeconds(60)).build();
            } else {
                up = Report.content(n, size);
                rq = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(up)).build();
            }
            final byte[] sent = up;
            all.add(client.sendAsync(rq, HttpResponse.BodyHandlers.ofByteArray()).thenAccept(r -> {
                byte[] want = sent != null ? sent : Report.content(n, size);
                String sha = Report.sha256(want);
                check(r.statusCode() == 200, mode + " jdk " + n + ": status " + r.statusCode());
                check(sha.equals(Report.sha256(r.body())), mode + " jdk " + n + ": body differs");
                check(sha.equals(r.headers().firstValue("X-Sha256").orElse("")), mode + " jdk " + n + ": sha header");
                bytes.addAndGet(size);
            }).whenComplete((v, t) -> inflight.release()));
        }
        Report.awaitAll(all, 100, mode + " JDK HttpClient");
        Report.result(mode + ".jdkClient.requests", requests);
        Report.result(mode + ".jdkClient.bytes", bytes.get());
    }

    static void jettyClient(String mode, int port, int requests, int maxSize) throws Exception {
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient();
        client.setMaxConnectionsPerDestination(16);
        client.start();
        try {
            Object cc = client.getContainedBeans(org.eclipse.jetty.io.ClientConnector.class).iterator().next();
            Report.sample("jettyClient." + mode, () ->
                    selectors(((org.eclipse.jetty.io.ClientConnector) cc).getSelectorManager()));
            AtomicLong bytes = new AtomicLong();
            Semaphore inflight = new Semaphore(16);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                final int n = i;
                final int size = size(n, maxSize);
                inflight.acquire();
                org.eclipse.jetty.client.Request rq;
                byte[] up = null;
                if (n % 2 == 0) {
                    rq = client.newRequest("http://127.0.0.1:" + port + "/blob?seed=" + n + "&size=" + size);
                } else {
                    up = Report.content(n, size);
                    rq = client.newRequest("http://127.0.0.1:" + port + "/echo").method(HttpMethod.POST)
                            .body(new BytesRequestContent(up));
                }
                rq.timeout(60, TimeUnit.SECONDS);
                final byte[] sent = up;
                CompletableFuture<ContentResponse> f = new CompletableResponseListener(rq, maxSize + 1024).send();
                all.add(f.thenAccept(r -> {
                    byte[] want = sent != null ? sent : Report.content(n, size);
                    String sha = Report.sha256(want);
                    check(r.getStatus() == 200, mode + " jetty " + n + ": status " + r.getStatus());
                    check(sha.equals(Report.sha256(r.getContent())), mode + " jetty " + n + ": body differs");
                    check(sha.equals(r.getHeaders().get("X-Sha256")), mode + " jetty " + n + ": sha header");
                    bytes.addAndGet(size);
                }).whenComplete((v, t) -> inflight.release()));
            }
            Report.awaitAll(all, 100, mode + " Jetty HttpClient");
            Report.result(mode + ".jettyClient.requests", requests);
            Report.result(mode + ".jettyClient.bytes", bytes.get());
        } finally {
            client.stop();
        }
    }

    static void check(boolean cond, String what) {
        if (!cond) throw new IllegalStateException(what);
    }
}
