/*
 * io_uring(7) as a readiness queue, for io.nativenio.iouring.IOUring: ring setup and teardown, the
 * one-call-per-select "queue the poll requests, submit them and wait in one io_uring_enter", the poll(2)
 * that checks again, without waiting, the fds the last select reported. Raw syscalls (no liburing), so the
 * library keeps its glibc floor.
 *
 * The ring's bookkeeping lives in a struct nativenio_ring in memory the Java poller allocated (the natives
 * keep no state of their own); every offset into the kernel's rings comes from io_uring_setup's params.
 * Ring indices are shared with the kernel: the heads and tails it writes are read with acquire loads and
 * the ones we write are published with release stores (io_uring(7), "Submission queue polling" aside).
 */
#include "nativenio.h"

#include <errno.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* poll32_events is read by the kernel as a native 32-bit value on little-endian CPUs only (liburing swaps
 * half-words on big-endian ones); every target of this library is little-endian. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "poll32_events needs a half-word swap on big-endian");

/* What the backend needs from the kernel (Linux 5.11): CQEs kept rather than dropped when the CQ is full,
 * one mmap for both rings, and a timeout passed to io_uring_enter itself. */
#define REQUIRED_FEATURES (IORING_FEAT_NODROP | IORING_FEAT_SINGLE_MMAP | IORING_FEAT_EXT_ARG)

/* IORING_SETUP_SUBMIT_ALL (Linux 5.18): a request that fails to submit does not stop the ones after it. */
#ifndef IORING_SETUP_SUBMIT_ALL
#define IORING_SETUP_SUBMIT_ALL (1U << 7)
#endif
/*
 * IORING_SETUP_COOP_TASKRUN (Linux 5.19): a poll request's completion work is queued for the submitting thread
 * without an interrupt (an IPI) to make a running thread run it at once; it runs when the thread next returns
 * to user mode (from any syscall, or an interrupt such as the scheduler's tick) or wakes from a sleep. Without
 * it every wake-up of a polled socket, in the sender's send(2), interrupts the selecting thread: in a virtual
 * machine an IPI is a trip to the hypervisor, most of an echo server's time (docs/iouring.md).
 */
#ifndef IORING_SETUP_COOP_TASKRUN
#define IORING_SETUP_COOP_TASKRUN (1U << 8)
#endif

/* The setup flags to try, best first: a kernel refuses (EINVAL) a flag newer than itself. */
static const unsigned SETUP_FLAGS[] = {
    IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN,
    IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | IORING_SETUP_SUBMIT_ALL,
    IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP, /* before 5.18: each request then must not fail to submit */
};

/* The ring as this library sees it, in caller memory of size sizeof(struct nativenio_ring). */
struct nativenio_ring {
    void *map;                  /* the SQ and CQ rings, one mapping (IORING_FEAT_SINGLE_MMAP) */
    size_t map_size;
    struct io_uring_sqe *sqes;  /* the SQE array, its own mapping */
    size_t sqes_size;
    unsigned *sq_khead, *sq_ktail, *sq_kflags;
    unsigned *cq_khead, *cq_ktail, *cq_koverflow;
    struct io_uring_cqe *cqes;
    unsigned sq_mask, sq_entries, cq_mask;
    unsigned sq_tail;           /* our tail: SQEs filled, published to *sq_ktail before each enter */
    unsigned cq_overflow_seen;  /* *cq_koverflow when last looked at: a change means CQEs were dropped */
    int fd;
};

/* One request of the Java poller: POLL_ADD of `fd` for `events` tagged `user_data`, or, when events is 0,
 * POLL_REMOVE of the poll tagged `user_data` (its own completion is tagged 0). */
struct nativenio_uring_request {
    uint64_t user_data;
    int32_t fd;
    uint32_t events;
};

static int uring_setup(unsigned entries, struct io_uring_params *p) {
    return (int) syscall(__NR_io_uring_setup, entries, p);
}

static int uring_enter(int fd, unsigned to_submit, unsigned min_complete, unsigned flags, void *arg, size_t argsz) {
    return (int) syscall(__NR_io_uring_enter, fd, to_submit, min_complete, flags, arg, argsz);
}

static unsigned load_acquire(const unsigned *p) {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(unsigned *p, unsigned v) {
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void *ring_field(const struct nativenio_ring *r, uint32_t offset) {
    return (char *) r->map + offset;
}

static void unmap(struct nativenio_ring *r) {
    if (r->sqes != NULL) {
        munmap(r->sqes, r->sqes_size);
        r->sqes = NULL;
    }
    if (r->map != NULL) {
        munmap(r->map, r->map_size);
        r->map = NULL;
    }
}

/*
 * Sets up a ring of `sq_entries` SQEs and `cq_entries` CQEs (the kernel may round both up) in the caller's
 * struct at `ring`. Returns the ring fd, or -errno: io_uring_setup's own (ENOSYS where the kernel has no
 * io_uring, EPERM where a seccomp filter or kernel.io_uring_disabled refuses it, ENOMEM over the
 * locked-memory limit), or EOPNOTSUPP when the kernel lacks a feature of REQUIRED_FEATURES.
 */
static jint uring_open(JNIEnv *env, jclass cls, jlong ring, jint sq_entries, jint cq_entries) {
    (void) env; (void) cls;
    struct nativenio_ring *r = (struct nativenio_ring *) (intptr_t) ring;
    if (r == NULL || sq_entries <= 0 || cq_entries < sq_entries) {
        return -EINVAL;
    }
    memset(r, 0, sizeof *r);
    struct io_uring_params p;
    int fd = -1;
    for (size_t i = 0; i < sizeof SETUP_FLAGS / sizeof SETUP_FLAGS[0] && (i == 0 || errno == EINVAL); i++) {
        memset(&p, 0, sizeof p);
        p.flags = SETUP_FLAGS[i];
        p.cq_entries = (unsigned) cq_entries;
        fd = uring_setup((unsigned) sq_entries, &p);
        if (fd >= 0) {
            break;
        }
    }
    if (fd < 0) {
        return -errno;
    }
    if ((p.features & REQUIRED_FEATURES) != REQUIRED_FEATURES) {
        close(fd);
        return -EOPNOTSUPP;
    }
    size_t sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    size_t cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    r->map_size = sq_size > cq_size ? sq_size : cq_size;
    r->sqes_size = p.sq_entries * sizeof(struct io_uring_sqe);
    void *map = mmap(NULL, r->map_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
    if (map == MAP_FAILED) {
        int err = errno;
        close(fd);
        return -err;
    }
    r->map = map;
    void *sqes = mmap(NULL, r->sqes_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
    if (sqes == MAP_FAILED) {
        int err = errno;
        unmap(r);
        close(fd);
        return -err;
    }
    r->sqes = sqes;
    r->sq_khead = ring_field(r, p.sq_off.head);
    r->sq_ktail = ring_field(r, p.sq_off.tail);
    r->sq_kflags = ring_field(r, p.sq_off.flags);
    r->sq_mask = *(unsigned *) ring_field(r, p.sq_off.ring_mask);
    r->sq_entries = p.sq_entries;
    r->cq_khead = ring_field(r, p.cq_off.head);
    r->cq_ktail = ring_field(r, p.cq_off.tail);
    r->cq_koverflow = ring_field(r, p.cq_off.overflow);
    r->cq_mask = *(unsigned *) ring_field(r, p.cq_off.ring_mask);
    r->cqes = ring_field(r, p.cq_off.cqes);
    /* SQE i always sits in slot i of the index array, so the array is written once, here */
    unsigned *array = ring_field(r, p.sq_off.array);
    for (unsigned i = 0; i < p.sq_entries; i++) {
        array[i] = i;
    }
    r->sq_tail = *r->sq_ktail;
    r->cq_overflow_seen = load_acquire(r->cq_koverflow);
    r->fd = fd;
    return fd;
}

/* Unmaps the rings and closes the ring fd, which cancels every request still in flight; 0 or -errno. */
static jint uring_close(JNIEnv *env, jclass cls, jlong ring) {
    (void) env; (void) cls;
    struct nativenio_ring *r = (struct nativenio_ring *) (intptr_t) ring;
    if (r == NULL || r->map == NULL) {
        return -EBADF;
    }
    unmap(r);
    return close(r->fd) == 0 ? 0 : -errno;
}

/* SQEs filled but not yet consumed by the kernel. */
static unsigned sq_pending(const struct nativenio_ring *r) {
    return r->sq_tail - load_acquire(r->sq_khead);
}

/*
 * Hands the filled SQEs to the kernel without waiting, until at most `keep` are left unconsumed. Returns 0,
 * or -errno (EAGAIN or EBUSY when the kernel cannot take more requests right now).
 */
static int submit(struct nativenio_ring *r, unsigned keep) {
    store_release(r->sq_ktail, r->sq_tail);
    while (sq_pending(r) > keep) {
        int rc = uring_enter(r->fd, sq_pending(r), 0, 0, NULL, 0);
        if (rc < 0 && errno != EINTR) {
            return -errno;
        }
        if (rc == 0) {
            return -EAGAIN;
        }
    }
    return 0;
}

/* Fills the next SQE with `q`; the SQ must have a free slot. */
static void queue(struct nativenio_ring *r, const struct nativenio_uring_request *q) {
    struct io_uring_sqe *sqe = &r->sqes[r->sq_tail & r->sq_mask];
    memset(sqe, 0, sizeof *sqe);
    if (q->events != 0) {
        sqe->opcode = IORING_OP_POLL_ADD; /* one-shot: len (the poll flags) stays 0 */
        sqe->fd = q->fd;
        sqe->poll32_events = q->events;
        sqe->user_data = q->user_data;
    } else {
        sqe->opcode = IORING_OP_POLL_REMOVE;
        sqe->fd = -1;
        sqe->addr = q->user_data;
        sqe->user_data = 0;
    }
    r->sq_tail++;
}

/* Fills an SQE with each of `count` requests, handing the SQ to the kernel whenever it is full; 0 or -errno. */
static int queue_all(struct nativenio_ring *r, const struct nativenio_uring_request *q, jint count) {
    for (jint i = 0; i < count; i++) {
        if (sq_pending(r) == r->sq_entries) {
            int rc = submit(r, r->sq_entries - 1);
            if (rc < 0) {
                return rc;
            }
        }
        queue(r, &q[i]);
    }
    return 0;
}

/* Checks a ring and a request array passed from Java: the ring, or NULL. */
static struct nativenio_ring *checked(jlong ring, jlong requests, jint count) {
    struct nativenio_ring *r = (struct nativenio_ring *) (intptr_t) ring;
    return r == NULL || r->map == NULL || count < 0 || (count > 0 && requests == 0) ? NULL : r;
}

/* Submits `count` requests (struct nativenio_uring_request at `requests`) at once, without waiting; 0 or -errno. */
static jint uring_submit(JNIEnv *env, jclass cls, jlong ring, jlong requests, jint count) {
    (void) env; (void) cls;
    struct nativenio_ring *r = checked(ring, requests, count);
    if (r == NULL) {
        return -EINVAL;
    }
    int rc = queue_all(r, (const struct nativenio_uring_request *) (intptr_t) requests, count);
    return rc < 0 ? rc : submit(r, 0);
}

/*
 * Submits every filled SQE and, unless `timeout` is 0 or completions are waiting already, waits up to
 * `timeout` ms (-1: no limit) for one completion, all in one io_uring_enter. With nothing to submit and
 * completions in the CQ, no syscall at all; with nothing to submit, an empty CQ and timeout 0 the enter
 * still runs (min_complete 0): it runs the task work that posts poll completions and moves CQEs that
 * overflowed into the CQ. A submission that stopped early (a kernel before IORING_SETUP_SUBMIT_ALL stops
 * at a request that fails) is continued. Returns 0, or -errno of io_uring_enter (EINTR, ETIME, ...).
 */
static int submit_and_wait(struct nativenio_ring *r, jint timeout) {
    store_release(r->sq_ktail, r->sq_tail);
    for (;;) {
        unsigned to_submit = sq_pending(r);
        unsigned ready = load_acquire(r->cq_ktail) - *r->cq_khead;
        int overflowed = (load_acquire(r->sq_kflags) & IORING_SQ_CQ_OVERFLOW) != 0;
        if (to_submit == 0 && ready > 0 && !overflowed) {
            return 0;
        }
        unsigned wait = timeout != 0 && ready == 0 ? 1 : 0;
        unsigned flags = IORING_ENTER_GETEVENTS;
        struct __kernel_timespec ts;
        struct io_uring_getevents_arg arg;
        void *argp = NULL;
        size_t argsz = 0;
        if (wait && timeout > 0) {
            ts.tv_sec = timeout / 1000;
            ts.tv_nsec = (long long) (timeout % 1000) * 1000000LL;
            memset(&arg, 0, sizeof arg);
            arg.ts = (uint64_t) (uintptr_t) &ts;
            flags |= IORING_ENTER_EXT_ARG;
            argp = &arg;
            argsz = sizeof arg;
        }
        int rc = uring_enter(r->fd, to_submit, wait, flags, argp, argsz);
        if (rc < 0) {
            return -errno;
        }
        if ((unsigned) rc >= to_submit || rc == 0) {
            return 0; /* rc 0 with SQEs left: the kernel took none now; they go with the next enter */
        }
    }
}

/*
 * Copies at most `max` CQEs from the CQ to `cqes` and consumes them; the rest stay for the next call. Returns the
 * number copied, or -EBADR when the kernel dropped CQEs since the last call (see uring_select).
 */
static jint copy_cqes(struct nativenio_ring *r, jlong cqes, jint max) {
    unsigned overflow = load_acquire(r->cq_koverflow);
    if (overflow != r->cq_overflow_seen) {
        r->cq_overflow_seen = overflow;
        return -EBADR;
    }
    unsigned head = *r->cq_khead;
    unsigned ready = load_acquire(r->cq_ktail) - head;
    unsigned n = ready < (unsigned) max ? ready : (unsigned) max;
    struct io_uring_cqe *out = (struct io_uring_cqe *) (intptr_t) cqes;
    for (unsigned i = 0; i < n; i++) {
        out[i] = r->cqes[(head + i) & r->cq_mask];
    }
    store_release(r->cq_khead, head + n);
    return (jint) n;
}

/*
 * Queues `count` requests (struct nativenio_uring_request at `requests`), flushing the SQ whenever it is
 * full, submits them and waits as submit_and_wait, then copies at most `max` CQEs (struct io_uring_cqe) to
 * `cqes` and consumes them; the rest stay in the CQ for the next call. Returns the number copied, or
 * -errno: EINTR when a wait ended with no completion (a signal, or the timeout of an enter that also
 * submitted: the caller waits again for the time left), EBADR when the kernel dropped CQEs (it could not
 * allocate memory to keep an overflowed one; newer kernels then fail every wait with EBADR), or another
 * error of io_uring_enter.
 */
static jint uring_select(JNIEnv *env, jclass cls, jlong ring, jlong requests, jint count,
                         jlong cqes, jint max, jint timeout) {
    (void) env; (void) cls;
    struct nativenio_ring *r = checked(ring, requests, count);
    if (r == NULL || max < 0 || (max > 0 && cqes == 0)) {
        return -EINVAL;
    }
    int rc = queue_all(r, (const struct nativenio_uring_request *) (intptr_t) requests, count);
    if (rc < 0) {
        return rc;
    }
    rc = submit_and_wait(r, timeout);
    if (rc < 0 && rc != -EINTR && rc != -ETIME && rc != -EAGAIN && rc != -EBUSY) {
        return rc;
    }
    jint n = copy_cqes(r, cqes, max);
    if (n == 0 && (rc == -EINTR || (rc == 0 && timeout != 0))) {
        return -EINTR;
    }
    if (n == 0 && (rc == -EAGAIN || rc == -EBUSY)) {
        return rc;
    }
    return n;
}

/*
 * Copies at most `max` CQEs already in the CQ to `cqes` and consumes them, with no syscall unless SQEs wait to be
 * submitted or CQEs overflowed (then one io_uring_enter that does not wait). For a caller that has events to report
 * already: the completion work the kernel queued for this thread has run when it last returned from a syscall.
 * Returns the number copied, or -errno (EBADR as uring_select).
 */
static jint uring_reap(JNIEnv *env, jclass cls, jlong ring, jlong cqes, jint max) {
    (void) env; (void) cls;
    struct nativenio_ring *r = checked(ring, 0, 0);
    if (r == NULL || max < 0 || (max > 0 && cqes == 0)) {
        return -EINVAL;
    }
    if (sq_pending(r) > 0 || (load_acquire(r->sq_kflags) & IORING_SQ_CQ_OVERFLOW) != 0) {
        int rc = submit_and_wait(r, 0);
        if (rc < 0 && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) {
            return rc;
        }
    }
    return copy_cqes(r, cqes, max);
}

/*
 * poll(2) of `count` struct pollfd at `fds` without waiting: the number of fds with revents set, or -errno.
 * A zero timeout adds no wait-queue entry in the kernel: one readiness check per fd, as epoll_wait makes
 * for each fd of its ready list.
 */
static jint poll_now(JNIEnv *env, jclass cls, jlong fds, jint count) {
    (void) env; (void) cls;
    if (count < 0 || (count > 0 && fds == 0)) {
        return -EINVAL;
    }
    int rc;
    do {
        rc = poll((struct pollfd *) (intptr_t) fds, (nfds_t) count, 0);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 ? -errno : rc;
}

/* Struct layout and constants, one native each, read once by the Java facade's static initializer. */
#define IOURING_CONSTANTS(X) \
    X(ringSize, sizeof(struct nativenio_ring)) \
    X(requestSize, sizeof(struct nativenio_uring_request)) \
    X(requestUserDataOffset, offsetof(struct nativenio_uring_request, user_data)) \
    X(requestFdOffset, offsetof(struct nativenio_uring_request, fd)) \
    X(requestEventsOffset, offsetof(struct nativenio_uring_request, events)) \
    X(cqeSize, sizeof(struct io_uring_cqe)) \
    X(cqeUserDataOffset, offsetof(struct io_uring_cqe, user_data)) \
    X(cqeResOffset, offsetof(struct io_uring_cqe, res)) \
    X(pollfdSize, sizeof(struct pollfd)) \
    X(pollfdFdOffset, offsetof(struct pollfd, fd)) \
    X(pollfdEventsOffset, offsetof(struct pollfd, events)) \
    X(pollfdReventsOffset, offsetof(struct pollfd, revents)) \
    X(ebadr, EBADR)

NATIVENIO_REGISTER(iouring, "io/nativenio/iouring/IOUring", IOURING_CONSTANTS,
    {"open", "(JII)I", (void *) uring_open},
    {"close", "(J)I", (void *) uring_close},
    {"submit", "(JJI)I", (void *) uring_submit},
    {"select", "(JJIJII)I", (void *) uring_select},
    {"reap", "(JJI)I", (void *) uring_reap},
    {"pollNow", "(JI)I", (void *) poll_now})
