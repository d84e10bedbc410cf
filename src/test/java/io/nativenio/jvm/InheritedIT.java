package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.app;
import static io.nativenio.jvm.ChildJvm.classPath;
import static io.nativenio.jvm.ChildJvm.jar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.jvm.app.InheritedProbe;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code System.inheritedChannel()} (behaviours.md#inherited-channel): a child JVM is started by a
 * small Python launcher with a connected TCP socket, a listening one, a UDP one, a listening UNIX-domain one or
 * one end of a UNIX-domain socket pair as its standard input, once on
 * the JDK's provider and once on nativenio's; both must report and do the same, and leave fd 0 on /dev/null
 * after closing the channel.
 */
class InheritedIT {
    /** Puts a socket on fd 0 and execs the rest of the arguments. */
    private static final String LAUNCHER = String.join("\n",
            "import os, socket, sys",
            "kind, port = sys.argv[1], int(sys.argv[2])",
            "if kind == 'connected':",
            "    s = socket.create_connection(('127.0.0.1', port))",
            "elif kind == 'listening':",
            "    s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(5)",
            "elif kind == 'unixlistening':",
            "    s = socket.socket(socket.AF_UNIX); s.bind('s.sock'); s.listen(5)",
            "elif kind == 'unixconnected':",
            "    s, other = socket.socketpair()",
            "    if os.fork() != 0:",
            "        s.close(); other.sendall(b'ping'); got = b''",
            "        while True:",
            "            d = other.recv(64)",
            "            if not d: break",
            "            got += d",
            "        os.wait(); print('exchange=' + got.decode(), flush=True); sys.exit(0)",
            "else:",
            "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0))",
            "os.dup2(s.fileno(), 0)",
            "os.execv(sys.argv[3], sys.argv[3:])");

    @TempDir
    Path dir;

    private ChildJvm.Result probe(String kind, int port, boolean nativenio) throws Exception {
        Path work = dir.resolve(kind + nativenio);
        Path fd0 = work.resolve("fd0.txt");
        List<String> jvm = new ArrayList<>();
        if (nativenio) {
            jvm.add(ChildJvm.PROPERTY);
        }
        jvm.addAll(List.of("-cp", nativenio ? classPath(jar(), app(dir)) : classPath(app(dir)),
                InheritedProbe.class.getName(), fd0.toString()));
        ChildJvm.Result r = ChildJvm.launch(work, List.of("python3", "-c", LAUNCHER, kind, Integer.toString(port)),
                jvm.toArray(new String[0])).assertExited(0);
        assertEquals("/dev/null", Files.readString(fd0).trim(), "fd 0 after close\n" + r.describe());
        assertEquals(Boolean.toString(nativenio), r.value("provider.ours"), r.describe());
        assertEquals("true", r.value("same"), r.describe());
        return r;
    }

    /** The lines that must be equal on both providers (the channel class names differ). */
    private static String comparable(ChildJvm.Result r) {
        return r.stdout().lines().filter(l -> !l.startsWith("provider.ours=") && !l.startsWith("channel.class="))
                .reduce("", (a, b) -> a + b + "\n");
    }

    private ChildJvm.Result sameOnBoth(String kind, int port) throws Exception {
        ChildJvm.Result jdk = probe(kind, port, false);
        ChildJvm.Result ours = probe(kind, port, true);
        assertTrue(ours.value("channel.class").startsWith("io.nativenio.ch."), ours.describe());
        assertTrue(jdk.value("kind").length() > 0, jdk.describe());
        assertEquals(comparable(jdk), comparable(ours), jdk.describe() + "\n" + ours.describe());
        return ours;
    }

    @Test
    void connectedSocket() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String[] seen = new String[2];
            for (int ours = 0; ours < 2; ours++) {
                CompletableFuture<String> echo = CompletableFuture.supplyAsync(() -> exchange(server));
                ChildJvm.Result r = probe("connected", server.getLocalPort(), ours == 1);
                assertEquals("pong:ping", echo.get(30, TimeUnit.SECONDS), r.describe());
                seen[ours] = comparable(r);
            }
            assertEquals(seen[0], seen[1]);
        }
    }

    @Test
    void listeningSocket() throws Exception {
        sameOnBoth("listening", 0);
    }

    @Test
    void datagramSocket() throws Exception {
        sameOnBoth("datagram", 0);
    }

    @Test
    void unixListeningSocket() throws Exception {
        sameOnBoth("unixlistening", 0);
    }

    /** A UNIX socket pair: the launcher keeps one end, sends "ping" and prints what comes back. */
    @Test
    void unixConnectedSocket() throws Exception {
        ChildJvm.Result ours = sameOnBoth("unixconnected", 0);
        assertEquals("pong:ping", ours.value("exchange"), ours.describe());
    }

    /** Accepts the child's connection, sends "ping" and returns what comes back until EOF. */
    private static String exchange(ServerSocket server) {
        try (Socket s = server.accept(); OutputStream out = s.getOutputStream(); InputStream in = s.getInputStream()) {
            s.setSoTimeout(30_000);
            out.write("ping".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
