package io.nativenio.ch;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToIntFunction;

/**
 * A small pool of reusable objects shared by all virtual threads, in place of the JDK's per-carrier caches
 * (its {@code sun.nio.ch.Util} and {@code IOVecWrapper} use an internal carrier-thread local that a third
 * party cannot reach). Slots are taken and filled with compare-and-set; a search starts at a random slot
 * so that carrier threads seldom meet on one. An object is only ever held by one thread at a time.
 */
final class SharedPool<T> {
    /** About two objects per carrier thread (the virtual-thread scheduler has one per CPU by default). */
    static final int DEFAULT_SLOTS = Math.min(64, 2 * Runtime.getRuntime().availableProcessors());

    private final AtomicReferenceArray<T> slots;
    private final ToIntFunction<? super T> size;

    SharedPool(int slots, ToIntFunction<? super T> size) {
        this.slots = new AtomicReferenceArray<>(slots);
        this.size = size;
    }

    /** Removes and returns an object of at least {@code minSize}, or null when the pool has none. */
    T take(int minSize) {
        int n = slots.length();
        int start = ThreadLocalRandom.current().nextInt(n);
        for (int i = 0; i < n; i++) {
            int at = (start + i) % n;
            T t = slots.get(at);
            if (t != null && size.applyAsInt(t) >= minSize && slots.compareAndSet(at, t, null)) {
                return t;
            }
        }
        return null;
    }

    /** Puts {@code t} into a free slot; false when every slot is full (the caller disposes of it). */
    boolean offer(T t) {
        int n = slots.length();
        int start = ThreadLocalRandom.current().nextInt(n);
        for (int i = 0; i < n; i++) {
            int at = (start + i) % n;
            if (slots.get(at) == null && slots.compareAndSet(at, null, t)) {
                return true;
            }
        }
        return false;
    }
}
