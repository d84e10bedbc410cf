package io.nativenio.ch;

import java.nio.channels.SelectionKey;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The key set of one selector, what {@code keys()} returns a read-only view of. As the JDK's (a concurrent
 * set since JDK 11) it may be read and iterated by any thread while keys are added and removed, and its
 * iterators are weakly consistent: they never throw ConcurrentModificationException, return every key that
 * was in the set when they were made and is still there exactly once, and may or may not return keys added
 * or removed since. Unlike a ConcurrentHashMap it allocates nothing per key: each key stays in one slot of
 * an array for its whole membership (its {@link NativeSelectionKey#keysIndex}), and the slot is reused by a
 * later key once it is freed.
 */
final class RegisteredKeys extends AbstractSet<SelectionKey> {
    // Read by any thread without the lock; written under it. A slot holds its key from add to remove.
    private volatile NativeSelectionKey[] slots = new NativeSelectionKey[64];
    // Guarded by this: the slots freed below the high-water mark (a stack), and the mark itself.
    private int[] free = new int[64];
    private int freeCount;
    private int end;
    private volatile int size;

    /** Adds a key that was never in the set; register calls it once per key. */
    synchronized void addKey(NativeSelectionKey k) {
        int i = freeCount > 0 ? free[--freeCount] : end++;
        NativeSelectionKey[] a = slots;
        if (i == a.length) {
            a = Arrays.copyOf(a, i * 2);
            free = Arrays.copyOf(free, i * 2);
        }
        a[i] = k;
        k.keysIndex = i;
        slots = a; // publishes the slot's key to lock-free readers, with the new array if it grew
        size++;
    }

    /** Removes {@code k} if it is in the set. */
    synchronized void removeKey(NativeSelectionKey k) {
        int i = k.keysIndex;
        NativeSelectionKey[] a = slots;
        if (i >= 0 && a[i] == k) {
            a[i] = null;
            k.keysIndex = -1;
            free[freeCount++] = i;
            size--;
        }
    }

    /**
     * The slots, for a reader that picks keys by slot (the compatibility-testing mode's false readiness): read
     * only, a null slot is free. The array is replaced when it grows.
     */
    NativeSelectionKey[] slots() {
        return slots;
    }

    /** The slots ever used: the free ones below it are reused first, so most slots below it hold keys. */
    synchronized int used() {
        return end;
    }

    @Override
    public boolean contains(Object o) {
        if (!(o instanceof NativeSelectionKey k)) {
            return false;
        }
        int i = k.keysIndex;
        NativeSelectionKey[] a = slots;
        return i >= 0 && i < a.length && a[i] == k;
    }

    @Override
    public int size() {
        return size;
    }

    /** Weakly consistent (see the class comment); its remove() is for the selector's own use. */
    @Override
    public Iterator<SelectionKey> iterator() {
        return new Iterator<>() {
            private final NativeSelectionKey[] a = slots;
            private int index;
            // Read ahead, so that a key hasNext() has seen is returned even if it is removed meanwhile.
            private NativeSelectionKey nextKey = advance();
            private NativeSelectionKey last;

            private NativeSelectionKey advance() {
                NativeSelectionKey k = null;
                int i = index;
                while (i < a.length && (k = a[i]) == null) {
                    i++;
                }
                index = i + 1;
                return k;
            }

            @Override
            public boolean hasNext() {
                return nextKey != null;
            }

            @Override
            public SelectionKey next() {
                NativeSelectionKey k = nextKey;
                if (k == null) {
                    throw new NoSuchElementException();
                }
                nextKey = advance();
                last = k;
                return k;
            }

            @Override
            public void remove() {
                if (last == null) {
                    throw new IllegalStateException();
                }
                removeKey(last);
                last = null;
            }
        };
    }
}
