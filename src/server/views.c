/*
 * views.c - Whole-layer answers kept ready for every thread, rebuilt once
 * per commit.
 *
 * Design: a GET of a view route (a layer, the summary, the BOM, the
 * boundaries, the OpenAPI document) without query arguments is the same
 * bytes for every client until the store commits. Building a 700-trench
 * layer costs ~10 ms of SQLite and JSON; sending it costs microseconds.
 * So each such route has one slot holding the answer as a gn__blob (body,
 * gzip form, ETag) and the store stamp it was built at (size, mtime,
 * ctime, inode of the store file and its WAL, as in cache.c). A request
 * stats the two files; if the stamp moved (any commit, from this server
 * or from `govnet db ...` in another process) the first thread rebuilds
 * the view with the route's own handler while the others wait on the
 * slot's mutex, then everyone sends the shared blob without a copy. The
 * stamp is taken before the build, so a commit that lands during a build
 * is seen by the next request. Unlike the per-thread answer cache
 * (cache.c, --cache-mb) a view is one copy for all threads, compressed
 * once, and is part of how the server answers, not an option.
 * Threads: one mutex per slot, held only to check or rebuild that slot.
 */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "server/srv.h"
#include "util/internal.h"

gn_status gn__views_init(gn__views *v, gn_ctx *ctx, const char *db_path) {
  size_t nroutes = 0;
  gn__routes(&nroutes);
  memset(v, 0, sizeof(*v));
  atomic_init(&v->builds, 0);
  size_t n = strlen(db_path);
  v->slots = gn_malloc(ctx, nroutes * sizeof(*v->slots));
  v->db_path = gn_malloc(ctx, n + 1);
  v->wal_path = gn_malloc(ctx, n + 5);
  if (!v->slots || !v->db_path || !v->wal_path) {
    gn__views_cleanup(v, ctx);
    return gn__fail(ctx, GN_ENOMEM, "out of memory (layer views)");
  }
  memcpy(v->db_path, db_path, n + 1);
  memcpy(v->wal_path, db_path, n);
  memcpy(v->wal_path + n, "-wal", 5);
  for (size_t i = 0; i < nroutes; i++) {
    memset(&v->slots[i], 0, sizeof(v->slots[i]));
    pthread_mutex_init(&v->slots[i].mu, NULL);
    v->n = i + 1;
  }
  return GN_OK;
}

void gn__views_cleanup(gn__views *v, gn_ctx *ctx) {
  for (size_t i = 0; i < v->n; i++) {
    gn__blob_unref(v->slots[i].blob);
    pthread_mutex_destroy(&v->slots[i].mu);
  }
  gn_free(ctx, v->slots);
  gn_free(ctx, v->db_path);
  gn_free(ctx, v->wal_path);
  memset(v, 0, sizeof(*v));
}

/* Rebuild the slot with the route's handler; the caller holds its lock.
 * GN_OK and a new blob in the slot, or the handler's error. */
static gn_status view_build(gn__req *r, gn__view_slot *slot,
                            const int64_t stamp[8]) {
  gn_ctx_clear(r->w->ctx);
  gn_status s = r->route->fn(r);
  if (s != GN_OK) return s;
  gn__blob *b = gn__blob_make(r->resp ? r->resp : "", r->resp_len, r->ctype);
  if (!b) return gn__fail(r->w->ctx, GN_ENOMEM, "out of memory (layer view)");
  free(r->resp);
  r->resp = NULL;
  gn__blob_gzip(b, 6); /* once per commit: worth the better ratio */
  gn__blob_unref(slot->blob);
  slot->blob = b;
  memcpy(slot->stamp, stamp, sizeof(slot->stamp));
  atomic_fetch_add(&r->info->views->builds, 1);
  return GN_OK;
}

int gn__view_answer(gn__req *r) {
  gn__views *v = r->info->views;
  gn__view_slot *slot = &v->slots[gn__route_index(r->route)];
  int64_t now[8];
  gn__store_stamp(v->db_path, v->wal_path, now);
  pthread_mutex_lock(&slot->mu);
  if (!slot->blob || memcmp(slot->stamp, now, sizeof(now)) != 0) {
    gn_status s = view_build(r, slot, now);
    if (s != GN_OK) {
      pthread_mutex_unlock(&slot->mu);
      return gn__send_error(r, s, gn_ctx_errmsg(r->w->ctx));
    }
  }
  gn__blob *b = gn__blob_ref(slot->blob);
  pthread_mutex_unlock(&slot->mu);
  int ret = gn__blob_send(r->conn, b, "no-cache", &r->http);
  gn__blob_unref(b);
  return ret;
}
