/* test_osm.c - street network import: junctions and shapes from small
 * OSM XML and GeoJSON files written by the test, the routing profile,
 * bad input (missing, truncated, not OSM), and the real extracts. */
#include <math.h>
#include <unistd.h>

#include "gn_test.h"

#define tmpdir gn_test_tmpdir

static const char *write_file(const char *name, const char *text) {
  const char *path = gn_test_write(name, text);
  assert_non_null(path);
  return path;
}

/* Ways A (1-2-3) and B (3-4-5) residential, C (2-6) footway, D (5-6)
 * motorway (excluded), E (6-7) private. Junctions: 1,2,3,5,6 (node 4 is
 * inside B's shape); edges 1-2, 2-3, 3-5, 2-6. */
static const char *small_osm =
    "<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6'>\n"
    " <node id='1' lat='0' lon='0'/>\n <node id='2' lat='0' lon='0.001'/>\n"
    " <node id='3' lat='0' lon='0.002'/>\n <node id='4' lat='0.0005' lon='0.003'/>\n"
    " <node id='5' lat='0' lon='0.004'/>\n <node id='6' lat='0.001' lon='0.001'/>\n"
    " <node id='7' lat='0.002' lon='0.001'/>\n"
    " <way id='10'><nd ref='1'/><nd ref='2'/><nd ref='3'/>"
    "<tag k='highway' v='residential'/></way>\n"
    " <way id='11'><nd ref='3'/><nd ref='4'/><nd ref='5'/>"
    "<tag k='highway' v='residential'/></way>\n"
    " <way id='12'><nd ref='2'/><nd ref='6'/><tag k='highway' v='footway'/></way>\n"
    " <way id='13'><nd ref='5'/><nd ref='6'/><tag k='highway' v='motorway'/></way>\n"
    " <way id='14'><nd ref='6'/><nd ref='7'/><tag k='highway' v='service'/>"
    "<tag k='access' v='private'/></way>\n"
    " <way id='15'><nd ref='1'/><nd ref='7'/><tag k='building' v='yes'/></way>\n"
    "</osm>\n";

static void xml_junctions_and_shapes(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  gn_graph *g = NULL;
  gn_osm_stats st;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  const char *path = write_file("small.osm", small_osm);
  ASSERT_OK(ctx, gn_osm_read(ctx, path, NULL, &g, &st));
  assert_int_equal(3, st.ways);
  assert_int_equal(5, gn_graph_node_count(g));
  assert_int_equal(4, gn_graph_edge_count(g));
  assert_int_equal(1, st.components);
  assert_int_equal(5, st.largest_component);
  int shaped = 0;
  for (gn_id e = 0; e < gn_graph_edge_count(g); e++) {
    const gn_edge *ed = gn_graph_edge(g, e);
    size_t n;
    const double *s = gn_graph_shape(g, e, &n);
    if (ed->src_id == 11) {
      shaped++;
      assert_int_equal(3, n);
      assert_true(s[2] == 0.003 && s[3] == 0.0005);
      double pts[6] = {0.002, 0, 0.003, 0.0005, 0.004, 0};
      assert_true(fabs(ed->length_m - gn_geo_line_length_m(pts, 3)) < 1e-9);
      assert_int_equal(GN_ROAD_RESIDENTIAL, ed->road_class);
      assert_true(fabs(ed->weight - ed->length_m *
                                        gn_road_price_default(GN_ROAD_RESIDENTIAL)) <
                  1e-6);
    }
    if (ed->src_id == 12) assert_int_equal(GN_ROAD_FOOTWAY, ed->road_class);
    assert_true(ed->src_id != 13 && ed->src_id != 14);
  }
  assert_int_equal(1, shaped);
  gn_graph_free(g);
  gn_ctx_free(ctx);
}

static void profile_can_allow_motorways(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  gn_graph *g = NULL;
  gn_osm_profile p;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  gn_osm_profile_init(&p);
  p.allow[GN_ROAD_MOTORWAY] = 1;
  p.skip_private = 0;
  const char *path = write_file("small2.osm", small_osm);
  ASSERT_OK(ctx, gn_osm_read(ctx, path, &p, &g, NULL));
  assert_int_equal(6, gn_graph_node_count(g)); /* + node 7 */
  assert_int_equal(6, gn_graph_edge_count(g));
  gn_graph_free(g);
  gn_ctx_free(ctx);
}

/* A way whose middle node is missing from the file is split there. */
static void missing_node_splits_way(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  gn_graph *g = NULL;
  gn_osm_stats st;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  const char *path = write_file(
      "clip.osm",
      "<osm><node id='1' lat='0' lon='0'/><node id='2' lat='0' lon='0.001'/>"
      "<node id='4' lat='0' lon='0.003'/><node id='5' lat='0' lon='0.004'/>"
      "<way id='1'><nd ref='1'/><nd ref='2'/><nd ref='3'/><nd ref='4'/>"
      "<nd ref='5'/><tag k='highway' v='primary'/></way></osm>");
  ASSERT_OK(ctx, gn_osm_read(ctx, path, NULL, &g, &st));
  assert_int_equal(1, st.missing_refs);
  assert_int_equal(2, gn_graph_edge_count(g));
  assert_int_equal(2, st.components);
  gn_graph_free(g);
  gn_ctx_free(ctx);
}

static void geojson_lines_meet_at_shared_points(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  gn_graph *g = NULL;
  gn_osm_stats st;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  const char *path = write_file(
      "roads.geojson",
      "{\"type\":\"FeatureCollection\",\"features\":["
      "{\"type\":\"Feature\",\"properties\":{\"highway\":\"trunk\"},"
      "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
      "[[15.30,-4.30],[15.31,-4.30],[15.32,-4.30]]}},"
      "{\"type\":\"Feature\",\"properties\":{\"highway\":\"secondary\"},"
      "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
      "[[15.31,-4.30],[15.31,-4.31]]}},"
      "{\"type\":\"Feature\",\"properties\":{\"highway\":\"motorway\"},"
      "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
      "[[15.40,-4.30],[15.41,-4.31]]}}]}");
  ASSERT_OK(ctx, gn_osm_read(ctx, path, NULL, &g, &st));
  assert_int_equal(4, gn_graph_node_count(g));
  assert_int_equal(3, gn_graph_edge_count(g));
  assert_int_equal(1, st.components);
  gn_graph_free(g);
  gn_ctx_free(ctx);
}

static void expect_error(const char *path, gn_status want, const char *part) {
  gn_ctx *ctx = NULL;
  gn_graph *g = (gn_graph *)1;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  assert_int_equal(want, gn_osm_read(ctx, path, NULL, &g, NULL));
  assert_null(g);
  if (!strstr(gn_ctx_errmsg(ctx), part))
    fail_msg("message '%s' lacks '%s'", gn_ctx_errmsg(ctx), part);
  assert_null(strchr(gn_ctx_errmsg(ctx), '\n'));
  gn_ctx_free(ctx);
}

static void bad_inputs_fail_clearly(void **state) {
  (void)state;
  char missing[128];
  snprintf(missing, sizeof(missing), "%s/nope.osm.pbf", tmpdir);
  expect_error(missing, GN_ENOTFOUND, "nope.osm.pbf: no such file"); /* issue 17 */
  expect_error(write_file("html.osm", "<html><p>x</p></html>"), GN_EFORMAT,
               "not an OpenStreetMap file");
  expect_error(write_file("cut.osm", "<osm><node id='1' lat='0' lo"),
               GN_EFORMAT, "line 1: malformed XML");
  expect_error(write_file("junk.osm.pbf", "this is not a protobuf file"),
               GN_EFORMAT, "junk.osm.pbf: invalid or truncated PBF");
  expect_error(write_file("nohw.osm",
                          "<osm><node id='1' lat='0' lon='0'/><node id='2' "
                          "lat='0' lon='1'/><way id='1'><nd ref='1'/><nd "
                          "ref='2'/><tag k='building' v='yes'/></way></osm>"),
               GN_EFORMAT, "no routable street");
  expect_error(write_file("pts.geojson",
                          "{\"type\":\"FeatureCollection\",\"features\":[{"
                          "\"type\":\"Feature\",\"properties\":{},\"geometry\""
                          ":{\"type\":\"Point\",\"coordinates\":[1,2]}}]}"),
               GN_EFORMAT, "no routable LineString");
}

/* The first 1.5 MB of the real Porto PBF: a truncated file. */
static void truncated_real_pbf_fails(void **state) {
  (void)state;
  char buf[512], cut[160];
  const char *src = gn_test_data(buf, sizeof(buf),
                                 "osm/porto_metro_highways_2015.osm.pbf");
  if (!src) skip();
  snprintf(cut, sizeof(cut), "%s/cut.osm.pbf", tmpdir);
  FILE *in = fopen(src, "rb"), *out = fopen(cut, "wb");
  static char chunk[1 << 16];
  for (size_t total = 0; total < 1500000;) {
    size_t n = fread(chunk, 1, sizeof(chunk), in);
    if (n == 0) break;
    fwrite(chunk, 1, n, out);
    total += n;
  }
  fclose(in);
  fclose(out);
  expect_error(cut, GN_EFORMAT, "truncated");
}

static void real_extracts_import(void **state) {
  (void)state;
  static const struct {
    const char *rel;
    size_t min_ways, min_largest;
  } files[] = {{"osm/porto_metro_highways_2015.osm.pbf", 40000, 60000},
               {"osm/accra_trotro_routes_2017.osm", 3000, 2500},
               {"osm/monaco_2016.osm.pbf", 2000, 3000},
               {"osm/kinshasa_roads_major_2026.geojson", 600, 600}};
  for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    char buf[512];
    const char *path = gn_test_data(buf, sizeof(buf), files[i].rel);
    if (!path) continue;
    gn_ctx *ctx = NULL;
    gn_graph *g = NULL;
    gn_osm_stats st;
    assert_int_equal(GN_OK, gn_ctx_create(&ctx));
    ASSERT_OK(ctx, gn_osm_read(ctx, path, NULL, &g, &st));
    assert_true(st.ways >= files[i].min_ways);
    assert_true(st.largest_component >= files[i].min_largest);
    assert_true(st.junctions < st.nodes); /* degree-2 nodes became shapes */
    gn_graph_free(g);
    gn_ctx_free(ctx);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(xml_junctions_and_shapes),
      cmocka_unit_test(profile_can_allow_motorways),
      cmocka_unit_test(missing_node_splits_way),
      cmocka_unit_test(geojson_lines_meet_at_shared_points),
      cmocka_unit_test(bad_inputs_fail_clearly),
      cmocka_unit_test(truncated_real_pbf_fails),
      cmocka_unit_test(real_extracts_import),
  };
  return cmocka_run_group_tests(tests, gn_test_tmpdir_make,
                                     gn_test_tmpdir_remove);
}
