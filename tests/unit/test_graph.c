/* test_graph.c - graph storage, adjacency, components, Dijkstra. */
#include <math.h>

#include "gn_test.h"

static gn_graph *path_graph(gn_ctx *ctx, int n) {
  gn_graph *g = NULL;
  ASSERT_OK(ctx, gn_graph_create(ctx, 0, 0, &g));
  ASSERT_OK(ctx, gn_graph_add_nodes(g, (size_t)n));
  for (int i = 0; i + 1 < n; i++) {
    gn_edge e = {(gn_id)i, (gn_id)(i + 1), 1.0 + i, 1.0, 0, GN_ROAD_NONE};
    ASSERT_OK(ctx, gn_graph_add_edge(g, &e, NULL));
  }
  ASSERT_OK(ctx, gn_graph_finalize(g));
  return g;
}

static void adjacency_lists_both_ends(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  gn_graph *g = path_graph(ctx, 4);
  const gn_id *nbr, *eid;
  size_t n;
  gn_graph_adj(g, 1, &nbr, &eid, &n);
  assert_int_equal(2, n);
  assert_true((nbr[0] == 0 && nbr[1] == 2) || (nbr[0] == 2 && nbr[1] == 0));
  gn_graph_free(g);
  gn_ctx_free(ctx);
}

static void dijkstra_sums_weights(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  gn_graph *g = path_graph(ctx, 5);
  double dist[5];
  gn_id pred[5];
  gn_id src = 0;
  ASSERT_OK(ctx, gn_graph_dijkstra(g, &src, 1, dist, pred));
  assert_true(fabs(dist[4] - (1 + 2 + 3 + 4)) < 1e-12);
  assert_int_equal(3, pred[4]);
  assert_int_equal(GN_NONE, pred[0]);
  gn_graph_free(g);
  gn_ctx_free(ctx);
}

static void components_sorted_by_size(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  gn_graph *g = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  ASSERT_OK(ctx, gn_graph_create(ctx, 0, 0, &g));
  ASSERT_OK(ctx, gn_graph_add_nodes(g, 6));
  gn_edge e1 = {0, 1, 1, 1, 0, 0}, e2 = {2, 3, 1, 1, 0, 0}, e3 = {3, 4, 1, 1, 0, 0};
  ASSERT_OK(ctx, gn_graph_add_edge(g, &e1, NULL));
  ASSERT_OK(ctx, gn_graph_add_edge(g, &e2, NULL));
  ASSERT_OK(ctx, gn_graph_add_edge(g, &e3, NULL));
  ASSERT_OK(ctx, gn_graph_finalize(g));
  gn_id comp[6];
  size_t nc = 0;
  ASSERT_OK(ctx, gn_graph_components(g, comp, &nc));
  assert_int_equal(3, nc);
  assert_int_equal(0, comp[2]); /* the 3-node component is the largest */
  assert_int_equal(comp[0], comp[1]);
  assert_int_equal(2, comp[5]);
  gn_graph_free(g);
  gn_ctx_free(ctx);
}

static void rejects_bad_edges(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  gn_graph *g = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  ASSERT_OK(ctx, gn_graph_create(ctx, 0, 0, &g));
  ASSERT_OK(ctx, gn_graph_add_nodes(g, 2));
  gn_edge out = {0, 7, 1, 1, 0, 0}, neg = {0, 1, -1, 1, 0, 0};
  assert_int_equal(GN_EINVAL, gn_graph_add_edge(g, &out, NULL));
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "out of range"));
  gn_ctx_clear(ctx);
  assert_int_equal(GN_EINVAL, gn_graph_add_edge(g, &neg, NULL));
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "weight"));
  gn_graph_free(g);
  gn_ctx_free(ctx);
}

static void geodesic_distance_matches_reference(void **state) {
  (void)state;
  /* One degree of longitude on the equator of WGS84: 111319.49 m. */
  assert_true(fabs(gn_geo_distance_m(0, 0, 1, 0) - 111319.4908) < 0.01);
  assert_true(gn_geo_valid_lonlat(1.2, 6.1));
  assert_false(gn_geo_valid_lonlat(200, 6.1));
  assert_int_equal(GN_ROAD_RESIDENTIAL, gn_road_class_parse("residential"));
  assert_int_equal(GN_ROAD_PRIMARY, gn_road_class_parse("primary_link"));
  assert_int_equal(GN_ROAD_CLASS_COUNT, gn_road_class_parse("bogus"));
}

static void fast_distance_agrees_with_geodesic(void **state) {
  (void)state;
  /* Deterministic pseudo-random short segments from the equator to 70N. */
  uint64_t x = 88172645463325252ull;
  double worst = 0;
  for (int i = 0; i < 20000; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    double lat = (double)(x % 140000) / 1000.0 - 70.0;
    double lon = (double)((x >> 20) % 360000) / 1000.0 - 180.0;
    double dlat = (double)((x >> 40) % 1000) / 20000.0 - 0.025;
    double dlon = (double)((x >> 50) % 1000) / 20000.0 - 0.025;
    double exact = gn_geo_distance_m(lon, lat, lon + dlon, lat + dlat);
    double fast = gn_geo_fast_distance_m(lon, lat, lon + dlon, lat + dlat);
    if (exact > 1.0) {
      double rel = fabs(fast - exact) / exact;
      if (rel > worst) worst = rel;
    }
  }
  print_message("worst relative error %.3g\n", worst);
  assert_true(worst < 1e-6);
  /* Long segments take the exact path. */
  assert_true(fabs(gn_geo_fast_distance_m(1.2, 6.1, 0.9, 9.5) -
                   gn_geo_distance_m(1.2, 6.1, 0.9, 9.5)) < 1e-6);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(adjacency_lists_both_ends),
      cmocka_unit_test(dijkstra_sums_weights),
      cmocka_unit_test(components_sorted_by_size),
      cmocka_unit_test(rejects_bad_edges),
      cmocka_unit_test(geodesic_distance_matches_reference),
      cmocka_unit_test(fast_distance_agrees_with_geodesic),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
