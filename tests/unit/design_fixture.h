/*
 * design_fixture.h - Shared fixtures of the design tests (points,
 * resilience, sizing, bom): small plans built in code, the real Lomé
 * data through the site importer, and an independent network
 * check (BFS) that does not use the code under test.
 */
#ifndef GN_DESIGN_FIXTURE_H
#define GN_DESIGN_FIXTURE_H

#include <math.h>

#include "gn_test.h"

static inline gn_ctx *fx_ctx(void) {
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  return ctx;
}

static inline void fx_site(gn_ctx *ctx, gn_plan *p, const char *id,
                           double lon, double lat, gn_category cat) {
  gn_plan_site s = {0};
  s.id = (char *)id;
  s.lon = lon;
  s.lat = lat;
  s.category = cat;
  s.node = GN_NONE;
  s.status = GN_SITE_CONNECTED;
  ASSERT_OK(ctx, gn_plan_add_site(p, &s, NULL));
}

static inline void fx_pop(gn_ctx *ctx, gn_plan *p, double lon, double lat) {
  gn_plan_pop pop = {0};
  pop.id = (char *)"pop";
  pop.lon = lon;
  pop.lat = lat;
  pop.node = GN_NONE;
  ASSERT_OK(ctx, gn_plan_add_pop(p, &pop, NULL));
}

/* Sites of a real point file through the project's own importer
 * (gn_io_read_sites), or 0 when the shared data is absent. */
static inline size_t fx_load(gn_ctx *ctx, gn_plan *p, const char *rel) {
  char buf[1024];
  if (!gn_test_data(buf, sizeof buf, rel)) return 0;
  size_t before = gn_plan_site_count(p);
  ASSERT_OK(ctx, gn_io_read_sites(ctx, buf, NULL, p));
  return gn_plan_site_count(p) - before;
}

static inline gn_id fx_node(gn_ctx *ctx, gn_plan *p, double lon, double lat) {
  gn_id id;
  ASSERT_OK(ctx, gn_plan_add_node(p, lon, lat, &id));
  return id;
}

static inline void fx_trench(gn_ctx *ctx, gn_plan *p, gn_id a, gn_id b) {
  const gn_plan_node *na = gn_plan_node_get(p, a), *nb = gn_plan_node_get(p, b);
  double c[4] = {na->lon, na->lat, nb->lon, nb->lat};
  gn_plan_trench t = {0};
  t.id = (int64_t)gn_plan_trench_count(p) + 1;
  t.a = a;
  t.b = b;
  t.coords = c;
  t.ncoords = 2;
  t.length_m = 100;
  t.road_class = GN_ROAD_NONE;
  ASSERT_OK(ctx, gn_plan_add_trench(p, &t, NULL));
}

/* POP - a - b - c along a line: cuts lose 3, 2, 1 sites. */
static inline gn_plan *path_plan(gn_ctx *ctx) {
  gn_plan *p = NULL;
  ASSERT_OK(ctx, gn_plan_create(ctx, &p));
  gn_id n[4];
  for (int i = 0; i < 4; i++) n[i] = fx_node(ctx, p, 1.0 + 0.001 * i, 6.0);
  gn_plan_pop pop = {0};
  pop.id = (char *)"pop";
  pop.node = n[0];
  ASSERT_OK(ctx, gn_plan_add_pop(p, &pop, NULL));
  const char *ids[3] = {"a", "b", "c"};
  for (int i = 1; i < 4; i++) {
    fx_site(ctx, p, ids[i - 1], 1.0 + 0.001 * i, 6.0, GN_CAT_HEALTH);
    gn_plan_site_mut(p, (size_t)i - 1)->node = n[i];
    gn_plan_site_mut(p, (size_t)i - 1)->critical = i == 3;
    fx_trench(ctx, p, n[i - 1], n[i]);
  }
  return p;
}

/* Independent check: an adjacency list of the plan's trenches and a BFS
 * that ignores one trench. Uses only the plan records, no design code. */
typedef struct fx_adj {
  size_t nn, *off, *tr;
  gn_id *other;
  unsigned char *seen;
  gn_id *queue;
} fx_adj;

static inline void fx_adj_build(const gn_plan *p, fx_adj *a) {
  size_t nn = gn_plan_node_count(p), nt = gn_plan_trench_count(p);
  a->nn = nn;
  a->off = calloc(nn + 2, sizeof(size_t));
  a->tr = malloc((2 * nt + 1) * sizeof(size_t));
  a->other = malloc((2 * nt + 1) * sizeof(gn_id));
  a->seen = malloc(nn + 1);
  a->queue = malloc((nn + 1) * sizeof(gn_id));
  for (size_t t = 0; t < nt; t++) {
    a->off[gn_plan_trench_get(p, t)->a + 2]++;
    a->off[gn_plan_trench_get(p, t)->b + 2]++;
  }
  for (size_t v = 0; v < nn; v++) a->off[v + 2] += a->off[v + 1];
  for (size_t t = 0; t < nt; t++) {
    const gn_plan_trench *tr = gn_plan_trench_get(p, t);
    size_t k = a->off[tr->a + 1]++;
    a->tr[k] = t;
    a->other[k] = tr->b;
    k = a->off[tr->b + 1]++;
    a->tr[k] = t;
    a->other[k] = tr->a;
  }
}

static inline void fx_adj_free(fx_adj *a) {
  free(a->off);
  free(a->tr);
  free(a->other);
  free(a->seen);
  free(a->queue);
}

/* 1 if node `from` reaches a POP node without trench `skip`. */
static inline int fx_reaches(const gn_plan *p, fx_adj *a, gn_id from,
                             size_t skip) {
  size_t qh = 0, qt = 0;
  memset(a->seen, 0, a->nn);
  a->seen[from] = 1;
  a->queue[qt++] = from;
  while (qh < qt) {
    gn_id v = a->queue[qh++];
    for (size_t k = 0; k < gn_plan_pop_count(p); k++)
      if (gn_plan_pop_get(p, k)->node == v) return 1;
    for (size_t k = a->off[v]; k < a->off[v + 1]; k++) {
      if (a->tr[k] == skip || a->seen[a->other[k]]) continue;
      a->seen[a->other[k]] = 1;
      a->queue[qt++] = a->other[k];
    }
  }
  return 0;
}

static inline int fx_reaches_pop(const gn_plan *p, gn_id from, size_t skip) {
  fx_adj a;
  fx_adj_build(p, &a);
  int r = fx_reaches(p, &a, from, skip);
  fx_adj_free(&a);
  return r;
}

/* 1 if node `from` keeps a path to a POP after any single trench cut. */
static inline int fx_survives_any_cut(const gn_plan *p, fx_adj *a,
                                      gn_id from) {
  for (size_t t = 0; t < gn_plan_trench_count(p); t++)
    if (!fx_reaches(p, a, from, t)) return 0;
  return 1;
}

#endif
