package io.nativenio.ch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** VarHandles of fields, found in a class's static initializer. */
final class VarHandles {
    private VarHandles() {
    }

    /**
     * The VarHandle of the field {@code name} of type {@code type} of the class that made {@code lookup}, which can
     * see its private fields; a failure is the class's initialization error.
     */
    static VarHandle of(MethodHandles.Lookup lookup, String name, Class<?> type) {
        try {
            return lookup.findVarHandle(lookup.lookupClass(), name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
