/*
 * epoll(7) for io.nativenio.epoll.EPoll: create, ctl, and the one-call-per-select "apply the queued updates,
 * then wait" (which hides the fds EPollPoller parks).
 */
#include "nativenio.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

static jint ep_create(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    int fd = epoll_create1(EPOLL_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

static int ctl(int epfd, int op, int fd, uint32_t events) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.fd = fd;
    return epoll_ctl(epfd, op, fd, &ev) == 0 ? 0 : -errno;
}

static jint ep_ctl(JNIEnv *env, jclass cls, jint epfd, jint op, jint fd, jint events) {
    (void) env; (void) cls;
    return ctl(epfd, op, fd, (uint32_t) events);
}

/* An op of the update array that is not epoll's: EPOLL_CTL_MOD, and EPOLL_CTL_ADD if the fd is not in the set. */
#define CTL_MOD_OR_ADD 0x100

static int apply(int epfd, int op, int fd, uint32_t events) {
    if (op != CTL_MOD_OR_ADD) {
        return ctl(epfd, op, fd, events);
    }
    int rc = ctl(epfd, EPOLL_CTL_MOD, fd, events);
    return rc == -ENOENT ? ctl(epfd, EPOLL_CTL_ADD, fd, events) : rc;
}

/*
 * Drops the events of parked fds (an fd kept in the set with no events, parked[fd] != 0: epoll still
 * reports its errors and hang-ups), deletes each such fd from the set and clears its byte. Returns how many
 * events are left, moved to the front.
 */
static int drop_parked(int epfd, struct epoll_event *ev, int n, unsigned char *parked, jint parked_length) {
    int kept = 0;
    for (int i = 0; i < n; i++) {
        int fd = ev[i].data.fd;
        if (fd >= 0 && fd < parked_length && parked[fd]) {
            parked[fd] = 0;
            ctl(epfd, EPOLL_CTL_DEL, fd, 0);
        } else {
            ev[kept++] = ev[i];
        }
    }
    return kept;
}

static int64_t monotonic_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Applies `count` interest updates, each three ints (fd, op, events) at `updates`, then waits for at most
 * `max` events into `events` (an array of struct epoll_event). Each update's op slot is overwritten with
 * its result (0 or -errno) so that Java can see a failed epoll_ctl. `parked` (may be 0) is a byte per fd,
 * `parked_length` bytes: the events of parked fds are dropped, and a wait that found nothing else goes on
 * for the rest of `timeout`. Returns the number of events or -errno.
 */
static jint ep_select(JNIEnv *env, jclass cls, jint epfd, jlong updates, jint count,
                          jlong events, jint max, jint timeout, jlong parked, jint parked_length) {
    (void) env; (void) cls;
    if (count < 0 || max <= 0 || events == 0 || (count > 0 && updates == 0) || parked_length < 0
            || (parked_length > 0 && parked == 0)) {
        return -EINVAL;
    }
    jint *u = (jint *) (intptr_t) updates;
    for (jint i = 0; i < count; i++, u += 3) {
        u[1] = apply(epfd, u[1], u[0], (uint32_t) u[2]);
    }
    struct epoll_event *ev = (struct epoll_event *) (intptr_t) events;
    int64_t deadline = timeout > 0 ? monotonic_ms() + timeout : 0;
    for (;;) {
        int n = epoll_wait(epfd, ev, max, timeout);
        if (n < 0) {
            return -errno;
        }
        if (n == 0 || parked_length == 0) {
            return n;
        }
        n = drop_parked(epfd, ev, n, (unsigned char *) (intptr_t) parked, parked_length);
        if (n > 0 || timeout == 0) {
            return n;
        }
        if (timeout > 0) {
            int64_t left = deadline - monotonic_ms();
            if (left <= 0) {
                return 0;
            }
            timeout = (int) left;
        }
    }
}

/* EPollPoller passes io.nativenio.ch.Poller's poll(2) bits to epoll and reads them back as they are. */
_Static_assert(EPOLLIN == POLLIN && EPOLLOUT == POLLOUT && EPOLLERR == POLLERR && EPOLLHUP == POLLHUP,
               "epoll's event bits differ from poll(2)'s");

/* Struct layout and constants, one native each, read once by the Java facade's static initializer. */
#define EPOLL_CONSTANTS(X) \
    X(eventSize, sizeof(struct epoll_event)) \
    X(eventsOffset, offsetof(struct epoll_event, events)) \
    X(dataOffset, offsetof(struct epoll_event, data)) \
    X(epolloneshot, EPOLLONESHOT) \
    X(epollet, EPOLLET) \
    X(ctlAdd, EPOLL_CTL_ADD) \
    X(ctlMod, EPOLL_CTL_MOD) \
    X(ctlDel, EPOLL_CTL_DEL) \
    X(ctlModOrAdd, CTL_MOD_OR_ADD)

NATIVENIO_REGISTER(epoll, "io/nativenio/epoll/EPoll", EPOLL_CONSTANTS,
    {"create", "()I", (void *) ep_create},
    {"ctl", "(IIII)I", (void *) ep_ctl},
    {"select", "(IJIJIIJI)I", (void *) ep_select})
