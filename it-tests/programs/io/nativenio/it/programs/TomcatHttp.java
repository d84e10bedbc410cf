package io.nativenio.it.programs;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;

/**
 * Embedded Tomcat 11 with the NIO connector (blocking accept on the acceptor thread, one poller selector):
 * multi-MiB static files served by the DefaultServlet through the sendfile path (FileChannel.transferTo into
 * the socket channel), small static files, and an echo servlet, called by the JDK's HttpClient; every body
 * checked by SHA-256. Args: requests, static file size.
 */
public final class TomcatHttp {
    static final AtomicLong SENDFILES = new AtomicLong();

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int bigSize = args.length > 1 ? Integer.parseInt(args[1]) : 16 << 20;
        Report.start("TomcatHttp", 200);

        Path base = Files.createTempDirectory("nativenio-tomcat");
        Path docs = Files.createDirectories(base.resolve("docs"));
        byte[] big = Report.content(77, bigSize);
        Files.write(docs.resolve("big.bin"), big);
        byte[] small = Report.content(78, 20_000);
        Files.write(docs.resolve("small.bin"), small);

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("useSendfile", "true");
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", docs.toString());
        Wrapper def = Tomcat.addServlet(ctx, "default", new DefaultServlet());
        def.addInitParameter("sendfileSize", "48");
        ctx.addServletMappingDecoded("/", "default");
        Tomcat.addServlet(ctx, "echo", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest rq, HttpServletResponse rs) throws IOException {
                byte[] in = rq.getInputStream().readAllBytes();
                rs.setHeader("X-Sha256", Report.sha256(in));
                rs.setContentLength(in.length);
                rs.getOutputStream().write(in);
            }
        });
        ctx.addServletMappingDecoded("/echo", "echo");
        // Counts the responses for which the DefaultServlet chose the sendfile path.
        org.apache.tomcat.util.descriptor.web.FilterDef fd = new org.apache.tomcat.util.descriptor.web.FilterDef();
        fd.setFilterName("sendfileProbe");
        fd.setFilter(new jakarta.servlet.Filter() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest rq, jakarta.servlet.ServletResponse rs,
                                 jakarta.servlet.FilterChain chain) throws IOException, jakarta.servlet.ServletException {
                chain.doFilter(rq, rs);
                if (rq.getAttribute("org.apache.tomcat.sendfile.filename") != null) SENDFILES.incrementAndGet();
            }
        });
        ctx.addFilterDef(fd);
        org.apache.tomcat.util.descriptor.web.FilterMap fm = new org.apache.tomcat.util.descriptor.web.FilterMap();
        fm.setFilterName("sendfileProbe");
        fm.addURLPattern("/*");
        ctx.addFilterMap(fm);
        tomcat.start();
        int port = connector.getLocalPort();
        Report.check(connector.getState() == org.apache.catalina.LifecycleState.STARTED && port > 0,
                "the connector did not start: " + connector.getState() + ", port " + port);

        Object endpoint = Report.field(connector.getProtocolHandler(), "endpoint");
        Report.channel("server.ServerSocketChannel", Report.field(endpoint, "serverSock"));
        Report.sample("server", () -> List.of((Selector) Report.path(endpoint, "poller", "selector")));

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        Object impl = Report.field(client, "impl");
        Report.sample("client", () -> List.of((Selector) Report.path(impl, "selmgr", "selector")));

        String bigSha = Report.sha256(big), smallSha = Report.sha256(small);
        AtomicLong sendfileBytes = new AtomicLong(), otherBytes = new AtomicLong();
        Semaphore inflight = new Semaphore(16);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            final int n = i;
            inflight.acquire();
            CompletableFuture<Void> f;
            if (n % 10 == 0) {
                f = client.sendAsync(get(port, "/big.bin"), HttpResponse.BodyHandlers.ofByteArray()).thenAccept(r -> {
                    check(r.statusCode() == 200, "big " + n + ": status " + r.statusCode());
                    check(r.body().length == big.length, "big " + n + ": " + r.body().length + " bytes");
                    check(bigSha.equals(Report.sha256(r.body())), "big " + n + ": sha256 differs");
                    sendfileBytes.addAndGet(r.body().length);
                });
            } else if (n % 2 == 0) {
                f = client.sendAsync(get(port, "/small.bin"), HttpResponse.BodyHandlers.ofByteArray()).thenAccept(r -> {
                    check(r.statusCode() == 200, "small " + n + ": status " + r.statusCode());
                    check(smallSha.equals(Report.sha256(r.body())), "small " + n + ": sha256 differs");
                    otherBytes.addAndGet(r.body().length);
                });
            } else {
                byte[] up = Report.content(n, 1 + (n * 7919) % (1 << 20));
                HttpRequest rq = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(up)).build();
                f = client.sendAsync(rq, HttpResponse.BodyHandlers.ofByteArray()).thenAccept(r -> {
                    String sha = Report.sha256(up);
                    check(r.statusCode() == 200, "echo " + n + ": status " + r.statusCode());
                    check(sha.equals(r.headers().firstValue("X-Sha256").orElse("")), "echo " + n + ": server saw another body");
                    check(sha.equals(Report.sha256(r.body())), "echo " + n + ": body differs");
                    otherBytes.addAndGet(up.length);
                });
            }
            all.add(f.whenComplete((v, t) -> inflight.release()));
        }
        Report.awaitAll(all, 150, "request failed");
        Report.printSamples();
        tomcat.stop();
        tomcat.destroy();
        Report.result("requests", requests);
        Report.result("sendfile.bytes", sendfileBytes.get());
        Report.result("other.bytes", otherBytes.get());
        Report.result("sendfile.responses", SENDFILES.get());
        Report.check(SENDFILES.get() == (requests + 9) / 10, "the DefaultServlet used sendfile for "
                + SENDFILES.get() + " responses, want " + (requests + 9) / 10);
        Report.result("sha256", "match");
        Report.ok();
    }

    static HttpRequest get(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60)).build();
    }

    static void check(boolean cond, String what) {
        if (!cond) throw new IllegalStateException(what);
    }
}
