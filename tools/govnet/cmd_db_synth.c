/*
 * cmd_db_synth.c - A deterministic synthetic plan (Lomé-sized or larger)
 * for benchmarks and the crash test, built through the public plan API.
 *
 * Shape: POPs first, then junction nodes scattered over a 20 x 14 km box
 * around Lomé, each joined to its nearest earlier node (a forest rooted at
 * the POPs); then each building attaches to its nearest junction by a
 * straight drop (1.2 x the distance); junctions without buildings below
 * get no trench. ring_pct % of junctions get an extra redundant trench to a
 * near node of another branch, which gives some buildings a disjoint path.
 * Lengths are geodesic * 1.3 (street detour). sites_downstream is counted
 * over the tree; cable_size is left 0 so the store sizes the cables.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"

typedef struct rng {
  unsigned long long s;
} rng;

static double rnd(rng *r) {
  r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double)(r->s >> 11) / 9007199254740992.0;
}

/* Nodes in a uniform grid over the generator's box (points outside are
 * clamped into the border cells), so `nearest` looks at a few cells
 * instead of every node: the plan of 45,000 buildings is built in
 * linear time. Cells list their nodes in insertion order. */
#define BOX_W 1.13
#define BOX_S 6.12
#define BOX_DLON 0.18
#define BOX_DLAT 0.13

typedef struct grid {
  size_t side;  /* side x side cells */
  gn_id *head;  /* per cell, first node (GN_NONE: empty) */
  gn_id *next;  /* per node, next node in its cell */
} grid;

static size_t cell_of(const grid *gr, double v, double lo, double span) {
  double f = (v - lo) / span * (double)gr->side;
  if (!(f > 0)) return 0;
  return f >= (double)gr->side ? gr->side - 1 : (size_t)f;
}

static void grid_add(grid *gr, const gn_plan *p, gn_id v) {
  const gn_plan_node *nd = gn_plan_node_get(p, v);
  size_t c = cell_of(gr, nd->lat, BOX_S, BOX_DLAT) * gr->side +
             cell_of(gr, nd->lon, BOX_W, BOX_DLON);
  gr->next[v] = gr->head[c]; /* prepend: order does not matter, ties */
  gr->head[c] = v;           /* are broken by the lower node id */
}

typedef struct query {
  double lon, lat, coslat, best_d;
  gn_id skip, best;
} query;

static void scan_cell(const grid *gr, const gn_plan *p, size_t cx, size_t cy,
                      query *q) {
  for (gn_id i = gr->head[cy * gr->side + cx]; i != GN_NONE; i = gr->next[i]) {
    const gn_plan_node *nd = gn_plan_node_get(p, i);
    double dx = (nd->lon - q->lon) * q->coslat, dy = nd->lat - q->lat;
    double d = dx * dx + dy * dy;
    if (i != q->skip && (d < q->best_d || (d == q->best_d && i < q->best))) {
      q->best_d = d;
      q->best = i;
    }
  }
}

/* Lower bound on the distance to any node outside the square of cells
 * [x0, x1] x [y0, y1] (a hair less, for rounding at cell borders). */
static double outside_bound(const grid *gr, const query *q, size_t x0,
                            size_t x1, size_t y0, size_t y1) {
  double cw = BOX_DLON / (double)gr->side, ch = BOX_DLAT / (double)gr->side;
  double b = INFINITY;
  if (x0 > 0) b = fmin(b, (q->lon - (BOX_W + (double)x0 * cw)) * q->coslat);
  if (x1 + 1 < gr->side)
    b = fmin(b, (BOX_W + (double)(x1 + 1) * cw - q->lon) * q->coslat);
  if (y0 > 0) b = fmin(b, q->lat - (BOX_S + (double)y0 * ch));
  if (y1 + 1 < gr->side) b = fmin(b, BOX_S + (double)(y1 + 1) * ch - q->lat);
  return b - 1e-9;
}

/* The node nearest to (lon, lat) other than skip; ties: the lowest id
 * (as a scan of all nodes in order would give). */
static gn_id nearest(const grid *gr, const gn_plan *p, double lon, double lat,
                     gn_id skip) {
  query q = {lon, lat, cos(lat * 0.017453292519943295), INFINITY, skip, 0};
  size_t cx = cell_of(gr, lon, BOX_W, BOX_DLON), cy = cell_of(gr, lat, BOX_S,
                                                              BOX_DLAT);
  for (size_t k = 0;; k++) {
    size_t x0 = cx >= k ? cx - k : 0, x1 = cx + k < gr->side ? cx + k : gr->side - 1;
    size_t y0 = cy >= k ? cy - k : 0, y1 = cy + k < gr->side ? cy + k : gr->side - 1;
    for (size_t y = y0; y <= y1; y++)
      for (size_t x = x0; x <= x1; x++)
        if (k == 0 || y + k == cy || y == cy + k || x + k == cx || x == cx + k)
          scan_cell(gr, p, x, y, &q);
    int all = x0 == 0 && y0 == 0 && x1 + 1 == gr->side && y1 + 1 == gr->side;
    double b = outside_bound(gr, &q, x0, x1, y0, y1);
    if (all || (isfinite(q.best_d) && b > 0 && q.best_d < b * b)) break;
  }
  return q.best;
}

typedef struct gen {
  gn_ctx *ctx;
  gn_plan *p;
  size_t n;          /* nodes so far */
  gn_id *parent;     /* tree parent, GN_NONE for POPs */
  int *down;         /* sites below the edge to the parent */
  int64_t next_id;
  grid gr;           /* the nodes so far */
} gen;

static gn_status trench(gen *g, gn_id a, gn_id b, int redundant, int down) {
  const gn_plan_node *na = gn_plan_node_get(g->p, a);
  const gn_plan_node *nb = gn_plan_node_get(g->p, b);
  double c[4] = {na->lon, na->lat, nb->lon, nb->lat};
  gn_plan_trench t;
  memset(&t, 0, sizeof(t));
  t.id = g->next_id++;
  t.a = a;
  t.b = b;
  t.coords = c;
  t.ncoords = 2;
  t.length_m = 1.3 * gn_geo_distance_m(c[0], c[1], c[2], c[3]) + 1.0;
  t.road_class = GN_ROAD_STRAIGHT;
  t.redundant = redundant;
  t.sites_downstream = down;
  return gn_plan_add_trench(g->p, &t, NULL);
}

static gn_status add_point(gen *g, rng *r, gn_id *id, int attach) {
  double lon = 1.13 + 0.18 * rnd(r), lat = 6.12 + 0.13 * rnd(r);
  gn_status rs = gn_plan_add_node(g->p, lon, lat, id);
  if (rs != GN_OK) return rs;
  g->parent[*id] = attach ? nearest(&g->gr, g->p, lon, lat, GN_NONE) : GN_NONE;
  grid_add(&g->gr, g->p, *id);
  return GN_OK;
}

static gn_status sites(gen *g, rng *r, int nsites) {
  static const gn_category cats[8] = {
      GN_CAT_HEALTH, GN_CAT_EDUCATION, GN_CAT_EDUCATION, GN_CAT_ADMIN,
      GN_CAT_EDUCATION, GN_CAT_HEALTH, GN_CAT_EDUCATION, GN_CAT_EDUCATION};
  gn_status rs = GN_OK;
  for (int i = 0; rs == GN_OK && i < nsites; i++) {
    double lon = 1.13 + 0.18 * rnd(r), lat = 6.12 + 0.13 * rnd(r);
    gn_id v = nearest(&g->gr, g->p, lon, lat, GN_NONE);
    for (gn_id u = v; g->parent[u] != GN_NONE; u = g->parent[u]) g->down[u]++;
    const gn_plan_node *nd = gn_plan_node_get(g->p, v);
    char id[32], name[48];
    snprintf(id, sizeof(id), "syn:%d", i + 1);
    snprintf(name, sizeof(name), "Building %d", i + 1);
    gn_plan_site s;
    memset(&s, 0, sizeof(s));
    s.id = id;
    s.name = name;
    s.category = cats[i % 8];
    s.priority = s.category == GN_CAT_HEALTH ? 10 : 0;
    s.lon = lon;
    s.lat = lat;
    s.node = v;
    s.drop_m = 1.2 * gn_geo_distance_m(lon, lat, nd->lon, nd->lat);
    rs = gn_plan_add_site(g->p, &s, NULL);
  }
  return rs;
}

gn_status cli_synthetic_plan(gn_ctx *ctx, int nsites, unsigned seed,
                             int ring_pct, gn_plan **out) {
  gen g;
  memset(&g, 0, sizeof(g));
  g.ctx = ctx;
  g.next_id = 1;
  rng r = {seed * 2654435761ULL + 1};
  size_t npops = 1 + (size_t)nsites / 500, nj = (size_t)nsites / 2 + npops;
  size_t total = nj;
  g.parent = gn_malloc(ctx, total * sizeof(gn_id));
  g.down = gn_malloc(ctx, total * sizeof(int));
  g.gr.side = (size_t)sqrt((double)nj / 2) + 1; /* ~2 nodes a cell */
  g.gr.head = gn_malloc(ctx, g.gr.side * g.gr.side * sizeof(gn_id));
  g.gr.next = gn_malloc(ctx, total * sizeof(gn_id));
  gn_status rs = g.parent && g.down && g.gr.head && g.gr.next
                     ? gn_plan_create(ctx, &g.p)
                     : GN_ENOMEM;
  if (g.gr.head) memset(g.gr.head, 0xff, g.gr.side * g.gr.side * sizeof(gn_id));
  if (g.down) memset(g.down, 0, total * sizeof(int));
  for (size_t i = 0; rs == GN_OK && i < nj; i++) {
    gn_id v;
    rs = add_point(&g, &r, &v, i >= npops);
    if (rs == GN_OK && i < npops) {
      const gn_plan_node *nd = gn_plan_node_get(g.p, v);
      char id[32], name[48];
      snprintf(id, sizeof(id), "POP%zu", i + 1);
      snprintf(name, sizeof(name), "POP %zu", i + 1);
      gn_plan_pop pop = {id, name, nd->lon, nd->lat, v};
      rs = gn_plan_add_pop(g.p, &pop, NULL);
    }
  }
  if (rs == GN_OK) rs = sites(&g, &r, nsites);
  for (size_t v = 0; rs == GN_OK && v < total; v++)
    if (g.parent[v] != GN_NONE && g.down[v] > 0)
      rs = trench(&g, g.parent[v], (gn_id)v, 0, g.down[v]);
  for (size_t v = npops; rs == GN_OK && v < nj; v++) {
    if (g.down[v] == 0 || rnd(&r) * 100 >= ring_pct) continue;
    const gn_plan_node *nd = gn_plan_node_get(g.p, (gn_id)v);
    gn_id u = nearest(&g.gr, g.p, nd->lon + 0.01, nd->lat + 0.01, (gn_id)v);
    if (u != g.parent[v] && g.parent[u] != (gn_id)v && g.down[u] > 0)
      rs = trench(&g, (gn_id)v, u, 1, 0);
  }
  if (rs == GN_OK) rs = gn_plan_set_meta(g.p, "mode", "synthetic");
  gn_free(ctx, g.parent);
  gn_free(ctx, g.down);
  gn_free(ctx, g.gr.head);
  gn_free(ctx, g.gr.next);
  if (rs != GN_OK) {
    gn_plan_free(g.p);
    g.p = NULL;
  }
  *out = g.p;
  return rs;
}
