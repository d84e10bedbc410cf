/*
 * kqueue(2) for io.nativenio.kqueue.KQueue: create, single changes, the one-call-per-select "apply the
 * changelist, then wait", and the EVFILT_USER event that wakes a waiting selector. Only the API that
 * FreeBSD, macOS and libkqueue (Linux, for tests) share.
 */
#include "nativenio.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/event.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/*
 * Whether the kqueue's own fd is readable while events are pending, so that a virtual thread can park on
 * it: a kernel kqueue is (kqueue(2), EVFILT_READ on a kqueue; the JDK's KQueueSelectorImpl parks on it),
 * libkqueue's fd is the write end of a pipe that never becomes readable (docs/kqueue.md).
 */
#ifdef LIBKQUEUE
#define NATIVENIO_KQUEUE_POLLABLE 0
#else
#define NATIVENIO_KQUEUE_POLLABLE 1
#endif

/*
 * A close-on-exec kqueue. BSD kqueues are not inherited across fork(2), but an exec without a fork
 * would keep one, and libkqueue's descriptor is an ordinary fd; kqueue(2) has no portable flag for it,
 * hence fcntl. A failing fcntl closes the kqueue rather than leak it into a child.
 */
static jint kqueue_create(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    int kq = kqueue();
    if (kq < 0) {
        return -errno;
    }
    int flags = fcntl(kq, F_GETFD);
    if (flags < 0 || fcntl(kq, F_SETFD, flags | FD_CLOEXEC) < 0) {
        int err = errno;
        close(kq);
        return -err;
    }
    return kq;
}

/* Applies one change without collecting events; 0 or -errno (the change's own error). */
static jint kqueue_register(JNIEnv *env, jclass cls, jint kq, jlong ident, jint filter, jint flags, jint fflags) {
    (void) env; (void) cls;
    struct kevent change;
    EV_SET(&change, (uintptr_t) ident, (short) filter, (unsigned short) flags, (unsigned int) fflags, 0, 0);
    int rc;
    do {
        rc = kevent(kq, &change, 1, NULL, 0, NULL);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 ? -errno : 0;
}

/*
 * Deletes the filters of `ident` named by `filters` (count 1 or 2) in one call. With EV_RECEIPT each
 * change reports its own result in the eventlist, so one failure (ENOENT: the filter was not there) does
 * not stop the next change, and no event is collected: every eventlist slot holds a receipt, and BSD
 * kernels do not scan the queue when a change reported anything. Returns the first change's error or 0.
 */
static jint kqueue_delete(JNIEnv *env, jclass cls, jint kq, jlong ident, jint filter1, jint filter2) {
    (void) env; (void) cls;
    struct kevent changes[2];
    int count = 0;
    if (filter1 != 0) {
        EV_SET(&changes[count], (uintptr_t) ident, (short) filter1, EV_DELETE | EV_RECEIPT, 0, 0, 0);
        count++;
    }
    if (filter2 != 0) {
        EV_SET(&changes[count], (uintptr_t) ident, (short) filter2, EV_DELETE | EV_RECEIPT, 0, 0, 0);
        count++;
    }
    if (count == 0) {
        return 0;
    }
    struct kevent receipts[2];
    const struct timespec zero = {0, 0};
    int n;
    do {
        n = kevent(kq, changes, count, receipts, count, &zero);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return -errno;
    }
    for (int i = 0; i < n; i++) {
        if ((receipts[i].flags & EV_ERROR) != 0 && receipts[i].data != 0) {
            return (jint) -receipts[i].data;
        }
    }
    return 0;
}

/* Removes the EV_ERROR entries (failed changes) from the first `n` events; returns how many are left. */
static int drop_errors(struct kevent *events, int n) {
    int kept = 0;
    for (int i = 0; i < n; i++) {
        if ((events[i].flags & EV_ERROR) == 0) {
            if (kept != i) {
                events[kept] = events[i];
            }
            kept++;
        }
    }
    return kept;
}

/*
 * Applies `count` changes (struct kevent at `changes`) and then waits up to `timeout` ms (-1: forever) for
 * at most `max` events into `events`. `max` must be at least `count`: a change that fails takes an
 * eventlist slot (EV_ERROR, errno in data), and a kernel with no slot left for it stops applying the rest.
 * Failed changes are dropped from the result, as the JDK's KQueueSelectorImpl ignores the result of every
 * change. FreeBSD and macOS return at once, without waiting, when a change failed: if nothing but failures
 * came back, the wait is done again without changes. Returns the number of events or -errno.
 */
static jint kqueue_select(JNIEnv *env, jclass cls, jint kq, jlong changes, jint count,
                          jlong events, jint max, jint timeout) {
    (void) env; (void) cls;
    if (count < 0 || max <= 0 || max < count || events == 0 || (count > 0 && changes == 0)) {
        return -EINVAL;
    }
    struct timespec ts;
    const struct timespec *tsp = NULL;
    if (timeout >= 0) {
        ts.tv_sec = timeout / 1000;
        ts.tv_nsec = (long) (timeout % 1000) * 1000000L;
        tsp = &ts;
    }
    const struct kevent *cl = (const struct kevent *) (intptr_t) changes;
    struct kevent *el = (struct kevent *) (intptr_t) events;
    int n = kevent(kq, cl, count, el, max, tsp);
    if (n > 0 && count > 0) {
        int kept = drop_errors(el, n);
        if (kept == 0) {
            n = kevent(kq, NULL, 0, el, max, tsp);
        } else {
            n = kept;
        }
    }
    return n < 0 ? -errno : n;
}

/* Struct layout and constants, one native each, read once by the Java facade's static initializer. */
#define KQUEUE_CONSTANTS(X) \
    X(keventSize, sizeof(struct kevent)) \
    X(identOffset, offsetof(struct kevent, ident)) \
    X(identSize, sizeof(((struct kevent *) 0)->ident)) \
    X(filterOffset, offsetof(struct kevent, filter)) \
    X(flagsOffset, offsetof(struct kevent, flags)) \
    X(evfiltRead, EVFILT_READ) \
    X(evfiltWrite, EVFILT_WRITE) \
    X(evfiltUser, EVFILT_USER) \
    X(evAdd, EV_ADD) \
    X(evDelete, EV_DELETE) \
    X(evOneshot, EV_ONESHOT) \
    X(evClear, EV_CLEAR) \
    X(noteTrigger, NOTE_TRIGGER) \
    X(pollable, NATIVENIO_KQUEUE_POLLABLE)

NATIVENIO_REGISTER(kqueue, "io/nativenio/kqueue/KQueue", KQUEUE_CONSTANTS,
    {"create", "()I", (void *) kqueue_create},
    {"register", "(IJIII)I", (void *) kqueue_register},
    {"delete", "(IJII)I", (void *) kqueue_delete},
    {"select", "(IJIJII)I", (void *) kqueue_select})
