package io.nativenio.jvm.app;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Permission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The application that the integration tests run in a child JVM, with nativenio on its class path or
 * module path. It uses NIO the way an unmodified program does and prints what it saw as {@code key=value}
 * lines; on any failure it prints {@code error=} and every {@code cause=} and exits with 3.
 *
 * <p>Arguments: {@code pipe-first} makes {@link Pipe#open()} the program's first NIO call instead of
 * {@link SelectorProvider#provider()}; {@code watch-load} (JDK 17 only) installs a SecurityManager that
 * allows everything and records, in {@code checkLink}, the permissions of the library file and its
 * directory at the moment {@code System.load} is called (afterwards both are deleted).
 */
public final class Probe {
    private Probe() {
    }

    public static void main(String[] args) {
        try {
            List<String> options = List.of(args);
            out("os.arch", System.getProperty("os.arch"));
            if (options.contains("watch-load")) {
                watchLoad();
            }
            if (options.contains("pipe-first")) {
                roundTrip();
            }
            SelectorProvider provider = SelectorProvider.provider();
            out("provider", provider == null ? "null" : provider.getClass().getName());
            if (provider != null) {
                out("provider.module", String.valueOf(provider.getClass().getModule().getName()));
                out("provider.same", String.valueOf(provider == SelectorProvider.provider()));
            }
            roundTrip();
            out("loadedFrom", loadedFrom());
            mappings();
            out("done", "true");
        } catch (Throwable e) {
            out("error", e.toString());
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                out("cause", c.toString());
            }
            e.printStackTrace();
            System.exit(3);
        }
    }

    /** Selector.open() and Pipe.open(), then one message through the pipe, selected by the selector. */
    private static void roundTrip() throws Exception {
        Pipe pipe = Pipe.open();
        try (Selector selector = Selector.open(); Pipe.SourceChannel source = pipe.source();
             Pipe.SinkChannel sink = pipe.sink()) {
            out("selector", selector.getClass().getName());
            out("pipe.source", source.getClass().getName());
            out("pipe.sink", sink.getClass().getName());
            source.configureBlocking(false);
            SelectionKey key = source.register(selector, SelectionKey.OP_READ);
            sink.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
            int selected = selector.select(30_000);
            ByteBuffer in = ByteBuffer.allocate(16);
            source.read(in);
            String got = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
            boolean ok = selected == 1 && key.isReadable() && got.equals("ping");
            out("roundtrip", ok ? "ok" : "failed: selected " + selected + ", read \"" + got + "\"");
        }
    }

    /** NativeLibrary.loadedFrom(), when nativenio is on the class path (its package is not exported). */
    private static String loadedFrom() {
        try {
            return String.valueOf(Class.forName("io.nativenio.ch.NativeLibrary").getMethod("loadedFrom").invoke(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }

    /** Each mapped copy of libnativenio.so (/proc/self/maps) and the mode of the mapped file. */
    private static void mappings() throws Exception {
        Map<String, String> ranges = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash > 0 && line.contains("libnativenio")) {
                    ranges.putIfAbsent(line.substring(slash), line.substring(0, line.indexOf(' ')));
                }
            }
        } catch (SecurityException e) {
            out("mapped", "denied");
            return;
        }
        for (Map.Entry<String, String> e : ranges.entrySet()) {
            out("mapped", e.getKey());
            out("mapped.mode", mode(Path.of("/proc/self/map_files", e.getValue())));
        }
    }

    @SuppressWarnings("removal")
    private static void watchLoad() {
        System.setSecurityManager(new SecurityManager() {
            @Override
            public void checkPermission(Permission perm) {
            }

            @Override
            public void checkPermission(Permission perm, Object context) {
            }

            @Override
            public void checkLink(String lib) {
                if (lib.contains("libnativenio")) {
                    Path file = Path.of(lib);
                    out("load.file", lib);
                    out("load.file.mode", mode(file));
                    out("load.dir.mode", mode(file.getParent()));
                    out("load.owner.matches", String.valueOf(uid(file) == uid(Path.of("/proc/self"))
                            && uid(file.getParent()) == uid(Path.of("/proc/self"))));
                }
            }
        });
    }

    /** The permission bits of {@code p} (following links) in octal, e.g. 600. */
    private static String mode(Path p) {
        try {
            return Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode") & 0777);
        } catch (Exception e) {
            return "unavailable (" + e + ")";
        }
    }

    private static int uid(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid");
        } catch (Exception e) {
            return -1;
        }
    }

    private static void out(String key, String value) {
        System.out.println(key + "=" + value);
    }
}
