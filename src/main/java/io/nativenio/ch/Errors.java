package io.nativenio.ch;

import java.io.IOException;

/** Builds the exceptions the JDK throws for an errno: an IOException whose message is strerror(3). */
public final class Errors {
    private Errors() {
    }

    public static IOException ioException(int errno) {
        return new IOException(IO.strerror(errno));
    }

    /** Returns {@code rc} if it is not an error, else throws the IOException for {@code -rc}. */
    public static int check(int rc) throws IOException {
        if (rc < 0) {
            throw ioException(-rc);
        }
        return rc;
    }
}
