package io.nativenio.ch;

import io.nativenio.compat.Compat;
import io.nativenio.compat.Dice;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.nio.channels.SelectionKey;

/**
 * The selected-key set of one selector: an array plus each key's index in it, so that add, contains, remove and clear
 * allocate nothing (docs/architecture.md#the-selector-nativeselector-over-poller). It is the exact object
 * {@code selectedKeys()} returns, so select locks it
 * (behaviours.md#select-locks-the-selector-and-its-selected-key-set). As the JDK's ungrowable view
 * (behaviours.md#key-sets), user code may remove keys but not add them; its iterator is fail-fast. Not thread-safe.
 *
 * <p>A key is in the set when the slot its index names holds it. Programs do use the set from several
 * threads without locking it; that can leave a key's index stale, a key twice in the array or a null slot.
 * None of it may throw anything but what the JDK's HashSet-based set throws when so misused: each array
 * access is checked against values read once, the iterator reports a slot that changed under it with
 * ConcurrentModificationException, and a stale index only means "not in the set" (the next select adds the
 * key again). Removal never throws, as the selector's own cancelled-key flush and close rely on it.
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
        NativeSelectionKey[] a = keys;
        int s = size;
        if (s >= a.length) {
            keys = a = Arrays.copyOf(a, Math.max(s + 1, a.length * 2));
        }
        k.selectedIndex = s;
        a[s] = k;
        size = s + 1;
        modCount++;
    }

    boolean containsKey(NativeSelectionKey k) {
        int i = k.selectedIndex;
        NativeSelectionKey[] a = keys;
        return i >= 0 && i < size && i < a.length && a[i] == k;
    }

    /** Removes {@code k} if it is in the set. */
    void removeKey(NativeSelectionKey k) {
        int i = k.selectedIndex;
        NativeSelectionKey[] a = keys;
        int s = size;
        if (i >= 0 && i < s && s <= a.length && a[i] == k) {
            removeAt(a, s, i, k);
        }
    }

    @Override
    public boolean add(K k) {
        throw new UnsupportedOperationException();
    }

    /** As the JDK's {@code Util.ungrowableSet}, throws even for an empty or null collection. */
    @Override
    public boolean addAll(java.util.Collection<? extends K> c) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof NativeSelectionKey k && k.selector() == owner && containsKey(k);
    }

    @Override
    public boolean remove(Object o) {
        if (!contains(o)) {
            return false;
        }
        removeKey((NativeSelectionKey) o);
        return true;
    }

    /**
     * Removes {@code k}, found at {@code i} of {@code a} (the array) with {@code s} (the size), by moving the
     * last key into its slot.
     */
    private void removeAt(NativeSelectionKey[] a, int s, int i, NativeSelectionKey k) {
        int last = s - 1;
        NativeSelectionKey moved = a[last];
        a[last] = null;
        k.selectedIndex = -1;
        if (i != last) {
            a[i] = moved; // null only in a set corrupted by unsynchronized use; its iterators report it
            if (moved != null) {
                moved.selectedIndex = i;
            }
        }
        size = last;
        modCount++;
    }

    @Override
    public void clear() {
        NativeSelectionKey[] a = keys;
        int s = Math.min(size, a.length);
        for (int i = 0; i < s; i++) {
            NativeSelectionKey k = a[i];
            if (k != null) {
                k.selectedIndex = -1;
                a[i] = null;
            }
        }
        size = 0;
        modCount++;
    }

    @Override
    public int size() {
        return size;
    }

    /** Puts the keys in a random order drawn from {@code dice} (the compatibility-testing mode's shuffle-keys). */
    void shuffle(Dice dice) {
        NativeSelectionKey[] a = keys;
        for (int i = Math.min(size, a.length) - 1; i > 0; i--) {
            int j = dice.below(i + 1);
            NativeSelectionKey k = a[i];
            a[i] = a[j];
            a[j] = k;
            index(a, i);
            index(a, j);
        }
        modCount++;
    }

    /** Tells the key at {@code i} of {@code a} its index (none there: the set was corrupted, see the class comment). */
    private static void index(NativeSelectionKey[] a, int i) {
        if (a[i] != null) {
            a[i].selectedIndex = i;
        }
    }

    @Override
    public Iterator<K> iterator() {
        if (Compat.MISUSE) {
            owner.selectedKeysUsed();
        }
        return new Iterator<>() {
            private int next;
            private int last;
            private NativeSelectionKey lastKey;
            private int expectedModCount = modCount;
            // hasNext() said yes for this position: only another thread shrinking the set can make next() fail
            private boolean promised;

            @Override
            public boolean hasNext() {
                promised = next < size;
                return promised;
            }

            @Override
            @SuppressWarnings("unchecked") // K is SelectionKey
            public K next() {
                if (Compat.MISUSE) {
                    owner.selectedKeysUsed();
                }
                if (modCount != expectedModCount) {
                    throw new ConcurrentModificationException();
                }
                int i = next;
                if (i >= size) {
                    throw promised ? new ConcurrentModificationException() : new NoSuchElementException();
                }
                promised = false;
                NativeSelectionKey[] a = keys;
                NativeSelectionKey k = i < a.length ? a[i] : null;
                if (k == null) {
                    throw new ConcurrentModificationException();
                }
                next = i + 1;
                last = i;
                lastKey = k;
                return (K) k;
            }

            @Override
            public void remove() {
                if (Compat.MISUSE) {
                    owner.selectedKeysUsed();
                }
                NativeSelectionKey k = lastKey;
                if (k == null) {
                    throw new IllegalStateException();
                }
                NativeSelectionKey[] a = keys;
                int s = size;
                if (modCount != expectedModCount || last >= s || s > a.length || a[last] != k) {
                    throw new ConcurrentModificationException();
                }
                // The last key moves into the removed slot, so it is the next one to return.
                removeAt(a, s, last, k);
                next = last;
                lastKey = null;
                expectedModCount = modCount;
            }
        };
    }
}
