/*
 * The platform layer of the shared sources: everything in which Linux, macOS and FreeBSD differ for the calls
 * the channels make, in one header, as the JDK splits its sources into unix/, linux/ and macosx/. A .c file of
 * native/common names no Linux-only or GNU-only call and no platform macro; it calls what is defined here.
 *
 * Linux keeps the atomic calls (SOCK_CLOEXEC, accept4, pipe2) and MSG_NOSIGNAL. Elsewhere a new fd gets
 * FD_CLOEXEC with fcntl(2) right after it is created (a fork and exec of another thread in between could
 * inherit it: the JDK's process launcher closes such fds in the child) and a socket gets SO_NOSIGPIPE, so
 * that no send on it raises SIGPIPE.
 *
 * nativenio.h includes this header before any other, so the feature macros below apply to every system header.
 */
#ifndef NATIVENIO_PLATFORM_H
#define NATIVENIO_PLATFORM_H

#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* accept4, pipe2, struct ucred, dladdr */
#endif
#if defined(__APPLE__) && !defined(__APPLE_USE_RFC_3542)
#define __APPLE_USE_RFC_3542 /* IPV6_DONTFRAG, as the JDK's MacOSXSocketOptions.c */
#endif

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>
#if !defined(__linux__)
#include <sys/sysctl.h>
#endif

/*
 * Socket options that only some platforms have are -1 where they are missing: Java offers the option only
 * when its number is not -1 and a fresh socket accepts it (Net.isOptionAvailable).
 */
#if defined(__linux__)
#ifndef IPV6_MULTICAST_ALL
#define IPV6_MULTICAST_ALL 29 /* Linux 4.20; older headers lack it */
#endif
#ifndef SO_INCOMING_NAPI_ID
#define SO_INCOMING_NAPI_ID 56 /* Linux 4.12 */
#endif
#define NATIVENIO_TCP_QUICKACK TCP_QUICKACK
#define NATIVENIO_SO_INCOMING_NAPI_ID SO_INCOMING_NAPI_ID
#define NATIVENIO_TCP_KEEPIDLE TCP_KEEPIDLE
#else
#define NATIVENIO_TCP_QUICKACK (-1)
#define NATIVENIO_SO_INCOMING_NAPI_ID (-1)
#if defined(__APPLE__)
#define NATIVENIO_TCP_KEEPIDLE TCP_KEEPALIVE /* the JDK's MacOSXSocketOptions: TCP_KEEPIDLE is TCP_KEEPALIVE */
#else
#define NATIVENIO_TCP_KEEPIDLE TCP_KEEPIDLE
#endif
#endif

/*
 * jdk.net.ExtendedSocketOptions.IP_DONTFRAGMENT: Linux sets the path MTU discovery mode (the JDK's
 * LinuxSocketOptions.c), macOS and FreeBSD the don't-fragment flag (MacOSXSocketOptions.c). The option is
 * set to ON or OFF and reads as set when it equals ON.
 */
#if defined(__linux__)
#define NATIVENIO_IP_DONTFRAG IP_MTU_DISCOVER
#define NATIVENIO_IPV6_DONTFRAG IPV6_MTU_DISCOVER
#define NATIVENIO_DONTFRAG_ON IP_PMTUDISC_DO
#define NATIVENIO_DONTFRAG_OFF IP_PMTUDISC_DONT
#else
#define NATIVENIO_IP_DONTFRAG IP_DONTFRAG
#define NATIVENIO_IPV6_DONTFRAG IPV6_DONTFRAG
#define NATIVENIO_DONTFRAG_ON 1
#define NATIVENIO_DONTFRAG_OFF 0
#endif

/* The signal that wakes a thread blocked in I/O on a channel's fd: the JDK's NativeThread.INTERRUPT_SIGNAL. */
#if defined(__linux__)
#define NATIVENIO_INTERRUPT_SIGNAL (SIGRTMAX - 2)
#else
#define NATIVENIO_INTERRUPT_SIGNAL SIGIO
#endif

/* The flags of send(2) and sendmsg(2) on a socket: no SIGPIPE (elsewhere SO_NOSIGPIPE does it). */
#if defined(__linux__)
#define NATIVENIO_MSG_NOSIGNAL MSG_NOSIGNAL
#else
#define NATIVENIO_MSG_NOSIGNAL 0
#endif

#if !defined(__linux__)
/* Makes a new fd close-on-exec and, for a socket, SO_NOSIGPIPE: 0, or -1 with errno set. */
static inline int nativenio_fd_init(int fd, int socket) {
    int one = 1;
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        return -1;
    }
    return socket && setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one) < 0 ? -1 : 0;
}

/* Closes a new fd whose set-up failed; returns -1 with the set-up's errno. */
static inline int nativenio_fd_discard(int fd) {
    int err = errno;
    close(fd);
    errno = err;
    return -1;
}

/* nativenio_fd_init of both fds of a new pair, which are closed if it fails: 0, or -1 with errno set. */
static inline int nativenio_pair_init(int fds[2], int socket) {
    if (nativenio_fd_init(fds[0], socket) < 0 || nativenio_fd_init(fds[1], socket) < 0) {
        nativenio_fd_discard(fds[1]);
        return nativenio_fd_discard(fds[0]);
    }
    return 0;
}
#endif

/* socket(2), close-on-exec and never raising SIGPIPE: the fd, or -1 with errno set. */
static inline int nativenio_socket(int domain, int type, int protocol) {
#if defined(__linux__)
    return socket(domain, type | SOCK_CLOEXEC, protocol);
#else
    int fd = socket(domain, type, protocol);
    return fd < 0 || nativenio_fd_init(fd, 1) == 0 ? fd : nativenio_fd_discard(fd);
#endif
}

/* socketpair(2), both ends close-on-exec and never raising SIGPIPE: 0, or -1 with errno set. */
static inline int nativenio_socketpair(int domain, int type, int protocol, int sv[2]) {
#if defined(__linux__)
    return socketpair(domain, type | SOCK_CLOEXEC, protocol, sv);
#else
    return socketpair(domain, type, protocol, sv) < 0 ? -1 : nativenio_pair_init(sv, 1);
#endif
}

/*
 * accept(2) of a connection that is close-on-exec, blocking and never raises SIGPIPE: the new fd, or -1 with
 * errno set. A BSD socket inherits O_NONBLOCK from the listening one; the JDK's channels make every accepted
 * socket blocking, so the flag is cleared here.
 */
static inline int nativenio_accept(int fd, struct sockaddr *sa, socklen_t *len) {
#if defined(__linux__)
    return accept4(fd, sa, len, SOCK_CLOEXEC);
#else
    int newfd = accept(fd, sa, len);
    if (newfd < 0) {
        return -1;
    }
    int flags = fcntl(newfd, F_GETFL);
    if (flags < 0 || ((flags & O_NONBLOCK) && fcntl(newfd, F_SETFL, flags & ~O_NONBLOCK) < 0)
            || nativenio_fd_init(newfd, 1) < 0) {
        return nativenio_fd_discard(newfd);
    }
    return newfd;
#endif
}

/* pipe(2), both ends close-on-exec: 0, or -1 with errno set. */
static inline int nativenio_pipe(int fds[2]) {
#if defined(__linux__)
    return pipe2(fds, O_CLOEXEC);
#else
    return pipe(fds) < 0 ? -1 : nativenio_pair_init(fds, 0);
#endif
}

/*
 * The text of strerror(3) for err, the message the JDK puts in its exceptions, in a thread-safe way: glibc's
 * GNU strerror_r returns it (maybe not in buf); the POSIX one (macOS, FreeBSD, musl) fills buf.
 */
static inline const char *nativenio_strerror(int err, char *buf, size_t len) {
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
    return strerror_r(err, buf, len);
#else
    if (strerror_r(err, buf, len) != 0) {
        snprintf(buf, len, "Unknown error %d", err);
    }
    return buf;
#endif
}

/*
 * The uid and gid of the peer of a connected UNIX-domain socket: 0, or -1 with errno set. Linux's SO_PEERCRED
 * reports uid -1 for an unconnected socket; getpeereid (macOS, FreeBSD: the JDK's getSoPeerCred0 there)
 * fails with ENOTCONN.
 */
static inline int nativenio_peer_ids(int fd, uid_t *uid, gid_t *gid) {
#if defined(__linux__)
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
        return -1;
    }
    *uid = cred.uid;
    *gid = cred.gid;
    return 0;
#else
    return getpeereid(fd, uid, gid);
#endif
}

/*
 * Fills the BSD sockaddr_un's sun_len, which Linux does not have (the kernel takes the length from the
 * address length argument on every platform).
 */
static inline void nativenio_sun_len(struct sockaddr_un *sa, socklen_t len) {
#if defined(__APPLE__) || defined(__FreeBSD__)
    sa->sun_len = (unsigned char) len;
#else
    (void) sa;
    (void) len;
#endif
}

/*
 * The largest SO_SNDBUF or SO_RCVBUF a BSD kernel accepts without ENOBUFS: four fifths of kern.ipc.maxsockbuf,
 * of 1024 when that cannot be read (the JDK's NET_SetSockOpt); -1 on Linux, which caps the size itself.
 */
static inline int nativenio_max_socket_buffer(void) {
#if defined(__linux__)
    return -1;
#elif defined(KIPC_MAXSOCKBUF)
#if defined(__APPLE__)
    int max = 0;
#else
    long max = 0;
#endif
    int mib[3] = {CTL_KERN, KERN_IPC, KIPC_MAXSOCKBUF};
    size_t len = sizeof max;
    if (sysctl(mib, 3, &max, &len, NULL, 0) < 0) {
        max = 1024;
    }
    long four_fifths = ((long) max / 5) * 4;
    return four_fifths > 0x7fffffffL ? 0x7fffffff : (int) four_fifths;
#else
    return 64 * 1024; /* the JDK's value for a BSD without the sysctl */
#endif
}


/*
 * The defaults of a new UDP socket beyond those every platform shares (the JDK's Net.c socket0): Linux
 * delivers only the multicast groups the socket joined itself (IP_MULTICAST_ALL off, and IPV6_MULTICAST_ALL on
 * IPv6; a kernel without them is fine) and sends IPv6 multicast with hop limit 1 instead of the route's
 * default; macOS raises SO_SNDBUF, best effort, to the largest datagram, which its default
 * (net.inet.udp.maxdgram, 9216) would refuse. 0, or -1 with errno set.
 */
static inline int nativenio_datagram_defaults(int fd, int inet6) {
#if defined(__linux__)
    int zero = 0;
    int one = 1;
    if ((setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof zero) < 0 && errno != ENOPROTOOPT)
            || (inet6 && setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, &zero, sizeof zero) < 0
                    && errno != ENOPROTOOPT)
            || (inet6 && setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &one, sizeof one) < 0)) {
        return -1;
    }
    return 0;
#elif defined(__APPLE__)
    int size = 0;
    socklen_t len = sizeof size;
    int min = inet6 ? 65527 : 65507;
    if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, &len) == 0 && size < min) {
        (void) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &min, sizeof min);
    }
    return 0;
#else
    (void) fd;
    (void) inet6;
    return 0;
#endif
}

/* SO_LINGER's time as read back: macOS reports it as a signed short, the JDK's NET_GetSockOpt as unsigned. */
static inline int nativenio_linger_time(int l_linger) {
#if defined(__APPLE__)
    return (unsigned short) l_linger;
#else
    return l_linger;
#endif
}

/*
 * Dissolves the association of a connected UDP socket (the JDK's DatagramChannelImpl.c disconnect0): connect(2)
 * to an AF_UNSPEC address on Linux; on macOS and FreeBSD to the zero address of the socket's own family, where
 * EADDRNOTAVAIL is no error. 0, or -1 with errno set.
 */
static inline int nativenio_dissolve(int fd, int inet6) {
    struct sockaddr_in6 sa;
    memset(&sa, 0, sizeof sa);
    socklen_t len = inet6 ? (socklen_t) sizeof(struct sockaddr_in6) : (socklen_t) sizeof(struct sockaddr_in);
#if defined(__linux__)
    sa.sin6_family = AF_UNSPEC;
    return connect(fd, (struct sockaddr *) &sa, len);
#else
    sa.sin6_family = inet6 ? AF_INET6 : AF_INET;
    return connect(fd, (struct sockaddr *) &sa, len) < 0 && errno != EADDRNOTAVAIL ? -1 : 0;
#endif
}

/*
 * Multicast source filters the JDK's Net.c reports unavailable (UnsupportedOperationException): blocking a
 * source of an any-source membership on macOS and FreeBSD, and joining an IPv6 group for one source on macOS.
 */
#if defined(__linux__)
#define NATIVENIO_SOURCE_BLOCKING 1
#else
#define NATIVENIO_SOURCE_BLOCKING 0
#endif
#if defined(__APPLE__)
#define NATIVENIO_IPV6_SOURCE_JOIN 0
#else
#define NATIVENIO_IPV6_SOURCE_JOIN 1
#endif

/* setsockopt(2) of a multicast membership, tried once more after macOS's intermittent ENOMEM (the JDK's Net.c). */
static inline int nativenio_membership(int fd, int level, int name, const void *req, socklen_t len) {
    int rc = setsockopt(fd, level, name, req, len);
#if defined(__APPLE__)
    if (rc < 0 && errno == ENOMEM) {
        rc = setsockopt(fd, level, name, req, len);
    }
#endif
    return rc;
}

#endif
