package io.nativenio.ch;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Per-thread cache of temporary direct buffers in native memory, through which heap buffers are read and
 * written (CONFORMANCE D35, after the JDK's {@code sun.nio.ch.Util}). Buffers larger than
 * {@code jdk.nio.maxCachedBufferSize} are not cached. A thread's cached buffers are freed when the thread
 * dies. Steady state allocates nothing.
 */
final class TempBuffers {
    private static final int SLOTS = 16;
    private static final long MAX_CACHED_SIZE = maxCachedSize();
    private static final Cleaner CLEANER = Cleaner.create();
    private static final ThreadLocal<TempBuffers> CACHE = ThreadLocal.withInitial(TempBuffers::new);

    /** The buffers, shared with the cleaning action, which must not reach the TempBuffers object. */
    private final ByteBuffer[] slots = new ByteBuffer[SLOTS];

    private TempBuffers() {
        ByteBuffer[] owned = slots;
        CLEANER.register(this, () -> {
            for (ByteBuffer b : owned) {
                if (b != null) {
                    IO.free(b);
                }
            }
        });
    }

    /** A direct buffer with position 0 and limit {@code size}; give it back with {@link #release}. */
    static ByteBuffer get(int size) {
        TempBuffers cache = CACHE.get();
        ByteBuffer[] slots = cache.slots;
        for (int i = 0; i < SLOTS; i++) {
            ByteBuffer b = slots[i];
            if (b != null && b.capacity() >= size) {
                slots[i] = null;
                return b.clear().limit(size);
            }
        }
        ByteBuffer b = IO.allocate(Math.max(size, 1));
        if (b == null) {
            throw new OutOfMemoryError("cannot allocate a native buffer of " + size + " bytes");
        }
        return b.order(ByteOrder.nativeOrder()).limit(size);
    }

    /** Returns a buffer from {@link #get} to this thread's cache, or frees it. */
    static void release(ByteBuffer b) {
        if (b.capacity() <= MAX_CACHED_SIZE) {
            ByteBuffer[] slots = CACHE.get().slots;
            for (int i = 0; i < SLOTS; i++) {
                if (slots[i] == null) {
                    slots[i] = b;
                    return;
                }
            }
            // Full: replace the smallest if this one is bigger, so the cache keeps the useful sizes.
            int smallest = 0;
            for (int i = 1; i < SLOTS; i++) {
                if (slots[i].capacity() < slots[smallest].capacity()) {
                    smallest = i;
                }
            }
            if (slots[smallest].capacity() < b.capacity()) {
                ByteBuffer evicted = slots[smallest];
                slots[smallest] = b;
                b = evicted;
            }
        }
        IO.free(b);
    }

    private static long maxCachedSize() {
        String s = SystemProperties.get("jdk.nio.maxCachedBufferSize"); // privileged, as the JDK (A9)
        if (s != null) {
            try {
                long m = Long.parseLong(s);
                if (m >= 0) {
                    return m;
                }
            } catch (NumberFormatException ignore) {
                // the JDK ignores a bad value too
            }
        }
        return Long.MAX_VALUE;
    }
}
