package io.nativenio.ch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Native memory that a poller shares with its natives (an event array, a changelist): a direct buffer in native
 * byte order, zeroed when allocated, and its address. {@link #grow} replaces it with a larger copy, so that holders
 * read {@link #buf()} and {@link #address()} anew after a call that may grow it. A failed allocation is an
 * OutOfMemoryError, as for a direct buffer that the JDK cannot allocate.
 */
public final class NativeBuffer {
    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);

    private ByteBuffer buf = EMPTY;
    private long address;

    /** {@code size} bytes, or none yet for 0 (address 0). */
    NativeBuffer(int size) {
        if (size > 0) {
            set(allocate(size, 0, buf));
        }
    }

    public ByteBuffer buf() {
        return buf;
    }

    public long address() {
        return address;
    }

    public int capacity() {
        return buf.capacity();
    }

    /** Makes the buffer at least {@code size} bytes, at least doubling it: the contents stay, new bytes are zero. */
    public void grow(int size) {
        int old = buf.capacity();
        if (size > old) {
            ByteBuffer bigger = allocate(Math.max(size, old * 2), old, buf);
            free();
            set(bigger);
        }
    }

    /** Frees the memory; the buffer is empty afterwards. */
    void free() {
        if (buf != EMPTY) {
            IO.free(buf);
        }
        buf = EMPTY;
        address = 0;
    }

    private void set(ByteBuffer b) {
        buf = b;
        address = IO.address(b);
    }

    /** {@code size} bytes holding the first {@code keep} bytes of {@code old}, zero after them. */
    private static ByteBuffer allocate(int size, int keep, ByteBuffer old) {
        ByteBuffer b = IO.allocate(size);
        if (b == null) {
            throw new OutOfMemoryError("cannot allocate " + size + " bytes of native memory for a poller");
        }
        b.order(ByteOrder.nativeOrder());
        for (int i = 0; i < size; i++) {
            b.put(i, i < keep ? old.get(i) : 0);
        }
        return b;
    }
}
