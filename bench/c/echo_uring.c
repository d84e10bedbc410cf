/*
 * The echo workload of echo.c on io_uring instead of epoll: what a completion-based data path can do on this
 * machine, beside the readiness-based limit of echo.c. Both sides receive with multishot recv into a ring of
 * provided buffers and keep one send in flight per connection; each turn of a loop submits every new request
 * and waits in one io_uring_enter. Needs liburing (Debian: liburing-dev) and Linux 6.0 or later (multishot
 * receive); single issuer and deferred task work where the kernel has them (6.1). Command line and output:
 * echo_common.h.
 *
 * Built with -DSEND_BY_WRITE, it is the loop a java.nio program would make on a provider whose receives go
 * through the selector's ring: receives as above, each received buffer copied out and given back at once (a
 * read() that copies held bytes), and every send a write(2) made at once (a NIO write must return its
 * count, so it cannot wait for the next submission); a write that is short waits for POLLOUT on the ring.
 */
#include "echo_common.h"

#include <liburing.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>

#define ENTRIES 4096
#define NBUFS 1024 /* provided buffers, a power of two */
#define BUF_SIZE 4096
#define GROUP 0

enum kind { ACCEPT = 1, RECV = 2, SEND = 3, WRITABLE = 4 };

static struct io_uring ring;
static struct io_uring_buf_ring *buf_ring;
static char *bufs;

static void die_rc(const char *what, int rc) {
    errno = -rc;
    die(what);
}

static uint64_t tag(void *ptr, enum kind k) {
    return (uint64_t) (uintptr_t) ptr | (uint64_t) k;
}

static struct io_uring_sqe *sqe(void) {
    struct io_uring_sqe *s = io_uring_get_sqe(&ring);
    if (s == NULL) {
        io_uring_submit(&ring);
        s = io_uring_get_sqe(&ring);
        if (s == NULL) {
            fprintf(stderr, "no submission entry\n");
            exit(1);
        }
    }
    return s;
}

static void setup(void) {
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
    int rc = io_uring_queue_init_params(ENTRIES, &ring, &p);
    if (rc == -EINVAL) { /* before Linux 6.1 */
        memset(&p, 0, sizeof p);
        rc = io_uring_queue_init_params(ENTRIES, &ring, &p);
    }
    if (rc < 0) {
        die_rc("io_uring_queue_init", rc);
    }
    size_t ring_size = NBUFS * sizeof(struct io_uring_buf);
    buf_ring = mmap(NULL, ring_size, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    bufs = malloc((size_t) NBUFS * BUF_SIZE);
    if (buf_ring == MAP_FAILED || bufs == NULL) {
        die("buffers");
    }
    struct io_uring_buf_reg reg = {.ring_addr = (uint64_t) (uintptr_t) buf_ring, .ring_entries = NBUFS, .bgid = GROUP};
    rc = io_uring_register_buf_ring(&ring, &reg, 0);
    if (rc < 0) {
        die_rc("io_uring_register_buf_ring", rc);
    }
    io_uring_buf_ring_init(buf_ring);
    for (int i = 0; i < NBUFS; i++) {
        io_uring_buf_ring_add(buf_ring, bufs + (size_t) i * BUF_SIZE, BUF_SIZE, (unsigned short) i,
                              io_uring_buf_ring_mask(NBUFS), i);
    }
    io_uring_buf_ring_advance(buf_ring, NBUFS);
}

static void give_back(unsigned bid) {
    io_uring_buf_ring_add(buf_ring, bufs + (size_t) bid * BUF_SIZE, BUF_SIZE, (unsigned short) bid,
                          io_uring_buf_ring_mask(NBUFS), 0);
    io_uring_buf_ring_advance(buf_ring, 1);
}

static void recv_multishot(int fd, void *owner) {
    struct io_uring_sqe *s = sqe();
    io_uring_prep_recv_multishot(s, fd, NULL, 0, 0);
    s->flags |= IOSQE_BUFFER_SELECT;
    s->buf_group = GROUP;
    io_uring_sqe_set_data64(s, tag(owner, RECV));
}

#ifdef SEND_BY_WRITE
#define LOOP_NAME "c-io_uring-write"

/* Writes at once what it can; returns the count, after asking the ring for POLLOUT if not all of it went. */
static size_t write_now(int fd, const void *data, size_t len, void *owner) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno != EAGAIN) {
        die("write");
    }
    size_t written = n < 0 ? 0 : (size_t) n;
    if (written < len) {
        struct io_uring_sqe *s = sqe();
        io_uring_prep_poll_add(s, fd, POLLOUT);
        io_uring_sqe_set_data64(s, tag(owner, WRITABLE));
    }
    return written;
}

static void nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        die("fcntl");
    }
}
#else
#define LOOP_NAME "c-io_uring"

static void send_bytes(int fd, const void *data, size_t len, void *owner) {
    struct io_uring_sqe *s = sqe();
    io_uring_prep_send(s, fd, data, len, MSG_NOSIGNAL);
    io_uring_sqe_set_data64(s, tag(owner, SEND));
}
#endif

static void accept_multishot(int listener) {
    struct io_uring_sqe *s = sqe();
    io_uring_prep_multishot_accept(s, listener, NULL, NULL, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(s, ACCEPT);
}

#ifdef SEND_BY_WRITE
/* ---- server: copies what it receives and writes it back at once, as a java.nio echo server does ---- */

struct conn {
    int fd;
    int waiting;     /* a short write waits for POLLOUT */
    size_t off, len; /* out[off, len): received, not yet written */
    char out[BUFFER];
};

static void flush_out(struct conn *c) {
    if (!c->waiting && c->off < c->len) {
        c->off += write_now(c->fd, c->out + c->off, c->len - c->off, c);
        c->waiting = c->off < c->len;
        if (!c->waiting) {
            c->off = c->len = 0;
        }
    }
}

static void accepted(int fd) {
    nonblocking(fd);
}

static void received(struct conn *c, unsigned bid, unsigned len) {
    if (c->len + len > BUFFER) {
        fprintf(stderr, "the client sent more than %d bytes ahead\n", BUFFER);
        exit(1);
    }
    memcpy(c->out + c->len, bufs + (size_t) bid * BUF_SIZE, len);
    c->len += len;
    give_back(bid);
    flush_out(c);
}

static void receive_ended(struct conn *c) {
    close(c->fd); /* end of stream or error; a POLLOUT request in flight frees it */
    c->fd = -1;
    if (!c->waiting) {
        free(c);
    }
}

static void completed(struct conn *c, enum kind k, int res) {
    (void) k; /* WRITABLE */
    (void) res;
    c->waiting = 0;
    if (c->fd < 0) {
        free(c);
    } else {
        flush_out(c);
    }
}
#else
/* ---- server: echoes what it receives, in order, one send in flight per connection ---- */

struct pending {
    unsigned bid;
    unsigned off, len;
};

struct conn {
    int fd;
    int sending;            /* a send of queue[head] is in flight */
    unsigned head, count;   /* a ring of received buffers not yet echoed */
    struct pending queue[NBUFS];
};

static void send_head(struct conn *c) {
    struct pending *p = &c->queue[c->head];
    send_bytes(c->fd, bufs + (size_t) p->bid * BUF_SIZE + p->off, p->len - p->off, c);
    c->sending = 1;
}

static void accepted(int fd) {
    (void) fd;
}

static void received(struct conn *c, unsigned bid, unsigned len) {
    struct pending *p = &c->queue[(c->head + c->count) % NBUFS];
    p->bid = bid;
    p->off = 0;
    p->len = len;
    c->count++;
    if (!c->sending) {
        send_head(c);
    }
}

static void receive_ended(struct conn *c) {
    if (!c->sending) {
        close(c->fd); /* end of stream or error; a send in flight frees it when it ends */
        free(c);
    } else {
        c->fd = -c->fd - 1;
    }
}

static void completed(struct conn *c, enum kind k, int res) {
    (void) k; /* SEND */
    struct pending *p = &c->queue[c->head];
    c->sending = 0;
    if (c->fd < 0) {
        close(-c->fd - 1);
        free(c);
    } else if (res < 0) {
        die_rc("send", res);
    } else {
        p->off += (unsigned) res;
        if (p->off == p->len) {
            give_back(p->bid);
            c->head = (c->head + 1) % NBUFS;
            c->count--;
        }
        if (c->count > 0) {
            send_head(c);
        }
    }
}
#endif

/* ---- the server loop of both: accepts, receives with multishot recv, hands the rest to the functions above ---- */

static void server(void) {
    setup();
    int listener = listen_loopback(0, LOOP_NAME);
    accept_multishot(listener);
    for (;;) {
        int rc = io_uring_submit_and_wait(&ring, 1);
        if (rc < 0 && rc != -EINTR) {
            die_rc("io_uring_submit_and_wait", rc);
        }
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(&ring, head, cqe) {
            seen++;
            enum kind k = (enum kind) (cqe->user_data & 7);
            struct conn *c = (struct conn *) (uintptr_t) (cqe->user_data & ~(uint64_t) 7);
            if (k == ACCEPT) {
                if (cqe->res >= 0) {
                    nodelay(cqe->res);
                    accepted(cqe->res);
                    c = calloc(1, sizeof *c);
                    if (c == NULL) {
                        die("calloc");
                    }
                    c->fd = cqe->res;
                    recv_multishot(c->fd, c);
                }
                if (!(cqe->flags & IORING_CQE_F_MORE)) {
                    accept_multishot(listener);
                }
            } else if (k == RECV) {
                if (cqe->res > 0) {
                    received(c, cqe->flags >> IORING_CQE_BUFFER_SHIFT, (unsigned) cqe->res);
                }
                if (!(cqe->flags & IORING_CQE_F_MORE)) {
                    if (cqe->res == -ENOBUFS || cqe->res > 0) {
                        recv_multishot(c->fd, c);
                    } else {
                        receive_ended(c);
                    }
                }
            } else {
                completed(c, k, cqe->res);
            }
        }
        io_uring_cq_advance(&ring, seen);
    }
}

/* ---- client ---- */

struct peer {
    int fd;
    int sending; /* a send is in flight, or a short write waits for POLLOUT */
    struct in_flight f;
};

static void flush(struct peer *p) {
    if (!p->sending && p->f.pending_out > 0) {
        size_t most = (size_t) depth * size;
        size_t len = p->f.pending_out < most ? p->f.pending_out : most;
#ifdef SEND_BY_WRITE
        size_t written = write_now(p->fd, payload, len, p);
        p->f.pending_out -= written;
        p->sending = written < len;
#else
        send_bytes(p->fd, payload, len, p);
        p->sending = 1;
#endif
    }
}

static void client(int port, int connections, struct window *w) {
    struct peer *peers = calloc((size_t) connections, sizeof *peers);
    if (peers == NULL) {
        die("client");
    }
    setup();
    int64_t now = now_ns();
    for (int i = 0; i < connections; i++) {
        struct peer *p = &peers[i];
        p->fd = connect_loopback(port);
#ifdef SEND_BY_WRITE
        nonblocking(p->fd);
#endif
        recv_multishot(p->fd, p);
        start(&p->f, now);
        flush(p);
    }
    window_begin(w, now_ns());
    do {
        int rc = io_uring_submit_and_wait(&ring, 1);
        if (rc < 0 && rc != -EINTR) {
            die_rc("io_uring_submit_and_wait", rc);
        }
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        now = now_ns();
        io_uring_for_each_cqe(&ring, head, cqe) {
            seen++;
            struct peer *p = (struct peer *) (uintptr_t) (cqe->user_data & ~(uint64_t) 7);
            if ((cqe->user_data & 7) == RECV) {
                if (cqe->res == 0) {
                    fprintf(stderr, "the server closed a connection\n");
                    exit(1);
                }
                if (cqe->res > 0) {
                    give_back(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
                    echoed(&p->f, (size_t) cqe->res, now);
                } else if (cqe->res != -ENOBUFS) {
                    die_rc("recv", cqe->res);
                }
                if (!(cqe->flags & IORING_CQE_F_MORE)) {
                    recv_multishot(p->fd, p);
                }
            } else if ((cqe->user_data & 7) == WRITABLE) {
                p->sending = 0;
            } else {
                if (cqe->res < 0) {
                    die_rc("send", cqe->res);
                }
                p->sending = 0;
                p->f.pending_out -= (size_t) cqe->res;
            }
            flush(p);
        }
        io_uring_cq_advance(&ring, seen);
    } while (!window_over(w, now));
}

int main(int argc, char **argv) {
    return echo_main(argc, argv, server, client);
}
