package io.nativenio.ch;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Temporary direct buffers in native memory, through which heap buffers are read and written (after the
 * JDK's {@code sun.nio.ch.Util}), and the caches that keep them for reuse:
 * <ul>
 * <li>a platform thread has a cache of up to {@value #SLOTS} buffers of its own, the hot path: it takes
 * and gives back a buffer without allocating, locking or an atomic operation. A thread's cached buffers
 * are freed by a {@link Cleaner} once the thread has terminated and its cache been collected;</li>
 * <li>virtual threads share one {@link SharedPool}, since a cache per virtual thread would keep native
 * memory per virtual thread (the JDK keeps its cache per carrier thread, through an internal carrier-thread
 * local that a third party cannot use). A virtual thread holds a buffer only for one system call.</li>
 * </ul>
 * Bound: the buffers all caches hold together (a platform thread's cache counts the buffer it has lent
 * out too) never exceed {@code -Dnativenio.maxCachedBufferMemory} bytes, 64 MiB by default; a buffer that
 * would exceed it is freed after the operation instead of cached, as is one larger than
 * {@code jdk.nio.maxCachedBufferSize}. Memory of terminated threads that the GC has not yet found counts
 * against the bound, so it cannot accumulate.
 */
final class TempBuffers {
    private static final int SLOTS = 16;
    private static final long MAX_CACHED_SIZE = maxCachedSize();
    private static final long MAX_TOTAL = maxTotal();
    /** Bytes of the buffers that the caches hold. */
    private static final AtomicLong HELD = new AtomicLong();
    private static final SharedPool<ByteBuffer> SHARED = new SharedPool<>(SharedPool.DEFAULT_SLOTS, ByteBuffer::capacity);
    private static final Cleaner CLEANER = Cleaner.create();
    private static final ThreadLocal<TempBuffers> CACHE = ThreadLocal.withInitial(TempBuffers::new);

    /** The buffers this cache owns, shared with the cleaning action, which must not reach the TempBuffers. */
    private final ByteBuffer[] slots = new ByteBuffer[SLOTS];
    /** Whether slots[i] is lent out by {@link #get}. */
    private final boolean[] lent = new boolean[SLOTS];

    private TempBuffers() {
        ByteBuffer[] owned = slots;
        CLEANER.register(this, () -> {
            for (ByteBuffer b : owned) {
                if (b != null) {
                    free(b);
                }
            }
        });
    }

    /** A direct buffer with position 0 and limit {@code size}; give it back with {@link #release}. */
    static ByteBuffer get(int size) {
        ByteBuffer b;
        if (!VirtualThreads.isVirtual()) {
            b = CACHE.get().take(size);
        } else {
            b = SHARED.take(size);
            if (b != null) {
                HELD.addAndGet(-b.capacity());
            }
        }
        if (b != null) {
            return b.clear().limit(size);
        }
        b = IO.allocate(Math.max(size, 1));
        if (b == null) {
            throw new OutOfMemoryError("cannot allocate a native buffer of " + size + " bytes");
        }
        return b.order(ByteOrder.nativeOrder()).limit(size);
    }

    /** Gives back a buffer from {@link #get} on the same thread: cached, or freed. */
    static void release(ByteBuffer b) {
        if (!VirtualThreads.isVirtual()) {
            if (CACHE.get().keep(b)) {
                return;
            }
        } else if (b.capacity() <= MAX_CACHED_SIZE && reserve(b.capacity())) {
            if (SHARED.offer(b)) {
                return;
            }
            HELD.addAndGet(-b.capacity());
        }
        IO.free(b);
    }

    /** Lends out the first idle cached buffer of at least {@code size}, or null. */
    private ByteBuffer take(int size) {
        for (int i = 0; i < SLOTS; i++) {
            ByteBuffer b = slots[i];
            if (b != null && !lent[i] && b.capacity() >= size) {
                lent[i] = true;
                return b;
            }
        }
        return null;
    }

    /**
     * Takes back a buffer this cache lent out, or adopts a new one into a free slot or in place of a smaller
     * idle one, within the bound; false if {@code b} is not kept.
     */
    private boolean keep(ByteBuffer b) {
        int empty = -1;
        int smallest = -1;
        for (int i = 0; i < SLOTS; i++) {
            ByteBuffer s = slots[i];
            if (s == b) {
                lent[i] = false;
                return true;
            }
            if (s == null) {
                empty = i;
            } else if (!lent[i] && (smallest < 0 || s.capacity() < slots[smallest].capacity())) {
                smallest = i;
            }
        }
        int capacity = b.capacity();
        if (capacity > MAX_CACHED_SIZE) {
            return false;
        }
        if (empty >= 0) {
            if (!reserve(capacity)) {
                return false;
            }
            slots[empty] = b;
            return true;
        }
        // Full: replace the smallest idle buffer if this one is bigger, so the cache keeps the useful sizes.
        if (smallest < 0 || slots[smallest].capacity() >= capacity
                || !reserve(capacity - slots[smallest].capacity())) {
            return false;
        }
        ByteBuffer evicted = slots[smallest];
        slots[smallest] = b;
        IO.free(evicted); // its bytes are already subtracted by the reserve above
        return true;
    }

    /** Counts {@code bytes} more as cached, unless that would exceed the bound. */
    private static boolean reserve(long bytes) {
        for (;;) {
            long held = HELD.get();
            if (held + bytes > MAX_TOTAL) {
                return false;
            }
            if (HELD.compareAndSet(held, held + bytes)) {
                return true;
            }
        }
    }

    /** Frees a cached buffer and stops counting it. */
    private static void free(ByteBuffer b) {
        HELD.addAndGet(-b.capacity());
        IO.free(b);
    }

    private static long maxCachedSize() {
        return sizeProperty("jdk.nio.maxCachedBufferSize", Long.MAX_VALUE); // the JDK ignores a bad value too
    }

    private static long maxTotal() {
        return sizeProperty("nativenio.maxCachedBufferMemory", 64L << 20);
    }

    /** A non-negative number of bytes from a system property (read privileged, as the JDK), else {@code otherwise}. */
    private static long sizeProperty(String name, long otherwise) {
        String s = SystemProperties.get(name);
        if (s != null) {
            try {
                long m = Long.parseLong(s);
                if (m >= 0) {
                    return m;
                }
            } catch (NumberFormatException ignore) {
                // ignored, as the JDK ignores a bad jdk.nio.maxCachedBufferSize
            }
        }
        return otherwise;
    }
}
