/*
 * lease_quote.c - A quote: ends resolved to network nodes, the cheapest
 * route (loss at 1310 nm) over cables with enough usable fibers, the
 * fibers picked cable by cable, the loss budget, the work order, the
 * price and the SLA.
 *
 * Design: Dijkstra over nodes with the cable as the edge; an edge costs
 * its fiber loss plus one splice (every change of cable is a new fusion
 * splice per fiber), so fewer, longer cables win at equal length. A
 * diverse lease takes the second route over the cables that share no
 * trench with the first (the first route stays the cheapest; a pair that
 * only exists when the first route gives way is reported as missing, a
 * documented limit). Fibers: the previous cable's numbers where free,
 * else the lowest free numbers, so colours run through closures.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/heap.h"
#include "govnet/geo.h"
#include "io/text.h"
#include "lease/lease_int.h"

#define MAX_FIBERS 48

typedef struct end {
  char text[96];   /* as given */
  char kind[16];   /* site, pop, closure, point */
  uint32_t node;   /* index in net */
  double snap_m;   /* point: distance to the closure */
  int64_t closure; /* point/closure: closure id */
} end;

static gn_status end_node(gn_store *st, const gn__lnet *net, const char *sql,
                          const char *key, const char *what, end *e) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(st, sql, &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s);
  int64_t node = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  int isnull = rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_NULL;
  if (rc == SQLITE_ROW && sqlite3_column_count(s) > 1)
    e->closure = sqlite3_column_int64(s, 1);
  sqlite3_finalize(s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return gn__st_err(st, rc, what);
  if (rc != SQLITE_ROW)
    return gn__fail(st->ctx, GN_ENOTFOUND, "end %s: no %s with this id",
                    e->text, what);
  e->node = isnull ? UINT32_MAX : gn__lease_node(net, node);
  if (e->node == UINT32_MAX)
    return gn__fail(st->ctx, GN_ECONFLICT,
                    "end %s: the %s is not connected to the network", e->text,
                    what);
  return GN_OK;
}

/* "LON,LAT": two strict decimals (the project's one number rule). */
static int parse_point(const char *s, double *lon, double *lat) {
  char buf[96];
  const char *comma = strchr(s, ',');
  if (!comma || (size_t)(comma - s) >= sizeof buf) return -1;
  memcpy(buf, s, (size_t)(comma - s));
  buf[comma - s] = '\0';
  if (gn__parse_decimal(buf, lon) != 0 || gn__parse_decimal(comma + 1, lat) != 0)
    return -1;
  return gn_geo_valid_lonlat(*lon, *lat) ? 0 : -1;
}

/* A point farther than this from every closure is not on the network. */
#define MAX_SNAP_M 2000.0

static double closest(const gn__lnet *net, double lon, double lat,
                      uint32_t *at) {
  double best = INFINITY;
  for (uint32_t v = 0; v < net->nnodes; v++) {
    if (!net->closure[v]) continue;
    double d = gn_geo_distance_m(lon, lat, net->lon[v], net->lat[v]);
    if (d < best) {
      best = d;
      *at = v;
    }
  }
  return best;
}

static gn_status nearest_closure(gn_store *st, const gn__lnet *net, double lon,
                                 double lat, end *e) {
  double best = closest(net, lon, lat, &e->node);
  if (!isfinite(best))
    return gn__fail(st->ctx, GN_ECONFLICT, "end %s: the network has no closure",
                    e->text);
  uint32_t other;
  if (best > MAX_SNAP_M && gn_geo_valid_lonlat(lat, lon) &&
      closest(net, lat, lon, &other) <= MAX_SNAP_M)
    return gn__fail(st->ctx, GN_EINVAL,
                    "end %s: %.0f km from the network; did you swap longitude "
                    "and latitude? (%.6f,%.6f is on it)",
                    e->text, best / 1000, lat, lon);
  if (best > MAX_SNAP_M)
    return gn__fail(st->ctx, GN_EINVAL,
                    "end %s: the nearest closure is %.1f km away (more than "
                    "%.0f m): not on the network",
                    e->text, best / 1000, MAX_SNAP_M);
  e->snap_m = best;
  int64_t cl = 0;
  int found = 0;
  gn_status rs = gn__st_int(st, "SELECT fid FROM closures WHERE node=?1",
                            net->node_id[e->node], &cl, &found);
  e->closure = cl;
  return rs;
}

static gn_status resolve_end(gn_store *st, const gn__lnet *net,
                             const char *text, end *e) {
  memset(e, 0, sizeof(*e));
  e->node = UINT32_MAX;
  if (!text || !*text || strlen(text) >= sizeof e->text)
    return gn__fail(st->ctx, GN_EINVAL,
                    "end '%s': expected site:ID, pop:ID, closure:ID or LON,LAT",
                    text ? text : "");
  snprintf(e->text, sizeof e->text, "%s", text);
  if (strncmp(text, "site:", 5) == 0) {
    snprintf(e->kind, sizeof e->kind, "site");
    return end_node(st, net, "SELECT node FROM sites WHERE site_id=?1", text + 5,
                    "site", e);
  }
  if (strncmp(text, "pop:", 4) == 0) {
    snprintf(e->kind, sizeof e->kind, "pop");
    return end_node(st, net, "SELECT node FROM pops WHERE pop_id=?1", text + 4,
                    "pop", e);
  }
  if (strncmp(text, "closure:", 8) == 0) {
    snprintf(e->kind, sizeof e->kind, "closure");
    return end_node(st, net,
                    "SELECT node, fid FROM closures WHERE CAST(fid AS TEXT)=?1"
                    " OR name=?1",
                    text + 8, "closure", e);
  }
  double lon, lat;
  if (parse_point(text, &lon, &lat) != 0)
    return gn__fail(st->ctx, GN_EINVAL,
                    "end '%s': expected site:ID, pop:ID, closure:ID or LON,LAT "
                    "(longitude first, in degrees)",
                    text);
  snprintf(e->kind, sizeof e->kind, "point");
  return nearest_closure(st, net, lon, lat, e);
}

/* ---- routing ------------------------------------------------------- */

typedef struct route {
  uint32_t *cables; /* in order from A to B */
  uint32_t n;
} route;

static double cable_cost(const gn__lcable *c, const gn_loss_params *lp) {
  return c->length_m / 1000 * lp->db_per_km_1310 + lp->db_per_splice;
}

/* Cheapest A->B over usable cables (spare >= need, not banned). */
static gn_status dijkstra(const gn__lnet *net, const gn_loss_params *lp,
                          uint32_t a, uint32_t b, int need,
                          const uint8_t *banned, route *out) {
  gn_ctx *ctx = net->ctx;
  gn__heap h;
  uint32_t *via = gn_malloc(ctx, ((size_t)net->nnodes + 1) * sizeof(uint32_t));
  uint8_t *done = gn_malloc(ctx, (size_t)net->nnodes + 1);
  if (!via || !done || gn__heap_init(ctx, &h, net->nnodes + 1) != GN_OK) {
    gn_free(ctx, via);
    gn_free(ctx, done);
    return gn__fail(ctx, GN_ENOMEM, "lease: out of memory (route)");
  }
  memset(done, 0, net->nnodes);
  for (uint32_t v = 0; v < net->nnodes; v++) via[v] = UINT32_MAX;
  gn__heap_update(&h, a, 0);
  while (!gn__heap_empty(&h)) {
    double d = gn__heap_top_key(&h);
    uint32_t v = (uint32_t)gn__heap_pop(&h);
    done[v] = 1;
    if (v == b) break;
    for (uint32_t k = net->adj_off[v]; k < net->adj_off[v + 1]; k++) {
      uint32_t ci = net->adj[k];
      const gn__lcable *c = &net->cables[ci];
      if ((int)c->spare < need || (banned && banned[ci])) continue;
      uint32_t w = c->a == v ? c->b : c->a;
      if (done[w]) continue;
      double nd = d + cable_cost(c, lp);
      /* the next piece of the cable the route arrived on: no splice */
      if (via[v] != UINT32_MAX && net->cables[via[v]].id == c->id)
        nd -= lp->db_per_splice;
      double old = gn__heap_key(&h, w);
      if (nd < old) {
        via[w] = ci;
        gn__heap_update(&h, w, nd);
      }
    }
  }
  gn_status rs = GN_OK;
  out->n = 0;
  out->cables = NULL;
  if (a != b && done[b]) {
    uint32_t n = 0;
    for (uint32_t v = b; v != a; n++) {
      const gn__lcable *c = &net->cables[via[v]];
      v = c->a == v ? c->b : c->a;
    }
    out->cables = gn_malloc(ctx, (size_t)n * sizeof(uint32_t));
    if (!out->cables) rs = gn__fail(ctx, GN_ENOMEM, "lease: out of memory");
    for (uint32_t v = b, i = n; rs == GN_OK && v != a;) {
      out->cables[--i] = via[v];
      const gn__lcable *c = &net->cables[via[v]];
      v = c->a == v ? c->b : c->a;
    }
    if (rs == GN_OK) out->n = n;
  }
  gn__heap_cleanup(&h);
  gn_free(ctx, via);
  gn_free(ctx, done);
  return rs;
}

/* Why no route: the cheapest route ignoring capacity, and its first cable
 * without enough spare fibers, named with the nodes it joins. */
static gn_status explain_no_route(gn_store *st, const gn__lnet *net,
                                  const gn_loss_params *lp, const end *a,
                                  const end *b, int need, const uint8_t *banned,
                                  const char *which) {
  route any;
  gn_status rs = dijkstra(net, lp, a->node, b->node, 0, banned, &any);
  if (rs != GN_OK) return rs;
  if (any.n == 0)
    return gn__fail(st->ctx, GN_ECONFLICT,
                    "no %s route from %s to %s: no cable joins them%s", which,
                    a->text, b->text,
                    banned ? " without sharing a trench with the first route"
                           : "");
  for (uint32_t i = 0; i < any.n; i++) {
    const gn__lcable *c = &net->cables[any.cables[i]];
    if ((int)c->spare >= need) continue;
    int64_t na = net->node_id[c->a], nb = net->node_id[c->b];
    gn_free(st->ctx, any.cables);
    return gn__fail(st->ctx, GN_ECONFLICT,
                    "no %s route from %s to %s with %d spare fiber%s: cable "
                    "%lld between node %lld and node %lld has %u spare (of "
                    "%u; %u in government circuits, %u protect, %u leased or "
                    "reserved, %u held as the government's reserve)",
                    which, a->text, b->text, need, need > 1 ? "s" : "",
                    (long long)c->id, (long long)na, (long long)nb, c->spare,
                    c->n, c->count[GN__USE_GOVERNMENT],
                    c->count[GN__USE_PROTECT],
                    c->count[GN__USE_LEASED] + c->count[GN__USE_RESERVED],
                    c->count[GN__USE_MAINTENANCE]);
  }
  gn_free(st->ctx, any.cables);
  return gn__fail(st->ctx, GN_ECONFLICT,
                  "no %s route from %s to %s with %d spare fibers on every "
                  "cable",
                  which, a->text, b->text, need);
}

/* Cables that share a trench with any cable of r. */
static gn_status ban_trenches(gn_store *st, const gn__lnet *net,
                              const route *r, uint8_t *banned) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      st,
      "SELECT DISTINCT b.cable FROM cable_trenches a JOIN cable_trenches b"
      " ON b.trench=a.trench WHERE a.cable=?1",
      &s);
  if (rs != GN_OK) return rs;
  for (uint32_t i = 0; i < r->n && rs == GN_OK; i++) {
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, net->cables[r->cables[i]].id);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      uint32_t ci = gn__lease_cable(net, sqlite3_column_int64(s, 0));
      if (ci != UINT32_MAX) banned[ci] = 1;
    }
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "cable trenches");
  }
  sqlite3_finalize(s);
  return rs;
}

/* ---- fibers, work order, price ---------------------------------------- */

static int has_number(const int *nums, int n, int x) {
  for (int i = 0; i < n; i++)
    if (nums[i] == x) return 1;
  return 0;
}

static int picked(const gn__lfiber *const *got, int n, const gn__lfiber *f) {
  for (int i = 0; i < n; i++)
    if (got[i] == f) return 1;
  return 0;
}

/* Pick need spare fibers of cable c, the previous cable's numbers first
 * (the route checked that c has need spare fibers). */
/* A fiber this quote already holds (a route may come back to a cable). */
static int held(const int64_t *taken, size_t ntaken, const gn__lfiber *f) {
  for (size_t i = 0; i < ntaken; i++)
    if (taken[i] == f->id) return 1;
  return 0;
}

static int pick(const gn__lnet *net, const gn__lcable *c, const int *prev,
                int nprev, int need, const int64_t *taken, size_t ntaken,
                const gn__lfiber **out) {
  int got = 0;
  for (uint32_t k = 0; k < c->n && got < need && nprev > 0; k++) {
    const gn__lfiber *f = &net->fibers[c->first + k];
    if (f->use == GN__USE_SPARE && has_number(prev, nprev, f->number) &&
        !held(taken, ntaken, f))
      out[got++] = f;
  }
  for (uint32_t k = 0; k < c->n && got < need; k++) {
    const gn__lfiber *f = &net->fibers[c->first + k];
    if (f->use == GN__USE_SPARE && !picked(out, got, f) &&
        !held(taken, ntaken, f))
      out[got++] = f;
  }
  return got;
}

double gn__lease_month_price(const gn_lease_tariff *t, double fiber_km,
                             int term_months) {
  double disc = term_months >= 120  ? t->discount_120
                : term_months >= 60 ? t->discount_60
                : term_months >= 36 ? t->discount_36
                                    : 0;
  return fiber_km * t->fiber_km_month * (1 - disc);
}

typedef struct qstate {
  gn_store *st;
  const gn__lnet *net;
  const gn_lease_tariff *t;
  const gn_lease_request *r;
  gn_loss_params lp;
  end a, b;
  route routes[2];
  int nroutes;
  gn__sb json, work;
  int nwork;
  gn__lquote *q;
  int odf_ports, new_closures, terminations;
} qstate;

static void work_line(qstate *s, const char *fmt, ...) GN__PRINTF(2, 3);

static void work_line(qstate *s, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  gn__sb_puts(&s->work, s->nwork++ ? "," : "");
  gn__sb_jstr(&s->work, buf);
}

static void end_work(qstate *s, const end *e, int need) {
  if (strcmp(e->kind, "pop") == 0) {
    s->odf_ports += need;
    work_line(s, "%s: terminate %d fiber%s on new ODF ports and patch to the "
              "operator's equipment", e->text, need, need > 1 ? "s" : "");
  } else if (strcmp(e->kind, "site") == 0) {
    s->terminations += need;
    work_line(s, "%s: splice %d fiber%s to the building lead-in and terminate "
              "on a wall box", e->text, need, need > 1 ? "s" : "");
  } else {
    if (!s->net->closure[e->node]) s->new_closures++;
    work_line(s, "%s: open closure at node %lld and hand %d fiber%s over to "
              "the operator%s", e->text, (long long)s->net->node_id[e->node],
              need, need > 1 ? "s" : "",
              s->net->closure[e->node] ? "" : " (new closure)");
  }
}

/* Fibers of one route into q; splices at each change of cable. */
static gn_status take_route(qstate *s, int ri, double *len_m, int *splices) {
  const route *r = &s->routes[ri];
  int need = s->r->fibers, prev[MAX_FIBERS], nprev = 0;
  const gn__lfiber *got[MAX_FIBERS];
  uint32_t at = s->a.node;
  for (uint32_t i = 0; i < r->n; i++) {
    const gn__lcable *c = &s->net->cables[r->cables[i]];
    uint32_t next = c->a == at ? c->b : c->a;
    *len_m += c->length_m;
    /* the next piece of the same cable: the same fibers, no splice */
    if (i > 0 && s->net->cables[r->cables[i - 1]].id == c->id) {
      at = next;
      continue;
    }
    if (pick(s->net, c, prev, nprev, need, s->q->fibers, s->q->nfibers, got) <
        need) /* back on a cable this route already took fibers of */
      return gn__fail(s->st->ctx, GN_ENOTFOUND, "no lease route: cable %lld "
                      "has too few spare fibers to be used twice",
                      (long long)c->id);
    for (int k = 0; k < need; k++) {
      size_t j = s->q->nfibers++;
      s->q->fibers[j] = got[k]->id;
      s->q->fiber_route[j] = ri;
      s->q->fiber_cable[j] = c->id;
      prev[k] = got[k]->number;
    }
    nprev = need;
    uint32_t j = i + 1; /* splice where the route changes cable */
    while (j < r->n && s->net->cables[r->cables[j]].id == c->id) j++;
    if (j < r->n) {
      uint32_t at2 = next; /* the node where the cable is left */
      for (uint32_t k = i + 1; k < j; k++) {
        const gn__lcable *ck = &s->net->cables[r->cables[k]];
        at2 = ck->a == at2 ? ck->b : ck->a;
      }
      next = at2;
      *splices += need;
      if (!s->net->closure[next]) s->new_closures++;
      work_line(s, "node %lld: %s%d new splice%s, cable %lld to cable %lld",
                (long long)s->net->node_id[next],
                s->net->closure[next] ? "" : "new closure, ", need,
                need > 1 ? "s" : "", (long long)c->id,
                (long long)s->net->cables[r->cables[j]].id);
    }
    at = c->a == at ? c->b : c->a;
  }
  return GN_OK;
}

static void put_end(gn__sb *b, const char *key, const end *e,
                    const gn__lnet *net) {
  gn__sb_printf(b, "\"%s\":{\"end\":", key);
  gn__sb_jstr(b, e->text);
  gn__sb_puts(b, ",\"kind\":");
  gn__sb_jstr(b, e->kind);
  gn__sb_printf(b, ",\"node\":%lld", (long long)net->node_id[e->node]);
  if (e->closure) gn__sb_printf(b, ",\"closure\":%lld", (long long)e->closure);
  if (strcmp(e->kind, "point") == 0) {
    gn__sb_puts(b, ",\"snapped_m\":");
    gn__sb_num(b, round(e->snap_m * 10) / 10);
  }
  gn__sb_puts(b, "}");
}

static void put_json(qstate *s) {
  gn__sb *b = &s->json;
  gn__lquote *q = s->q;
  gn__sb_puts(b, "{\"route\":[");
  int first = 1;
  for (int ri = 0; ri < s->nroutes; ri++)
    for (uint32_t i = 0; i < s->routes[ri].n; i++) {
      const route *r = &s->routes[ri];
      if (i > 0 && s->net->cables[r->cables[i - 1]].id ==
                       s->net->cables[r->cables[i]].id)
        continue; /* pieces of one cable */
      gn__sb_printf(b, "%s%lld", first ? "" : ",",
                    (long long)s->net->cables[r->cables[i]].id);
      first = 0;
    }
  gn__sb_puts(b, "],\"fibers\":[");
  for (size_t i = 0; i < q->nfibers; i++)
    gn__sb_printf(b, "%s%lld", i ? "," : "", (long long)q->fibers[i]);
  gn__sb_puts(b, "],\"fibers_wanted\":");
  gn__sb_printf(b, "%d,\"diverse\":%s,", s->r->fibers,
                s->r->diverse ? "true" : "false");
  put_end(b, "from", &s->a, s->net);
  gn__sb_puts(b, ",");
  put_end(b, "to", &s->b, s->net);
  gn__sb_puts(b, ",\"length_m\":");
  gn__sb_num(b, round(q->length_m * 10) / 10);
  gn__sb_puts(b, ",\"loss_db_1310\":");
  gn__sb_num(b, round(q->loss_1310 * 100) / 100);
  gn__sb_puts(b, ",\"loss_db_1550\":");
  gn__sb_num(b, round(q->loss_1550 * 100) / 100);
  gn__sb_printf(b, ",\"new_splices\":%d,\"new_closures\":%d,\"odf_ports\":%d,"
                "\"term_months\":%d,\"price_fcfa_month\":",
                q->new_splices, s->new_closures, s->odf_ports,
                s->r->term_months);
  gn__sb_num(b, round(q->price_month));
  gn__sb_puts(b, ",\"price_fcfa_once\":");
  gn__sb_num(b, round(q->price_once));
  gn__sb_puts(b, ",\"sla_pct\":");
  gn__sb_num(b, q->sla_pct);
  gn__sb_puts(b, ",\"work_order\":[");
  gn__sb_add(b, s->work.p ? s->work.p : "", s->work.n);
  gn__sb_puts(b, "]}");
}

/* Loss of a route at 1310 nm: fiber, splices between cables, the two
 * end connectors. */
static double route_loss(const qstate *s, const route *r) {
  double len = 0;
  for (uint32_t i = 0; i < r->n; i++) len += s->net->cables[r->cables[i]].length_m;
  return len / 1000 * s->lp.db_per_km_1310 +
         (r->n ? r->n - 1 : 0) * s->lp.db_per_splice + 2 * s->lp.db_per_connector;
}

static gn_status within_budget(qstate *s, const route *r, const char *which) {
  double loss = route_loss(s, r);
  if (loss <= s->t->max_loss_db) return GN_OK;
  return gn__fail(s->st->ctx, GN_ECONFLICT,
                  "no %s route from %s to %s within the %g dB loss limit: the "
                  "best route with %d spare fiber%s has %.1f dB at 1310 nm",
                  which, s->a.text, s->b.text, s->t->max_loss_db, s->r->fibers,
                  s->r->fibers > 1 ? "s" : "", loss);
}

static gn_status routes(qstate *s) {
  const gn__lnet *net = s->net;
  int need = s->r->fibers;
  gn_status rs = dijkstra(net, &s->lp, s->a.node, s->b.node, need, NULL,
                          &s->routes[0]);
  if (rs != GN_OK) return rs;
  s->nroutes = 1;
  if (s->routes[0].n == 0)
    return explain_no_route(s->st, net, &s->lp, &s->a, &s->b, need, NULL,
                            "lease");
  rs = within_budget(s, &s->routes[0], "lease");
  if (rs != GN_OK) return rs;
  if (!s->r->diverse) return GN_OK;
  uint8_t *banned = gn_malloc(net->ctx, (size_t)net->ncables + 1);
  if (!banned) return gn__fail(net->ctx, GN_ENOMEM, "lease: out of memory");
  memset(banned, 0, net->ncables + 1);
  rs = ban_trenches(s->st, net, &s->routes[0], banned);
  if (rs == GN_OK)
    rs = dijkstra(net, &s->lp, s->a.node, s->b.node, need, banned,
                  &s->routes[1]);
  if (rs == GN_OK && s->routes[1].n == 0) {
    rs = explain_no_route(s->st, net, &s->lp, &s->a, &s->b, need, banned,
                          "trench-disjoint second");
  }
  if (rs == GN_OK)
    rs = within_budget(s, &s->routes[1], "trench-disjoint second");
  if (rs == GN_OK) s->nroutes = 2;
  gn_free(net->ctx, banned);
  return rs;
}

static gn_status price(qstate *s) {
  gn__lquote *q = s->q;
  const gn_lease_tariff *t = s->t;
  size_t total = 0;
  for (int ri = 0; ri < s->nroutes; ri++) total += s->routes[ri].n;
  size_t cap = total * (size_t)s->r->fibers + 1;
  q->fibers = gn_malloc(s->net->ctx, cap * sizeof(int64_t));
  q->fiber_route = gn_malloc(s->net->ctx, cap * sizeof(int));
  q->fiber_cable = gn_malloc(s->net->ctx, cap * sizeof(int64_t));
  if (!q->fibers || !q->fiber_route || !q->fiber_cable)
    return gn__fail(s->net->ctx, GN_ENOMEM, "lease: out of memory");
  end_work(s, &s->a, s->r->fibers * s->nroutes);
  double worst_1310 = 0, worst_1550 = 0, fiber_km = 0;
  for (int ri = 0; ri < s->nroutes; ri++) {
    double len = 0;
    int spl = 0;
    take_route(s, ri, &len, &spl);
    q->new_splices += spl;
    q->length_m = ri == 0 ? len : q->length_m; /* the main route */
    fiber_km += len / 1000 * s->r->fibers;
    int per_fiber = spl / s->r->fibers;
    double l1310 = len / 1000 * s->lp.db_per_km_1310 +
                   per_fiber * s->lp.db_per_splice + 2 * s->lp.db_per_connector;
    double l1550 = len / 1000 * s->lp.db_per_km_1550 +
                   per_fiber * s->lp.db_per_splice + 2 * s->lp.db_per_connector;
    if (l1310 > worst_1310) worst_1310 = l1310;
    if (l1550 > worst_1550) worst_1550 = l1550;
  }
  end_work(s, &s->b, s->r->fibers * s->nroutes);
  q->loss_1310 = worst_1310;
  q->loss_1550 = worst_1550;
  q->nroutes = s->nroutes;
  q->price_month = gn__lease_month_price(t, fiber_km, s->r->term_months);
  q->price_once = q->new_splices * t->splice_once + s->odf_ports * t->odf_port_once +
                  s->new_closures * t->closure_once +
                  s->terminations * t->termination_once;
  q->sla_pct = s->nroutes == 2 ? t->sla_diverse_pct : t->sla_single_pct;
  return GN_OK;
}

gn_status gn__lease_make_quote(gn_store *st, const gn__lnet *net,
                               const gn_lease_tariff *t,
                               const gn_lease_request *r, gn__lquote *q) {
  memset(q, 0, sizeof(*q));
  if (r->fibers < 1 || r->fibers > MAX_FIBERS)
    return gn__fail(st->ctx, GN_EINVAL, "fibers: %d is not in 1..%d",
                    r->fibers, MAX_FIBERS);
  if (r->term_months < 1 || r->term_months > 600)
    return gn__fail(st->ctx, GN_EINVAL, "term: %d months is not in 1..600",
                    r->term_months);
  qstate s;
  memset(&s, 0, sizeof s);
  s.st = st;
  s.net = net;
  s.t = t;
  s.r = r;
  s.q = q;
  gn_loss_defaults(&s.lp);
  gn__sb_init(&s.json, st->ctx);
  gn__sb_init(&s.work, st->ctx);
  gn_status rs = resolve_end(st, net, r->from, &s.a);
  if (rs == GN_OK) rs = resolve_end(st, net, r->to, &s.b);
  if (rs == GN_OK && s.a.node == s.b.node)
    rs = gn__fail(st->ctx, GN_EINVAL, "ends %s and %s are the same node",
                  r->from, r->to);
  if (rs == GN_OK) rs = routes(&s);
  if (rs == GN_OK) rs = price(&s);
  if (rs == GN_OK) {
    put_json(&s);
    rs = gn__sb_finish(&s.json, &q->json);
  }
  gn__sb_cleanup(&s.json);
  gn__sb_cleanup(&s.work);
  for (int i = 0; i < 2; i++) gn_free(st->ctx, s.routes[i].cables);
  if (rs != GN_OK) gn__lease_quote_free(st->ctx, q);
  return rs;
}

void gn__lease_quote_free(gn_ctx *ctx, gn__lquote *q) {
  gn_free(ctx, q->fibers);
  gn_free(ctx, q->fiber_route);
  gn_free(ctx, q->fiber_cable);
  gn_free(ctx, q->json);
  memset(q, 0, sizeof(*q));
}
