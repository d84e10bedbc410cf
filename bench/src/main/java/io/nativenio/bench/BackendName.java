package io.nativenio.bench;

/**
 * The readiness backend nativenio picked in this JVM, for the checks of bench/run --backend: the io_uring backend
 * falls back to epoll where the kernel refuses it (with a WARNING line), and a run of that fallback must fail, not
 * pass for io_uring. Read through {@code io.nativenio.ch.Backends.get().name()}, an internal class reached because
 * the jar is on a class path, in no module.
 */
public final class BackendName {
    private BackendName() {
    }

    /** The backend of the nativenio whose classes {@code loader} loads; "epoll" for a build from before backends had names (epoll only, on Linux). */
    public static String of(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> backends;
        try {
            backends = Class.forName("io.nativenio.ch.Backends", true, loader);
        } catch (ClassNotFoundException before) {
            return "epoll";
        }
        Object backend = backends.getMethod("get").invoke(null);
        return (String) Class.forName("io.nativenio.ch.Backend", true, loader).getMethod("name").invoke(backend);
    }
}
