/*
 * test_store.c - The system of record: schema, plan import, integrity
 * refusals, audit rows, check, trace loss budget, impact on tree vs ring.
 *
 * Fixture (fixture_plan): one POP at node 0 and five trenches:
 *
 *     3            4
 *     | T12        | T13 (ring)
 *     1 --- T11 -- 2
 *     | T10        |
 *     0 (POP) ---- + T14 (ring, 0-4 via a bend)
 *
 * tree: T10 0-1 100 m, T11 1-2 200 m, T12 1-3 150 m; ring (redundant):
 * T13 2-4 300 m, T14 4-0 250 m. Sites: H (health) at node 2, E
 * (education) at node 3, A (admin) at node 1; drops 20 m each.
 * Working paths: H = T10,T11; E = T10,T12; A = T10.
 * Protect paths: H = T14,T13; A = T14,T13,T11; E has none (leaf).
 * Cables (express layout, layout.c): cable 1 runs continuously from the
 * POP through T10 and T11 (the longest run), fibers 1-12; cable 2 is
 * T12 from node 1, fibers 13-24; the ring cable 3 runs through T13 and
 * T14 (node 4 joins only two trenches), end a at node 2, b at the POP,
 * fibers 25-36. Circuits take fiber pairs in order: H working 1-2 (no
 * splice), E working 3-4 spliced at node 1 to 13-14, A working 5-6
 * (tapped at node 1); with the ring, H protect 25-26 and A protect
 * 27-28 spliced at node 2 to cable 1's 7-8.
 */
#include <math.h>
#include <unistd.h>

#include "gn_test.h"
#include "plan_fixture.h"

static void tmp_path(char *buf, size_t n, const char *name) {
  snprintf(buf, n, "/tmp/gn_test_store_%d_%s.db", (int)getpid(), name);
  char aux[700];
  remove(buf);
  snprintf(aux, sizeof(aux), "%s-wal", buf);
  remove(aux);
  snprintf(aux, sizeof(aux), "%s-shm", buf);
  remove(aux);
}

/* The tree + ring plan described in the header comment. */
static gn_plan *fixture_plan(gn_ctx *ctx, int with_ring) {
  gn_plan *p = NULL;
  ASSERT_OK(ctx, gn_plan_create(ctx, &p));
  static const double xy[5][2] = {{1.200, 6.130}, {1.200, 6.131},
                                  {1.202, 6.131}, {1.200, 6.1324},
                                  {1.2047, 6.131}};
  for (int i = 0; i < 5; i++)
    ASSERT_OK(ctx, gn_plan_add_node(p, xy[i][0], xy[i][1], NULL));
  add_trench(ctx, p, 10, 0, 1, 100, 0, 3);
  add_trench(ctx, p, 11, 1, 2, 200, 0, 1);
  add_trench(ctx, p, 12, 1, 3, 150, 0, 1);
  if (with_ring) {
    add_trench(ctx, p, 13, 2, 4, 300, 1, 0);
    add_trench(ctx, p, 14, 4, 0, 250, 1, 0);
  }
  gn_plan_pop pop = {(char *)"POP1", (char *)"Central", 1.200, 6.130, 0};
  ASSERT_OK(ctx, gn_plan_add_pop(p, &pop, NULL));
  add_site(ctx, p, "H", GN_CAT_HEALTH, 2);
  add_site(ctx, p, "E", GN_CAT_EDUCATION, 3);
  add_site(ctx, p, "A", GN_CAT_ADMIN, 1);
  ASSERT_OK(ctx, gn_plan_set_meta(p, "mode", "test"));
  return p;
}

typedef struct fx {
  gn_ctx *ctx;
  gn_store *st;
  char path[512];
} fx;

static void fx_open(fx *f, const char *name, int with_ring) {
  assert_int_equal(GN_OK, gn_ctx_create(&f->ctx));
  tmp_path(f->path, sizeof(f->path), name);
  ASSERT_OK(f->ctx, gn_store_open(f->ctx, f->path, GN_STORE_CREATE, 0, &f->st));
  gn_plan *p = fixture_plan(f->ctx, with_ring);
  gn_store_import_stats stats;
  ASSERT_OK(f->ctx, gn_store_import_plan(f->st, p, "tester", &stats));
  assert_int_equal(3, stats.sites);
  assert_int_equal(3 + (with_ring ? 2 : 0), stats.circuits);
  gn_plan_free(p);
}

static void remove_db(const char *path) {
  char aux[700];
  remove(path);
  snprintf(aux, sizeof(aux), "%s-wal", path);
  remove(aux);
  snprintf(aux, sizeof(aux), "%s-shm", path);
  remove(aux);
}

static void fx_close(fx *f) {
  gn_store_close(f->st);
  gn_ctx_free(f->ctx);
  remove_db(f->path);
}

static size_t problems(fx *f) {
  size_t n = 99;
  ASSERT_OK(f->ctx, gn_store_check(f->st, NULL, NULL, &n));
  return n;
}

/* JSON of one feature; caller frees. */
static char *get(fx *f, gn_store_layer l, const char *id) {
  char *json = NULL;
  ASSERT_OK(f->ctx, gn_store_get_geojson(f->st, l, id, &json));
  return json;
}


static void count_problems(void *ud, const char *msg) {
  (void)msg;
  (*(int *)ud)++;
}

static void schema_is_geopackage(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "schema", 0);
  assert_int_equal(GN_STORE_SCHEMA_VERSION, gn_store_schema_version(f.st));
  char *json = NULL;
  gn_store_query q;
  memset(&q, 0, sizeof(q));
  ASSERT_OK(f.ctx, gn_store_list_geojson(f.st, GN_LAYER_TRENCHES, &q, &json));
  assert_non_null(strstr(json, "\"total\":3"));
  assert_non_null(strstr(json, "\"LineString\""));
  gn_free(f.ctx, json);
  gn_store_close(f.st);
  /* reopen: no migration needed, same version */
  ASSERT_OK(f.ctx, gn_store_open(f.ctx, f.path, 0, 0, &f.st));
  assert_int_equal(GN_STORE_SCHEMA_VERSION, gn_store_schema_version(f.st));
  fx_close(&f);
}

static void import_sizes_and_splices(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "import", 1);
  char *json = NULL;
  ASSERT_OK(f.ctx, gn_store_summary_json(f.st, &json));
  /* 3 cables of 12 fibers (3 downstream*2*1.5 = 9 -> 12): T10+T11 one
   * cable, T12, the ring T13+T14; closures only where a circuit changes
   * cable or leaves one mid-span: node 1 (E's splice, A's tap) and node
   * 2 (A's protect joins cable 1): 2 changes, one splice per strand */
  assert_non_null(strstr(json, "\"cables\":3"));
  assert_non_null(strstr(json, "\"fibers\":36"));
  assert_non_null(strstr(json, "\"closures\":2"));
  assert_non_null(strstr(json, "\"splices\":4"));
  assert_non_null(strstr(json, "\"circuits\":5"));
  assert_non_null(strstr(json, "\"protected_sites\":2"));
  assert_non_null(strstr(json, "\"mode\":\"test\""));
  gn_free(f.ctx, json);
  int n = 0;
  size_t np = 99;
  ASSERT_OK(f.ctx, gn_store_check(f.st, count_problems, &n, &np));
  assert_int_equal(0, np);
  assert_int_equal(0, n);
  fx_close(&f);
}

static void refuses_foreign_files(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  char path[512];
  tmp_path(path, sizeof(path), "foreign");
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  fputs("this is not a database, just text long enough to be checked....\n"
        "................................................................\n",
        fp);
  fclose(fp);
  assert_int_equal(GN_EFORMAT, gn_store_open(ctx, path, 0, 0, &st));
  assert_null(st);
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "not a govnet store"));
  remove_db(path);
  assert_int_equal(GN_ENOTFOUND, gn_store_open(ctx, path, 0, 0, &st));
  gn_ctx_free(ctx);
}

static void import_refuses_second_plan_and_other_version(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "twice", 0);
  gn_plan *p = fixture_plan(f.ctx, 0);
  assert_int_equal(GN_ECONFLICT, gn_store_import_plan(f.st, p, "t", NULL));
  assert_non_null(strstr(gn_ctx_errmsg(f.ctx), "already holds"));
  gn_plan_free(p);
  fx_close(&f);
  /* a plan from another format version leaves the store empty */
  assert_int_equal(GN_OK, gn_ctx_create(&f.ctx));
  tmp_path(f.path, sizeof(f.path), "version");
  ASSERT_OK(f.ctx, gn_store_open(f.ctx, f.path, GN_STORE_CREATE, 0, &f.st));
  p = fixture_plan(f.ctx, 0);
  ASSERT_OK(f.ctx, gn_plan_set_meta(p, "plan_version", "2"));
  assert_int_equal(GN_EFORMAT, gn_store_import_plan(f.st, p, "t", NULL));
  assert_non_null(strstr(gn_ctx_errmsg(f.ctx), "version 2"));
  char *json = NULL;
  ASSERT_OK(f.ctx, gn_store_summary_json(f.st, &json));
  assert_non_null(strstr(json, "\"trenches\":0"));
  gn_free(f.ctx, json);
  gn_plan_free(p);
  fx_close(&f);
}

/* Circuit ids follow the plan's site order: H working 1, H protect 2,
 * E working 3, A working 4, A protect 5 (fibers: see the header). */
static void circuits_follow_plan(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "circuits", 1);
  char *j = get(&f, GN_LAYER_CIRCUITS, "1");
  assert_non_null(strstr(j, "\"name\":\"H/working\""));
  assert_non_null(strstr(j, "MultiLineString"));
  gn_free(f.ctx, j);
  j = get(&f, GN_LAYER_CIRCUITS, "2");
  assert_non_null(strstr(j, "\"name\":\"H/protect\""));
  gn_free(f.ctx, j);
  j = get(&f, GN_LAYER_CIRCUITS, "5");
  assert_non_null(strstr(j, "\"name\":\"A/protect\""));
  gn_free(f.ctx, j);
  char *json = NULL;
  assert_int_equal(GN_ENOTFOUND,
                   gn_store_get_geojson(f.st, GN_LAYER_CIRCUITS, "6", &json));
  assert_int_equal(GN_EINVAL,
                   gn_store_get_geojson(f.st, GN_LAYER_TRENCHES, "x1", &json));
  j = get(&f, GN_LAYER_SITES, "H");
  assert_non_null(strstr(j, "\"category\":\"health\""));
  gn_free(f.ctx, j);
  fx_close(&f);
}

static void trace_loss_budget_by_hand(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "trace", 0);
  gn_trace *t = NULL;
  /* fiber 1, strand 0 of H's circuit: OLT patch, ODF port, cable 1
   * fiber 1 express through node 1 (T10 100 m + T11 200 m), drop 20 m,
   * CPE: no splice at all. */
  ASSERT_OK(f.ctx, gn_store_trace_fiber(f.st, 1, NULL, &t));
  assert_int_equal(5, t->nhops);
  assert_int_equal(GN_HOP_PORT, t->hops[0].kind);
  assert_non_null(strstr(t->hops[0].name, "OLT"));
  assert_non_null(strstr(t->hops[1].name, "ODF"));
  assert_int_equal(GN_HOP_FIBER, t->hops[2].kind);
  assert_int_equal(1, t->hops[2].id);
  assert_int_equal(GN_HOP_DROP, t->hops[3].kind);
  assert_non_null(strstr(t->hops[4].name, "CPE H"));
  assert_true(fabs(t->length_m - 320.0) < 1e-9);
  assert_int_equal(0, t->splices);
  assert_int_equal(3, t->connectors);
  /* 0.32 km * 0.35 + 3 * 0.5 ; 0.32 * 0.25 + 1.5 */
  assert_true(fabs(t->loss_1310_db - 1.612) < 1e-9);
  assert_true(fabs(t->loss_1550_db - 1.580) < 1e-9);
  assert_int_equal(1, t->circuit);
  char *json = NULL;
  ASSERT_OK(f.ctx, gn_store_trace_json(f.st, t, &json));
  assert_non_null(strstr(json, "\"1310\":1.612"));
  gn_free(f.ctx, json);
  gn_trace_free(f.ctx, t);
  /* E: cable 1's fiber 3 is lit over T10 only (100 m, not the cable's
   * 300 m), spliced at node 1 to T12's fiber 13 (150 m), drop 20 m */
  ASSERT_OK(f.ctx, gn_store_trace_fiber(f.st, 13, NULL, &t));
  assert_int_equal(7, t->nhops);
  assert_int_equal(3, t->hops[2].id);
  assert_true(fabs(t->hops[2].length_m - 100.0) < 1e-9);
  assert_int_equal(GN_HOP_SPLICE, t->hops[3].kind);
  assert_true(fabs(t->length_m - 270.0) < 1e-9);
  assert_int_equal(1, t->splices);
  assert_int_equal(2, t->circuit);
  gn_trace_free(f.ctx, t);
  /* overridden model, traced from the CPE port side gives the same path */
  gn_loss_params lp = {0.4, 0.3, 0.05, 0.3};
  ASSERT_OK(f.ctx, gn_store_trace_fiber(f.st, 1, &lp, &t));
  assert_true(fabs(t->loss_1310_db - (0.32 * 0.4 + 0.9)) < 1e-9);
  gn_trace_free(f.ctx, t);
  /* a spare fiber at the POP ends on its ODF port only */
  ASSERT_OK(f.ctx, gn_store_trace_fiber(f.st, 12, NULL, &t));
  assert_int_equal(2, t->nhops);
  assert_int_equal(GN_HOP_PORT, t->hops[0].kind);
  assert_int_equal(0, t->circuit);
  gn_trace_free(f.ctx, t);
  /* a dark fiber away from the POP: no ports, no splices */
  ASSERT_OK(f.ctx, gn_store_trace_fiber(f.st, 24, NULL, &t));
  assert_int_equal(1, t->nhops);
  assert_true(fabs(t->length_m - 150.0) < 1e-9);
  gn_trace_free(f.ctx, t);
  assert_int_equal(GN_ENOTFOUND, gn_store_trace_fiber(f.st, 999, NULL, &t));
  assert_int_equal(GN_ENOTFOUND, gn_store_trace_port(f.st, 99999, NULL, &t));
  fx_close(&f);
}

static void impact_tree_vs_ring(void **state) {
  (void)state;
  int64_t t10 = 10, window[2] = {10, 14};
  gn_impact_query q = {GN_CUT_TRENCHES, &t10, 1, 0, 0, 0, 0, 0};
  gn_impact *m = NULL;
  fx f;
  fx_open(&f, "tree", 0);
  ASSERT_OK(f.ctx, gn_store_impact(f.st, &q, &m));
  assert_int_equal(3, m->nsites);
  assert_string_equal("H", m->sites[0].id); /* health first */
  assert_string_equal("A", m->sites[1].id); /* then admin */
  assert_string_equal("E", m->sites[2].id);
  for (int i = 0; i < 3; i++) assert_int_equal(0, m->sites[i].protected_);
  gn_impact_free(f.ctx, m);
  fx_close(&f);

  fx_open(&f, "ring", 1);
  ASSERT_OK(f.ctx, gn_store_impact(f.st, &q, &m));
  assert_int_equal(3, m->nsites);
  assert_int_equal(1, m->sites[0].protected_); /* H over T14,T13 */
  assert_int_equal(1, m->sites[1].protected_); /* A over T14,T13,T11 */
  assert_int_equal(0, m->sites[2].protected_); /* E: leaf */
  char *json = NULL;
  ASSERT_OK(f.ctx, gn_impact_json(f.ctx, m, &json));
  assert_non_null(strstr(json, "{\"sites\":[{\"id\":\"H\",\"name\":\"H\","
                               "\"category\":\"health\""));
  assert_non_null(strstr(json, "\"protected\":true"));
  assert_non_null(strstr(json, "\"cut\":{\"type\":\"FeatureCollection\""));
  gn_free(f.ctx, json);
  gn_impact_free(f.ctx, m);
  /* maintenance window T10 + T14: H and A lose both paths */
  q.ids = window;
  q.nids = 2;
  ASSERT_OK(f.ctx, gn_store_impact(f.st, &q, &m));
  assert_int_equal(3, m->nsites);
  for (int i = 0; i < 3; i++) assert_int_equal(0, m->sites[i].protected_);
  assert_int_equal(5, m->ncircuits);
  gn_impact_free(f.ctx, m);
  /* H's protect circuit runs over the ring cable's fiber 25 (strand 0):
   * once it is broken, a cut of T10 leaves H without service */
  ASSERT_OK(f.ctx, gn_store_fiber_set_broken(f.st, 25, 1, NULL, "t"));
  q.ids = &t10;
  q.nids = 1;
  ASSERT_OK(f.ctx, gn_store_impact(f.st, &q, &m));
  assert_string_equal("H", m->sites[0].id);
  assert_int_equal(0, m->sites[0].protected_);
  assert_int_equal(1, m->sites[1].protected_); /* A's protect is intact */
  gn_impact_free(f.ctx, m);
  ASSERT_OK(f.ctx, gn_store_fiber_set_broken(f.st, 25, 0, NULL, "t"));
  /* the cable in T12 only cuts E */
  int64_t cable = 2;
  gn_impact_query qc = {GN_CUT_CABLE, &cable, 1, 0, 0, 0, 0, 0};
  ASSERT_OK(f.ctx, gn_store_impact(f.st, &qc, &m));
  assert_int_equal(1, m->nsites);
  assert_string_equal("E", m->sites[0].id);
  gn_impact_free(f.ctx, m);
  int64_t bad = 77;
  q.ids = &bad;
  q.nids = 1;
  assert_int_equal(GN_ENOTFOUND, gn_store_impact(f.st, &q, &m));
  assert_null(m);
  fx_close(&f);
}

/* A "trap": the shortest working path s-a-b-t uses both trenches a
 * disjoint second path would need, so blocking it leaves none; the
 * import must find the disjoint pair s-a-t / s-b-t instead. Checked
 * independently: every single trench cut leaves H in service. */
static void protect_paths_escape_trap(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  gn_plan *p = NULL;
  char path[512];
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  tmp_path(path, sizeof(path), "trap");
  ASSERT_OK(ctx, gn_store_open(ctx, path, GN_STORE_CREATE, 0, &st));
  ASSERT_OK(ctx, gn_plan_create(ctx, &p));
  static const double xy[4][2] = {
      {1.200, 6.130}, {1.201, 6.130}, {1.201, 6.131}, {1.202, 6.131}};
  for (int i = 0; i < 4; i++)
    ASSERT_OK(ctx, gn_plan_add_node(p, xy[i][0], xy[i][1], NULL));
  add_trench(ctx, p, 20, 0, 1, 100, 0, 1); /* s-a */
  add_trench(ctx, p, 21, 1, 2, 100, 0, 1); /* a-b */
  add_trench(ctx, p, 22, 2, 3, 100, 0, 1); /* b-t */
  add_trench(ctx, p, 23, 0, 2, 300, 1, 0); /* s-b ring */
  add_trench(ctx, p, 24, 1, 3, 300, 1, 0); /* a-t ring */
  gn_plan_pop pop = {(char *)"S", (char *)"S", 1.200, 6.130, 0};
  ASSERT_OK(ctx, gn_plan_add_pop(p, &pop, NULL));
  add_site(ctx, p, "H", GN_CAT_HEALTH, 3);
  gn_store_import_stats stats;
  ASSERT_OK(ctx, gn_store_import_plan(st, p, "tester", &stats));
  assert_int_equal(2, stats.circuits); /* working + protect */
  for (int64_t t = 20; t <= 24; t++) {
    gn_impact_query q = {GN_CUT_TRENCHES, &t, 1, 0, 0, 0, 0, 0};
    gn_impact *m = NULL;
    ASSERT_OK(ctx, gn_store_impact(st, &q, &m));
    for (size_t i = 0; i < m->nsites; i++)
      if (!m->sites[i].protected_)
        fail_msg("cut of trench %lld leaves %s down", (long long)t,
                 m->sites[i].id);
    gn_impact_free(ctx, m);
  }
  size_t n = 99;
  ASSERT_OK(ctx, gn_store_check(st, NULL, NULL, &n));
  assert_int_equal(0, n);
  gn_plan_free(p);
  gn_store_close(st);
  gn_ctx_free(ctx);
  remove_db(path);
}

static void otdr_names_trench_and_point(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "otdr", 0);
  gn_trace *t = NULL;
  ASSERT_OK(f.ctx, gn_store_trace_fiber(f.st, 1, NULL, &t));
  int64_t odf = t->hops[1].id; /* ODF port holding fiber 1 */
  gn_trace_free(f.ctx, t);
  /* 10 m end slack, then H's express fiber through T10 (102 m optical)
   * and T11 with no closure slack between: 200 m is (200 - 10) / 1.02 -
   * 100 = 86.27 m into T11 from node 1 (its end a). */
  gn_impact_query q = {GN_CUT_OTDR, NULL, 0, odf, 200.0, 0, 0, 0};
  gn_impact *m = NULL;
  ASSERT_OK(f.ctx, gn_store_impact(f.st, &q, &m));
  assert_int_equal(1, m->ntrenches);
  assert_int_equal(11, m->trenches[0]);
  assert_true(m->has_point);
  assert_true(fabs(m->along_m - (190.0 / 1.02 - 100.0)) < 1e-6);
  assert_true(m->lon > 1.200 && m->lon < 1.2011); /* first half of T11 */
  assert_int_equal(1, m->nsites);
  assert_string_equal("H", m->sites[0].id);
  gn_impact_free(f.ctx, m);
  q.otdr_distance_m = 5000;
  assert_int_equal(GN_EINVAL, gn_store_impact(f.st, &q, &m));
  assert_non_null(strstr(gn_ctx_errmsg(f.ctx), "beyond the fiber's end"));
  fx_close(&f);
}

/* Through the ring cable: 10 m slack, then T14 (250 m * 1.02) from the
 * POP, then T13 entered at node 4 (its end b). 300 m optical is
 * (300 - 10) / 1.02 - 250 = 34.31 m into T13 from node 4. */
static void otdr_walks_multi_trench_cable(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "otdr_ring", 1);
  gn_trace *t = NULL;
  ASSERT_OK(f.ctx, gn_store_trace_fiber(f.st, 25, NULL, &t));
  assert_non_null(strstr(t->hops[1].name, "ODF"));
  assert_true(fabs(t->hops[2].length_m - 550.0) < 1e-9); /* 250 + 300 */
  assert_int_equal(0, t->splices); /* straight to H's building */
  int64_t odf = t->hops[1].id;
  gn_trace_free(f.ctx, t);
  gn_impact_query q = {GN_CUT_OTDR, NULL, 0, odf, 300.0, 0, 0, 0};
  gn_impact *m = NULL;
  ASSERT_OK(f.ctx, gn_store_impact(f.st, &q, &m));
  assert_int_equal(13, m->trenches[0]);
  double into = 290.0 / 1.02 - 250.0;
  assert_true(fabs(m->along_m - (300.0 - into)) < 1e-6);
  gn_impact_free(f.ctx, m);
  int64_t ring_cable = 3;
  gn_impact_query qc = {GN_CUT_CABLE, &ring_cable, 1, 0, 0, 0, 0, 0};
  ASSERT_OK(f.ctx, gn_store_impact(f.st, &qc, &m));
  assert_int_equal(2, m->ntrenches); /* the cable's cut shows both trenches */
  assert_int_equal(2, m->ncircuits); /* H and A protect */
  for (size_t i = 0; i < m->nsites; i++) assert_int_equal(1, m->sites[i].protected_);
  gn_impact_free(f.ctx, m);
  fx_close(&f);
}

static void edits_refuse_corruption(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "edits", 0);
  int64_t id = 0;
  /* closure 1 is at node 1 (E's splice: cable 1 fiber 3 end b to T12's
   * fiber 13 end a); T12's spare fibers 20, 21 end a are free there */
  assert_int_equal(GN_ECONFLICT,
                   gn_store_splice_add(f.st, 1, 13, 'a', 15, 'a', "u", &id));
  assert_non_null(strstr(gn_ctx_errmsg(f.ctx), "fiber 13 end a is already on splice"));
  assert_int_equal(GN_ECONFLICT, /* fiber 9 end a is at the POP */
                   gn_store_splice_add(f.st, 1, 9, 'a', 15, 'a', "u", &id));
  assert_non_null(strstr(gn_ctx_errmsg(f.ctx), "not at closure"));
  assert_int_equal(GN_ECONFLICT,
                   gn_store_splice_add(f.st, 1, 15, 'a', 15, 'a', "u", &id));
  assert_int_equal(GN_ENOTFOUND,
                   gn_store_splice_add(f.st, 99, 20, 'a', 21, 'a', "u", &id));
  ASSERT_OK(f.ctx, gn_store_splice_add(f.st, 1, 20, 'a', 21, 'a', "alice", &id));
  assert_true(id > 0);
  assert_int_equal(0, problems(&f));
  ASSERT_OK(f.ctx, gn_store_splice_remove(f.st, id, "alice"));
  assert_int_equal(GN_ECONFLICT, gn_store_splice_remove(f.st, 1, "u"));
  assert_non_null(strstr(gn_ctx_errmsg(f.ctx), "carries circuit"));
  assert_int_equal(GN_ECONFLICT, gn_store_cable_delete(f.st, 1, "u"));
  assert_non_null(strstr(gn_ctx_errmsg(f.ctx), "move them first"));
  /* break E's fiber 13: check reports it; a move to a broken, a used or a
   * foreign fiber is refused; a move to a free fiber of T12 repairs it */
  ASSERT_OK(f.ctx, gn_store_fiber_set_broken(f.st, 13, 1, "backhoe", "bob"));
  assert_int_equal(1, problems(&f));
  ASSERT_OK(f.ctx, gn_store_fiber_set_broken(f.st, 20, 1, NULL, "bob"));
  assert_int_equal(GN_ECONFLICT, gn_store_circuit_move(f.st, 2, 13, 20, "bob"));
  assert_non_null(strstr(gn_ctx_errmsg(f.ctx), "is broken"));
  assert_int_equal(GN_ECONFLICT, gn_store_circuit_move(f.st, 2, 13, 14, "bob"));
  assert_non_null(strstr(gn_ctx_errmsg(f.ctx), "already carries"));
  assert_int_equal(GN_ECONFLICT, gn_store_circuit_move(f.st, 2, 13, 9, "bob"));
  assert_non_null(strstr(gn_ctx_errmsg(f.ctx), "not in cable"));
  assert_int_equal(GN_ECONFLICT, gn_store_circuit_move(f.st, 1, 13, 21, "bob"));
  ASSERT_OK(f.ctx, gn_store_circuit_move(f.st, 2, 13, 21, "bob"));
  assert_int_equal(0, problems(&f));
  gn_trace *t = NULL;
  ASSERT_OK(f.ctx, gn_store_trace_fiber(f.st, 21, NULL, &t));
  assert_int_equal(7, t->nhops);
  assert_int_equal(0, t->broken);
  assert_non_null(strstr(t->hops[6].name, "CPE E"));
  assert_true(fabs(t->length_m - 270.0) < 1e-9); /* the span moved too */
  gn_trace_free(f.ctx, t);
  /* move at the POP end too: H's fiber 1 -> fiber 11 (ODF port moves) */
  ASSERT_OK(f.ctx, gn_store_circuit_move(f.st, 1, 1, 11, "bob"));
  assert_int_equal(0, problems(&f));
  ASSERT_OK(f.ctx, gn_store_trace_fiber(f.st, 11, NULL, &t));
  assert_int_equal(5, t->nhops);
  assert_non_null(strstr(t->hops[1].name, "ODF POP1/C10 port 11"));
  gn_trace_free(f.ctx, t);
  /* a cable without circuits can go */
  ASSERT_OK(f.ctx, gn_store_fiber_set_broken(f.st, 20, 0, NULL, "bob"));
  char *json = NULL;
  ASSERT_OK(f.ctx, gn_store_audit_json(f.st, 50, 0, &json));
  assert_non_null(strstr(json, "\"action\":\"circuit-move\""));
  assert_non_null(strstr(json, "\"user\":\"bob\""));
  assert_non_null(strstr(json, "\"action\":\"splice-remove\""));
  assert_non_null(strstr(json, "\"user\":\"alice\""));
  assert_non_null(strstr(json, "\"before\":\"{\\\"broken\\\":1}\""));
  assert_non_null(strstr(json, "\"action\":\"import-plan\""));
  gn_free(f.ctx, json);
  fx_close(&f);
}

static void cable_delete_when_free(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "cabledel", 1);
  /* remove E's circuit path? E has circuits on T12; instead delete site-less
   * ring after moving nothing: T13's cable (3) carries protect circuits */
  assert_int_equal(GN_ECONFLICT, gn_store_cable_delete(f.st, 3, "u"));
  gn_store_close(f.st);
  gn_ctx_free(f.ctx);
  remove_db(f.path);
  fx_open(&f, "cabledel2", 0);
  /* add a spare trench-less cable? All cables carry circuits in the tree
   * fixture except none; splice a dark fiber pair then delete is refused
   * only for circuits: T12's cable (2) carries E. */
  assert_int_equal(GN_ECONFLICT, gn_store_cable_delete(f.st, 2, "u"));
  assert_int_equal(GN_ENOTFOUND, gn_store_cable_delete(f.st, 42, "u"));
  fx_close(&f);
}

static void sites_validated(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "sites", 0);
  gn_store_site s = {(char *)"N1", (char *)"New clinic", GN_CAT_HEALTH, 5, 1,
                     1.21, 6.14, NULL};
  ASSERT_OK(f.ctx, gn_store_site_create(f.st, &s, "carol"));
  assert_int_equal(GN_ECONFLICT, gn_store_site_create(f.st, &s, "carol"));
  s.lat = 96;
  assert_int_equal(GN_EINVAL, gn_store_site_update(f.st, &s, "carol"));
  assert_non_null(strstr(gn_ctx_errmsg(f.ctx), "lon/lat"));
  s.lat = 6.15;
  s.priority = 500;
  assert_int_equal(GN_EINVAL, gn_store_site_update(f.st, &s, "carol"));
  s.priority = 7;
  ASSERT_OK(f.ctx, gn_store_site_update(f.st, &s, "carol"));
  gn_store_query q;
  memset(&q, 0, sizeof(q));
  q.category = "health";
  gn_store_site *arr = NULL;
  size_t n = 0;
  ASSERT_OK(f.ctx, gn_store_list_sites(f.st, &q, &arr, &n));
  assert_int_equal(2, n); /* H and N1 */
  assert_string_equal("N1", arr[1].id);
  assert_int_equal(7, arr[1].priority);
  gn_store_sites_free(f.ctx, arr, n);
  q.category = "nonsense";
  assert_int_equal(GN_EINVAL, gn_store_list_sites(f.st, &q, &arr, &n));
  /* bbox + pagination on the GeoJSON listing */
  memset(&q, 0, sizeof(q));
  q.has_bbox = 1;
  q.min_lon = 1.2005;
  q.max_lon = 1.25;
  q.min_lat = 6.0;
  q.max_lat = 6.2;
  q.limit = 1;
  char *json = NULL;
  ASSERT_OK(f.ctx, gn_store_list_geojson(f.st, GN_LAYER_SITES, &q, &json));
  assert_non_null(strstr(json, "\"total\":2")); /* H and N1 east of 1.2005 */
  assert_non_null(strstr(json, "\"id\":\"H\""));
  assert_null(strstr(json, "\"id\":\"N1\""));
  gn_free(f.ctx, json);
  q.min_lon = 3;
  assert_int_equal(GN_EINVAL,
                   gn_store_list_geojson(f.st, GN_LAYER_SITES, &q, &json));
  assert_int_equal(GN_ECONFLICT, gn_store_site_delete(f.st, "H", "carol"));
  ASSERT_OK(f.ctx, gn_store_site_delete(f.st, "N1", "carol"));
  assert_int_equal(GN_ENOTFOUND, gn_store_site_delete(f.st, "N1", "carol"));
  assert_int_equal(0, problems(&f));
  fx_close(&f);
}

static void export_layers(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "export", 1);
  char out[600];
  snprintf(out, sizeof(out), "%s.geojson", f.path);
  remove(out);
  ASSERT_OK(f.ctx, gn_store_export(f.st, out));
  FILE *fp = fopen(out, "rb");
  assert_non_null(fp);
  char buf[8192];
  size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
  buf[n] = '\0';
  fclose(fp);
  assert_non_null(strstr(buf, "\"layer\":\"sites\""));
  assert_non_null(strstr(buf, "\"layer\":\"trenches\""));
  assert_int_equal(GN_EIO, gn_store_export(f.st, out)); /* no overwrite */
  remove(out);
  snprintf(out, sizeof(out), "%s.copy.gpkg", f.path);
  remove(out);
  ASSERT_OK(f.ctx, gn_store_export(f.st, out));
  gn_store *copy = NULL;
  ASSERT_OK(f.ctx, gn_store_open(f.ctx, out, GN_STORE_READONLY, 0, &copy));
  gn_store_close(copy);
  remove_db(out);
  fx_close(&f);
}

/* The number after "key": in json (NAN if absent or null). Not inlined:
 * GCC 12 at -O2 then mistakes get()'s out-parameter for a dangling
 * pointer (-Wdangling-pointer false positive). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static double json_num(const char *json, const char *key) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char *at = strstr(json, pat);
  if (!at) return NAN;
  char *end = NULL;
  double v = strtod(at + strlen(pat), &end);
  return end == at + strlen(pat) ? NAN : v;
}

static void site_feature_names_circuit_and_cpe_port(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "sitecpe", 1);
  char *j = get(&f, GN_LAYER_SITES, "H");
  assert_true(json_num(j, "circuit") == 1); /* H/working, not H/protect */
  double port = json_num(j, "cpe_port");
  gn_free(f.ctx, j);
  assert_true(port > 0);
  gn_trace *t = NULL;
  ASSERT_OK(f.ctx, gn_store_trace_port(f.st, (int64_t)port, NULL, &t));
  assert_int_equal(1, t->circuit);
  assert_non_null(strstr(t->hops[t->nhops - 1].name, "CPE H"));
  assert_true(fabs(t->loss_1310_db - 1.612) < 1e-9);
  gn_trace_free(f.ctx, t);
  /* the list carries them too; a site without circuit has nulls */
  gn_store_site s = {(char *)"N1", NULL, GN_CAT_OTHER, 0, 0, 1.2, 6.13, NULL};
  ASSERT_OK(f.ctx, gn_store_site_create(f.st, &s, "tester"));
  j = get(&f, GN_LAYER_SITES, "N1");
  assert_non_null(strstr(j, "\"circuit\":null,\"cpe_port\":null"));
  gn_free(f.ctx, j);
  gn_store_query q = {0};
  q.category = "education";
  ASSERT_OK(f.ctx, gn_store_list_geojson(f.st, GN_LAYER_SITES, &q, &j));
  assert_true(json_num(j, "circuit") == 3); /* E/working */
  assert_true(json_num(j, "cpe_port") > 0);
  gn_free(f.ctx, j);
  fx_close(&f);
}

static void circuits_filtered_by_site(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "sitefilter", 1);
  gn_store_query q = {0};
  char *j = NULL;
  q.site = "H";
  ASSERT_OK(f.ctx, gn_store_list_geojson(f.st, GN_LAYER_CIRCUITS, &q, &j));
  assert_true(json_num(j, "total") == 2);
  assert_non_null(strstr(j, "\"H/working\""));
  assert_non_null(strstr(j, "\"H/protect\""));
  assert_null(strstr(j, "\"A/"));
  assert_non_null(strstr(j, "MultiLineString"));
  gn_free(f.ctx, j);
  q.site = "E"; /* a leaf: working only */
  q.limit = 1;
  ASSERT_OK(f.ctx, gn_store_list_geojson(f.st, GN_LAYER_CIRCUITS, &q, &j));
  assert_true(json_num(j, "total") == 1);
  assert_non_null(strstr(j, "\"E/working\""));
  gn_free(f.ctx, j);
  q.site = "A"; /* paging and bbox combine with it */
  q.offset = 1;
  ASSERT_OK(f.ctx, gn_store_list_geojson(f.st, GN_LAYER_CIRCUITS, &q, &j));
  assert_true(json_num(j, "total") == 2);
  assert_non_null(strstr(j, "\"A/protect\""));
  assert_null(strstr(j, "\"A/working\""));
  gn_free(f.ctx, j);
  q.offset = 0;
  q.has_bbox = 1;
  q.min_lon = q.min_lat = 10;
  q.max_lon = q.max_lat = 11;
  ASSERT_OK(f.ctx, gn_store_list_geojson(f.st, GN_LAYER_CIRCUITS, &q, &j));
  assert_true(json_num(j, "total") == 0);
  gn_free(f.ctx, j);
  q.has_bbox = 0;
  q.site = "nope";
  assert_int_equal(GN_ENOTFOUND,
                   gn_store_list_geojson(f.st, GN_LAYER_CIRCUITS, &q, &j));
  assert_null(j);
  assert_non_null(strstr(gn_ctx_errmsg(f.ctx), "nope"));
  q.site = "H";
  assert_int_equal(GN_EINVAL,
                   gn_store_list_geojson(f.st, GN_LAYER_TRENCHES, &q, &j));
  fx_close(&f);
}

/* Import p into a fresh store and return its summary JSON (caller frees
 * it with free()). */
static char *summary_of(gn_ctx *ctx, gn_plan *p, const char *name) {
  char path[512];
  tmp_path(path, sizeof path, name);
  gn_store *st = NULL;
  ASSERT_OK(ctx, gn_store_open(ctx, path, GN_STORE_CREATE, 0, &st));
  ASSERT_OK(ctx, gn_store_import_plan(st, p, "tester", NULL));
  char *json = NULL;
  ASSERT_OK(ctx, gn_store_summary_json(st, &json));
  char *copy = strdup(json);
  gn_free(ctx, json);
  gn_store_close(st);
  remove_db(path);
  return copy;
}

static void summary_keeps_plan_cost(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  gn_plan *p = fixture_plan(ctx, 1);
  char *j = summary_of(ctx, p, "cost0"); /* never priced: no figure */
  assert_null(strstr(j, "cost_fcfa"));
  free(j);
  for (size_t i = 0; i < gn_plan_trench_count(p); i++)
    gn_plan_trench_mut(p, i)->cost_fcfa = 1000.0 * (double)(i + 1);
  j = summary_of(ctx, p, "cost1"); /* 1000+2000+...+5000 */
  assert_true(json_num(strstr(j, "\"bom\""), "cost_fcfa") == 15000);
  assert_non_null(strstr(j, "\"cost_source\":\"trenches\""));
  free(j);
  ASSERT_OK(ctx, gn_plan_set_meta(p, "cost_fcfa", "123456789.5"));
  j = summary_of(ctx, p, "cost2"); /* the planner's figure wins */
  assert_true(json_num(strstr(j, "\"bom\""), "cost_fcfa") == 123456789.5);
  assert_non_null(strstr(j, "\"cost_source\":\"plan\""));
  free(j);
  ASSERT_OK(ctx, gn_plan_set_meta(p, "cost_fcfa", "12abc"));
  j = summary_of(ctx, p, "cost3"); /* unreadable metadata: the trenches */
  assert_true(json_num(strstr(j, "\"bom\""), "cost_fcfa") == 15000);
  free(j);
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(schema_is_geopackage),
      cmocka_unit_test(import_sizes_and_splices),
      cmocka_unit_test(refuses_foreign_files),
      cmocka_unit_test(import_refuses_second_plan_and_other_version),
      cmocka_unit_test(circuits_follow_plan),
      cmocka_unit_test(trace_loss_budget_by_hand),
      cmocka_unit_test(impact_tree_vs_ring),
      cmocka_unit_test(otdr_names_trench_and_point),
      cmocka_unit_test(otdr_walks_multi_trench_cable),
      cmocka_unit_test(edits_refuse_corruption),
      cmocka_unit_test(protect_paths_escape_trap),
      cmocka_unit_test(cable_delete_when_free),
      cmocka_unit_test(sites_validated),
      cmocka_unit_test(export_layers),
      cmocka_unit_test(site_feature_names_circuit_and_cpe_port),
      cmocka_unit_test(circuits_filtered_by_site),
      cmocka_unit_test(summary_keeps_plan_cost),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
