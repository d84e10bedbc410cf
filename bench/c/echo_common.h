/*
 * What the two C echo loops share (echo.c on epoll, echo_uring.c on io_uring): the loopback sockets, the
 * client's bookkeeping of messages in flight and their latencies, the result line and the command line.
 *
 *   NAME server                                  prints "provider c-BACKEND" and "listening PORT"
 *   NAME client PORT CONNS DEPTH SIZE WARMUP SECONDS
 *                                                prints "measuring" after WARMUP seconds, then one
 *                                                "result messages=.. seconds=.. p50_us=.. p99_us=.." line
 *
 * Latencies are kept in whole microseconds up to one second, as LatencyHistogram.java keeps them.
 */
#ifndef ECHO_COMMON_H
#define ECHO_COMMON_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUFFER (64 * 1024)
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

/* A listening TCP socket on an ephemeral loopback port (`flags`: SOCK_NONBLOCK or 0); announces it. */
static int listen_loopback(int flags, const char *provider) {
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t addrlen = sizeof addr;
    if (listener < 0 || bind(listener, (struct sockaddr *) &addr, sizeof addr) < 0 || listen(listener, 1024) < 0
        || getsockname(listener, (struct sockaddr *) &addr, &addrlen) < 0) {
        die("listen");
    }
    printf("provider %s\nlistening %d\n", provider, ntohs(addr.sin_port));
    fflush(stdout);
    return listener;
}

/* A blocking TCP connection to the loopback port, with TCP_NODELAY. */
static int connect_loopback(int port) {
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *) &addr, sizeof addr) < 0) {
        die("connect");
    }
    nodelay(fd);
    return fd;
}

/* ---- the client's messages: DEPTH in flight per connection, SIZE bytes each ---- */

static int depth;
static size_t size;
static char *payload; /* depth * size bytes; their content does not matter */
static uint32_t histogram[MAX_MICROS + 1];
static uint64_t recorded;

struct in_flight {
    int head, count;
    size_t pending_out, partial; /* bytes queued and not yet written; bytes of an echo not yet complete */
    int64_t *sent_at;            /* a ring of depth send times: echoes come back in order */
};

/* Queues one more message, sent at `now`. */
static void queue(struct in_flight *f, int64_t now) {
    f->sent_at[(f->head + f->count) % depth] = now;
    f->count++;
    f->pending_out += size;
}

/* A connection's first DEPTH messages. */
static void start(struct in_flight *f, int64_t now) {
    f->sent_at = calloc((size_t) depth, sizeof *f->sent_at);
    if (f->sent_at == NULL) {
        die("calloc");
    }
    for (int m = 0; m < depth; m++) {
        queue(f, now);
    }
}

/* `n` echoed bytes arrived at `now`: each complete message is recorded and replaced by a new one. */
static void echoed(struct in_flight *f, size_t n, int64_t now) {
    f->partial += n;
    while (f->partial >= size) {
        f->partial -= size;
        int64_t us = (now - f->sent_at[f->head]) / 1000;
        histogram[us < MAX_MICROS ? us : MAX_MICROS]++;
        recorded++;
        f->head = (f->head + 1) % depth;
        f->count--;
        queue(f, now);
    }
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

/* The measured window: "measuring" once the warm-up is over, the result line when it ends. */
struct window {
    int64_t warmup, measure; /* ns */
    int64_t from, end;
    int measuring;
};

/* Starts the warm-up at `now`: once every connection is made. */
static void window_begin(struct window *w, int64_t now) {
    w->from = now + w->warmup;
    w->end = w->from + w->measure;
}

/* Whether the run is over at `now`; starts the measurement when the warm-up ends. */
static int window_over(struct window *w, int64_t now) {
    if (!w->measuring && now >= w->from) {
        memset(histogram, 0, sizeof histogram);
        recorded = 0;
        w->measuring = 1;
        printf("measuring\n");
        fflush(stdout);
    } else if (w->measuring && now >= w->end) {
        printf("result messages=%llu seconds=%.3f p50_us=%d p99_us=%d\n", (unsigned long long) recorded,
               (double) (now - w->from) / 1e9, percentile(0.50), percentile(0.99));
        fflush(stdout);
        return 1;
    }
    return 0;
}

/* The command line: runs `server` or `client(port, connections, window)`. */
static int echo_main(int argc, char **argv, void (*server)(void), void (*client)(int, int, struct window *)) {
    if (argc == 2 && strcmp(argv[1], "server") == 0) {
        server();
    } else if (argc == 8 && strcmp(argv[1], "client") == 0) {
        depth = atoi(argv[4]);
        size = (size_t) atol(argv[5]);
        if (depth <= 0 || size == 0) {
            fprintf(stderr, "depth and size must be positive\n");
            return 2;
        }
        payload = calloc((size_t) depth, size);
        if (payload == NULL) {
            die("calloc");
        }
        struct window w = {.warmup = atoll(argv[6]) * 1000000000LL, .measure = atoll(argv[7]) * 1000000000LL};
        client(atoi(argv[2]), atoi(argv[3]), &w);
    } else {
        fprintf(stderr, "usage: %s server | %s client PORT CONNS DEPTH SIZE WARMUP SECONDS\n", argv[0], argv[0]);
        return 2;
    }
    return 0;
}

#endif
