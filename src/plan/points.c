/*
 * points.c - Points-only planning: a Euclidean Steiner tree over the
 * sites themselves when no street network exists (Lomé in the seed).
 *
 * Design:
 *  1. Points are projected to a local plane (sinusoidal around the mean
 *     position; < 0.5 % scale error across Togo) for the geometry; every
 *     reported length is geodesic on the real coordinates.
 *  2. The exact Euclidean MST (knn.c: Boruvka rounds, nearest foreign
 *     point by grid search; a kNN-graph MST is not exact when a city's
 *     cluster splits in two and a far town bridges them). Nodes already
 *     on a trench (an earlier phase) start connected: they are the
 *     existing network.
 *  3. Steiner insertion (Dreyer & Overton 1998 style): at every corner
 *     a-v-b under 120 degrees, the Fermat point s of (a, v, b) replaces
 *     va + vb by sa + sb + sv; the best disjoint gains are applied per
 *     round, then each Steiner point is moved to the Fermat point of its
 *     three neighbours (or merged into a neighbour where that angle is
 *     >= 120 degrees). Rounds repeat until the gain is negligible.
 *     Each round is linear in the tree size.
 * Invariant: a Steiner point always has degree 3; terminals keep their
 * exact coordinates, so trench polylines end exactly on sites.
 * Ownership: all work memory is freed before return.
 * Threads: reentrant.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "govnet/planner.h"
#include "govnet/geo.h"
#include "base/knn.h"
#include "util/internal.h"

#define EARTH_R 6371008.8
#define DEG (3.14159265358979323846 / 180.0)
#define MAX_ROUNDS 40

typedef struct pt {
  double x, y;
  gn_id node;   /* plan node, GN_NONE until written */
  int fixed;    /* 1: already on the network */
  int steiner;  /* 1: Steiner point */
  int dead;     /* Steiner point removed */
} pt;

typedef struct tedge {
  size_t u, v;
  int alive;
} tedge;


typedef struct work {
  gn_ctx *ctx;
  double lon0, lat0;
  pt *pts;
  size_t npts, cap_pts, nterm;
  tedge *e;
  size_t ne, cap_e;
  long *head, *next; /* half-edge lists: slot 2e (at u), 2e+1 (at v) */
  size_t cap_head, cap_next;
} work;

static void project(const work *w, double lon, double lat, double *x,
                    double *y) {
  *x = EARTH_R * (lon - w->lon0) * DEG * cos(lat * DEG);
  *y = EARTH_R * (lat - w->lat0) * DEG;
}

static void unproject(const work *w, double x, double y, double *lon,
                      double *lat) {
  *lat = w->lat0 + y / (EARTH_R * DEG);
  *lon = w->lon0 + x / (EARTH_R * DEG * cos(*lat * DEG));
}

static double pdist(const work *w, size_t a, size_t b) {
  return hypot(w->pts[a].x - w->pts[b].x, w->pts[a].y - w->pts[b].y);
}

static gn_status add_pt(work *w, double x, double y, gn_id node, int fixed,
                        size_t *idx) {
  if (GN__GROW(w->ctx, w->pts, w->cap_pts, w->npts + 1) != GN_OK ||
      GN__GROW(w->ctx, w->head, w->cap_head, w->npts + 1) != GN_OK)
    return gn__fail(w->ctx, GN_ENOMEM, "out of memory (points planner)");
  pt p = {x, y, node, fixed, 0, 0};
  w->pts[w->npts] = p;
  w->head[w->npts] = -1;
  if (idx) *idx = w->npts;
  w->npts++;
  return GN_OK;
}

static gn_status add_edge(work *w, size_t u, size_t v) {
  if (GN__GROW(w->ctx, w->e, w->cap_e, w->ne + 1) != GN_OK ||
      GN__GROW(w->ctx, w->next, w->cap_next, 2 * w->ne + 2) != GN_OK)
    return gn__fail(w->ctx, GN_ENOMEM, "out of memory (points planner)");
  size_t k = w->ne++;
  w->e[k].u = u;
  w->e[k].v = v;
  w->e[k].alive = 1;
  w->next[2 * k] = w->head[u];
  w->head[u] = (long)(2 * k);
  w->next[2 * k + 1] = w->head[v];
  w->head[v] = (long)(2 * k + 1);
  return GN_OK;
}

/* Alive neighbours of v: up to cap entries of (other end, edge). */
static size_t neighbours(const work *w, size_t v, size_t *nb, size_t *eid,
                         size_t cap) {
  size_t n = 0;
  for (long s = w->head[v]; s >= 0; s = w->next[s]) {
    size_t k = (size_t)s / 2;
    if (!w->e[k].alive) continue;
    if (n < cap) {
      nb[n] = (s & 1) ? w->e[k].u : w->e[k].v;
      eid[n] = k;
    }
    n++;
  }
  return n;
}

/* ---- MST ---------------------------------------------------------- */

/* The exact Euclidean MST over the terminals (knn.c), fixed points
 * (the existing network) counting as already connected. */
static gn_status build_mst(work *w) {
  size_t n = w->nterm, ne = 0;
  gn__pair *e = NULL;
  double *xy = gn_malloc(w->ctx, 2 * n * sizeof(double) + n + 1);
  if (!xy) return gn__fail(w->ctx, GN_ENOMEM, "out of memory");
  unsigned char *fixed = (unsigned char *)(xy + 2 * n);
  for (size_t i = 0; i < n; i++) {
    xy[2 * i] = w->pts[i].x;
    xy[2 * i + 1] = w->pts[i].y;
    fixed[i] = (unsigned char)w->pts[i].fixed;
  }
  gn_status s = gn__emst(w->ctx, xy, n, fixed, &e, &ne);
  for (size_t k = 0; s == GN_OK && k < ne; k++) s = add_edge(w, e[k].u, e[k].v);
  gn_free(w->ctx, e);
  gn_free(w->ctx, xy);
  return s;
}

/* ---- Steiner insertion -------------------------------------------- */

/* Fermat point of triangle (a, b, c); 0 if an angle is >= 120 degrees
 * (then *vertex = 0, 1 or 2 names it) or the triangle is degenerate. */
static int fermat(const double *a, const double *b, const double *c,
                  double *out, int *vertex) {
  double la = hypot(b[0] - c[0], b[1] - c[1]);
  double lb = hypot(a[0] - c[0], a[1] - c[1]);
  double lc = hypot(a[0] - b[0], a[1] - b[1]);
  *vertex = -1;
  if (la <= 0 || lb <= 0 || lc <= 0) return 0;
  double ca = (lb * lb + lc * lc - la * la) / (2 * lb * lc);
  double cb = (la * la + lc * lc - lb * lb) / (2 * la * lc);
  double cc = (la * la + lb * lb - lc * lc) / (2 * la * lb);
  const double lim = -0.5 + 1e-9; /* cos 120 deg */
  if (ca <= lim || cb <= lim || cc <= lim) {
    *vertex = ca <= lim ? 0 : (cb <= lim ? 1 : 2);
    return 0;
  }
  const double third = 3.14159265358979323846 / 3;
  double wa = la / sin(acos(fmax(-1, fmin(1, ca))) + third);
  double wb = lb / sin(acos(fmax(-1, fmin(1, cb))) + third);
  double wc = lc / sin(acos(fmax(-1, fmin(1, cc))) + third);
  double sw = wa + wb + wc;
  out[0] = (wa * a[0] + wb * b[0] + wc * c[0]) / sw;
  out[1] = (wa * a[1] + wb * b[1] + wc * c[1]) / sw;
  return 1;
}

typedef struct ins {
  double gain;
  size_t v, a, b, ea, eb;
  double s[2];
} ins;

static int ins_cmp(const void *x, const void *y) {
  double a = ((const ins *)x)->gain, b = ((const ins *)y)->gain;
  return (a < b) - (a > b);
}

static gn_status corner_gains(const work *w, size_t v, ins **arr, size_t *n,
                              size_t *cap) {
  size_t nb[8], eid[8];
  size_t d = neighbours(w, v, nb, eid, 8);
  if (d > 8) d = 8;
  const double pv[2] = {w->pts[v].x, w->pts[v].y};
  for (size_t i = 0; i < d; i++) {
    for (size_t j = i + 1; j < d; j++) {
      const double pa[2] = {w->pts[nb[i]].x, w->pts[nb[i]].y};
      const double pb[2] = {w->pts[nb[j]].x, w->pts[nb[j]].y};
      double s[2];
      int vx;
      if (!fermat(pa, pv, pb, s, &vx)) continue;
      double before = pdist(w, v, nb[i]) + pdist(w, v, nb[j]);
      double after = hypot(s[0] - pa[0], s[1] - pa[1]) +
                     hypot(s[0] - pb[0], s[1] - pb[1]) +
                     hypot(s[0] - pv[0], s[1] - pv[1]);
      if (before - after <= 1e-9 * before + 1e-6) continue;
      if (GN__GROW(w->ctx, *arr, *cap, *n + 1) != GN_OK)
        return gn__fail(w->ctx, GN_ENOMEM, "out of memory");
      ins c = {before - after, v, nb[i], nb[j], eid[i], eid[j], {s[0], s[1]}};
      (*arr)[(*n)++] = c;
    }
  }
  return GN_OK;
}

static gn_status apply_insertion(work *w, const ins *c) {
  size_t s;
  gn_status st = add_pt(w, c->s[0], c->s[1], GN_NONE, 0, &s);
  if (st != GN_OK) return st;
  w->pts[s].steiner = 1;
  w->e[c->ea].alive = 0;
  w->e[c->eb].alive = 0;
  st = add_edge(w, s, c->a);
  if (st == GN_OK) st = add_edge(w, s, c->b);
  if (st == GN_OK) st = add_edge(w, s, c->v);
  return st;
}

/* One insertion round; *gain receives the total length saved. */
static gn_status insertion_round(work *w, double *gain) {
  ins *c = NULL;
  size_t n = 0, cap = 0, npts = w->npts;
  gn_status s = GN_OK;
  *gain = 0;
  for (size_t v = 0; s == GN_OK && v < npts; v++)
    if (!w->pts[v].dead) s = corner_gains(w, v, &c, &n, &cap);
  if (s == GN_OK && n > 1) qsort(c, n, sizeof(ins), ins_cmp);
  size_t ne0 = w->ne;
  for (size_t k = 0; s == GN_OK && k < n; k++) {
    if (c[k].ea >= ne0 || c[k].eb >= ne0) continue;
    if (!w->e[c[k].ea].alive || !w->e[c[k].eb].alive) continue;
    s = apply_insertion(w, &c[k]);
    *gain += c[k].gain;
  }
  gn_free(w->ctx, c);
  return s;
}

/* Move Steiner point v to the Fermat point of its neighbours, or merge
 * it into the neighbour where the angle is >= 120 degrees. */
static gn_status relocate(work *w, size_t v) {
  size_t nb[3], eid[3];
  size_t d = neighbours(w, v, nb, eid, 3);
  if (d < 3) { /* a straight line beats a bend: drop the point */
    w->pts[v].dead = 1;
    for (size_t i = 0; i < d; i++) w->e[eid[i]].alive = 0;
    return d == 2 ? add_edge(w, nb[0], nb[1]) : GN_OK;
  }
  if (d > 3) return GN_OK;
  const double pa[2] = {w->pts[nb[0]].x, w->pts[nb[0]].y};
  const double pb[2] = {w->pts[nb[1]].x, w->pts[nb[1]].y};
  const double pc[2] = {w->pts[nb[2]].x, w->pts[nb[2]].y};
  double s[2];
  int vx;
  if (fermat(pa, pb, pc, s, &vx)) {
    w->pts[v].x = s[0];
    w->pts[v].y = s[1];
    return GN_OK;
  }
  if (vx < 0) return GN_OK;
  /* Collapse onto neighbour vx: the other two attach to it directly. */
  w->pts[v].dead = 1;
  for (int i = 0; i < 3; i++) w->e[eid[i]].alive = 0;
  gn_status st = GN_OK;
  for (int i = 0; st == GN_OK && i < 3; i++)
    if (i != vx) st = add_edge(w, nb[vx], nb[i]);
  return st;
}

static double tree_len(const work *w) {
  double t = 0;
  for (size_t k = 0; k < w->ne; k++)
    if (w->e[k].alive) t += pdist(w, w->e[k].u, w->e[k].v);
  return t;
}

static gn_status steiner_improve(work *w) {
  double len = tree_len(w);
  for (int round = 0; round < MAX_ROUNDS; round++) {
    double gain = 0;
    gn_status s = insertion_round(w, &gain);
    for (int sweep = 0; s == GN_OK && sweep < 4; sweep++)
      for (size_t v = w->nterm; s == GN_OK && v < w->npts; v++)
        if (w->pts[v].steiner && !w->pts[v].dead) s = relocate(w, v);
    if (s != GN_OK) return s;
    double now = tree_len(w);
    if (len - now < 1e-5 * len) break;
    len = now;
  }
  /* Final cleanup: no Steiner point of degree < 3 survives. */
  gn_status s = GN_OK;
  for (size_t v = w->npts; s == GN_OK && v > w->nterm; v--) {
    size_t nb[3], eid[3];
    pt *q = &w->pts[v - 1];
    if (q->steiner && !q->dead && neighbours(w, v - 1, nb, eid, 3) < 3)
      s = relocate(w, v - 1);
  }
  return s;
}

/* ---- input and output --------------------------------------------- */

static int site_wanted(const gn_plan_site *s, const char *phase) {
  if (s->node != GN_NONE || s->status != GN_SITE_CONNECTED) return 0;
  if (!phase) return 1;
  return s->phase && strcmp(s->phase, phase) == 0;
}

static gn_status mark_invalid(gn_plan *p) {
  for (size_t i = 0; i < gn_plan_site_count(p); i++) {
    gn_plan_site *s = gn_plan_site_mut(p, i);
    if (s->node != GN_NONE || s->status != GN_SITE_CONNECTED) continue;
    if (gn_geo_valid_lonlat(s->lon, s->lat)) continue;
    s->status = GN_SITE_INVALID;
    if (gn_plan_set_str(p, &s->reason, "invalid coordinates") != GN_OK)
      return GN_ENOMEM;
  }
  return GN_OK;
}

static void origin(work *w, const gn_plan *p, const char *phase) {
  double sx = 0, sy = 0;
  size_t n = 0;
  for (size_t i = 0; i < gn_plan_site_count(p); i++) {
    const gn_plan_site *s = gn_plan_site_get(p, i);
    if (!site_wanted(s, phase)) continue;
    sx += s->lon;
    sy += s->lat;
    n++;
  }
  for (size_t i = 0; i < gn_plan_pop_count(p); i++) {
    sx += gn_plan_pop_get(p, i)->lon;
    sy += gn_plan_pop_get(p, i)->lat;
    n++;
  }
  w->lon0 = n ? sx / (double)n : 0;
  w->lat0 = n ? sy / (double)n : 0;
}

typedef struct key {
  double lon, lat;
  size_t ref; /* < nnodes: existing node; else new item index + nnodes */
} key;

static int key_cmp(const void *a, const void *b) {
  const key *x = a, *y = b;
  if (x->lon != y->lon) return x->lon < y->lon ? -1 : 1;
  if (x->lat != y->lat) return x->lat < y->lat ? -1 : 1;
  return (x->ref > y->ref) - (x->ref < y->ref);
}

/* Existing network nodes: ends of trenches and POP nodes. */
static gn_status network_nodes(gn_plan *p, unsigned char **on) {
  size_t nn = gn_plan_node_count(p);
  *on = gn_malloc(gn_plan_ctx(p), nn + 1);
  if (!*on) return gn__fail(gn_plan_ctx(p), GN_ENOMEM, "out of memory");
  memset(*on, 0, nn + 1);
  for (size_t i = 0; i < gn_plan_trench_count(p); i++) {
    (*on)[gn_plan_trench_get(p, i)->a] = 1;
    (*on)[gn_plan_trench_get(p, i)->b] = 1;
  }
  for (size_t i = 0; i < gn_plan_pop_count(p); i++)
    if (gn_plan_pop_get(p, i)->node != GN_NONE)
      (*on)[gn_plan_pop_get(p, i)->node] = 1;
  return GN_OK;
}

typedef struct gather {
  key *keys;
  size_t nkeys;
  size_t *item_pt;   /* new item (pop then site) -> point index */
  size_t *item_idx;  /* new item -> pop or site index */
  size_t npop_items, nitems;
  double *lonlat;    /* per terminal point: exact coordinates */
} gather;

static gn_status gather_keys(work *w, gn_plan *p, const char *phase,
                             gather *g) {
  size_t nn = gn_plan_node_count(p), cap = 0;
  unsigned char *on = NULL;
  gn_status s = network_nodes(p, &on);
  for (size_t i = 0; s == GN_OK && i < nn; i++) {
    if (!on[i]) continue;
    if (GN__GROW(w->ctx, g->keys, cap, g->nkeys + 1) != GN_OK) s = GN_ENOMEM;
    else g->keys[g->nkeys++] = (key){gn_plan_node_get(p, (gn_id)i)->lon,
                                     gn_plan_node_get(p, (gn_id)i)->lat, i};
  }
  gn_free(w->ctx, on);
  size_t np = gn_plan_pop_count(p), ns = gn_plan_site_count(p);
  g->item_idx = gn_malloc(w->ctx, (np + ns) * sizeof(size_t));
  g->item_pt = gn_malloc(w->ctx, (np + ns) * sizeof(size_t));
  if (s != GN_OK || !g->item_idx || !g->item_pt)
    return gn__fail(w->ctx, GN_ENOMEM, "out of memory");
  for (size_t i = 0; i < np + ns; i++) {
    int pop = i < np;
    if (pop && gn_plan_pop_get(p, i)->node != GN_NONE) continue;
    if (!pop && !site_wanted(gn_plan_site_get(p, i - np), phase)) continue;
    if (pop) g->npop_items++;
    double lon = pop ? gn_plan_pop_get(p, i)->lon
                     : gn_plan_site_get(p, i - np)->lon;
    double lat = pop ? gn_plan_pop_get(p, i)->lat
                     : gn_plan_site_get(p, i - np)->lat;
    if (GN__GROW(w->ctx, g->keys, cap, g->nkeys + 1) != GN_OK)
      return gn__fail(w->ctx, GN_ENOMEM, "out of memory");
    g->item_idx[g->nitems] = pop ? i : i - np;
    g->keys[g->nkeys++] = (key){lon, lat, nn + g->nitems++};
  }
  return GN_OK;
}

/* One terminal point per distinct coordinate; an existing node wins. */
static gn_status dedupe(work *w, gn_plan *p, gather *g) {
  size_t nn = gn_plan_node_count(p);
  qsort(g->keys, g->nkeys, sizeof(key), key_cmp);
  g->lonlat = gn_malloc(w->ctx, 2 * (g->nkeys + 1) * sizeof(double));
  if (!g->lonlat) return gn__fail(w->ctx, GN_ENOMEM, "out of memory");
  for (size_t k = 0; k < g->nkeys; k++) {
    const key *c = &g->keys[k];
    int same = k > 0 && c->lon == g->keys[k - 1].lon &&
               c->lat == g->keys[k - 1].lat;
    if (!same) {
      double x, y;
      int fixed = c->ref < nn;
      project(w, c->lon, c->lat, &x, &y);
      gn_status s = add_pt(w, x, y, fixed ? (gn_id)c->ref : GN_NONE, fixed,
                           NULL);
      if (s != GN_OK) return s;
      g->lonlat[2 * (w->npts - 1)] = c->lon;
      g->lonlat[2 * (w->npts - 1) + 1] = c->lat;
    }
    if (c->ref >= nn) g->item_pt[c->ref - nn] = w->npts - 1;
  }
  w->nterm = w->npts;
  return GN_OK;
}

static int64_t next_trench_id(const gn_plan *p) {
  int64_t id = 0;
  for (size_t i = 0; i < gn_plan_trench_count(p); i++)
    if (gn_plan_trench_get(p, i)->id > id) id = gn_plan_trench_get(p, i)->id;
  return id + 1;
}

static gn_status write_nodes(work *w, gn_plan *p, const gather *g) {
  for (size_t i = 0; i < w->npts; i++) {
    pt *q = &w->pts[i];
    if (q->node != GN_NONE || q->dead) continue;
    double lon, lat;
    if (i < w->nterm) {
      lon = g->lonlat[2 * i];
      lat = g->lonlat[2 * i + 1];
    } else {
      unproject(w, q->x, q->y, &lon, &lat);
    }
    if (gn_plan_add_node(p, lon, lat, &q->node) != GN_OK)
      return gn__fail(w->ctx, GN_ENOMEM, "out of memory");
  }
  for (size_t k = 0; k < g->nitems; k++) {
    gn_id node = w->pts[g->item_pt[k]].node;
    if (k < g->npop_items) {
      gn_plan_pop_mut(p, g->item_idx[k])->node = node;
    } else {
      gn_plan_site *s = gn_plan_site_mut(p, g->item_idx[k]);
      s->node = node;
      s->drop_m = 0;
      s->snap_dist_m = 0;
    }
  }
  return GN_OK;
}

static gn_status write_trenches(work *w, gn_plan *p, const gn_points_opts *o,
                                gn_points_stats *st) {
  int64_t id = next_trench_id(p);
  for (size_t k = 0; k < w->ne; k++) {
    if (!w->e[k].alive) continue;
    const gn_plan_node *a = gn_plan_node_get(p, w->pts[w->e[k].u].node);
    const gn_plan_node *b = gn_plan_node_get(p, w->pts[w->e[k].v].node);
    double c[4] = {a->lon, a->lat, b->lon, b->lat};
    double d = gn_geo_distance_m(a->lon, a->lat, b->lon, b->lat);
    gn_plan_trench t = {0};
    t.id = id++;
    t.a = w->pts[w->e[k].u].node;
    t.b = w->pts[w->e[k].v].node;
    t.coords = c;
    t.ncoords = 2;
    t.length_m = d * o->detour;
    t.road_class = (uint8_t)(o->long_m > 0 && d >= o->long_m ? o->long_class
                                                            : o->road_class);
    t.phase = (char *)o->phase;
    gn_status s = gn_plan_add_trench(p, &t, NULL);
    if (s != GN_OK) return s;
    st->tree_m += d;
    st->length_m += t.length_m;
  }
  for (size_t i = w->nterm; i < w->npts; i++)
    st->steiner_points += !w->pts[i].dead;
  return GN_OK;
}

static double mst_geodesic(const work *w, const gather *g) {
  double t = 0;
  for (size_t k = 0; k < w->ne; k++) {
    const double *a = &g->lonlat[2 * w->e[k].u], *b = &g->lonlat[2 * w->e[k].v];
    t += gn_geo_distance_m(a[0], a[1], b[0], b[1]);
  }
  return t;
}

void gn_points_opts_init(gn_points_opts *o) {
  memset(o, 0, sizeof(*o));
  o->detour = 1.3;
  o->steiner = 1;
  o->road_class = GN_ROAD_STRAIGHT;
  o->long_class = GN_ROAD_TRUNK;
}

static gn_status check_opts(gn_ctx *ctx, const gn_plan *p,
                            const gn_points_opts *o) {
  if (!isfinite(o->detour) || o->detour <= 1.0)
    return gn__fail(ctx, GN_EINVAL,
                    "detour factor %g: must be > 1 (street km per straight km)",
                    o->detour);
  if (gn_plan_pop_count(p) == 0 && gn_plan_trench_count(p) == 0)
    return gn__fail(ctx, GN_EINVAL,
                    "points planning needs at least one POP (the core)");
  if (o->road_class < 0 || o->road_class >= GN_ROAD_CLASS_COUNT ||
      o->long_class < 0 || o->long_class >= GN_ROAD_CLASS_COUNT)
    return gn__fail(ctx, GN_EINVAL, "road class %d out of range",
                    o->road_class);
  return GN_OK;
}

static void work_free(work *w, gather *g) {
  gn_free(w->ctx, w->pts);
  gn_free(w->ctx, w->e);
  gn_free(w->ctx, w->head);
  gn_free(w->ctx, w->next);
  gn_free(w->ctx, g->keys);
  gn_free(w->ctx, g->item_pt);
  gn_free(w->ctx, g->item_idx);
  gn_free(w->ctx, g->lonlat);
}

gn_status gn_points_plan(gn_plan *p, const gn_points_opts *o,
                         gn_points_stats *stats) {
  gn_ctx *ctx = gn_plan_ctx(p);
  gn_points_stats st = {0};
  gn_points_opts def;
  if (!o) {
    gn_points_opts_init(&def);
    o = &def;
  }
  gn_ctx_clear(ctx);
  gn_status s = check_opts(ctx, p, o);
  if (s == GN_OK) s = mark_invalid(p);
  if (s != GN_OK) return s;
  work w = {0};
  gather g = {0};
  w.ctx = ctx;
  origin(&w, p, o->phase);
  s = gather_keys(&w, p, o->phase, &g);
  if (s == GN_OK) s = dedupe(&w, p, &g);
  if (s == GN_OK) s = build_mst(&w);
  if (s == GN_OK) st.mst_m = mst_geodesic(&w, &g);
  if (s == GN_OK && o->steiner) s = steiner_improve(&w);
  if (s == GN_OK) s = write_nodes(&w, p, &g);
  if (s == GN_OK) s = write_trenches(&w, p, o, &st);
  st.terminals = w.nterm;
  st.reduction = st.mst_m > 0 ? 1.0 - st.tree_m / st.mst_m : 0.0;
  work_free(&w, &g);
  if (stats) *stats = st;
  return s;
}
