/* test_planner.c - street planner on hand-built graphs with known answers:
 * snapping and edge splitting, Steiner points, dropped sites, several
 * POPs, bad input, and the plan file round trip. */
#include <math.h>
#include <unistd.h>

#include "gn_test.h"

typedef struct fixture {
  gn_ctx *ctx;
  gn_graph *g;
  gn_plan *plan;
  gn_planner_opts o;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof(*f));
  assert_int_equal(GN_OK, gn_ctx_create(&f->ctx));
  assert_int_equal(GN_OK, gn_graph_create(f->ctx, 0, 0, &f->g));
  assert_int_equal(GN_OK, gn_plan_create(f->ctx, &f->plan));
  gn_planner_opts_init(&f->o);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  gn_plan_free(f->plan);
  gn_graph_free(f->g);
  gn_ctx_free(f->ctx);
  free(f);
  return 0;
}

static gn_id node(fixture *f, double lon, double lat) {
  gn_id id;
  ASSERT_OK(f->ctx, gn_graph_add_node(f->g, lon, lat, &id));
  return id;
}

/* Edge with its true geodesic length unless length_m > 0 is given. */
static void edge(fixture *f, gn_id u, gn_id v, double length_m, int cls) {
  double a[2], b[2];
  gn_graph_node_pos(f->g, u, &a[0], &a[1]);
  gn_graph_node_pos(f->g, v, &b[0], &b[1]);
  gn_edge e = {u, v, 0, length_m, 0, (uint8_t)cls};
  if (length_m <= 0) e.length_m = gn_geo_distance_m(a[0], a[1], b[0], b[1]);
  e.weight = e.length_m;
  ASSERT_OK(f->ctx, gn_graph_add_edge(f->g, &e, NULL));
}

static void site_ph(fixture *f, const char *id, double lon, double lat,
                    const char *phase) {
  gn_plan_site s;
  memset(&s, 0, sizeof(s));
  s.id = (char *)id;
  s.lon = lon;
  s.lat = lat;
  s.node = GN_NONE;
  s.phase = (char *)phase;
  ASSERT_OK(f->ctx, gn_plan_add_site(f->plan, &s, NULL));
}

static void site(fixture *f, const char *id, double lon, double lat) {
  site_ph(f, id, lon, lat, NULL);
}

static void pop(fixture *f, const char *id, double lon, double lat) {
  gn_plan_pop p = {(char *)id, NULL, lon, lat, GN_NONE};
  ASSERT_OK(f->ctx, gn_plan_add_pop(f->plan, &p, NULL));
}

static double total_trench_m(const gn_plan *p) {
  double t = 0;
  for (size_t i = 0; i < gn_plan_trench_count(p); i++)
    t += gn_plan_trench_get(p, i)->length_m;
  return t;
}

/* Residential street (0,0)-(0.01,0)-(0.02,0), finalized. */
static void equator_street(fixture *f) {
  gn_id a = node(f, 0, 0), b = node(f, 0.01, 0), c = node(f, 0.02, 0);
  edge(f, a, b, 0, GN_ROAD_RESIDENTIAL);
  edge(f, b, c, 0, GN_ROAD_RESIDENTIAL);
  ASSERT_OK(f->ctx, gn_graph_finalize(f->g));
}

/* A-B-C along the equator; sites beside A-B and B-C; POP at A. The
 * sites split both edges; B (degree 2, same class) is merged away, so
 * two trenches: A->s2 (2 sites downstream) and s2->s1 through B. */
static void splits_edges_and_merges_chains(void **state) {
  fixture *f = *state;
  equator_street(f);
  site(f, "s1", 0.015, 0.0001);
  site(f, "s2", 0.005, -0.0001);
  pop(f, "P", 0, 0);
  ASSERT_OK(f->ctx, gn_plan_streets(f->ctx, f->g, f->plan, &f->o));
  assert_int_equal(2, gn_plan_trench_count(f->plan));
  const gn_plan_trench *t1 = gn_plan_trench_get(f->plan, 0);
  const gn_plan_trench *t2 = gn_plan_trench_get(f->plan, 1);
  assert_int_equal(2, t1->sites_downstream);
  assert_int_equal(1, t2->sites_downstream);
  assert_int_equal(2, t1->ncoords);
  assert_int_equal(3, t2->ncoords); /* s2, B, s1 */
  assert_true(t1->coords[2] == t2->coords[0] && t1->coords[3] == t2->coords[1]);
  assert_true(t2->coords[2] == 0.01 && t2->coords[3] == 0);
  assert_true(fabs(t1->length_m - gn_geo_distance_m(0, 0, 0.005, 0)) < 1e-6);
  assert_true(fabs(t2->length_m - gn_geo_distance_m(0.005, 0, 0.015, 0)) <
              1e-6);
  const gn_plan_site *s1 = gn_plan_site_get(f->plan, 0);
  assert_int_equal(GN_SITE_CONNECTED, s1->status);
  assert_true(fabs(s1->drop_m - gn_geo_distance_m(0.015, 0.0001, 0.015, 0)) <
              1e-6);
  assert_int_equal(t2->b, s1->node);
  assert_int_equal(t1->a, gn_plan_pop_get(f->plan, 0)->node);
  assert_string_equal(GN_OSM_ATTRIBUTION,
                      gn_plan_get_meta(f->plan, "attribution"));
}

/* Triangle T1 T2 T3 with sides of 190 m and spokes of 100 m to a centre
 * C: the optimum uses the Steiner point C (300 m, not 380 m). */
static void uses_steiner_point(void **state) {
  fixture *f = *state;
  gn_id t1 = node(f, 0, 0), t2 = node(f, 0.01, 0), t3 = node(f, 0.005, 0.00866);
  gn_id c = node(f, 0.005, 0.00289);
  edge(f, t1, t2, 190, GN_ROAD_PRIMARY);
  edge(f, t2, t3, 190, GN_ROAD_PRIMARY);
  edge(f, t3, t1, 190, GN_ROAD_PRIMARY);
  edge(f, c, t1, 100, GN_ROAD_RESIDENTIAL);
  edge(f, c, t2, 100, GN_ROAD_RESIDENTIAL);
  edge(f, c, t3, 100, GN_ROAD_RESIDENTIAL);
  ASSERT_OK(f->ctx, gn_graph_finalize(f->g));
  for (int k = 0; k < GN_ROAD_CLASS_COUNT; k++) f->o.price_per_m[k] = 1;
  site(f, "b", 0.01, 0);
  site(f, "c", 0.005, 0.00866);
  pop(f, "P", 0, 0);
  ASSERT_OK(f->ctx, gn_plan_streets(f->ctx, f->g, f->plan, &f->o));
  assert_true(fabs(total_trench_m(f->plan) - 300) < 1e-9);
  assert_int_equal(3, gn_plan_trench_count(f->plan));
  const gn_plan_trench *first = gn_plan_trench_get(f->plan, 0);
  assert_int_equal(2, first->sites_downstream);
  assert_int_equal(GN_ROAD_RESIDENTIAL, first->road_class);
  assert_true(gn_plan_get_meta(f->plan, "steiner_cost") != NULL);
}

/* Sites far from every street are TOO_FAR with their distance; sites
 * near a street cut off from the POP are UNREACHABLE; neither moves. */
static void reports_far_and_unreachable_sites(void **state) {
  fixture *f = *state;
  gn_id a = node(f, 0, 0), b = node(f, 0.01, 0);
  gn_id c = node(f, 0.5, 0.5), d = node(f, 0.51, 0.5);
  edge(f, a, b, 0, GN_ROAD_RESIDENTIAL);
  edge(f, c, d, 0, GN_ROAD_RESIDENTIAL);
  ASSERT_OK(f->ctx, gn_graph_finalize(f->g));
  site(f, "near", 0.005, 0.0001);
  site(f, "far", 0.005, 0.02); /* ~2.2 km north */
  site(f, "island", 0.505, 0.5001);
  pop(f, "P", 0, 0);
  ASSERT_OK(f->ctx, gn_plan_streets(f->ctx, f->g, f->plan, &f->o));
  const gn_plan_site *far = gn_plan_site_get(f->plan, 1);
  const gn_plan_site *isl = gn_plan_site_get(f->plan, 2);
  assert_int_equal(GN_SITE_CONNECTED, gn_plan_site_get(f->plan, 0)->status);
  assert_int_equal(GN_SITE_TOO_FAR, far->status);
  assert_true(fabs(far->snap_dist_m - gn_geo_distance_m(0.005, 0.02, 0.005, 0)) <
              0.01);
  assert_true(far->lon == 0.005 && far->lat == 0.02);
  assert_int_equal(GN_NONE, far->node);
  assert_non_null(strstr(far->reason, "from the nearest street"));
  assert_int_equal(GN_SITE_UNREACHABLE, isl->status);
  assert_non_null(strstr(isl->reason, "does not reach a POP"));
  assert_int_equal(1, gn_plan_trench_count(f->plan));
}

/* Two POPs at the ends of a 4 km street, one site near each: each site
 * hangs off its own POP; the middle is never trenched. */
static void several_pops_make_a_forest(void **state) {
  fixture *f = *state;
  gn_id a = node(f, 0, 0), m = node(f, 0.018, 0), b = node(f, 0.036, 0);
  edge(f, a, m, 0, GN_ROAD_RESIDENTIAL);
  edge(f, m, b, 0, GN_ROAD_RESIDENTIAL);
  ASSERT_OK(f->ctx, gn_graph_finalize(f->g));
  site(f, "wa", 0.002, 0.0001);
  site(f, "wb", 0.034, 0.0001);
  pop(f, "A", 0, 0);
  pop(f, "B", 0.036, 0);
  ASSERT_OK(f->ctx, gn_plan_streets(f->ctx, f->g, f->plan, &f->o));
  double want = gn_geo_distance_m(0, 0, 0.002, 0) +
                gn_geo_distance_m(0.034, 0, 0.036, 0);
  assert_true(fabs(total_trench_m(f->plan) - want) < 1e-6);
  assert_int_equal(2, gn_plan_trench_count(f->plan));
  assert_int_not_equal(GN_NONE, gn_plan_pop_get(f->plan, 1)->node);
}

static void rejects_pop_outside_network(void **state) {
  fixture *f = *state;
  gn_id a = node(f, 0, 0), b = node(f, 0.01, 0);
  edge(f, a, b, 0, GN_ROAD_RESIDENTIAL);
  ASSERT_OK(f->ctx, gn_graph_finalize(f->g));
  site(f, "s", 0.005, 0);
  pop(f, "P", 1.0, 1.0);
  assert_int_equal(GN_EINFEASIBLE,
                   gn_plan_streets(f->ctx, f->g, f->plan, &f->o));
  assert_non_null(strstr(gn_ctx_errmsg(f->ctx), "outside the street network"));
  assert_int_equal(0, gn_plan_trench_count(f->plan));
}

static void rejects_zero_sites(void **state) {
  fixture *f = *state;
  gn_id a = node(f, 0, 0), b = node(f, 0.01, 0);
  edge(f, a, b, 0, GN_ROAD_RESIDENTIAL);
  ASSERT_OK(f->ctx, gn_graph_finalize(f->g));
  pop(f, "P", 0, 0);
  assert_int_equal(GN_EINVAL, gn_plan_streets(f->ctx, f->g, f->plan, &f->o));
  assert_non_null(strstr(gn_ctx_errmsg(f->ctx), "no sites"));
}

static void auto_pop_lies_on_the_street(void **state) {
  fixture *f = *state;
  gn_id a = node(f, 0, 0), b = node(f, 0.02, 0);
  edge(f, a, b, 0, GN_ROAD_RESIDENTIAL);
  ASSERT_OK(f->ctx, gn_graph_finalize(f->g));
  site(f, "1", 0.002, 0.001);
  site(f, "2", 0.012, 0.001);
  site(f, "3", 0.018, -0.001);
  double lon, lat;
  ASSERT_OK(f->ctx, gn_planner_auto_pop(f->ctx, f->g, f->plan, &f->o, &lon,
                                        &lat));
  assert_true(fabs(lon - 0.012) < 1e-9);
  assert_true(lat == 0);
}

/* Same trench geometry, same ids, same metadata after GeoPackage I/O. */
static void gpkg_round_trips_every_field(void **state) {
  fixture *f = *state;
  splits_edges_and_merges_chains(state);
  gn_plan_trench *t = gn_plan_trench_mut(f->plan, 0);
  t->fibers = 12;
  t->cable_size = 24;
  t->redundant = 1;
  t->cost_fcfa = 1234.5;
  ASSERT_OK(f->ctx, gn_plan_set_str(f->plan, &t->phase, "phase-1"));
  gn_plan_site *s = gn_plan_site_mut(f->plan, 1);
  s->priority = 3;
  s->critical = 1;
  s->category = GN_CAT_HEALTH;
  ASSERT_OK(f->ctx, gn_plan_set_str(f->plan, &s->name, "Clinique \xc3\xa9"));
  char path[64];
  snprintf(path, sizeof(path), "/tmp/gn_test_plan_%ld.gpkg", (long)getpid());
  ASSERT_OK(f->ctx, gn_plan_write_gpkg(f->plan, path));
  gn_plan *r = NULL;
  ASSERT_OK(f->ctx, gn_plan_read_gpkg(f->ctx, path, &r));
  remove(path);
  assert_int_equal(gn_plan_node_count(f->plan), gn_plan_node_count(r));
  for (gn_id i = 0; i < gn_plan_node_count(r); i++)
    assert_memory_equal(gn_plan_node_get(f->plan, i), gn_plan_node_get(r, i),
                        sizeof(gn_plan_node));
  assert_int_equal(gn_plan_trench_count(f->plan), gn_plan_trench_count(r));
  for (size_t i = 0; i < gn_plan_trench_count(r); i++) {
    const gn_plan_trench *x = gn_plan_trench_get(f->plan, i);
    const gn_plan_trench *y = gn_plan_trench_get(r, i);
    assert_true(x->id == y->id && x->a == y->a && x->b == y->b);
    assert_true(x->length_m == y->length_m && x->road_class == y->road_class);
    assert_true(x->sites_downstream == y->sites_downstream &&
                x->fibers == y->fibers && x->cable_size == y->cable_size &&
                x->redundant == y->redundant && x->cost_fcfa == y->cost_fcfa);
    assert_true((x->phase == NULL) == (y->phase == NULL));
    if (x->phase) assert_string_equal(x->phase, y->phase);
    assert_int_equal(x->ncoords, y->ncoords);
    assert_memory_equal(x->coords, y->coords, 2 * x->ncoords * sizeof(double));
  }
  assert_int_equal(gn_plan_site_count(f->plan), gn_plan_site_count(r));
  for (size_t i = 0; i < gn_plan_site_count(r); i++) {
    const gn_plan_site *x = gn_plan_site_get(f->plan, i);
    const gn_plan_site *y = gn_plan_site_get(r, i);
    assert_string_equal(x->id, y->id);
    assert_true((x->name == NULL) == (y->name == NULL));
    if (x->name) assert_string_equal(x->name, y->name);
    assert_true(x->category == y->category && x->priority == y->priority &&
                x->critical == y->critical && x->status == y->status &&
                x->node == y->node && x->drop_m == y->drop_m &&
                x->snap_dist_m == y->snap_dist_m && x->lon == y->lon &&
                x->lat == y->lat);
  }
  const gn_plan_pop *p = gn_plan_pop_get(r, 0);
  assert_string_equal("P", p->id);
  assert_int_equal(gn_plan_pop_get(f->plan, 0)->node, p->node);
  /* every key comes back, plus the format version the writer adds */
  assert_null(gn_plan_get_meta(f->plan, "plan_version"));
  assert_int_equal(gn_plan_meta_count(f->plan) + 1, gn_plan_meta_count(r));
  assert_string_equal(GN_PLAN_FORMAT_VERSION, gn_plan_get_meta(r, "plan_version"));
  assert_string_equal(GN_OSM_ATTRIBUTION, gn_plan_get_meta(r, "attribution"));
  gn_plan_free(r);
}

static void summary_counts_and_extends(void **state) {
  fixture *f = *state;
  reports_far_and_unreachable_sites(state);
  gn_summary *s = NULL;
  char *json = NULL, *table = NULL;
  ASSERT_OK(f->ctx, gn_summary_create(f->plan, &s));
  ASSERT_OK(f->ctx, gn_summary_set_json(s, "resilience", "{\"rings\": 2}"));
  ASSERT_OK(f->ctx, gn_summary_set_number(s, "cost_fcfa", 42));
  assert_int_equal(GN_EFORMAT, gn_summary_set_json(s, "bad", "{nope"));
  ASSERT_OK(f->ctx, gn_summary_json(s, &json));
  ASSERT_OK(f->ctx, gn_summary_table(s, &table));
  assert_non_null(strstr(json, "\"sites_total\": 3"));
  assert_non_null(strstr(json, "\"sites_connected\": 1"));
  assert_non_null(strstr(json, "\"id\": \"far\""));
  assert_non_null(strstr(json, "\"rings\": 2"));
  assert_non_null(strstr(table, "cost_fcfa"));
  assert_non_null(strstr(table, "island"));
  gn_free(f->ctx, json);
  gn_free(f->ctx, table);
  gn_summary_free(s);
}

/* ---- out of memory: the whole pipeline under a failing allocator ---- */

static gn_status pipeline(gn_ctx *ctx, const char *roads, const char *sites,
                          const char *out) {
  gn_graph *g = NULL;
  gn_plan *plan = NULL, *back = NULL;
  gn_summary *sum = NULL;
  char *txt = NULL;
  gn_status s = gn_osm_read(ctx, roads, NULL, &g, NULL);
  if (s == GN_OK) s = gn_plan_create(ctx, &plan);
  if (s == GN_OK) s = gn_io_read_sites(ctx, sites, NULL, plan);
  gn_plan_pop pop = {(char *)"P", NULL, 0, 0, GN_NONE};
  if (s == GN_OK)
    s = gn_planner_auto_pop(ctx, g, plan, NULL, &pop.lon, &pop.lat);
  if (s == GN_OK) s = gn_plan_add_pop(plan, &pop, NULL);
  if (s == GN_OK) s = gn_plan_streets(ctx, g, plan, NULL);
  if (s == GN_OK) s = gn_plan_write_gpkg(plan, out);
  if (s == GN_OK) s = gn_plan_read_gpkg(ctx, out, &back);
  if (s == GN_OK) s = gn_summary_create(plan, &sum);
  if (s == GN_OK) s = gn_summary_table(sum, &txt);
  gn_free(ctx, txt);
  gn_summary_free(sum);
  gn_plan_free(back);
  gn_plan_free(plan);
  gn_graph_free(g);
  return s;
}

static void oom_pipeline_fails_cleanly(void **state) {
  (void)state;
  const char *roads = gn_test_write(
      "oom.osm",
      "<osm><node id='1' lat='0' lon='0'/><node id='2' lat='0' lon='0.01'/>"
      "<node id='3' lat='0.005' lon='0.015'/><node id='4' lat='0' lon='0.02'/>"
      "<node id='5' lat='0.01' lon='0.01'/>"
      "<way id='1'><nd ref='1'/><nd ref='2'/><nd ref='3'/><nd ref='4'/>"
      "<tag k='highway' v='primary'/></way><way id='2'><nd ref='2'/>"
      "<nd ref='5'/><tag k='highway' v='residential'/></way></osm>");
  char roads_path[160], sites_path[160], out[160];
  snprintf(roads_path, sizeof(roads_path), "%s", roads);
  snprintf(sites_path, sizeof(sites_path), "%s",
           gn_test_write("oom.geojson",
                         "{\"type\":\"FeatureCollection\",\"features\":["
                         "{\"type\":\"Feature\",\"properties\":{\"id\":\"a\"},"
                         "\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                         "[0.005,0.0002]}},{\"type\":\"Feature\",\"properties\":"
                         "{\"id\":\"b\"},\"geometry\":{\"type\":\"Point\","
                         "\"coordinates\":[0.0101,0.008]}},{\"type\":\"Feature\","
                         "\"properties\":{\"id\":\"c\"},\"geometry\":{\"type\":"
                         "\"Point\",\"coordinates\":[0.019,0.001]}}]}"));
  snprintf(out, sizeof(out), "%s/oom.gpkg", gn_test_tmpdir);
  gn_status s = GN_ENOMEM;
  long n = 0;
  for (; s != GN_OK && n < 5000; n++) {
    gn_test_failing f = {-1};
    gn_ctx *ctx = NULL;
    assert_int_equal(GN_OK, gn_ctx_create_with(gn_test_failing_realloc, &f, &ctx));
    f.left = n;
    s = pipeline(ctx, roads_path, sites_path, out);
    if (s != GN_OK && s != GN_ENOMEM)
      fail_msg("allocation %ld: %s: %s", n, gn_status_name(s),
               gn_ctx_errmsg(ctx));
    gn_ctx_free(ctx);
  }
  assert_int_equal(GN_OK, s);
  assert_true(n > 50); /* the pipeline did allocate through the ctx */
}

/* ---- phases (dig once) ------------------------------------------------ */

static double phase_m(const gn_plan *p, const char *phase, size_t *n) {
  double t = 0;
  *n = 0;
  for (size_t i = 0; i < gn_plan_trench_count(p); i++) {
    const gn_plan_trench *tr = gn_plan_trench_get(p, i);
    assert_non_null(tr->phase);
    if (strcmp(tr->phase, phase) != 0) continue;
    t += tr->length_m;
    (*n)++;
  }
  return t;
}

static double dist(const double *a, const double *b) {
  return gn_geo_distance_m(a[0], a[1], b[0], b[1]);
}

/* P(0,0)-A(0.01,0)-S1(0.02,0) is phase 1. Phase 2: S2(0.02,0.01), one
 * block north of S1; from scratch it would hang off P through
 * B(0.01,0.01) (2.68 km, shorter than P-A-S1-S2 = 3.33 km); dig once it
 * is S1-S2 alone (1.11 km). Phase 3: S3 south of A, reached from A on
 * the phase-1 trench for free (A-S3, not P-A-S3). The phase-1 trench is
 * split at A; both halves keep phase 1. */
static void phases_dig_once(void **state) {
  fixture *f = *state;
  const double P[2] = {0, 0}, A[2] = {0.01, 0}, S1[2] = {0.02, 0},
               S2[2] = {0.02, 0.01}, B[2] = {0.01, 0.01},
               S3[2] = {0.01, -0.005};
  gn_id p = node(f, P[0], P[1]), a = node(f, A[0], A[1]),
        s1 = node(f, S1[0], S1[1]), s2 = node(f, S2[0], S2[1]),
        b = node(f, B[0], B[1]), s3 = node(f, S3[0], S3[1]);
  const gn_id ends[][2] = {{p, a}, {a, s1}, {s1, s2}, {p, b}, {b, s2}, {a, s3}};
  for (size_t i = 0; i < 6; i++)
    edge(f, ends[i][0], ends[i][1], 0, GN_ROAD_RESIDENTIAL);
  ASSERT_OK(f->ctx, gn_graph_finalize(f->g));
  assert_true(dist(P, B) + dist(B, S2) < dist(P, A) + dist(A, S1) +
                                             dist(S1, S2));
  site_ph(f, "s2", S2[0], S2[1], "2");
  site_ph(f, "s1", S1[0], S1[1], "1");
  site_ph(f, "s3", S3[0], S3[1], "3");
  pop(f, "pop", P[0], P[1]);
  const char *names[] = {"1", "2", "3"};
  f->o.phases = names;
  f->o.nphases = 3;
  ASSERT_OK(f->ctx, gn_plan_streets(f->ctx, f->g, f->plan, &f->o));
  for (size_t i = 0; i < gn_plan_site_count(f->plan); i++)
    assert_int_equal(GN_SITE_CONNECTED,
                     gn_plan_site_get(f->plan, i)->status);
  size_t n1, n2, n3;
  double m1 = phase_m(f->plan, "1", &n1), m2 = phase_m(f->plan, "2", &n2),
         m3 = phase_m(f->plan, "3", &n3);
  assert_int_equal(2, n1); /* P-A and A-S1 */
  assert_int_equal(1, n2); /* S1-S2 */
  assert_int_equal(1, n3); /* A-S3 */
  assert_int_equal(4, gn_plan_trench_count(f->plan));
  assert_true(fabs(dist(P, A) + dist(A, S1) - m1) < 1e-6);
  assert_true(fabs(dist(S1, S2) - m2) < 1e-6);
  assert_true(fabs(dist(A, S3) - m3) < 1e-6);
  /* the sites keep their phase */
  assert_string_equal("2", gn_plan_site_get(f->plan, 0)->phase);
}

/* A site whose phase is not listed is refused, naming the site. */
static void phases_unlisted_label_is_refused(void **state) {
  fixture *f = *state;
  equator_street(f);
  site_ph(f, "x", 0.02, 0, "1");
  site_ph(f, "y", 0.01, 0, "3");
  pop(f, "pop", 0, 0);
  const char *names[] = {"1", "2"};
  f->o.phases = names;
  f->o.nphases = 2;
  assert_int_equal(GN_EINVAL, gn_plan_streets(f->ctx, f->g, f->plan, &f->o));
  assert_non_null(strstr(gn_ctx_errmsg(f->ctx), "site y: phase '3'"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(splits_edges_and_merges_chains, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(uses_steiner_point, setup, teardown),
      cmocka_unit_test_setup_teardown(reports_far_and_unreachable_sites, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(several_pops_make_a_forest, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(rejects_pop_outside_network, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(rejects_zero_sites, setup, teardown),
      cmocka_unit_test_setup_teardown(auto_pop_lies_on_the_street, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(gpkg_round_trips_every_field, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(summary_counts_and_extends, setup,
                                      teardown),
      cmocka_unit_test(oom_pipeline_fails_cleanly),
      cmocka_unit_test_setup_teardown(phases_dig_once, setup, teardown),
      cmocka_unit_test_setup_teardown(phases_unlisted_label_is_refused, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, gn_test_tmpdir_make,
                                gn_test_tmpdir_remove);
}
