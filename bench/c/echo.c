/*
 * The limit of the echo runs: the same workload as bench's EchoServer and EchoClient, written directly on
 * epoll (level-triggered, one thread each, TCP_NODELAY, a 64 KiB buffer per connection). No JVM, no
 * selector: what the kernel costs on this machine.
 *
 *   echo server                                  prints "provider c-epoll" and "listening PORT"
 *   echo client PORT CONNS DEPTH SIZE WARMUP SECONDS
 *                                                prints "measuring" after WARMUP seconds, then one
 *                                                "result messages=.. seconds=.. p50_us=.. p99_us=.." line
 *
 * Latencies are kept in whole microseconds up to one second, as LatencyHistogram.java keeps them.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUFFER (64 * 1024)
#define MAX_EVENTS 256
#define MAX_MICROS 1000000

static void die(const char *what) {
    perror(what);
    exit(1);
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void nodelay(int fd) {
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) {
        die("setsockopt");
    }
}

static void ctl(int ep, int op, int fd, uint32_t events, void *ptr) {
    struct epoll_event ev = {.events = events, .data.ptr = ptr};
    if (epoll_ctl(ep, op, fd, &ev) < 0) {
        die("epoll_ctl");
    }
}

/* ---- server ---- */

struct conn {
    int fd;
    int writing; /* registered for EPOLLOUT instead of EPOLLIN: an echo is pending */
    size_t len;  /* bytes read and not yet echoed */
    char buf[BUFFER];
};

static void drop(struct conn *c) {
    close(c->fd); /* also leaves the epoll set */
    free(c);
}

static void server(void) {
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t addrlen = sizeof addr;
    if (listener < 0 || bind(listener, (struct sockaddr *) &addr, sizeof addr) < 0 || listen(listener, 1024) < 0
        || getsockname(listener, (struct sockaddr *) &addr, &addrlen) < 0) {
        die("listen");
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) {
        die("epoll_create1");
    }
    ctl(ep, EPOLL_CTL_ADD, listener, EPOLLIN, NULL);
    printf("provider c-epoll\nlistening %d\n", ntohs(addr.sin_port));
    fflush(stdout);
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, events, MAX_EVENTS, -1);
        if (n < 0 && errno != EINTR) {
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c == NULL) {
                int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd < 0) {
                    continue;
                }
                nodelay(fd);
                c = calloc(1, sizeof *c);
                if (c == NULL) {
                    die("calloc");
                }
                c->fd = fd;
                ctl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, c);
                continue;
            }
            if (!c->writing) {
                ssize_t r = read(c->fd, c->buf, BUFFER);
                if (r == 0 || (r < 0 && errno != EAGAIN)) {
                    drop(c);
                    continue;
                }
                c->len = r > 0 ? (size_t) r : 0;
            }
            ssize_t w = c->len > 0 ? write(c->fd, c->buf, c->len) : 0;
            if (w < 0 && errno != EAGAIN) {
                drop(c);
                continue;
            }
            size_t done = w > 0 ? (size_t) w : 0;
            memmove(c->buf, c->buf + done, c->len - done);
            c->len -= done;
            int writing = c->len > 0; /* stop reading until the echo drains, as EchoServer does */
            if (writing != c->writing) {
                ctl(ep, EPOLL_CTL_MOD, c->fd, writing ? EPOLLOUT : EPOLLIN, c);
                c->writing = writing;
            }
        }
    }
}

/* ---- client ---- */

struct peer {
    int fd;
    uint32_t registered;
    int head, in_flight;
    size_t pending_out, partial;
    int64_t *sent_at; /* a ring of depth send times: echoes come back in order */
};

static int depth;
static size_t size;
static char *payload; /* depth * size bytes; their content does not matter */
static uint32_t histogram[MAX_MICROS + 1];
static uint64_t recorded;

static void queue(struct peer *p, int64_t now) {
    p->sent_at[(p->head + p->in_flight) % depth] = now;
    p->in_flight++;
    p->pending_out += size;
}

static void flush(int ep, struct peer *p) {
    if (p->pending_out > 0) {
        ssize_t w = write(p->fd, payload, p->pending_out);
        if (w < 0 && errno != EAGAIN) {
            die("write");
        }
        p->pending_out -= w > 0 ? (size_t) w : 0;
    }
    uint32_t want = p->pending_out > 0 ? EPOLLIN | EPOLLOUT : EPOLLIN;
    if (want != p->registered) {
        ctl(ep, EPOLL_CTL_MOD, p->fd, want, p);
        p->registered = want;
    }
}

static void on_readable(int ep, struct peer *p) {
    static char in[BUFFER];
    ssize_t r = read(p->fd, in, sizeof in);
    if (r == 0) {
        fprintf(stderr, "the server closed a connection\n");
        exit(1);
    }
    if (r < 0) {
        if (errno == EAGAIN) {
            return;
        }
        die("read");
    }
    p->partial += (size_t) r;
    int64_t now = now_ns();
    while (p->partial >= size) {
        p->partial -= size;
        int64_t us = (now - p->sent_at[p->head]) / 1000;
        histogram[us < MAX_MICROS ? us : MAX_MICROS]++;
        recorded++;
        p->head = (p->head + 1) % depth;
        p->in_flight--;
        queue(p, now);
    }
    flush(ep, p);
}

static int percentile(double fraction) {
    uint64_t rank = (uint64_t) (fraction * (double) recorded + 0.999999);
    uint64_t seen = 0;
    for (int us = 0; us <= MAX_MICROS; us++) {
        seen += histogram[us];
        if (seen >= rank && seen > 0) {
            return us;
        }
    }
    return 0;
}

static void client(int port, int connections, int64_t warmup, int64_t measure) {
    payload = calloc((size_t) depth, size);
    struct peer *peers = calloc((size_t) connections, sizeof *peers);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (payload == NULL || peers == NULL || ep < 0) {
        die("client");
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int64_t now = now_ns();
    for (int i = 0; i < connections; i++) {
        struct peer *p = &peers[i];
        p->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (p->fd < 0 || connect(p->fd, (struct sockaddr *) &addr, sizeof addr) < 0) {
            die("connect");
        }
        nodelay(p->fd);
        if (fcntl(p->fd, F_SETFL, O_NONBLOCK) < 0) {
            die("fcntl");
        }
        p->sent_at = calloc((size_t) depth, sizeof *p->sent_at);
        if (p->sent_at == NULL) {
            die("calloc");
        }
        p->registered = EPOLLIN;
        ctl(ep, EPOLL_CTL_ADD, p->fd, EPOLLIN, p);
        for (int m = 0; m < depth; m++) {
            queue(p, now);
        }
        flush(ep, p);
    }
    int64_t measure_from = now_ns() + warmup;
    int64_t end = measure_from + measure;
    int measuring = 0;
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, events, MAX_EVENTS, 100);
        if (n < 0 && errno != EINTR) {
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            struct peer *p = events[i].data.ptr;
            if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
                on_readable(ep, p);
            } else {
                flush(ep, p);
            }
        }
        now = now_ns();
        if (!measuring && now >= measure_from) {
            memset(histogram, 0, sizeof histogram);
            recorded = 0;
            measuring = 1;
            printf("measuring\n");
            fflush(stdout);
        } else if (measuring && now >= end) {
            break;
        }
    }
    printf("result messages=%llu seconds=%.3f p50_us=%d p99_us=%d\n", (unsigned long long) recorded,
           (double) (now - measure_from) / 1e9, percentile(0.50), percentile(0.99));
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "server") == 0) {
        server();
    } else if (argc == 8 && strcmp(argv[1], "client") == 0) {
        depth = atoi(argv[4]);
        size = (size_t) atol(argv[5]);
        if (depth <= 0 || size == 0) {
            fprintf(stderr, "depth and size must be positive\n");
            return 2;
        }
        client(atoi(argv[2]), atoi(argv[3]), atoll(argv[6]) * 1000000000LL, atoll(argv[7]) * 1000000000LL);
    } else {
        fprintf(stderr, "usage: echo server | echo client PORT CONNS DEPTH SIZE WARMUP SECONDS\n");
        return 2;
    }
    return 0;
}
