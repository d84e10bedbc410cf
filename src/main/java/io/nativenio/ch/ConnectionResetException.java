package io.nativenio.ch;

import java.net.SocketException;

/**
 * A read failed with ECONNRESET (the JDK's {@code sun.net.ConnectionResetException}). Never escapes to a
 * caller: the socket channel catches it, remembers the reset and throws
 * {@code SocketException("Connection reset")} on this and every later read (behaviours.md#reads-and-writes).
 */
final class ConnectionResetException extends SocketException {
    private static final long serialVersionUID = 1L;

    ConnectionResetException() {
        super("Connection reset");
    }
}
