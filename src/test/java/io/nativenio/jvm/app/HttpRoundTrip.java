package io.nativenio.jvm.app;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.spi.SelectorProvider;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's own HTTP programs, unmodified, on whatever provider the JVM was started with
 * (behaviours.md#serversocket-adaptor): {@code com.sun.net.httpserver.HttpServer} serving {@code /echo} (the request
 * body back) and {@code /bytes/N} (N pseudo-random bytes), and {@code java.net.http.HttpClient} sending
 * {@code requests} requests, {@code parallel} at a time, with bodies up to {@code maxBody} bytes, each response checked
 * by its SHA-256. Prints key=value lines: the provider, the channel and selector classes the two programs really use
 * (read reflectively; the JVM runs with --add-opens for that), and the counts.
 */
public final class HttpRoundTrip {
    private HttpRoundTrip() {
    }

    public static void main(String[] args) throws Exception {
        int requests = Integer.parseInt(args[0]);
        int parallel = Integer.parseInt(args[1]);
        int maxBody = Integer.parseInt(args[2]);
        System.out.println("provider=" + SelectorProvider.provider().getClass().getName());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/echo", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/bytes/", ex -> {
            int n = Integer.parseInt(ex.getRequestURI().getPath().substring("/bytes/".length()));
            byte[] body = bytes(n, n);
            ex.getRequestBody().close();
            ex.sendResponseHeaders(200, n == 0 ? -1 : n);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("server.channel=" + field(server, "server", "schan").getClass().getName());
        System.out.println("server.selector=" + field(server, "server", "selector").getClass().getName());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool).build();
        Object impl = field(client, "impl");
        System.out.println("client.selector=" + field(field(impl, "selmgr"), "selector").getClass().getName());
        String base = "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
        Random random = new Random(42);
        int ok = 0;
        long bytes = 0;
        for (int done = 0; done < requests; done += parallel) {
            List<CompletableFuture<Boolean>> batch = new ArrayList<>();
            for (int i = done; i < Math.min(requests, done + parallel); i++) {
                int size = i % 10 == 0 ? maxBody - random.nextInt(1000) : random.nextInt(4096);
                bytes += size;
                batch.add(i % 2 == 0 ? echo(client, base, bytes(size, i)) : download(client, base, size));
            }
            for (CompletableFuture<Boolean> f : batch) {
                ok += f.get() ? 1 : 0;
            }
        }
        System.out.println("requests=" + requests);
        System.out.println("ok=" + ok);
        System.out.println("bytes=" + bytes);
        server.stop(0);
        pool.shutdown();
    }

    private static CompletableFuture<Boolean> echo(HttpClient client, String base, byte[] body) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/echo")).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.sendAsync(r, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(resp -> resp.statusCode() == 200 && Arrays.equals(sha256(body), sha256(resp.body())));
    }

    private static CompletableFuture<Boolean> download(HttpClient client, String base, int size) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/bytes/" + size)).build();
        return client.sendAsync(r, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(resp -> resp.statusCode() == 200 && Arrays.equals(sha256(bytes(size, size)), sha256(resp.body())));
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The value of field {@code names[0]} of {@code o}, then of {@code names[1]} of that, and so on. */
    private static Object field(Object o, String... names) throws ReflectiveOperationException {
        for (String name : names) {
            Field f = find(o.getClass(), name);
            f.setAccessible(true);
            o = f.get(o);
        }
        return o;
    }

    private static Field find(Class<?> c, String name) throws NoSuchFieldException {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            try {
                return k.getDeclaredField(name);
            } catch (NoSuchFieldException next) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(c.getName() + "." + name);
    }
}
