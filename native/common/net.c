/*
 * Sockets for io.nativenio.ch.Net: socket, bind, listen, connect, accept, addresses, shutdown, options,
 * poll. Every call is one syscall (or one retry loop around it) and returns -errno on failure.
 *
 * Socket addresses live in direct memory that Java filled or reads back (NativeSocketAddress) and are
 * passed as an address plus a length; the length is checked here against sizeof(struct sockaddr_in6),
 * the largest address this file handles.
 */
#include "nativenio.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define SOCKADDR_MAX ((jint) sizeof(struct sockaddr_in6))

static struct sockaddr *sockaddr_at(jlong address) {
    return (struct sockaddr *) (intptr_t) address;
}

/*
 * A new socket, close-on-exec, blocking and never raising SIGPIPE. An IPv6 socket is dual-stack (IPV6_V6ONLY
 * off) and a server socket has SO_REUSEADDR, as the JDK's Net.c socket0 (behaviours.md#bind-and-socket-defaults);
 * a UDP socket gets the platform's defaults of socket0 (nativenio_datagram_defaults, platform.h).
 */
static jint net_socket(JNIEnv *env, jclass cls, jboolean inet6, jboolean stream, jboolean reuse) {
    (void) env; (void) cls;
    int fd = nativenio_socket(inet6 ? AF_INET6 : AF_INET, stream ? SOCK_STREAM : SOCK_DGRAM, 0);
    if (fd < 0) {
        return -errno;
    }
    int zero = 0;
    int one = 1;
    if ((inet6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero) < 0)
            || (reuse && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
            || (!stream && nativenio_datagram_defaults(fd, inet6) < 0)) {
        int err = errno;
        close(fd);
        return -err;
    }
    return fd;
}

jint nativenio_bind(int fd, const struct sockaddr *sa, socklen_t len) {
    return bind(fd, sa, len) < 0 ? -errno : 0;
}

jint nativenio_connect(int fd, const struct sockaddr *sa, socklen_t len) {
    if (connect(fd, sa, len) == 0) {
        return 1;
    }
    return errno == EINPROGRESS ? 0 : -errno;
}

jint nativenio_accept_retry(int fd, struct sockaddr *sa, socklen_t size, socklen_t *len) {
    for (;;) {
        memset(sa, 0, size);
        *len = size;
        int newfd = nativenio_accept(fd, sa, len);
        if (newfd >= 0) {
            return newfd;
        }
        if (errno != ECONNABORTED) {
            return -errno;
        }
    }
}

/* `op` (nativenio_bind or nativenio_connect) of fd to the sockaddr of `len` bytes at `address`. */
static jint to_address(jint fd, jlong address, jint len, nativenio_address_op op) {
    if (address == 0 || len <= 0 || len > SOCKADDR_MAX) {
        return -EINVAL;
    }
    return op(fd, sockaddr_at(address), (socklen_t) len);
}

static jint net_bind(JNIEnv *env, jclass cls, jint fd, jlong address, jint len) {
    (void) env; (void) cls;
    return to_address(fd, address, len, nativenio_bind);
}

static jint net_listen(JNIEnv *env, jclass cls, jint fd, jint backlog) {
    (void) env; (void) cls;
    return listen(fd, backlog) < 0 ? -errno : 0;
}

/* 1 when connected, 0 when the connection is in progress, else -errno (nativenio_connect). */
static jint net_connect(JNIEnv *env, jclass cls, jint fd, jlong address, jint len) {
    (void) env; (void) cls;
    return to_address(fd, address, len, nativenio_connect);
}

/* Accepts one connection (nativenio_accept_retry), its peer's address stored in the SOCKADDR_MAX bytes at `address`. */
static jint net_accept(JNIEnv *env, jclass cls, jint fd, jlong address) {
    (void) env; (void) cls;
    if (address == 0) {
        return -EINVAL;
    }
    socklen_t len;
    return nativenio_accept_retry(fd, sockaddr_at(address), (socklen_t) SOCKADDR_MAX, &len);
}

/* getsockname (peer false) or getpeername (peer true) into SOCKADDR_MAX bytes at `address`. */
static jint net_address(JNIEnv *env, jclass cls, jint fd, jboolean peer, jlong address) {
    (void) env; (void) cls;
    if (address == 0) {
        return -EINVAL;
    }
    socklen_t len = (socklen_t) SOCKADDR_MAX;
    int rc = peer ? getpeername(fd, sockaddr_at(address), &len) : getsockname(fd, sockaddr_at(address), &len);
    return rc < 0 ? -errno : 0;
}

/* ENOTCONN is not an error: the peer may have reset the connection already (the JDK ignores it too). */
static jint net_shutdown(JNIEnv *env, jclass cls, jint fd, jint how) {
    (void) env; (void) cls;
    return shutdown(fd, how) < 0 && errno != ENOTCONN ? -errno : 0;
}

/* Java states the poll(2) bits once (io.nativenio.ch.Poller) and passes them straight to poll(). */
_Static_assert(POLLIN == 0x1 && POLLOUT == 0x4 && POLLERR == 0x8 && POLLHUP == 0x10,
               "poll(2) bits differ from io.nativenio.ch.Poller's");

/*
 * poll(2) on one fd: the returned events, 0 on timeout or EINTR (the caller re-checks its state and
 * retries, as the JDK's Net.poll), or -errno. timeout in ms, -1 waits forever.
 */
static jint poll_one(jint fd, short events, jint timeout) {
    struct pollfd pfd = {.fd = fd, .events = events, .revents = 0};
    int rc = poll(&pfd, 1, timeout);
    if (rc < 0) {
        return errno == EINTR ? 0 : -errno;
    }
    return rc == 0 ? 0 : pfd.revents;
}

static jint net_poll(JNIEnv *env, jclass cls, jint fd, jint events, jint timeout) {
    (void) env; (void) cls;
    return poll_one(fd, (short) events, timeout);
}

/*
 * Polls a connecting socket for `timeout` ms: 1 if the connection is established, 0 if still in progress
 * (or EINTR), -errno of the failed connection (SO_ERROR) or of poll. The JDK's Net.pollConnect.
 */
static jint net_poll_connect(JNIEnv *env, jclass cls, jint fd, jint timeout) {
    (void) env; (void) cls;
    jint rc = poll_one(fd, POLLOUT, timeout);
    if (rc <= 0) {
        return rc;
    }
    int error = 0;
    socklen_t len = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) < 0) {
        return -errno;
    }
    return error != 0 ? -error : 1;
}

/*
 * An int option. SO_LINGER takes a struct linger: a negative value turns it off. The result of
 * getIntOption is the value (linger off reads -1) in the low 32 bits, or -errno shifted left by 32 so that
 * any int value stays distinguishable from an error (Net.getIntOption decodes it).
 */
static jint net_set_int_option(JNIEnv *env, jclass cls, jint fd, jint level, jint name, jint value) {
    (void) env; (void) cls;
    int rc;
    if (level == SOL_SOCKET && name == SO_LINGER) {
        struct linger l = {.l_onoff = value >= 0, .l_linger = value >= 0 ? value : 0};
        rc = setsockopt(fd, level, name, &l, sizeof l);
    } else {
        int v = value;
        rc = setsockopt(fd, level, name, &v, sizeof v);
    }
    return rc < 0 ? -errno : 0;
}

static jlong net_get_int_option(JNIEnv *env, jclass cls, jint fd, jint level, jint name) {
    (void) env; (void) cls;
    jint value;
    if (level == SOL_SOCKET && name == SO_LINGER) {
        struct linger l;
        socklen_t len = sizeof l;
        if (getsockopt(fd, level, name, &l, &len) < 0) {
            return -((jlong) errno << 32);
        }
        value = l.l_onoff ? nativenio_linger_time(l.l_linger) : -1;
    } else {
        int v = 0;
        socklen_t len = sizeof v;
        if (getsockopt(fd, level, name, &v, &len) < 0) {
            return -((jlong) errno << 32);
        }
        value = v;
    }
    return (jlong) (uint32_t) value;
}

/* One byte of urgent data (Socket.sendUrgentData); never raises SIGPIPE. */
static jint net_send_oob(JNIEnv *env, jclass cls, jint fd, jbyte b) {
    (void) env; (void) cls;
    ssize_t n = send(fd, &b, 1, MSG_OOB | NATIVENIO_MSG_NOSIGNAL);
    return n < 0 ? -errno : (jint) n;
}

/* Bytes that can be read without blocking (FIONREAD). */
static jint net_available(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    int n = 0;
    return ioctl(fd, FIONREAD, &n) < 0 ? -errno : n;
}

/*
 * What an inherited fd is (System.inheritedChannel, behaviours.md#inherited-channel): (family << 16) | type from
 * getsockname and SO_TYPE, or -errno (ENOTSOCK when it is not a socket).
 */
static jint net_socket_kind(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    int type = 0;
    socklen_t len = sizeof type;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
        return -errno;
    }
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof ss;
    if (getsockname(fd, (struct sockaddr *) &ss, &sslen) < 0) {
        return -errno;
    }
    return (jint) (((uint32_t) ss.ss_family << 16) | ((uint32_t) type & 0xffff));
}

static jboolean net_ipv6_available(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    int fd = nativenio_socket(AF_INET6, SOCK_STREAM, 0);
    if (fd < 0) {
        /* the kernel checks the family before it allocates the fd: a full fd table means IPv6 is there */
        return errno == EMFILE || errno == ENFILE ? JNI_TRUE : JNI_FALSE;
    }
    close(fd);
    return JNI_TRUE;
}

/*
 * Whether an option can be read on a fresh TCP socket (SO_REUSEPORT, TCP_QUICKACK, ... on this kernel); never
 * one this platform does not have (-1, platform.h).
 */
static jboolean net_option_available(JNIEnv *env, jclass cls, jint level, jint name) {
    (void) env; (void) cls;
    if (level < 0 || name < 0) {
        return JNI_FALSE;
    }
    int fd = nativenio_socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return JNI_FALSE;
    }
    int v;
    socklen_t len = sizeof v;
    int rc = getsockopt(fd, level, name, &v, &len);
    close(fd);
    return rc == 0 ? JNI_TRUE : JNI_FALSE;
}

/* The largest SO_SNDBUF or SO_RCVBUF the kernel takes, or -1 when it caps the size itself (platform.h). */
static jint net_max_socket_buffer(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return nativenio_max_socket_buffer();
}

#define NET_CONSTANTS(X) \
    X(afInet, AF_INET) \
    X(afInet6, AF_INET6) \
    X(afUnix, AF_UNIX) \
    X(sockStream, SOCK_STREAM) \
    X(sockDgram, SOCK_DGRAM) \
    X(sockaddrInSize, sizeof(struct sockaddr_in)) \
    X(sockaddrIn6Size, sizeof(struct sockaddr_in6)) \
    X(sinFamily, offsetof(struct sockaddr_in, sin_family)) \
    X(sinPort, offsetof(struct sockaddr_in, sin_port)) \
    X(sinAddr, offsetof(struct sockaddr_in, sin_addr)) \
    X(sin6Family, offsetof(struct sockaddr_in6, sin6_family)) \
    X(sin6Port, offsetof(struct sockaddr_in6, sin6_port)) \
    X(sin6Flowinfo, offsetof(struct sockaddr_in6, sin6_flowinfo)) \
    X(sin6Addr, offsetof(struct sockaddr_in6, sin6_addr)) \
    X(sin6ScopeId, offsetof(struct sockaddr_in6, sin6_scope_id)) \
    X(saFamilySize, sizeof(sa_family_t)) \
    X(shutRd, SHUT_RD) \
    X(shutWr, SHUT_WR) \
    X(solSocket, SOL_SOCKET) \
    X(ipprotoTcp, IPPROTO_TCP) \
    X(ipprotoIp, IPPROTO_IP) \
    X(ipprotoIpv6, IPPROTO_IPV6) \
    X(soSndbuf, SO_SNDBUF) \
    X(soRcvbuf, SO_RCVBUF) \
    X(soKeepalive, SO_KEEPALIVE) \
    X(soReuseaddr, SO_REUSEADDR) \
    X(soReuseport, SO_REUSEPORT) \
    X(soLinger, SO_LINGER) \
    X(soOobinline, SO_OOBINLINE) \
    X(soBroadcast, SO_BROADCAST) \
    X(soIncomingNapiId, NATIVENIO_SO_INCOMING_NAPI_ID) \
    X(tcpNodelay, TCP_NODELAY) \
    X(tcpQuickack, NATIVENIO_TCP_QUICKACK) \
    X(tcpKeepidle, NATIVENIO_TCP_KEEPIDLE) \
    X(tcpKeepintvl, TCP_KEEPINTVL) \
    X(tcpKeepcnt, TCP_KEEPCNT) \
    X(ipTos, IP_TOS) \
    X(ipv6Tclass, IPV6_TCLASS)

NATIVENIO_REGISTER(net, "io/nativenio/ch/Net", NET_CONSTANTS,
    {"socket0", "(ZZZ)I", (void *) net_socket},
    {"bind0", "(IJI)I", (void *) net_bind},
    {"listen0", "(II)I", (void *) net_listen},
    {"connect0", "(IJI)I", (void *) net_connect},
    {"accept0", "(IJ)I", (void *) net_accept},
    {"address0", "(IZJ)I", (void *) net_address},
    {"shutdown0", "(II)I", (void *) net_shutdown},
    {"poll0", "(III)I", (void *) net_poll},
    {"pollConnect0", "(II)I", (void *) net_poll_connect},
    {"setIntOption0", "(IIII)I", (void *) net_set_int_option},
    {"getIntOption0", "(III)J", (void *) net_get_int_option},
    {"sendOOB0", "(IB)I", (void *) net_send_oob},
    {"available0", "(I)I", (void *) net_available},
    {"socketKind", "(I)I", (void *) net_socket_kind},
    {"isIPv6Available0", "()Z", (void *) net_ipv6_available},
    {"isOptionAvailable0", "(II)Z", (void *) net_option_available},
    {"maxSocketBuffer", "()I", (void *) net_max_socket_buffer})
