/* The errno values that Java compares results against, for io.nativenio.ch.Errno: one native each. */
#include "nativenio.h"

#include <errno.h>

#define ERRNO_CONSTANTS(X) \
    X(eagain, EAGAIN) \
    X(eintr, EINTR) \
    X(enoent, ENOENT) \
    X(econnreset, ECONNRESET) \
    X(econnrefused, ECONNREFUSED) \
    X(etimedout, ETIMEDOUT) \
    X(enotconn, ENOTCONN) \
    X(ehostunreach, EHOSTUNREACH) \
    X(eaddrinuse, EADDRINUSE) \
    X(eaddrnotavail, EADDRNOTAVAIL) \
    X(eacces, EACCES) \
    X(eproto, EPROTO) \
    X(enoprotoopt, ENOPROTOOPT) \
    X(eopnotsupp, EOPNOTSUPP) \
    X(eexist, EEXIST) \
    X(ecanceled, ECANCELED)

NATIVENIO_REGISTER(errno, "io/nativenio/ch/Errno", ERRNO_CONSTANTS, /* constants only */)
