/*
 * server.c - The libmicrohttpd daemon: workers, limits, auth, dispatch,
 * graceful shutdown.
 *
 * Design: MHD runs its own epoll threads (MHD_USE_INTERNAL_POLLING_THREAD
 * | MHD_USE_EPOLL, thread pool of opts.threads). A connection lives in one
 * pool thread from accept to close, and each pool thread binds on first
 * use to one gn__worker (own gn_ctx, own store connection) through a
 * pthread key held in the server (no global), so the request path takes
 * no lock. A request is checked in this order, before any byte of body
 * is read: the raw request target as sent (screen.c: origin-form,
 * length, escapes, control characters, parameter count: 400/413), then
 * on the first callback Host (400), Transfer-Encoding (501), route
 * (404/405; HEAD is GET without a body), path id text (400), undeclared
 * or repeated query parameters and control characters in values (400),
 * bearer token (401), declared Content-Length (413).
 * Slow clients: a per-IP connection cap, the idle timeout, and the
 * header and whole-request deadlines of deadline.c. Bodies are accumulated in the request's
 * arena up to max_body; a chunked body that overflows closes the
 * connection (MHD cannot answer in the middle of an upload).
 * Shutdown: quiesce (stop accepting), wait for in-flight requests (counted
 * from first callback to completion) up to a grace period, stop the
 * daemon, then close the store connections. Every write is one committed
 * store transaction before its answer is queued, so nothing acknowledged
 * is lost.
 * Threads: gn_server_* are called from one controlling thread.
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "govnet/govnet.h"
#include "io/text.h"
#include "server/srv.h"
#include "util/internal.h"

struct gn_server {
  gn_ctx *ctx;              /* the creator's ctx: create/start/free only */
  gn_server_opts opts;      /* strings are copies owned by the server */
  gn__srv_info info;
  char *openapi, *boundaries, *places, *basemap;
  char *tls_cert, *tls_key;  /* PEM text of --tls-cert / --tls-key */
  const gn__perm **perms;    /* info.perms: per route, its permission */
  gn__views views;          /* whole-layer answers shared by the threads */
  gn__assets *assets;       /* the web UI in memory */
  gn__worker *workers;
  unsigned nworkers;
  atomic_uint next_worker;
  pthread_key_t key;
  int key_ok;
  struct MHD_Daemon *d;
  unsigned port;
  struct MHD_Daemon *aaa_d; /* the dedicated AAA listener, or NULL */
  unsigned aaa_port;
  atomic_int inflight;
  gn__deadlines dl;
  pthread_mutex_t write_mu; /* one API write at a time (see run_handler) */
  int write_mu_ok;
};

#define GN__EMPTY_FC "{\"type\":\"FeatureCollection\",\"features\":[]}"

/* ---- options ---- */

static gn_status opts_copy(gn_server *srv, const gn_server_opts *in) {
  gn_server_opts *o = &srv->opts;
  *o = *in;
  o->db_path = o->listen_addr = o->token = o->web_dir = o->boundaries = NULL;
  o->places = o->basemap = NULL;
  o->host_names = NULL;
  o->tls_cert = o->tls_key = NULL; /* read into srv->tls_* by load_tls */
  o->aaa_token = NULL;
  o->aaa_addr = NULL;
  if (!in->db_path) return gn__fail(srv->ctx, GN_EINVAL, "serve: --db is required");
  o->db_path = gn__strdup(srv->ctx, in->db_path);
  o->listen_addr = gn__strdup(srv->ctx, in->listen_addr ? in->listen_addr : "127.0.0.1");
  o->token = gn__strdup(srv->ctx, in->token);
  o->web_dir = gn__strdup(srv->ctx, in->web_dir);
  o->boundaries = gn__strdup(srv->ctx, in->boundaries);
  o->places = gn__strdup(srv->ctx, in->places);
  o->basemap = gn__strdup(srv->ctx, in->basemap);
  if ((in->places && !o->places) || (in->basemap && !o->basemap))
    return gn__fail(srv->ctx, GN_ENOMEM, "out of memory copying options");
  o->host_names = gn__strdup(srv->ctx, in->host_names);
  o->aaa_token = gn__strdup(srv->ctx, in->aaa_token);
  o->aaa_addr = gn__strdup(srv->ctx, in->aaa_addr);
  if (in->aaa_addr && !o->aaa_addr)
    return gn__fail(srv->ctx, GN_ENOMEM, "out of memory copying options");
  if ((in->host_names && !o->host_names) || (in->aaa_token && !o->aaa_token))
    return gn__fail(srv->ctx, GN_ENOMEM, "out of memory copying options");
  if (!o->db_path || !o->listen_addr || (in->token && !o->token) ||
      (in->web_dir && !o->web_dir) || (in->boundaries && !o->boundaries) ||
      (in->host_names && !o->host_names))
    return gn__fail(srv->ctx, GN_ENOMEM, "out of memory copying options");
  if (!o->threads) o->threads = 2;
  if (!o->max_body) o->max_body = 1u << 20;
  if (!o->max_url) o->max_url = 8192;
  if (!o->max_page) o->max_page = 5000;
  if (!o->max_connections) o->max_connections = 256;
  if (!o->timeout_s) o->timeout_s = 15;
  if (!o->max_per_ip) o->max_per_ip = 32;
  if (!o->header_timeout_s) o->header_timeout_s = 10;
  if (!o->request_timeout_s) o->request_timeout_s = 120;
  if (!o->cache_bytes) o->cache_bytes = 32u << 20;
  if (o->threads > 64) return gn__fail(srv->ctx, GN_EINVAL, "serve: --threads must be 1..64");
  if (!o->aaa_threads) o->aaa_threads = 2;
  if (o->aaa_threads > 64 || o->aaa_port > 65535)
    return gn__fail(srv->ctx, GN_EINVAL, "serve: AAA listener: threads 1..64, port 0..65535");
  if (o->port > 65535) return gn__fail(srv->ctx, GN_EINVAL, "serve: port must be 0..65535");
  if (o->aaa_token && (!gn__token_valid(o->aaa_token) ||
                       (o->token && strcmp(o->token, o->aaa_token) == 0)))
    return gn__fail(srv->ctx, GN_EINVAL, "serve: the AAA token must be %d to "
                    "%d characters of A-Z a-z 0-9 - . _ ~ + / (then = padding)"
                    " and differ from the admin token",
                    GN__TOKEN_MIN, GN__TOKEN_MAX);
  if (o->token && !gn__token_valid(o->token))
    return gn__fail(srv->ctx, GN_EINVAL, "serve: the token must be %d to %d "
                    "characters of A-Z a-z 0-9 - . _ ~ + / (then = padding)",
                    GN__TOKEN_MIN, GN__TOKEN_MAX);
  return GN_OK;
}

/* 1 if addr is an IPv4 loopback address (127.0.0.0/8). */
static int is_loopback(const char *addr) {
  struct in_addr a;
  return inet_pton(AF_INET, addr, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

/* Read the TLS certificate and key; refuse plain HTTP off loopback. */
static gn_status load_tls(gn_server *srv, const gn_server_opts *in) {
  size_t len = 0;
  if (!in->tls_cert != !in->tls_key)
    return gn__fail(srv->ctx, GN_EINVAL, "serve: --tls-cert and --tls-key go together");
  if (in->tls_cert) {
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
      return gn__fail(srv->ctx, GN_EINVAL, "serve: this libmicrohttpd has no TLS support");
    gn_status s = gn__file_read(srv->ctx, in->tls_cert, 1u << 20, &srv->tls_cert, &len);
    if (s == GN_OK) s = gn__file_read(srv->ctx, in->tls_key, 1u << 20, &srv->tls_key, &len);
    if (s != GN_OK) return s;
    srv->info.tls = 1;
    return GN_OK;
  }
  if (srv->opts.aaa_addr && !is_loopback(srv->opts.aaa_addr))
    return gn__fail(srv->ctx, GN_EINVAL, "serve: the AAA listener must be on"
                    " a loopback address (127.0.0.0/8), not %s", srv->opts.aaa_addr);
  if (srv->opts.aaa_addr && !srv->opts.aaa_token)
    return gn__fail(srv->ctx, GN_EINVAL, "serve: the AAA listener needs "
                    "--aaa-token-file");
  if (!is_loopback(srv->opts.listen_addr) && !in->insecure_http)
    return gn__fail(srv->ctx, GN_EINVAL,
                    "serve: refusing plain HTTP on %s (not loopback): give --tls-cert and"
                    " --tls-key, or --insecure-http behind a TLS proxy",
                    srv->opts.listen_addr);
  return GN_OK;
}

static void opts_free(gn_server *srv) {
  gn_free(srv->ctx, (char *)srv->opts.db_path);
  gn_free(srv->ctx, (char *)srv->opts.listen_addr);
  gn_free(srv->ctx, (char *)srv->opts.token);
  gn_free(srv->ctx, (char *)srv->opts.web_dir);
  gn_free(srv->ctx, (char *)srv->opts.boundaries);
  gn_free(srv->ctx, (char *)srv->opts.places);
  gn_free(srv->ctx, (char *)srv->opts.basemap);
  gn_free(srv->ctx, (char *)srv->opts.host_names);
  gn_free(srv->ctx, (char *)srv->opts.aaa_token);
  gn_free(srv->ctx, (char *)srv->opts.aaa_addr);
}

/* ---- workers ---- */

static gn_status workers_open(gn_server *srv) {
  unsigned n = srv->opts.threads + (srv->opts.aaa_addr ? srv->opts.aaa_threads : 0);
  srv->workers = gn_malloc(srv->ctx, n * sizeof(*srv->workers));
  if (!srv->workers) return gn__fail(srv->ctx, GN_ENOMEM, "out of memory (workers)");
  memset(srv->workers, 0, n * sizeof(*srv->workers));
  for (unsigned i = 0; i < n; i++) {
    gn__worker *w = &srv->workers[i];
    srv->nworkers = i + 1;
    if (gn_ctx_create(&w->ctx) != GN_OK)
      return gn__fail(srv->ctx, GN_ENOMEM, "out of memory (worker ctx)");
    gn_status s = gn_store_open(w->ctx, srv->opts.db_path,
                                srv->opts.sync_normal ? GN_STORE_SYNC_NORMAL : 0,
                                2000, &w->store);
    if (s == GN_OK && i == 0) s = gn_auth_migrate(w->store);
    if (s != GN_OK)
      return gn__fail(srv->ctx, s, "store %s: %s", srv->opts.db_path,
                      gn_ctx_errmsg(w->ctx));
    s = gn__cache_init(&w->cache, w->ctx, srv->opts.db_path, srv->opts.cache_bytes);
    if (s != GN_OK) return gn__fail(srv->ctx, s, "%s", gn_ctx_errmsg(w->ctx));
  }
  return GN_OK;
}

static void workers_close(gn_server *srv) {
  for (unsigned i = 0; i < srv->nworkers; i++) {
    if (srv->workers[i].cache.buckets) gn__cache_cleanup(&srv->workers[i].cache);
    gn_mbtiles_close(srv->workers[i].tiles);
    gn_store_close(srv->workers[i].store);
    gn_ctx_free(srv->workers[i].ctx);
  }
  gn_free(srv->ctx, srv->workers);
  srv->workers = NULL;
  srv->nworkers = 0;
}

/* The worker of the calling daemon thread; binds one on first use. */
static gn__worker *worker_for_thread(gn_server *srv) {
  gn__worker *w = pthread_getspecific(srv->key);
  if (w) return w;
  unsigned i = atomic_fetch_add(&srv->next_worker, 1);
  if (i >= srv->nworkers) return NULL;
  w = &srv->workers[i];
  pthread_setspecific(srv->key, w);
  return w;
}

/* ---- answers ---- */

static enum MHD_Result send_text(struct MHD_Connection *conn, unsigned http,
                                 char *text, size_t len, const char *ctype,
                                 const char *extra_name,
                                 const char *extra_value, const char *cookie,
                                 const char *etag) {
  struct MHD_Response *resp = MHD_create_response_from_buffer(
      len, text ? text : (char *)"", text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
  if (!resp) {
    free(text);
    return MHD_NO;
  }
  if (ctype) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
  gn__security_headers(resp);
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  if (extra_name) MHD_add_response_header(resp, extra_name, extra_value);
  if (cookie) MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, cookie);
  if (etag && etag[0]) MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
  enum MHD_Result ret = MHD_queue_response(conn, http, resp);
  MHD_destroy_response(resp);
  return ret;
}

/* The one error answer (compress.c: views and tiles send it too). */
static enum MHD_Result send_error(gn__req *r, gn_status s, const char *msg) {
  return (enum MHD_Result)gn__send_error(r, s, msg);
}


/* An error found on the first callback. libmicrohttpd closes the
 * connection after an answer queued before the request was complete, so
 * a request without a body keeps its keep-alive connection by answering
 * on the next callback; one with a body is answered at once (its body is
 * then never read). */
static int has_body(struct MHD_Connection *conn) {
  const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                               MHD_HTTP_HEADER_CONTENT_LENGTH);
  return (cl && strcmp(cl, "0") != 0) ||
         MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                     MHD_HTTP_HEADER_TRANSFER_ENCODING);
}

static enum MHD_Result reject(gn__req *r, gn_status s, const char *msg) {
  if (has_body(r->conn)) return send_error(r, s, msg);
  r->pending = s;
  r->pending_msg = gn__arena_strndup(&r->arena, msg, strlen(msg));
  return MHD_YES;
}

static enum MHD_Result reject_fmt(gn__req *r, gn_status s, const char *fmt,
                                  const char *arg) {
  char msg[256];
  snprintf(msg, sizeof(msg), fmt, arg);
  return reject(r, s, msg);
}

/* ---- request checks ---- */

typedef struct arg_check {
  const gn__route *route;
  unsigned seen[16];
  const char *bad;  /* first offending key */
  int repeated;
  int bad_text;     /* not UTF-8 or a control character */
} arg_check;

static enum MHD_Result arg_check_one(void *cls, enum MHD_ValueKind kind,
                                     const char *key, size_t key_size,
                                     const char *value, size_t value_size) {
  (void)kind;
  arg_check *c = cls;
  if (!gn__text_valid_n(key, key_size, 0) ||
      (value && !gn__text_valid_n(value, value_size, 0))) {
    c->bad = key;
    c->bad_text = 1;
    return MHD_NO;
  }
  unsigned i = 0;
  for (const gn__param *p = c->route->params; p->name; p++, i++) {
    if (p->in != GN__P_QUERY || strcmp(p->name, key) != 0) continue;
    if (i < 16 && c->seen[i]++ && !p->repeat) {
      c->bad = key;
      c->repeated = 1;
      return MHD_NO;
    }
    return MHD_YES;
  }
  c->bad = key;
  return MHD_NO;
}

/* 0 if the request may go on; otherwise an error answer was queued and
 * *ret holds MHD's result. */
static int request_checks(gn_server *srv, gn__req *r, enum MHD_Result *ret) {
  arg_check c = {.route = r->route};
  MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, arg_check_one, &c);
  if (c.bad) {
    *ret = reject_fmt(r, GN_EINVAL,
                     c.bad_text ? "query parameter '%.64s': not UTF-8 text or "
                                  "a control character"
                     : c.repeated ? "query parameter '%.64s' given twice"
                                  : "unknown query parameter '%.64s'",
                     c.bad);
    return 1;
  }
  gn_ctx_clear(r->w->ctx);
  gn_status as = gn__auth_request(r); /* roles, scope, CSRF: h_auth.c */
  if (as != GN_OK) {
    *ret = reject(r, as, gn_ctx_errmsg(r->w->ctx));
    return 1;
  }
  const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                               MHD_HTTP_HEADER_CONTENT_LENGTH);
  long long cl_n = 0;
  if (cl && (gn__parse_int(cl, 0, 1LL << 50, &cl_n) != 0 ||
             (unsigned long long)cl_n > srv->opts.max_body)) {
    char msg[128];
    snprintf(msg, sizeof(msg), "request body larger than %zu bytes", srv->opts.max_body);
    *ret = send_error(r, GN_ELIMIT, msg); /* early: body unread */
    return 1;
  }
  return 0;
}

/* ---- dispatch ---- */

typedef struct key_buf {
  char *p;
  size_t n, cap;
  int overflow;
} key_buf;

static void key_add(key_buf *k, const char *s) {
  size_t n = strlen(s);
  if (k->overflow || n >= k->cap - k->n) {
    k->overflow = 1;
    return;
  }
  memcpy(k->p + k->n, s, n + 1);
  k->n += n;
}

/* One parsed argument as "\n<len>:<key><len>:<value>" (value absent:
 * "-"): length-prefixed, so no id or value can imitate another
 * parameter ("site=0&limit=1" vs site "0&limit=1"). */
static enum MHD_Result key_arg(void *cls, enum MHD_ValueKind kind,
                               const char *key, size_t key_size,
                               const char *value, size_t value_size) {
  (void)kind;
  key_buf *k = cls;
  char num[48];
  snprintf(num, sizeof(num), "\n%zu:", key_size);
  key_add(k, num);
  key_add(k, key);
  if (value) {
    snprintf(num, sizeof(num), "%zu:", value_size);
    key_add(k, num);
    key_add(k, value);
  } else {
    key_add(k, "-");
  }
  return MHD_YES;
}

/* Cache key: method, path and the parsed query arguments in order; 0 if
 * too long. */
static int cache_key(const gn__req *r, char *buf, size_t cap) {
  key_buf k = {buf, 0, cap, 0};
  buf[0] = '\0';
  key_add(&k, r->route->method);
  key_add(&k, " ");
  key_add(&k, r->url);
  MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, key_arg, &k);
  return !k.overflow;
}

/* 1 if the request carries query arguments. */
static enum MHD_Result count_arg(void *cls, enum MHD_ValueKind kind,
                                 const char *key, const char *value) {
  (void)kind;
  (void)key;
  (void)value;
  (*(int *)cls)++;
  return MHD_NO; /* one is enough */
}

static int has_args(const gn__req *r) {
  int n = 0;
  MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, count_arg, &n);
  return n > 0;
}

/* A GET answer: from the thread's cache, or built by the handler, sent as
 * a blob (gzip, ETag/304). Clients revalidate (no-cache), never store
 * stale data. */
static enum MHD_Result run_get(gn__req *r) {
  char key[1024];
  int cacheable = (r->route->flags & GN__R_CACHE) && cache_key(r, key, sizeof(key));
  int gz = gn__accepts_gzip(r->conn);
  gn__blob *b = NULL;
  if (cacheable) {
    if (!r->synced) gn__cache_sync(&r->w->cache); /* once per request */
    b = gn__cache_get(&r->w->cache, key);
    if (b) {
      if (gz) gn__blob_gzip(b, 6); /* this thread owns its cache */
      return (enum MHD_Result)gn__blob_send(r->conn, b, "no-cache", &r->http);
    }
  }
  gn_ctx_clear(r->w->ctx);
  gn_status s = r->route->fn(r);
  if (s != GN_OK) return send_error(r, s, gn_ctx_errmsg(r->w->ctx));
  /* not a plain read (a status, a cookie, or the record's own ETag that
   * If-Match checks): as the handler says */
  if ((r->http && r->http != 200) || r->set_cookie || r->etag[0]) {
    char *text = r->resp;
    r->resp = NULL;
    return send_text(r->conn, r->http ? r->http : 200, text, r->resp_len,
                     r->ctype, r->location ? MHD_HTTP_HEADER_LOCATION : NULL,
                     r->location, r->set_cookie, r->etag);
  }
  b = gn__blob_make(r->resp ? r->resp : "", r->resp_len, r->ctype);
  if (!b) return send_error(r, GN_ENOMEM, "out of memory (answer)");
  if (gz) gn__blob_gzip(b, cacheable ? 6 : 1);
  if (cacheable) gn__cache_put(&r->w->cache, key, b);
  enum MHD_Result ret = (enum MHD_Result)gn__blob_send(r->conn, b, "no-cache", &r->http);
  gn__blob_unref(b);
  return ret;
}

static void write_lock(void *mu, int acquire) {
  if (acquire)
    pthread_mutex_lock(mu);
  else
    pthread_mutex_unlock(mu);
}

static enum MHD_Result run_handler(gn__req *r) {
  if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
    if ((r->route->flags & GN__R_VIEW) && !has_args(r))
      return (enum MHD_Result)gn__view_answer(r);
    return run_get(r);
  }
  gn_ctx_clear(r->w->ctx);
  /* SQLite lets one writer in at a time; writers of this process queue
   * on a mutex instead of polling the busy handler, which under load let
   * some wait out its timeout (503) while others got in again and again.
   * Writers from other processes still meet the busy timeout. */
  int writes = strcmp(r->route->method, "GET") != 0;
  int tx = (r->route->flags & GN__R_TXLOCK) != 0;
  gn__auth_actor(r, 0);
  if (tx) /* the mutex for the store transactions only (see GN__R_TXLOCK) */
    gn_store_set_write_lock(r->w->store, write_lock, r->info->write_mu);
  else if (writes)
    pthread_mutex_lock(r->info->write_mu);
  gn_status s = r->route->fn(r);
  if (tx)
    gn_store_set_write_lock(r->w->store, NULL, NULL);
  else if (writes)
    pthread_mutex_unlock(r->info->write_mu);
  gn__auth_actor(r, 1);
  if (s != GN_OK) return send_error(r, s, gn_ctx_errmsg(r->w->ctx));
  if (!r->http) r->http = 200;
  char *text = r->resp;
  r->resp = NULL;
  return send_text(r->conn, r->http, text, r->resp_len, r->ctype,
                   r->location ? MHD_HTTP_HEADER_LOCATION : NULL, r->location,
                   r->set_cookie, r->etag);
}

static enum MHD_Result begin(gn_server *srv, gn__req *r) {
  const char *url = r->url;
  if (r->pending) return has_body(r->conn) ? send_error(r, r->pending, r->pending_msg)
                                           : MHD_YES;
  if (strlen(url) > srv->opts.max_url)
    return reject(r, GN_ELIMIT, "URL too long");
  const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_HOST);
  if (!gn__host_allowed(host, srv->opts.host_names))
    return reject_fmt(r, GN_EINVAL, "Host '%.80s' is not served here (an IP "
                      "address, localhost or a name given with --host)",
                      host);
  const char *te = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                               MHD_HTTP_HEADER_TRANSFER_ENCODING);
  if (gn__screen_te(r->w->ctx, te) != GN_OK)
    return send_error(r, GN_ENOTIMPL, gn_ctx_errmsg(r->w->ctx));
  if (r->aaa_listener && strcmp(url, "/api/hotspot/aaa") != 0)
    return reject(r, GN_ENOTFOUND, "this listener serves POST /api/hotspot/aaa only");
  if (strncmp(url, "/api/", 5) != 0 && strcmp(url, "/api") != 0) {
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
      return reject_fmt(r, GN_EMETHOD, "method %s not allowed on static files", r->method);
    r->is_static = 1;
    return MHD_YES;
  }
  int path_match = 0;
  const char *id = NULL;
  size_t id_len = 0;
  const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
  r->route = gn__route_find(method, url, &path_match, &id, &id_len);
  if (!r->route) {
    if (path_match)
      return reject_fmt(r, GN_EMETHOD, "method %s not allowed on this route", r->method);
    return reject_fmt(r, GN_ENOTFOUND, "no route %.200s", url);
  }
  if (id && !gn__text_valid_n(id, id_len, 0))
    return reject(r, GN_EINVAL, "the id in the path is not UTF-8 text or "
                  "holds a control character");
  r->perm = gn__route_perm(r->route);
  if (id && !(r->path_id = gn__arena_strndup(&r->arena, id, id_len)))
    return reject(r, GN_ENOMEM, "out of memory");
  enum MHD_Result ret = MHD_NO;
  if (request_checks(srv, r, &ret)) return ret;
  return MHD_YES; /* the handler runs once the request is complete */
}

static int body_append(gn__req *r, const char *data, size_t n, size_t max) {
  if (n > max - r->body_len) return -1;
  if (r->body_len + n + 1 > r->body_cap) {
    size_t cap = r->body_cap ? r->body_cap * 2 : 1024;
    while (cap < r->body_len + n + 1) cap *= 2;
    if (cap > max + 1) cap = max + 1;
    char *nb = gn__arena_alloc(&r->arena, cap);
    if (!nb) return -1;
    if (r->body_len) memcpy(nb, r->body, r->body_len);
    r->body = nb;
    r->body_cap = cap;
  }
  memcpy(r->body + r->body_len, data, n);
  r->body_len += n;
  r->body[r->body_len] = '\0';
  return 0;
}

static gn__req *req_new(gn_server *srv, struct MHD_Connection *conn) {
  gn__worker *w = worker_for_thread(srv);
  if (!w) return NULL;
  gn__req *r = gn_malloc(w->ctx, sizeof(*r));
  if (!r) return NULL;
  memset(r, 0, sizeof(*r));
  r->w = w;
  r->info = &srv->info;
  r->conn = conn;
  r->url = r->method = "";
  r->ctype = "application/json";
  gn__arena_init(&r->arena, w->ctx, srv->opts.max_body * 2 + (1u << 20));
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  r->t0_us = (int64_t)t0.tv_sec * 1000000 + t0.tv_nsec / 1000;
  atomic_fetch_add(&srv->inflight, 1);
  return r;
}

/* MHD_OPTION_URI_LOG_CALLBACK: the request target exactly as sent,
 * before libmicrohttpd decodes it (a decoded %00 would cut the path). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn) {
  gn_server *srv = cls;
  gn__req *r = req_new(srv, conn);
  if (!r) return NULL;
  gn_ctx_clear(r->w->ctx);
  gn_status s = gn__screen_target(r->w->ctx, uri, srv->opts.max_url);
  if (s != GN_OK) {
    const char *m = gn_ctx_errmsg(r->w->ctx);
    r->pending = s;
    r->pending_msg = gn__arena_strndup(&r->arena, m, strlen(m));
    if (!r->pending_msg) r->pending_msg = "bad request target";
  }
  return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls) {
  (void)version;
  gn_server *srv = cls;
  gn__req *r = *con_cls;
  if (!r && !(r = *con_cls = req_new(srv, conn))) return MHD_NO;
  if (!r->started) {
    r->started = 1;
    r->url = url;
    r->method = method;
    gn__dl_phase(conn, GN__PH_BODY);
    return begin(srv, r);
  }
  if (*upload_size) {
    if (body_append(r, upload, *upload_size, srv->opts.max_body) != 0)
      return MHD_NO; /* chunked body over the limit: close */
    *upload_size = 0;
    return MHD_YES;
  }
  gn__dl_phase(conn, GN__PH_REPLY);
  if (r->pending) return send_error(r, r->pending, r->pending_msg);
  if (r->is_static) {
    int ret = MHD_NO;
    if (gn__tiles_serve(r, srv->opts.basemap, &ret)) return (enum MHD_Result)ret;
    if (gn__assets_serve(srv->assets, r->conn, r->url, &r->http, &ret))
      return (enum MHD_Result)ret;
    return (enum MHD_Result)gn__files_serve(r->conn, &srv->opts, r->url, &r->http);
  }
  if (!r->body && body_append(r, "", 0, srv->opts.max_body) != 0) return MHD_NO;
  return run_handler(r);
}

static void log_request(gn_server *srv, const gn__req *r) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  int64_t us = (int64_t)t1.tv_sec * 1000000 + t1.tv_nsec / 1000 - r->t0_us;
  char line[400];
  snprintf(line, sizeof(line), "%s %.300s %u %lld us", r->method, r->url,
           r->http, (long long)us);
  srv->opts.log_fn(srv->opts.log_ud, line);
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **con_cls, enum MHD_RequestTerminationCode toe) {
  (void)toe;
  gn_server *srv = cls;
  gn__req *r = *con_cls;
  gn__dl_phase(conn, GN__PH_HEADERS); /* the next request's clock */
  if (!r) return;
  if (srv->opts.log_fn) log_request(srv, r);
  free(r->resp);
  gn__arena_cleanup(&r->arena);
  gn_free(r->w->ctx, r);
  *con_cls = NULL;
  atomic_fetch_sub(&srv->inflight, 1);
}

/* ---- life cycle ---- */

static gn_status load_boundaries(gn_server *srv) {
  size_t len = 0;
  if (!srv->opts.boundaries) {
    srv->info.boundaries = GN__EMPTY_FC;
    srv->info.boundaries_len = sizeof(GN__EMPTY_FC) - 1;
    return GN_OK;
  }
  gn_status s = gn__file_read(srv->ctx, srv->opts.boundaries, 64u << 20,
                              &srv->boundaries, &len);
  if (s != GN_OK) return s;
  json_error_t err;
  json_t *v = json_loadb(srv->boundaries, len, 0, &err);
  int ok = v && json_is_object(v) &&
           json_is_array(json_object_get(v, "features"));
  json_decref(v);
  if (!ok)
    return gn__fail(srv->ctx, GN_EFORMAT, "%s line %d: not a GeoJSON FeatureCollection%s%s",
                    srv->opts.boundaries, err.line, v ? "" : ": ", v ? "" : err.text);
  srv->info.boundaries = srv->boundaries;
  srv->info.boundaries_len = len;
  return GN_OK;
}

/* The quarters (--places) and the basemap description (--basemap). */
static gn_status load_places(gn_server *srv) {
  size_t len = 0;
  if (!srv->opts.places) {
    srv->info.places = GN__EMPTY_FC;
    srv->info.places_len = sizeof(GN__EMPTY_FC) - 1;
  } else {
    gn_status s = gn__places_load(srv->ctx, srv->opts.places, &srv->places, &len);
    if (s != GN_OK) return s;
    srv->info.places = srv->places;
    srv->info.places_len = len;
  }
  gn_status s = gn__basemap_info(srv->ctx, srv->opts.basemap, &srv->basemap, &len);
  if (s != GN_OK) return s;
  srv->info.basemap = srv->basemap;
  srv->info.basemap_len = len;
  return GN_OK;
}

static gn_status server_init(gn_server *srv, const gn_server_opts *opts) {
  gn_status s = opts_copy(srv, opts);
  if (s != GN_OK) return s;
  if (pthread_key_create(&srv->key, NULL) != 0)
    return gn__fail(srv->ctx, GN_ENOMEM, "cannot create thread key");
  srv->key_ok = 1;
  if (pthread_mutex_init(&srv->write_mu, NULL) != 0)
    return gn__fail(srv->ctx, GN_ENOMEM, "cannot create the write mutex");
  srv->write_mu_ok = 1;
  srv->info.write_mu = &srv->write_mu;
  size_t len = 0;
  s = gn__openapi_build(srv->ctx, &srv->openapi, &len);
  if (s != GN_OK) return s;
  srv->info.openapi = srv->openapi;
  srv->info.openapi_len = len;
  srv->info.opts = &srv->opts;
  size_t nr = 0;
  const gn__route *routes = gn__routes(&nr);
  srv->perms = gn_malloc(srv->ctx, nr * sizeof(*srv->perms));
  if (!srv->perms) return gn__fail(srv->ctx, GN_ENOMEM, "out of memory (routes)");
  for (size_t i = 0; i < nr; i++) srv->perms[i] = gn__route_perm(&routes[i]);
  srv->info.routes = routes;
  srv->info.perms = srv->perms;
  srv->info.nroutes = nr;
  s = load_boundaries(srv);
  if (s == GN_OK) s = load_tls(srv, opts);
  if (s != GN_OK) return s;
  s = load_places(srv);
  if (s != GN_OK) return s;
  s = gn__views_init(&srv->views, srv->ctx, srv->opts.db_path);
  if (s != GN_OK) return s;
  srv->info.views = &srv->views;
  s = gn__assets_load(srv->ctx, srv->opts.web_dir, &srv->assets);
  if (s != GN_OK) return s;
  srv->info.assets = srv->assets;
  return workers_open(srv);
}

gn_status gn_server_create(gn_ctx *ctx, const gn_server_opts *opts,
                           gn_server **out) {
  *out = NULL;
  gn_ctx_clear(ctx);
  gn_server *srv = gn_malloc(ctx, sizeof(*srv));
  if (!srv) return gn__fail(ctx, GN_ENOMEM, "out of memory (server)");
  memset(srv, 0, sizeof(*srv));
  srv->ctx = ctx;
  atomic_init(&srv->next_worker, 0);
  atomic_init(&srv->inflight, 0);
  gn_status s = server_init(srv, opts);
  if (s != GN_OK) {
    gn_server_free(srv);
    return s;
  }
  *out = srv;
  return GN_OK;
}

/* Per-connection memory: the request line and headers (max_url each way)
 * plus libmicrohttpd's record of every query parameter (about 64 bytes
 * each; a URL of max_url bytes holds at most max_url/2 of them). Too
 * small a pool made requests with ~210 parameters go unanswered. */
static size_t pool_bytes(const gn_server_opts *o) {
  return 2 * o->max_url + 16384 + (o->max_url / 2 + 1) * 64;
}

static gn_status sock_addr(gn_server *srv, const char *addr, unsigned port,
                           struct sockaddr_in *sa) {
  memset(sa, 0, sizeof(*sa));
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, addr, &sa->sin_addr) != 1)
    return gn__fail(srv->ctx, GN_EINVAL, "listen address '%s' is not an IPv4 address",
                    addr);
  return GN_OK;
}

/* The AAA listener's callbacks: the main ones, with the request marked
 * as having come in there (begin() then serves the AAA route only). */
static void *on_uri_aaa(void *cls, const char *uri, struct MHD_Connection *conn) {
  gn__req *r = on_uri(cls, uri, conn);
  if (r) r->aaa_listener = 1;
  return r;
}

static enum MHD_Result on_request_aaa(void *cls, struct MHD_Connection *conn,
                                      const char *url, const char *method,
                                      const char *version, const char *upload,
                                      size_t *upload_size, void **con_cls) {
  if (!*con_cls && !(*con_cls = req_new(cls, conn))) return MHD_NO;
  ((gn__req *)*con_cls)->aaa_listener = 1;
  return on_request(cls, conn, url, method, version, upload, upload_size, con_cls);
}

/* The dedicated AAA listener: the same callbacks, its own threads, and a
 * small per-connection pool (FreeRADIUS sends short requests; MHD zeroes
 * the whole pool at every keep-alive request). */
static gn_status start_aaa(gn_server *srv) {
  struct sockaddr_in sa;
  if (sock_addr(srv, srv->opts.aaa_addr, srv->opts.aaa_port, &sa) != GN_OK)
    return GN_EINVAL;
  srv->aaa_d = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_TURBO, 0,
      NULL, NULL, on_request_aaa, srv, MHD_OPTION_SOCK_ADDR, &sa,
      MHD_OPTION_THREAD_POOL_SIZE, srv->opts.aaa_threads,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
      MHD_OPTION_URI_LOG_CALLBACK, on_uri_aaa, srv,
      MHD_OPTION_NOTIFY_CONNECTION, gn__dl_notify, &srv->dl,
      MHD_OPTION_CONNECTION_LIMIT, srv->opts.max_connections,
      MHD_OPTION_CONNECTION_TIMEOUT, srv->opts.timeout_s,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
      MHD_OPTION_LISTEN_BACKLOG_SIZE, 512u, MHD_OPTION_END);
  if (!srv->aaa_d)
    return gn__fail(srv->ctx, GN_EIO, "cannot listen on %s:%u for AAA (in use or not allowed)",
                    srv->opts.aaa_addr, srv->opts.aaa_port);
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->aaa_d, MHD_DAEMON_INFO_BIND_PORT);
  srv->aaa_port = info ? info->port : srv->opts.aaa_port;
  return GN_OK;
}

gn_status gn_server_start(gn_server *srv) {
  gn_ctx_clear(srv->ctx);
  gn_status st = gn__dl_start(srv->ctx, &srv->dl, srv->opts.header_timeout_s * 1000u,
                              srv->opts.request_timeout_s * 1000u);
  if (st != GN_OK) return st;
  struct sockaddr_in sa;
  if (sock_addr(srv, srv->opts.listen_addr, srv->opts.port, &sa) != GN_OK)
    return GN_EINVAL;
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_TURBO;
  if (srv->info.tls) flags |= MHD_USE_TLS;
  /* without TLS the key/cert options are skipped (NULL ends the list
   * early, so they come last) */
  srv->d = MHD_start_daemon(
      flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, &sa,
      MHD_OPTION_THREAD_POOL_SIZE, srv->opts.threads,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
      MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
      MHD_OPTION_NOTIFY_CONNECTION, gn__dl_notify, &srv->dl,
      MHD_OPTION_CONNECTION_LIMIT, srv->opts.max_connections,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, srv->opts.max_per_ip,
      MHD_OPTION_CONNECTION_TIMEOUT, srv->opts.timeout_s,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool_bytes(&srv->opts),
      MHD_OPTION_LISTEN_BACKLOG_SIZE, 512u,
      srv->info.tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, srv->tls_key,
      MHD_OPTION_HTTPS_MEM_CERT, srv->tls_cert, MHD_OPTION_END);
  if (!srv->d)
    return gn__fail(srv->ctx, GN_EIO, "cannot listen on %s:%u (in use or not allowed)",
                    srv->opts.listen_addr, srv->opts.port);
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
  srv->port = info ? info->port : srv->opts.port;
  return srv->opts.aaa_addr ? start_aaa(srv) : GN_OK;
}

unsigned gn_server_port(const gn_server *srv) { return srv->port; }

unsigned gn_server_aaa_port(const gn_server *srv) { return srv->aaa_port; }


const char *gn_server_openapi(const gn_server *srv) { return srv->openapi; }

void gn_server_shutdown(gn_server *srv, unsigned grace_ms) {
  if (!srv || !srv->d) return;
  MHD_socket fd = MHD_quiesce_daemon(srv->d);
  if (fd != MHD_INVALID_SOCKET) close(fd);
  if (srv->aaa_d && (fd = MHD_quiesce_daemon(srv->aaa_d)) != MHD_INVALID_SOCKET)
    close(fd);
  struct timespec tick = {0, 10 * 1000 * 1000};
  for (unsigned waited = 0; atomic_load(&srv->inflight) > 0 && waited < grace_ms;
       waited += 10)
    nanosleep(&tick, NULL);
  gn__dl_stop(&srv->dl);
  MHD_stop_daemon(srv->d);
  srv->d = NULL;
  if (srv->aaa_d) MHD_stop_daemon(srv->aaa_d);
  srv->aaa_d = NULL;
}

void gn_server_free(gn_server *srv) {
  if (!srv) return;
  gn_server_shutdown(srv, 0);
  gn__dl_destroy(&srv->dl);
  workers_close(srv);
  if (srv->views.slots) gn__views_cleanup(&srv->views, srv->ctx);
  gn__assets_free(srv->assets);
  if (srv->key_ok) pthread_key_delete(srv->key);
  if (srv->write_mu_ok) pthread_mutex_destroy(&srv->write_mu);
  free(srv->openapi);
  free(srv->places);
  free(srv->basemap);
  gn_free(srv->ctx, srv->boundaries);
  gn_free(srv->ctx, srv->tls_key);
  gn_free(srv->ctx, srv->perms);
  gn_free(srv->ctx, srv->tls_cert);
  opts_free(srv);
  gn_free(srv->ctx, srv);
}
