/*
 * monitor_cache.c - The fiber model kept on the store connection between
 * alert batches (st->ext[GN__EXT_MONITOR]), as the lease module keeps its
 * network.
 *
 * Design: the model is valid while the store's stamp (data_version of
 * other connections' commits + this connection's change count) is the one
 * it was loaded under. The alert intake writes only the monitor's own
 * tables and the audit log, never the fiber records, so after its writes
 * it re-stamps the model (gn__mon_net_keep, inside its transaction, just
 * before commit): the next batch reuses it, and any other change, here or
 * by another connection, still reloads it.
 * Ownership: the store owns the cache (freed with it); callers borrow the
 * model until their next call on the store. Threads: as the store.
 */
#include <string.h>

#include "monitor/monitor_int.h"
#include "store/store_int.h"

typedef struct mcache {
  int64_t stamp;
  gn_monitor_net *net;
} mcache;

static void mcache_free(gn_ctx *ctx, void *p) {
  mcache *c = p;
  gn_monitor_net_free(c->net);
  gn_free(ctx, c);
}

gn_status gn__mon_net_get(gn_store *st, const gn_monitor_net **out) {
  int64_t stamp = 0;
  *out = NULL;
  gn_status rs = gn__st_stamp(st, &stamp);
  if (rs != GN_OK) return rs;
  mcache *c = st->ext[GN__EXT_MONITOR];
  if (c && c->net && c->stamp == stamp) {
    *out = c->net;
    return GN_OK;
  }
  if (!c) {
    c = gn_malloc(st->ctx, sizeof(*c));
    if (!c) return gn__fail(st->ctx, GN_ENOMEM, "monitor: out of memory");
    memset(c, 0, sizeof(*c));
    st->ext[GN__EXT_MONITOR] = c;
    st->ext_free[GN__EXT_MONITOR] = mcache_free;
  }
  gn_monitor_net_free(c->net);
  c->net = NULL;
  rs = gn_monitor_net_load(st, &c->net);
  if (rs != GN_OK) return rs;
  c->stamp = stamp;
  *out = c->net;
  return GN_OK;
}

void gn__mon_net_keep(gn_store *st) {
  mcache *c = st->ext[GN__EXT_MONITOR];
  int64_t stamp = 0;
  if (c && c->net && gn__st_stamp(st, &stamp) == GN_OK) c->stamp = stamp;
}
