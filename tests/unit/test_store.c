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
 */
#include <math.h>
#include <unistd.h>

#include "gn_test.h"

static void tmp_path(char *buf, size_t n, const char *name) {
  snprintf(buf, n, "/tmp/gn_test_store_%d_%s.db", (int)getpid(), name);
  char aux[600];
  remove(buf);
  snprintf(aux, sizeof(aux), "%s-wal", buf);
  remove(aux);
  snprintf(aux, sizeof(aux), "%s-shm", buf);
  remove(aux);
}

static void add_trench(gn_ctx *ctx, gn_plan *p, int64_t id, gn_id a, gn_id b,
                       double len, int redundant, int down) {
  const gn_plan_node *na = gn_plan_node_get(p, a);
  double c[6] = {na->lon, na->lat, 0, 0, 0, 0};
  const gn_plan_node *nb = gn_plan_node_get(p, b);
  c[2] = (na->lon + nb->lon) / 2;
  c[3] = (na->lat + nb->lat) / 2 + (redundant ? 0.0005 : 0);
  c[4] = nb->lon;
  c[5] = nb->lat;
  gn_plan_trench t;
  memset(&t, 0, sizeof(t));
  t.id = id;
  t.a = a;
  t.b = b;
  t.coords = c;
  t.ncoords = 3;
  t.length_m = len;
  t.redundant = redundant;
  t.sites_downstream = down;
  t.road_class = GN_ROAD_RESIDENTIAL;
  ASSERT_OK(ctx, gn_plan_add_trench(p, &t, NULL));
}

static void add_site(gn_ctx *ctx, gn_plan *p, const char *id, gn_category c,
                     gn_id node) {
  const gn_plan_node *nd = gn_plan_node_get(p, node);
  gn_plan_site s;
  memset(&s, 0, sizeof(s));
  s.id = (char *)id;
  s.name = (char *)id;
  s.category = c;
  s.node = node;
  s.lon = nd->lon + 0.0001;
  s.lat = nd->lat + 0.0001;
  s.drop_m = 20;
  s.status = GN_SITE_CONNECTED;
  ASSERT_OK(ctx, gn_plan_add_site(p, &s, NULL));
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

static void fx_close(fx *f) {
  gn_store_close(f->st);
  gn_ctx_free(f->ctx);
  tmp_path(f->path, sizeof(f->path), "x"); /* fresh name; old one: */
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
  /* 5 cables of 12 fibers (3 downstream*2*1.5 = 9 -> 12) */
  assert_non_null(strstr(json, "\"fibers\":60"));
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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(schema_is_geopackage),
      cmocka_unit_test(import_sizes_and_splices),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
