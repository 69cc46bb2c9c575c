/*
 * test_oom.c - Out-of-memory behaviour through the ctx allocator: the
 * n-th allocation fails for n = 0, 1, 2, ... until the operation
 * succeeds; every failure must be GN_ENOMEM and leak nothing (ASan's
 * leak checker runs at exit in CI).
 */
#include "gn_test.h"


static gn_status build_graph(gn_ctx *ctx) {
  gn_graph *g = NULL;
  gn_status s = gn_graph_create(ctx, 0, 0, &g);
  if (s != GN_OK) return s;
  for (int i = 0; i < 40 && s == GN_OK; i++) s = gn_graph_add_node(g, i, 0, NULL);
  for (int i = 0; i + 1 < 40 && s == GN_OK; i++) {
    gn_edge e = {(gn_id)i, (gn_id)(i + 1), 1, 1, 0, GN_ROAD_RESIDENTIAL};
    gn_id id;
    s = gn_graph_add_edge(g, &e, &id);
    double shape[6] = {i, 0, i + 0.5, 0.1, i + 1, 0};
    if (s == GN_OK) s = gn_graph_set_shape(g, id, shape, 3);
  }
  if (s == GN_OK) s = gn_graph_finalize(g);
  gn_id comp[40];
  size_t nc;
  if (s == GN_OK) s = gn_graph_components(g, comp, &nc);
  double dist[40];
  gn_id src = 0;
  if (s == GN_OK) s = gn_graph_dijkstra(g, &src, 1, dist, NULL);
  gn_graph_free(g);
  return s;
}

static gn_status build_plan(gn_ctx *ctx) {
  gn_plan *p = NULL;
  gn_status s = gn_plan_create(ctx, &p);
  if (s != GN_OK) return s;
  gn_id a = 0, b = 0;
  if (s == GN_OK) s = gn_plan_add_node(p, 1.2, 6.1, &a);
  if (s == GN_OK) s = gn_plan_add_node(p, 1.3, 6.2, &b);
  gn_plan_site site = {.id = "s1", .name = "Hôpital", .category = GN_CAT_HEALTH,
                       .node = b, .phase = "1"};
  if (s == GN_OK) s = gn_plan_add_site(p, &site, NULL);
  gn_plan_pop pop = {.id = "pop", .name = "POP", .node = a};
  if (s == GN_OK) s = gn_plan_add_pop(p, &pop, NULL);
  double coords[4] = {1.2, 6.1, 1.3, 6.2};
  gn_plan_trench t = {.id = 1, .a = a, .b = b, .coords = coords, .ncoords = 2};
  if (s == GN_OK) s = gn_plan_add_trench(p, &t, NULL);
  if (s == GN_OK) s = gn_plan_set_meta(p, "mode", "streets");
  if (s == GN_OK) s = gn_plan_set_meta(p, "mode", "points");
  gn_plan_free(p);
  return s;
}

/* A 12 x 12 grid with tied weights and 12 terminals: the default level
 * runs hundreds of restarts, recombinations (a nested solver) included. */
static gn_status solve_grid(gn_ctx *ctx, int bound) {
  enum { W = 12 };
  gn_graph *g = NULL;
  gn_status s = gn_graph_create(ctx, W * W, 2 * W * W, &g);
  if (s == GN_OK) s = gn_graph_add_nodes(g, W * W);
  for (int i = 0; i < W * W && s == GN_OK; i++) {
    gn_edge e = {(gn_id)i, (gn_id)(i + 1), 1 + (i * 7) % 9, 1, 0, 0};
    if (i % W + 1 < W) s = gn_graph_add_edge(g, &e, NULL);
    e.v = (gn_id)(i + W);
    e.weight = 1 + (i * 5) % 7;
    if (s == GN_OK && i + W < W * W) s = gn_graph_add_edge(g, &e, NULL);
  }
  if (s == GN_OK) s = gn_graph_finalize(g);
  gn_id t[12] = {0, 11, 132, 143, 66, 30, 100, 77, 5, 120, 57, 90};
  gn_steiner_opts o;
  gn_steiner_opts_init(&o);
  o.bound = bound;
  gn_steiner_result *r = NULL;
  if (s == GN_OK) s = gn_steiner_solve(ctx, g, t, 12, &o, &r);
  gn_steiner_result_free(r);
  gn_graph_free(g);
  return s;
}

static gn_status solve_steiner(gn_ctx *ctx) { return solve_grid(ctx, 0); }

/* With the bound: dual ascent, reduced-cost test, the rebuilt search. */
static gn_status solve_steiner_bound(gn_ctx *ctx) { return solve_grid(ctx, 1); }

/* Fail the n-th allocation for n = 0, 1, ... 400, then in steps of
 * n / 16 (long runs stay quick), until the operation succeeds. */
static void run_until_success(gn_status (*op)(gn_ctx *)) {
  for (long n = 0;; n += n < 400 ? 1 : n / 16) {
    gn_test_failing f = {-1};
    gn_ctx *ctx = NULL;
    assert_int_equal(GN_OK, gn_ctx_create_with(gn_test_failing_realloc, &f, &ctx));
    f.left = n;
    gn_status s = op(ctx);
    gn_ctx_free(ctx);
    if (s == GN_OK) return;
    assert_int_equal(GN_ENOMEM, s);
    assert_true(n < 100000);
  }
}

static void steiner_bound_survives_every_allocation_failure(void **state) {
  (void)state;
  run_until_success(solve_steiner_bound);
}

static void graph_survives_every_allocation_failure(void **state) {
  (void)state;
  run_until_success(build_graph);
}

static void plan_survives_every_allocation_failure(void **state) {
  (void)state;
  run_until_success(build_plan);
}

static void steiner_survives_every_allocation_failure(void **state) {
  (void)state;
  run_until_success(solve_steiner);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(steiner_survives_every_allocation_failure),
      cmocka_unit_test(steiner_bound_survives_every_allocation_failure),
      cmocka_unit_test(graph_survives_every_allocation_failure),
      cmocka_unit_test(plan_survives_every_allocation_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
