/*
 * store_trace.c - Follow a fiber end to end through splices and patch
 * points, with length and optical loss budget.
 *
 * Design: from the start fiber, walk outwards from each of its two ends:
 * at a fiber end, a port (ODF/CPE) terminates the walk (an ODF port's
 * patched OLT/switch port is added as a further patch point), a splice
 * leads to the other fiber, whose far end is next; no port and no splice
 * means a dark (open) end. The end-a walk is reversed and joined with the
 * end-b walk; the result is oriented so the POP side comes first.
 * Loss = length_km * dB/km + splices * dB/splice + connectors * dB/conn,
 * one connector per port on the path. Lengths are the stretch each fiber
 * is lit over (span_m; the whole cable when not recorded) plus the
 * building drop before a CPE port.
 * Invariant: a walk never visits a fiber twice (a loop is GN_EINTERNAL).
 */
#include <stdio.h>
#include <string.h>

#include "govnet/design.h"
#include "store/store_int.h"

#define MAX_HOPS 100000

void gn_loss_defaults(gn_loss_params *p) {
  p->db_per_km_1310 = GN_LOSS_DB_PER_KM_1310;
  p->db_per_km_1550 = GN_LOSS_DB_PER_KM_1550;
  p->db_per_splice = GN_LOSS_DB_PER_SPLICE;
  p->db_per_connector = GN_LOSS_DB_PER_CONNECTOR;
}

typedef struct walker {
  gn_store *st;
  gn_ctx *ctx;
  sqlite3_stmt *q_fiber, *q_port, *q_splice, *q_peer, *q_drop;
  gn_trace_hop *hops;
  size_t n, cap;
} walker;

static gn_status push(walker *w, const gn_trace_hop *h, const char *name) {
  if (GN__GROW(w->ctx, w->hops, w->cap, w->n + 1) != GN_OK)
    return gn__fail(w->ctx, GN_ENOMEM, "out of memory tracing");
  w->hops[w->n] = *h;
  w->hops[w->n].name = gn__strdup(w->ctx, name ? name : "");
  if (!w->hops[w->n].name)
    return gn__fail(w->ctx, GN_ENOMEM, "out of memory tracing");
  w->n++;
  if (w->n > MAX_HOPS)
    return gn__fail(w->ctx, GN_EINTERNAL, "trace longer than %d hops",
                    MAX_HOPS);
  return GN_OK;
}

static gn_status prep_all(walker *w) {
  gn_status rs = gn__st_cached(
      w->st,
      "SELECT f.cable, c.trench, coalesce(f.span_m, c.length_m), f.broken, c.name, f.number,"
      " f.tube_colour, f.fiber_colour FROM fibers f JOIN cables c ON"
      " c.fid=f.cable WHERE f.fid=?", &w->q_fiber);
  if (rs == GN_OK)
    rs = gn__st_cached(w->st,
                     "SELECT p.fid, e.kind, e.name, p.number, e.site FROM ports"
                     " p JOIN equipment e ON e.fid=p.equipment WHERE p.fiber=?1"
                     " AND p.fiber_end=?2", &w->q_port);
  if (rs == GN_OK)
    rs = gn__st_cached(w->st,
                     "SELECT fid, closure, fiber_b, end_b FROM splices WHERE"
                     " fiber_a=?1 AND end_a=?2 UNION ALL SELECT fid, closure,"
                     " fiber_a, end_a FROM splices WHERE fiber_b=?1 AND"
                     " end_b=?2", &w->q_splice);
  if (rs == GN_OK)
    rs = gn__st_cached(w->st,
                     "SELECT p.fid, e.name, p.number FROM ports p JOIN"
                     " equipment e ON e.fid=p.equipment WHERE p.peer=?",
                     &w->q_peer);
  if (rs == GN_OK)
    rs = gn__st_cached(w->st, "SELECT drop_m, site_id FROM sites WHERE fid=?",
                     &w->q_drop);
  return rs;
}

static void fin_all(walker *w) {
  gn__st_release(w->st, w->q_fiber);
  gn__st_release(w->st, w->q_port);
  gn__st_release(w->st, w->q_splice);
  gn__st_release(w->st, w->q_peer);
  gn__st_release(w->st, w->q_drop);
}

static gn_status add_fiber(walker *w, int64_t f, char from, char to) {
  sqlite3_stmt *q = w->q_fiber;
  sqlite3_reset(q);
  sqlite3_bind_int64(q, 1, f);
  if (sqlite3_step(q) != SQLITE_ROW)
    return gn__fail(w->ctx, GN_ENOTFOUND, "fiber %lld not found",
                    (long long)f);
  gn_trace_hop h = {GN_HOP_FIBER, f, sqlite3_column_int64(q, 0),
                    sqlite3_column_int64(q, 1), 0, from, to,
                    sqlite3_column_double(q, 2), sqlite3_column_int(q, 3),
                    NULL};
  char name[200];
  snprintf(name, sizeof(name), "%s fiber %d (%s/%s)", gn__col_text(q, 4),
           sqlite3_column_int(q, 5), gn__col_text(q, 6), gn__col_text(q, 7));
  return push(w, &h, name);
}

/* A port terminates the walk: add it (and the drop before a CPE, and the
 * patched equipment port after an ODF). */
static gn_status add_port(walker *w) {
  sqlite3_stmt *q = w->q_port;
  int64_t port = sqlite3_column_int64(q, 0), site = sqlite3_column_int64(q, 4);
  int is_cpe = strcmp(gn__col_text(q, 1), "cpe") == 0;
  char name[200];
  snprintf(name, sizeof(name), "%s port %d", gn__col_text(q, 2),
           sqlite3_column_int(q, 3));
  gn_status rs = GN_OK;
  if (is_cpe && site) {
    sqlite3_reset(w->q_drop);
    sqlite3_bind_int64(w->q_drop, 1, site);
    if (sqlite3_step(w->q_drop) == SQLITE_ROW) {
      gn_trace_hop d = {GN_HOP_DROP, site, 0, 0, 0, 0, 0,
                        sqlite3_column_double(w->q_drop, 0), 0, NULL};
      char dn[200];
      snprintf(dn, sizeof(dn), "drop to %s", gn__col_text(w->q_drop, 1));
      rs = push(w, &d, dn);
    }
  }
  gn_trace_hop h = {GN_HOP_PORT, port, 0, 0, 0, 0, 0, 0, 0, NULL};
  if (rs == GN_OK) rs = push(w, &h, name);
  sqlite3_reset(w->q_peer);
  sqlite3_bind_int64(w->q_peer, 1, port);
  while (rs == GN_OK && sqlite3_step(w->q_peer) == SQLITE_ROW) {
    gn_trace_hop p = {GN_HOP_PORT, sqlite3_column_int64(w->q_peer, 0), 0, 0,
                      0, 0, 0, 0, 0, NULL};
    snprintf(name, sizeof(name), "%s port %d (patch)",
             gn__col_text(w->q_peer, 1), sqlite3_column_int(w->q_peer, 2));
    rs = push(w, &p, name);
  }
  return rs;
}

/* Walk outwards from fiber f's end e; hops appended in walk order. */
static gn_status walk(walker *w, int64_t f, char e) {
  for (size_t guard = 0; guard < MAX_HOPS; guard++) {
    sqlite3_reset(w->q_port);
    gn__bind_id_end(w->q_port, f, e);
    if (sqlite3_step(w->q_port) == SQLITE_ROW) return add_port(w);
    sqlite3_reset(w->q_splice);
    gn__bind_id_end(w->q_splice, f, e);
    if (sqlite3_step(w->q_splice) != SQLITE_ROW) return GN_OK; /* dark */
    gn_trace_hop h = {GN_HOP_SPLICE, sqlite3_column_int64(w->q_splice, 0), 0,
                      0, sqlite3_column_int64(w->q_splice, 1), 0, 0, 0, 0,
                      NULL};
    int64_t nf = sqlite3_column_int64(w->q_splice, 2);
    char ne = gn__col_text(w->q_splice, 3)[0];
    char name[64];
    snprintf(name, sizeof(name), "splice %lld in closure %lld",
             (long long)h.id, (long long)h.closure);
    gn_status rs = push(w, &h, name);
    char far = ne == 'a' ? 'b' : 'a';
    if (rs == GN_OK) rs = add_fiber(w, nf, ne, far);
    if (rs != GN_OK) return rs;
    f = nf;
    e = far;
  }
  return gn__fail(w->ctx, GN_EINTERNAL, "fiber loop while tracing");
}

static void reverse(gn_trace_hop *h, size_t n) {
  for (size_t i = 0, j = n; i + 1 < j; i++, j--) {
    gn_trace_hop t = h[i];
    h[i] = h[j - 1];
    h[j - 1] = t;
  }
  for (size_t i = 0; i < n; i++) {
    char t = h[i].from_end;
    h[i].from_end = h[i].to_end;
    h[i].to_end = t;
  }
}

static void totals(gn_trace *t, const gn_loss_params *lp) {
  for (size_t i = 0; i < t->nhops; i++) {
    const gn_trace_hop *h = &t->hops[i];
    t->length_m += h->length_m;
    t->splices += h->kind == GN_HOP_SPLICE;
    t->connectors += h->kind == GN_HOP_PORT;
    t->broken |= h->broken;
  }
  double km = t->length_m / 1000.0;
  double fixed = t->splices * lp->db_per_splice +
                 t->connectors * lp->db_per_connector;
  t->loss_1310_db = km * lp->db_per_km_1310 + fixed;
  t->loss_1550_db = km * lp->db_per_km_1550 + fixed;
}

/* Put the POP side (an ODF/OLT port) first. */
static int pop_side_last(gn_store *st, const gn_trace_hop *h, size_t n) {
  if (n == 0 || h[n - 1].kind != GN_HOP_PORT) return 0;
  int64_t kind_odf = 0;
  int found;
  gn__st_int(st,
             "SELECT e.kind<>'cpe' FROM ports p JOIN equipment e ON"
             " e.fid=p.equipment WHERE p.fid=?", h[n - 1].id, &kind_odf,
             &found);
  return found && kind_odf;
}

static gn_status trace(gn_store *st, int64_t fiber,
                       const gn_loss_params *loss, gn_trace **out) {
  walker w;
  memset(&w, 0, sizeof(w));
  w.st = st;
  w.ctx = st->ctx;
  *out = NULL;
  gn_status rs = prep_all(&w);
  if (rs == GN_OK) rs = walk(&w, fiber, 'a');
  if (rs == GN_OK) reverse(w.hops, w.n);
  if (rs == GN_OK) rs = add_fiber(&w, fiber, 'a', 'b');
  if (rs == GN_OK) rs = walk(&w, fiber, 'b');
  fin_all(&w);
  gn_trace *t = rs == GN_OK ? gn_malloc(w.ctx, sizeof(*t)) : NULL;
  if (rs == GN_OK && !t) rs = gn__fail(w.ctx, GN_ENOMEM, "out of memory");
  if (rs != GN_OK) {
    gn_free(w.ctx, t);
    for (size_t i = 0; i < w.n; i++) gn_free(w.ctx, w.hops[i].name);
    gn_free(w.ctx, w.hops);
    return rs;
  }
  memset(t, 0, sizeof(*t));
  t->hops = w.hops;
  t->nhops = w.n;
  if (pop_side_last(st, t->hops, t->nhops)) reverse(t->hops, t->nhops);
  gn_loss_params def;
  gn_loss_defaults(&def);
  totals(t, loss ? loss : &def);
  int64_t c = 0;
  int found;
  gn__st_int(st, "SELECT circuit FROM circuit_fibers WHERE fiber=?", fiber, &c,
             &found);
  t->circuit = c;
  *out = t;
  return GN_OK;
}

gn_status gn_store_trace_fiber(gn_store *st, int64_t fiber,
                               const gn_loss_params *loss, gn_trace **out) {
  gn_ctx_clear(st->ctx);
  *out = NULL;
  int64_t x = 0;
  int found = 0;
  gn_status rs = gn__st_int(st, "SELECT fid FROM fibers WHERE fid=?", fiber,
                            &x, &found);
  if (rs != GN_OK) return rs;
  if (!found)
    return gn__fail(st->ctx, GN_ENOTFOUND, "fiber %lld not found",
                    (long long)fiber);
  return trace(st, fiber, loss, out);
}

gn_status gn_store_trace_port(gn_store *st, int64_t port,
                              const gn_loss_params *loss, gn_trace **out) {
  gn_ctx_clear(st->ctx);
  *out = NULL;
  int64_t f = 0;
  int found = 0;
  gn_status rs = gn__st_int(
      st,
      "SELECT coalesce(p.fiber, q.fiber, 0) FROM ports p LEFT JOIN ports q"
      " ON q.fid=p.peer WHERE p.fid=?", port, &f, &found);
  if (rs != GN_OK) return rs;
  if (!found)
    return gn__fail(st->ctx, GN_ENOTFOUND, "port %lld not found",
                    (long long)port);
  if (!f)
    return gn__fail(st->ctx, GN_ENOTFOUND, "port %lld holds no fiber",
                    (long long)port);
  return trace(st, f, loss, out);
}

void gn_trace_free(gn_ctx *ctx, gn_trace *t) {
  if (!t) return;
  for (size_t i = 0; i < t->nhops; i++) gn_free(ctx, t->hops[i].name);
  gn_free(ctx, t->hops);
  gn_free(ctx, t);
}

static const char *hop_kind(gn_hop_kind k) {
  static const char *const names[] = {"port", "fiber", "splice", "drop"};
  return (unsigned)k < 4 ? names[k] : "?";
}

/* Append a MultiLineString of the given trench ids. */
gn_status gn__st_multiline(gn_store *st, gn__sb *b, const char *table,
                           const int64_t *ids, size_t n) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(st,
                               strcmp(table, "cables") == 0
                                   ? "SELECT geom FROM cables WHERE fid=?"
                                   : "SELECT geom FROM trenches WHERE fid=?",
                               &q);
  if (rs != GN_OK) return rs;
  gn__sb_puts(b, "{\"type\":\"MultiLineString\",\"coordinates\":[");
  int first = 1;
  for (size_t i = 0; i < n; i++) {
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, ids[i]);
    if (sqlite3_step(q) != SQLITE_ROW) continue;
    if (!first) gn__sb_puts(b, ",");
    first = 0;
    gn__gpkg_coords(b, sqlite3_column_blob(q, 0),
                    (size_t)sqlite3_column_bytes(q, 0));
  }
  gn__sb_puts(b, "]}");
  gn__st_release(st, q);
  return GN_OK;
}

static void hop_json(gn__sb *b, const gn_trace_hop *h) {
  gn__sb_printf(b, "{\"kind\":\"%s\",\"id\":%lld,\"name\":", hop_kind(h->kind),
                (long long)h->id);
  gn__sb_jstr(b, h->name);
  if (h->kind == GN_HOP_FIBER)
    gn__sb_printf(b,
                  ",\"cable\":%lld,\"trench\":%lld,\"from\":\"%c\",\"to\":"
                  "\"%c\",\"broken\":%s",
                  (long long)h->cable, (long long)h->trench, h->from_end,
                  h->to_end, h->broken ? "true" : "false");
  if (h->kind == GN_HOP_SPLICE)
    gn__sb_printf(b, ",\"closure\":%lld", (long long)h->closure);
  if (h->kind == GN_HOP_FIBER || h->kind == GN_HOP_DROP) {
    gn__sb_puts(b, ",\"length_m\":");
    gn__sb_num(b, h->length_m);
  }
  gn__sb_puts(b, "}");
}

gn_status gn_store_trace_json(gn_store *st, const gn_trace *t, char **json) {
  gn_ctx_clear(st->ctx);
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_printf(&b, "{\"length_m\":%.1f,\"splices\":%d,\"connectors\":%d,"
                    "\"loss_db\":{\"1310\":%.3f,\"1550\":%.3f},\"broken\":%s,"
                    "\"circuit\":",
                t->length_m, t->splices, t->connectors, t->loss_1310_db,
                t->loss_1550_db, t->broken ? "true" : "false");
  if (t->circuit)
    gn__sb_printf(&b, "%lld", (long long)t->circuit);
  else
    gn__sb_puts(&b, "null");
  gn__sb_puts(&b, ",\"hops\":[");
  int64_t *ids = gn_malloc(st->ctx, (t->nhops + 1) * sizeof(int64_t));
  size_t nid = 0;
  for (size_t i = 0; i < t->nhops; i++) {
    if (i) gn__sb_puts(&b, ",");
    hop_json(&b, &t->hops[i]);
    if (ids && t->hops[i].kind == GN_HOP_FIBER) ids[nid++] = t->hops[i].cable;
  }
  gn__sb_puts(&b, "],\"geometry\":");
  gn_status rs = ids ? gn__st_multiline(st, &b, "cables", ids, nid)
                     : gn__fail(st->ctx, GN_ENOMEM, "out of memory");
  gn_free(st->ctx, ids);
  gn__sb_puts(&b, "}");
  if (rs == GN_OK) return gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}
