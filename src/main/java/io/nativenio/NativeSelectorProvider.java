package io.nativenio;

import io.nativenio.ch.Channels;
import io.nativenio.ch.InheritedChannel;
import io.nativenio.ch.NativeLibrary;
import io.nativenio.ch.NativeSelector;
import io.nativenio.ch.PipeImpl;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;

/**
 * The nativenio {@link SelectorProvider}: the {@link java.nio.channels.Selector}, {@link SocketChannel},
 * {@link ServerSocketChannel}, {@link DatagramChannel} and {@link Pipe} of an unmodified program, and
 * {@link System#inheritedChannel()}, implemented over JNI and epoll (Linux) or kqueue (macOS) instead of the
 * JDK's own {@code sun.nio.ch} classes, with the same behaviour. Programs never call this class: the JDK's
 * {@code open()} methods reach it through {@link SelectorProvider#provider()} once it is installed.
 *
 * <h2>Installing it</h2>
 * <ul>
 * <li>System property:
 * {@code java -Djava.nio.channels.spi.SelectorProvider=io.nativenio.NativeSelectorProvider -cp nativenio.jar:app.jar App}</li>
 * <li>Class path: {@code java -cp nativenio.jar:app.jar App}; the jar's {@code META-INF/services} entry names
 * this class.</li>
 * <li>Module path: {@code java --module-path nativenio.jar --add-modules io.nativenio -cp app.jar App};
 * module {@code io.nativenio} provides this class as its {@code SelectorProvider}.</li>
 * </ul>
 * The jar carries the native library for each platform it was built for ({@code linux-x86_64},
 * {@code linux-aarch64}, {@code macos-x86_64}, {@code macos-aarch64}) and loads it itself; {@code java.library.path} plays no part. On JDK 24 and later, add
 * {@code --enable-native-access=ALL-UNNAMED} (or {@code =io.nativenio} on the module path) to silence the
 * JVM's warning about {@code System.load}.
 *
 * <h2>System properties</h2>
 * <ul>
 * <li>{@code nativenio.library.path}: the absolute path of a {@code libnativenio.so} to load instead of
 * the jar's copy; when set, nothing else is tried.</li>
 * <li>{@code nativenio.backend}: {@code epoll} or {@code kqueue}, the kernel readiness queue under selectors
 * and parked virtual threads; by default the platform's own (epoll on Linux, kqueue on macOS and FreeBSD). A
 * backend the library does not carry makes {@code Selector.open()} throw UnsupportedOperationException.</li>
 * <li>{@code nativenio.tmpdir}: the directory to extract the jar's library into, tried before
 * {@code java.io.tmpdir} and {@code ~/.cache/nativenio} (for machines whose temporary directory is mounted
 * {@code noexec}). The library goes into a fresh owner-only directory, is checked against its SHA-256,
 * loaded, and deleted at once.</li>
 * </ul>
 * The JDK's own properties keep their meaning, e.g. {@code java.net.preferIPv4Stack},
 * {@code jdk.net.unixdomain.tmpdir} and {@code jdk.nio.maxCachedBufferSize}.
 *
 * <h2>When the library cannot be loaded</h2>
 * The constructor loads the native library and makes no NIO call (a nested
 * {@link SelectorProvider#provider()} would see {@code null}). If the library cannot be loaded, the
 * constructor logs a warning on the logger {@code io.nativenio} and throws a {@link SecurityException}
 * whose message names the platform, every attempt and the fix. JDK 17's {@link java.util.ServiceLoader}
 * lookup then skips this provider and uses the JDK's own; the system-property route, and every route on
 * JDK 25, report it as a {@link java.util.ServiceConfigurationError} from the first NIO call.
 *
 * <h2>Self-check</h2>
 * {@code java -jar nativenio-<version>.jar} prints the version, the JVM, the platform and where the library
 * was loaded from, then checks every feature with one {@code PASS} or {@code FAIL} line. Its exit status is
 * 0 when every check passed, 1 when one failed, and 2 when the native library could not be loaded.
 *
 * <p>Known differences from the JDK's provider are listed in the project's {@code docs/differences.md}.
 */
public final class NativeSelectorProvider extends SelectorProvider {
    /** Creates the provider; called by {@link SelectorProvider#provider()}. */
    public NativeSelectorProvider() {
        try {
            NativeLibrary.load();
        } catch (NativeLibrary.UnavailableException e) {
            System.getLogger("io.nativenio").log(Level.WARNING, e.getMessage());
            throw new SecurityException(e.getMessage(), e);
        }
    }

    @Override
    public AbstractSelector openSelector() throws IOException {
        return new NativeSelector(this);
    }

    @Override
    public Pipe openPipe() throws IOException {
        return new PipeImpl(this);
    }

    /**
     * A socket on standard input as a channel, created on the first call and the same object afterwards: a
     * connected TCP or UNIX-domain stream socket gives a {@link SocketChannel}, a listening one a
     * {@link ServerSocketChannel}, a UDP socket a {@link DatagramChannel}; anything else gives {@code null}.
     */
    @Override
    public Channel inheritedChannel() throws IOException {
        return InheritedChannel.get(this);
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return Channels.openSocketChannel(this, null);
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        return Channels.openSocketChannel(this, Objects.requireNonNull(family, "'family' is null"));
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return Channels.openServerSocketChannel(this, null);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        return Channels.openServerSocketChannel(this, Objects.requireNonNull(family, "'family' is null"));
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return Channels.openDatagramChannel(this, null);
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return Channels.openDatagramChannel(this, Objects.requireNonNull(family, "'family' is null"));
    }

    /** The version of this jar, or "dev" when run from classes. */
    public static String version() {
        String v = NativeSelectorProvider.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
