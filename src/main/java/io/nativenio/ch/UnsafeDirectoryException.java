package io.nativenio.ch;

import java.io.IOException;

/** A directory that the native library must not be extracted into, with the reason as the message. */
final class UnsafeDirectoryException extends IOException {
    private static final long serialVersionUID = 1L;

    UnsafeDirectoryException(String reason) {
        super(reason);
    }
}
