/*
 * File-descriptor I/O for io.nativenio.ch.IO: read/write/readv/writev, close, dup2, pipes,
 * blocking mode, and native memory for the per-thread temporary buffers.
 *
 * Buffers are passed as a direct ByteBuffer plus a position and a length; the range is checked against
 * the buffer's capacity here, so a bug in Java can never make the kernel write outside the buffer.
 */
#include "nativenio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/*
 * Points *p at buf[pos, pos + len) of a direct ByteBuffer: 0, or -EINVAL when buf is not direct or the range
 * is outside it. A direct buffer without memory (FileChannel.map of 0 bytes gives one at address 0) has
 * only empty ranges, for which *p is NULL: read(2), write(2), send(2), sendto(2) and recvfrom(2) accept
 * NULL with a length of 0 (an empty datagram is still sent).
 */
int nativenio_buffer_range(JNIEnv *env, jobject buf, jint pos, jint len, char **p) {
    if (buf == NULL || pos < 0 || len < 0) {
        return -EINVAL;
    }
    char *base = (*env)->GetDirectBufferAddress(env, buf);
    jlong capacity = (*env)->GetDirectBufferCapacity(env, buf); /* -1 when buf is not direct */
    if (capacity < 0 || (jlong) pos + (jlong) len > capacity || (base == NULL && len > 0)) {
        return -EINVAL;
    }
    *p = base == NULL ? NULL : base + pos;
    return 0;
}

char *nativenio_direct_range(JNIEnv *env, jobject buf, jint pos, jint len) {
    char *p;
    return nativenio_buffer_range(env, buf, pos, len, &p) == 0 ? p : NULL;
}

/* The three ways a channel moves bytes: read(2), write(2), and send(2) for sockets (and their vectored forms). */
enum transfer { IO_READ, IO_WRITE, IO_SEND };

/*
 * read(2) into or write(2) from buf[pos, pos + len); for a socket, send(2) that never raises SIGPIPE on a closed
 * connection (platform.h). The bytes moved, or -errno.
 */
static jint transfer(JNIEnv *env, enum transfer op, jint fd, jobject buf, jint pos, jint len) {
    char *p;
    int rc = nativenio_buffer_range(env, buf, pos, len, &p);
    if (rc < 0) {
        return rc;
    }
    ssize_t n = op == IO_READ ? read(fd, p, (size_t) len)
            : op == IO_WRITE ? write(fd, p, (size_t) len)
            : send(fd, p, (size_t) len, NATIVENIO_MSG_NOSIGNAL);
    return n < 0 ? -errno : (jint) n;
}

/*
 * The same with an iovec array in direct memory that Java filled (see IOVecs), `count` at most IOV_MAX: readv(2),
 * writev(2), or sendmsg(2) that never raises SIGPIPE.
 */
static jlong transferv(enum transfer op, jint fd, jlong iov, jint count) {
    if (iov == 0 || count <= 0 || count > IOV_MAX) {
        return -EINVAL;
    }
    struct iovec *vec = (struct iovec *) (intptr_t) iov;
    ssize_t n;
    if (op == IO_SEND) {
        struct msghdr msg;
        memset(&msg, 0, sizeof msg);
        msg.msg_iov = vec;
        msg.msg_iovlen = count; /* size_t on Linux, int on macOS and FreeBSD */
        n = sendmsg(fd, &msg, NATIVENIO_MSG_NOSIGNAL);
    } else {
        n = op == IO_READ ? readv(fd, vec, count) : writev(fd, vec, count);
    }
    return n < 0 ? -errno : (jlong) n;
}

/* The natives of the three transfers and of their vectored forms: each names its `enum transfer`. */
#define TRANSFER_NATIVE(name, op) \
    static jint name(JNIEnv *env, jclass cls, jint fd, jobject buf, jint pos, jint len) { \
        (void) cls; \
        return transfer(env, op, fd, buf, pos, len); \
    }
#define TRANSFERV_NATIVE(name, op) \
    static jlong name(JNIEnv *env, jclass cls, jint fd, jlong iov, jint count) { \
        (void) env; (void) cls; \
        return transferv(op, fd, iov, count); \
    }

TRANSFER_NATIVE(io_read, IO_READ)
TRANSFER_NATIVE(io_write, IO_WRITE)
TRANSFER_NATIVE(io_send, IO_SEND)
TRANSFERV_NATIVE(io_readv, IO_READ)
TRANSFERV_NATIVE(io_writev, IO_WRITE)
TRANSFERV_NATIVE(io_sendv, IO_SEND)

/* close(2) is not retried on EINTR: on Linux the fd is released whatever close returns, and the JDK does not
 * retry it on macOS either. */
static jint io_close(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    return close(fd) == 0 ? 0 : -errno;
}

jint nativenio_dup2(int from, int to) {
    int rc;
    do {
        rc = dup2(from, to);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 ? -errno : 0;
}

static jint io_dup2(JNIEnv *env, jclass cls, jint from, jint to) {
    (void) env; (void) cls;
    return nativenio_dup2(from, to);
}

/* A close-on-exec duplicate of fd (the inherited channel's copy of fd 0, behaviours.md#inherited-channel). */
static jint io_dup(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    int rc = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return rc < 0 ? -errno : rc;
}

/* /dev/null, read-write and close-on-exec: what the standard streams point at once the inherited channel closes. */
static jint io_open_dev_null(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    int rc = open("/dev/null", O_RDWR | O_CLOEXEC);
    return rc < 0 ? -errno : rc;
}

/* Returns (read end << 32) | write end, both blocking and close-on-exec, or -errno. */
static jlong io_pipe(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    int fds[2];
    if (nativenio_pipe(fds) < 0) {
        return -errno;
    }
    return ((jlong) fds[0] << 32) | (jlong) (uint32_t) fds[1];
}

/*
 * The fd that a closing channel's fd is dup2'd onto while a thread may still be blocked on it
 * (behaviours.md#async-close-wakes-a-blocked-thread): one end of a socket pair whose other end is closed, so a read on
 * it gives EOF and a write gives EPIPE, and the fd number stays reserved until the last user finishes.
 */
static jint io_dead_socket(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    int sv[2];
    if (nativenio_socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
        return -errno;
    }
    close(sv[1]);
    return sv[0];
}

jint nativenio_set_blocking(int fd, int blocking) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) {
        return -errno;
    }
    int wanted = blocking ? (flags & ~O_NONBLOCK) : (flags | O_NONBLOCK);
    if (wanted != flags && fcntl(fd, F_SETFL, wanted) < 0) {
        return -errno;
    }
    return 0;
}

static jint io_set_blocking(JNIEnv *env, jclass cls, jint fd, jboolean blocking) {
    (void) env; (void) cls;
    return nativenio_set_blocking(fd, blocking);
}

/* Native memory for temporary direct buffers: freed explicitly, never by the GC. */
static jobject io_allocate(JNIEnv *env, jclass cls, jint size) {
    (void) cls;
    if (size <= 0) {
        return NULL;
    }
    void *p = malloc((size_t) size);
    if (p == NULL) {
        return NULL;
    }
    jobject buf = (*env)->NewDirectByteBuffer(env, p, size);
    if (buf == NULL) {
        free(p);
    }
    return buf;
}

static void io_free(JNIEnv *env, jclass cls, jobject buf) {
    (void) cls;
    if (buf != NULL) {
        free((*env)->GetDirectBufferAddress(env, buf));
    }
}

/* The address of a direct buffer, or 0 if it is not direct. */
static jlong io_address(JNIEnv *env, jclass cls, jobject buf) {
    (void) cls;
    return buf == NULL ? 0 : (jlong) (intptr_t) (*env)->GetDirectBufferAddress(env, buf);
}

/* strerror(3) text, the message the JDK puts in its IOExceptions. */
static jstring io_strerror(JNIEnv *env, jclass cls, jint err) {
    (void) cls;
    char buf[256];
    const char *msg = nativenio_strerror(err, buf, sizeof buf);
    return (*env)->NewStringUTF(env, msg);
}

#define IO_CONSTANTS(X) \
    X(iovMax, IOV_MAX) \
    X(iovecSize, sizeof(struct iovec)) \
    X(iovecBaseOffset, offsetof(struct iovec, iov_base)) \
    X(iovecLenOffset, offsetof(struct iovec, iov_len))

NATIVENIO_REGISTER(io, "io/nativenio/ch/IO", IO_CONSTANTS,
    {"read", "(ILjava/nio/ByteBuffer;II)I", (void *) io_read},
    {"write", "(ILjava/nio/ByteBuffer;II)I", (void *) io_write},
    {"send", "(ILjava/nio/ByteBuffer;II)I", (void *) io_send},
    {"readv", "(IJI)J", (void *) io_readv},
    {"writev", "(IJI)J", (void *) io_writev},
    {"sendv", "(IJI)J", (void *) io_sendv},
    {"close", "(I)I", (void *) io_close},
    {"dup", "(I)I", (void *) io_dup},
    {"dup2", "(II)I", (void *) io_dup2},
    {"openDevNull", "()I", (void *) io_open_dev_null},
    {"pipe", "()J", (void *) io_pipe},
    {"deadSocket", "()I", (void *) io_dead_socket},
    {"setBlocking", "(IZ)I", (void *) io_set_blocking},
    {"allocate", "(I)Ljava/nio/ByteBuffer;", (void *) io_allocate},
    {"free", "(Ljava/nio/ByteBuffer;)V", (void *) io_free},
    {"address", "(Ljava/nio/ByteBuffer;)J", (void *) io_address},
    {"strerror", "(I)Ljava/lang/String;", (void *) io_strerror})
