/* test_points.c - points-only planning: Steiner geometry on exact
 * fixtures, connectivity, dig-once phases, bad options, real Lomé data. */
#include <time.h>

#include "design_fixture.h"

static double total_straight(const gn_plan *p) {
  double t = 0;
  for (size_t i = 0; i < gn_plan_trench_count(p); i++) {
    const gn_plan_trench *tr = gn_plan_trench_get(p, i);
    t += gn_geo_line_length_m(tr->coords, tr->ncoords);
  }
  return t;
}

/* Equilateral triangle: one Steiner point, length sqrt(3)*side vs 2*side. */
static void triangle_gets_fermat_point(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = NULL;
  ASSERT_OK(ctx, gn_plan_create(ctx, &p));
  double d = 0.01; /* ~1.1 km near the equator */
  fx_pop(ctx, p, 1.0, 6.0);
  fx_site(ctx, p, "a", 1.0 + d, 6.0, GN_CAT_ADMIN);
  fx_site(ctx, p, "b", 1.0 + d / 2, 6.0 + d * sqrt(3) / 2, GN_CAT_ADMIN);
  gn_points_stats st;
  ASSERT_OK(ctx, gn_points_plan(p, NULL, &st));
  assert_int_equal(3, gn_plan_trench_count(p));
  assert_int_equal(1, st.steiner_points);
  assert_int_equal(3, st.terminals);
  assert_true(fabs(st.reduction - (1 - sqrt(3) / 2)) < 0.01);
  assert_true(fabs(st.length_m - 1.3 * st.tree_m) < 1e-6);
  assert_true(fabs(total_straight(p) - st.tree_m) < 1e-6);
  /* every site node sits exactly on the site */
  for (size_t i = 0; i < gn_plan_site_count(p); i++) {
    const gn_plan_site *s = gn_plan_site_get(p, i);
    const gn_plan_node *n = gn_plan_node_get(p, s->node);
    assert_true(n->lon == s->lon && n->lat == s->lat);
  }
  /* polylines end exactly at their nodes */
  for (size_t i = 0; i < gn_plan_trench_count(p); i++) {
    const gn_plan_trench *t = gn_plan_trench_get(p, i);
    assert_true(t->coords[0] == gn_plan_node_get(p, t->a)->lon);
    assert_true(t->coords[3] == gn_plan_node_get(p, t->b)->lat);
  }
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

/* Square: the optimum (1 + sqrt 3) * side uses two Steiner points. */
static void square_reaches_steiner_optimum(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = NULL;
  ASSERT_OK(ctx, gn_plan_create(ctx, &p));
  double d = 0.01;
  fx_pop(ctx, p, 1.0, 0.0);
  fx_site(ctx, p, "a", 1.0 + d, 0.0, GN_CAT_ADMIN);
  fx_site(ctx, p, "b", 1.0 + d, d, GN_CAT_ADMIN);
  fx_site(ctx, p, "c", 1.0, d, GN_CAT_ADMIN);
  gn_points_stats st;
  ASSERT_OK(ctx, gn_points_plan(p, NULL, &st));
  print_message("square: %zu Steiner points, ratio %.4f\n", st.steiner_points,
                st.tree_m / st.mst_m);
  assert_int_equal(2, st.steiner_points);
  assert_true(fabs(st.tree_m / st.mst_m - (1 + sqrt(3)) / 3) < 0.005);
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

static unsigned rnd(unsigned *s) {
  *s = *s * 1103515245u + 12345u;
  return (*s >> 8) & 0xffffu;
}

/* 3,000 random sites: every one reaches the POP, Steiner beats the MST
 * by the usual 2-4 %, and it takes well under a few seconds. */
static void random_sites_connected_and_shorter(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = NULL;
  ASSERT_OK(ctx, gn_plan_create(ctx, &p));
  unsigned seed = 7;
  fx_pop(ctx, p, 1.2, 6.2);
  for (int i = 0; i < 3000; i++) {
    char id[16];
    snprintf(id, sizeof id, "r%d", i);
    fx_site(ctx, p, id, 1.05 + rnd(&seed) / 65536.0 * 0.35,
            6.1 + rnd(&seed) / 65536.0 * 0.2, GN_CAT_EDUCATION);
  }
  clock_t t0 = clock();
  gn_points_stats st;
  ASSERT_OK(ctx, gn_points_plan(p, NULL, &st));
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  print_message("3000 sites: MST %.0f m, tree %.0f m, -%.2f %%, %zu Steiner, "
                "%.2f s\n", st.mst_m, st.tree_m, 100 * st.reduction,
                st.steiner_points, secs);
  assert_true(st.reduction > 0.02 && st.reduction < 0.06);
  assert_true(secs < 20.0); /* sanitizer builds are slow */
  /* a tree: edges = nodes - 1 over the used nodes */
  assert_int_equal(gn_plan_node_count(p) - 1, gn_plan_trench_count(p));
  for (size_t i = 0; i < gn_plan_site_count(p); i += 97)
    assert_true(fx_reaches_pop(p, gn_plan_site_get(p, i)->node, (size_t)-1));
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

/* Phase 2 extends phase 1 without touching it (dig once). */
static void second_phase_reuses_network(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = NULL;
  ASSERT_OK(ctx, gn_plan_create(ctx, &p));
  fx_pop(ctx, p, 1.0, 6.0);
  fx_site(ctx, p, "a", 1.01, 6.0, GN_CAT_ADMIN);
  fx_site(ctx, p, "b", 1.0, 6.01, GN_CAT_ADMIN);
  fx_site(ctx, p, "far", 1.0, 7.0, GN_CAT_HEALTH);
  fx_site(ctx, p, "dup", 1.0, 7.0, GN_CAT_HEALTH);
  for (size_t i = 0; i < 4; i++)
    ASSERT_OK(ctx, gn_plan_set_str(p, &gn_plan_site_mut(p, i)->phase,
                                   i < 2 ? "1" : "2"));
  gn_points_opts o;
  gn_points_opts_init(&o);
  o.phase = "1";
  ASSERT_OK(ctx, gn_points_plan(p, &o, NULL));
  size_t n1 = gn_plan_trench_count(p);
  assert_int_equal(GN_NONE, gn_plan_site_get(p, 2)->node);
  o.phase = "2";
  gn_points_stats st;
  ASSERT_OK(ctx, gn_points_plan(p, &o, &st));
  assert_int_equal(n1 + 1, gn_plan_trench_count(p));
  const gn_plan_trench *t = gn_plan_trench_get(p, n1);
  assert_string_equal("2", t->phase);
  /* joined to the nearest phase-1 point (site b), not to the POP */
  assert_true(fabs(st.tree_m - gn_geo_distance_m(1.0, 6.01, 1.0, 7.0)) < 1);
  assert_int_equal(gn_plan_site_get(p, 2)->node, gn_plan_site_get(p, 3)->node);
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

static void detour_must_exceed_one(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = NULL;
  ASSERT_OK(ctx, gn_plan_create(ctx, &p));
  fx_pop(ctx, p, 1.0, 6.0);
  fx_site(ctx, p, "a", 1.01, 6.0, GN_CAT_ADMIN);
  gn_points_opts o;
  gn_points_opts_init(&o);
  o.detour = 1.0;
  assert_int_equal(GN_EINVAL, gn_points_plan(p, &o, NULL));
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "detour"));
  assert_int_equal(0, gn_plan_trench_count(p));
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

static void needs_a_pop(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = NULL;
  ASSERT_OK(ctx, gn_plan_create(ctx, &p));
  fx_site(ctx, p, "a", 1.01, 6.0, GN_CAT_ADMIN);
  assert_int_equal(GN_EINVAL, gn_points_plan(p, NULL, NULL));
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "POP"));
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

static void lome_buildings(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = NULL;
  ASSERT_OK(ctx, gn_plan_create(ctx, &p));
  fx_pop(ctx, p, 1.2278, 6.1260); /* WACS landing, eastern Lomé */
  size_t n = fx_load(ctx, p, "togo/lome_public_buildings.geojson");
  if (n == 0) {
    gn_plan_free(p);
    gn_ctx_free(ctx);
    skip();
  }
  assert_int_equal(453, n);
  gn_points_stats st;
  ASSERT_OK(ctx, gn_points_plan(p, NULL, &st));
  print_message("Lome %zu sites: MST %.1f km, Steiner tree %.1f km (-%.2f %%, "
                "%zu Steiner points), street %.1f km\n", n, st.mst_m / 1000,
                st.tree_m / 1000, 100 * st.reduction, st.steiner_points,
                st.length_m / 1000);
  assert_true(st.reduction > 0.015);
  for (size_t i = 0; i < n; i++)
    assert_int_not_equal(GN_NONE, gn_plan_site_get(p, i)->node);
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(triangle_gets_fermat_point),
      cmocka_unit_test(square_reaches_steiner_optimum),
      cmocka_unit_test(random_sites_connected_and_shorter),
      cmocka_unit_test(second_phase_reuses_network),
      cmocka_unit_test(detour_must_exceed_one),
      cmocka_unit_test(needs_a_pop),
      cmocka_unit_test(lome_buildings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
