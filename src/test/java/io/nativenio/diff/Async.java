package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A task on its own daemon thread; {@link #get()} fails instead of hanging (10 s limit). */
final class Async<T> {
    final Thread thread;
    private final FutureTask<T> task;

    private Async(Callable<T> c, String name) {
        task = new FutureTask<>(c);
        thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    static <T> Async<T> start(String name, Callable<T> c) {
        return new Async<>(c, name);
    }

    /**
     * As {@link #start}, for a call that an interrupt ends: its thread must still have its interrupt status set when
     * {@code c} ends, which checks and clears it.
     */
    static <T> Async<T> startKeepingInterrupt(String name, Callable<T> c) {
        return start(name, () -> {
            try {
                return c.call();
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt status stays set");
            }
        });
    }

    /**
     * Waits until the task's thread blocks in the kernel below a method named in {@code methods}
     * ({@link Providers#awaitBlockedIn}); returns this task.
     */
    Async<T> awaitBlockedIn(String... methods) throws InterruptedException {
        Providers.awaitBlockedIn(thread, methods);
        return this;
    }

    /** The result, or the task's exception as the cause of an ExecutionException; at most 10 s. */
    T get() throws ExecutionException, InterruptedException {
        try {
            return task.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new AssertionError(thread.getName() + " did not finish within 10 s (hang?)", e);
        }
    }

    /** The exception the task threw (fails if it returned normally). */
    Throwable failure() throws InterruptedException {
        try {
            T v = get();
            throw new AssertionError(thread.getName() + " returned " + v + " instead of throwing");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** The exception the task threw, which must be exactly a {@code type} (not a subclass). */
    <E extends Throwable> E failure(Class<? extends E> type) throws InterruptedException {
        Throwable t = failure();
        assertSame(type, t.getClass(), t.toString());
        return type.cast(t);
    }

    boolean isDone() {
        return task.isDone();
    }
}
