package io.nativenio.ch;

import java.util.AbstractSet;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.nio.channels.SelectionKey;

/**
 * The selected-key set of one selector: an array plus each key's index in it, so that add, contains,
 * remove and clear allocate nothing (DESIGN.md "Speed by design"). It is the exact object
 * {@code selectedKeys()} returns, so select locks it (CONFORMANCE B10). As the JDK's ungrowable view
 * (B21), user code may remove keys but not add them; its iterator is fail-fast. Not thread-safe.
 *
 * <p>The element type is a type parameter, used only as {@code SelectedKeys<SelectionKey>}: its erasure is
 * Object, so {@code add} of a raw {@code Set} gets no cast to SelectionKey from the compiler's bridge method
 * and throws UnsupportedOperationException for any argument, as the JDK's (KeySets).
 *
 * @param <K> always {@link SelectionKey}
 */
final class SelectedKeys<K> extends AbstractSet<K> {
    private final NativeSelector owner;
    private NativeSelectionKey[] keys = new NativeSelectionKey[64];
    private int size;
    private int modCount;

    SelectedKeys(NativeSelector owner) {
        this.owner = owner;
    }

    /** Adds a key of the owner that is not in the set; only the selector calls this. */
    void addKey(NativeSelectionKey k) {
        if (size == keys.length) {
            keys = java.util.Arrays.copyOf(keys, size * 2);
        }
        k.selectedIndex = size;
        keys[size++] = k;
        modCount++;
    }

    boolean containsKey(NativeSelectionKey k) {
        return k.selectedIndex >= 0;
    }

    @Override
    public boolean add(K k) {
        throw new UnsupportedOperationException();
    }

    /** B21: as the JDK's {@code Util.ungrowableSet}, throws even for an empty or null collection. */
    @Override
    public boolean addAll(java.util.Collection<? extends K> c) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof NativeSelectionKey k && k.selector() == owner && k.selectedIndex >= 0;
    }

    @Override
    public boolean remove(Object o) {
        if (!contains(o)) {
            return false;
        }
        removeAt(((NativeSelectionKey) o).selectedIndex);
        return true;
    }

    /** Removes the key at {@code i} by moving the last key into its slot. */
    private void removeAt(int i) {
        NativeSelectionKey removed = keys[i];
        removed.selectedIndex = -1;
        int last = --size;
        if (i != last) {
            NativeSelectionKey moved = keys[last];
            keys[i] = moved;
            moved.selectedIndex = i;
        }
        keys[last] = null;
        modCount++;
    }

    @Override
    public void clear() {
        for (int i = 0; i < size; i++) {
            keys[i].selectedIndex = -1;
            keys[i] = null;
        }
        size = 0;
        modCount++;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Iterator<K> iterator() {
        return new Iterator<>() {
            private int next;
            private int last = -1;
            private int expectedModCount = modCount;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            @SuppressWarnings("unchecked") // K is SelectionKey
            public K next() {
                if (modCount != expectedModCount) {
                    throw new ConcurrentModificationException();
                }
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                last = next++;
                return (K) keys[last];
            }

            @Override
            public void remove() {
                if (last < 0) {
                    throw new IllegalStateException();
                }
                if (modCount != expectedModCount) {
                    throw new ConcurrentModificationException();
                }
                // The last key moves into the removed slot, so it is the next one to return.
                removeAt(last);
                next = last;
                last = -1;
                expectedModCount = modCount;
            }
        };
    }
}
