/*
 * deadline.c - Whole-request and request-header deadlines.
 *
 * libmicrohttpd's connection timeout is an idle timeout: every byte
 * resets it, so a client sending one header line every few seconds
 * holds its connection for ever (slowloris). Here every connection is
 * registered at accept (MHD_OPTION_NOTIFY_CONNECTION) with the time its
 * current request began (accept, or the end of the previous request on
 * a keep-alive connection) and its phase: HEADERS until the access
 * handler first runs, BODY until the answer is queued, REPLY after. A
 * watchdog thread wakes every 100 ms and shuts down (shutdown(2), not
 * close) the socket of a connection whose headers are not complete
 * after header_ms, or whose request is not complete after request_ms;
 * libmicrohttpd then sees the end of the stream and closes it itself.
 * Sending the answer is only under the idle timeout (a slow reader
 * downloading a large layer is not an attack on the request path).
 * Threads: the list is guarded by one mutex, taken at accept, at close
 * and by the watchdog; the phase and start time are atomics written by
 * the connection's own thread. The socket is closed by libmicrohttpd
 * only after the CLOSED notification removed it from the list, so the
 * watchdog never shuts down a reused descriptor.
 */
#include <microhttpd.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "server/srv.h"
#include "util/internal.h"

struct gn__conn {
  struct gn__conn *prev, *next;
  int fd;
  int cut; /* already shut down */
  atomic_int phase;
  _Atomic int64_t since_us;
};

static int64_t now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

void gn__dl_notify(void *cls, struct MHD_Connection *conn,
                   void **socket_context,
                   enum MHD_ConnectionNotificationCode code) {
  gn__deadlines *d = cls;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    struct gn__conn *c = calloc(1, sizeof(*c));
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!c || !ci) { /* no deadline for this one; the idle timeout stays */
      free(c);
      *socket_context = NULL;
      return;
    }
    c->fd = ci->connect_fd;
    atomic_init(&c->phase, GN__PH_HEADERS);
    atomic_init(&c->since_us, now_us());
    pthread_mutex_lock(&d->mu);
    c->next = d->head;
    if (d->head) d->head->prev = c;
    d->head = c;
    pthread_mutex_unlock(&d->mu);
    *socket_context = c;
    return;
  }
  struct gn__conn *c = *socket_context;
  if (!c) return;
  pthread_mutex_lock(&d->mu);
  if (c->prev) c->prev->next = c->next;
  else d->head = c->next;
  if (c->next) c->next->prev = c->prev;
  pthread_mutex_unlock(&d->mu);
  free(c);
  *socket_context = NULL;
}

void gn__dl_phase(struct MHD_Connection *conn, int phase) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  struct gn__conn *c = ci ? ci->socket_context : NULL;
  if (!c) return;
  if (phase == GN__PH_HEADERS) atomic_store(&c->since_us, now_us());
  atomic_store(&c->phase, phase);
}

static void sweep(gn__deadlines *d) {
  int64_t now = now_us();
  pthread_mutex_lock(&d->mu);
  for (struct gn__conn *c = d->head; c; c = c->next) {
    int ph = atomic_load(&c->phase);
    int64_t age_ms = (now - atomic_load(&c->since_us)) / 1000;
    if (c->cut || ph == GN__PH_REPLY) continue;
    if ((ph == GN__PH_HEADERS && age_ms > (int64_t)d->header_ms) ||
        (ph == GN__PH_BODY && age_ms > (int64_t)d->request_ms)) {
      shutdown(c->fd, SHUT_RDWR);
      c->cut = 1;
    }
  }
  pthread_mutex_unlock(&d->mu);
}

static void *watchdog(void *arg) {
  gn__deadlines *d = arg;
  pthread_mutex_lock(&d->stop_mu);
  while (!d->stop) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += 100 * 1000 * 1000;
    if (t.tv_nsec >= 1000000000) {
      t.tv_sec++;
      t.tv_nsec -= 1000000000;
    }
    pthread_cond_timedwait(&d->stop_cv, &d->stop_mu, &t);
    if (d->stop) break;
    pthread_mutex_unlock(&d->stop_mu);
    sweep(d);
    pthread_mutex_lock(&d->stop_mu);
  }
  pthread_mutex_unlock(&d->stop_mu);
  return NULL;
}

gn_status gn__dl_start(gn_ctx *ctx, gn__deadlines *d, unsigned header_ms,
                       unsigned request_ms) {
  d->header_ms = header_ms;
  d->request_ms = request_ms;
  d->head = NULL;
  d->stop = 0;
  if (pthread_mutex_init(&d->mu, NULL) != 0 ||
      pthread_mutex_init(&d->stop_mu, NULL) != 0 ||
      pthread_cond_init(&d->stop_cv, NULL) != 0)
    return gn__fail(ctx, GN_ENOMEM, "cannot create the deadline watchdog");
  d->inited = 1;
  if (pthread_create(&d->thread, NULL, watchdog, d) != 0)
    return gn__fail(ctx, GN_ENOMEM, "cannot start the deadline watchdog");
  d->running = 1;
  return GN_OK;
}

void gn__dl_stop(gn__deadlines *d) {
  if (d->running) {
    pthread_mutex_lock(&d->stop_mu);
    d->stop = 1;
    pthread_cond_signal(&d->stop_cv);
    pthread_mutex_unlock(&d->stop_mu);
    pthread_join(d->thread, NULL);
    d->running = 0;
  }
}

void gn__dl_destroy(gn__deadlines *d) {
  gn__dl_stop(d);
  if (!d->inited) return;
  pthread_mutex_destroy(&d->mu);
  pthread_mutex_destroy(&d->stop_mu);
  pthread_cond_destroy(&d->stop_cv);
  d->inited = 0;
}
