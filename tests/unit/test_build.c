/*
 * test_build.c - The build module through its library API on a "comb"
 * store (a street of 24 trenches in two phases, one POP, a building at
 * every node): packages cover every trench exactly once at any target,
 * by phase and by cost; the step order, supervisor override, replay and
 * organisation rules of reports; and every allocation failure of cut,
 * JSON, list, report, status and supervision gives GN_ENOMEM, leaking
 * nothing (ASan).
 */
#include <math.h>
#include <unistd.h>

#include "gn_test.h"

#define NT 24

static char db_path[256];

static void comb_plan(gn_ctx *ctx, gn_plan **out) {
  gn_plan *p = NULL;
  ASSERT_OK(ctx, gn_plan_create(ctx, &p));
  for (int i = 0; i <= NT; i++)
    ASSERT_OK(ctx, gn_plan_add_node(p, 1.20 + 0.001 * i, 6.13 + 0.0002 * (i % 3), NULL));
  for (int i = 0; i < NT; i++) {
    const gn_plan_node *a = gn_plan_node_get(p, i), *b = gn_plan_node_get(p, i + 1);
    double c[4] = {a->lon, a->lat, b->lon, b->lat};
    gn_plan_trench t;
    memset(&t, 0, sizeof(t));
    t.id = 100 + i;
    t.a = i;
    t.b = i + 1;
    t.coords = c;
    t.ncoords = 2;
    t.length_m = 100 + 10 * (i % 5);
    t.sites_downstream = NT - i;
    t.road_class = GN_ROAD_RESIDENTIAL;
    t.phase = (char *)(i < NT / 2 ? "1" : "2");
    ASSERT_OK(ctx, gn_plan_add_trench(p, &t, NULL));
  }
  gn_plan_pop pop = {(char *)"POP", (char *)"POP", 1.20, 6.13, 0};
  ASSERT_OK(ctx, gn_plan_add_pop(p, &pop, NULL));
  for (int i = 1; i <= NT; i++) {
    char id[16];
    snprintf(id, sizeof(id), "s%d", i);
    const gn_plan_node *n = gn_plan_node_get(p, i);
    gn_plan_site s;
    memset(&s, 0, sizeof(s));
    s.id = s.name = id;
    s.category = GN_CAT_EDUCATION;
    s.node = i;
    s.lon = n->lon;
    s.lat = n->lat + 0.0001;
    s.drop_m = 15;
    s.status = GN_SITE_CONNECTED;
    ASSERT_OK(ctx, gn_plan_add_site(p, &s, NULL));
  }
  ASSERT_OK(ctx, gn_plan_set_meta(p, "cost_fcfa", "240000000"));
  *out = p;
}

static int setup(void **state) {
  (void)state;
  snprintf(db_path, sizeof(db_path), "/tmp/gn_test_build_%d.db", (int)getpid());
  unlink(db_path);
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  gn_plan *p = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) return -1;
  comb_plan(ctx, &p);
  gn_store_import_stats x;
  if (gn_store_open(ctx, db_path, GN_STORE_CREATE, 0, &st) != GN_OK ||
      gn_store_import_plan(st, p, "test", &x) != GN_OK)
    return -1;
  gn_plan_free(p);
  gn_store_close(st);
  gn_ctx_free(ctx);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  char wal[300];
  unlink(db_path);
  snprintf(wal, sizeof(wal), "%s-wal", db_path);
  unlink(wal);
  snprintf(wal, sizeof(wal), "%s-shm", db_path);
  unlink(wal);
  return 0;
}

static gn_store *open_store(gn_ctx **ctx) {
  gn_store *st = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(ctx));
  ASSERT_OK(*ctx, gn_store_open(*ctx, db_path, 0, 0, &st));
  return st;
}

/* Every trench of the phase (NULL: all) in exactly one package. */
static void assert_cover(const gn_build_packages *p, const char *phase) {
  int seen[NT] = {0};
  double km = 0;
  for (size_t i = 0; i < p->n; i++) {
    for (size_t j = 0; j < p->items[i].ntrenches; j++) {
      int64_t t = p->items[i].trenches[j] - 100;
      assert_true(t >= 0 && t < NT);
      seen[t]++;
    }
    km += p->items[i].km;
  }
  double want = 0;
  for (int t = 0; t < NT; t++) {
    int in = !phase || (strcmp(phase, "1") == 0) == (t < NT / 2);
    assert_int_equal(in, seen[t]);
    want += in ? (100 + 10 * (t % 5)) / 1000.0 : 0;
  }
  assert_float_equal(want, km, 1e-9);
}

static void packages_cover_every_trench_once(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  gn_store *st = open_store(&ctx);
  const double targets[] = {0.05, 0.3, 0.75, 1.0, 100};
  for (size_t k = 0; k < 5; k++) {
    gn_build_cut_opts o = {targets[k], 0, NULL};
    gn_build_packages *p = NULL;
    ASSERT_OK(ctx, gn_build_cut(st, &o, &p));
    assert_cover(p, NULL);
    for (size_t i = 0; targets[k] >= 0.3 && i < p->n; i++) /* near the target */
      assert_true(p->items[i].km <= targets[k] + 0.13);
    assert_string_equal("WP-1-001", p->items[0].id);
    gn_build_packages_free(ctx, p);
  }
  gn_build_cut_opts o2 = {0.3, 0, "2"};
  gn_build_packages *p = NULL;
  ASSERT_OK(ctx, gn_build_cut(st, &o2, &p));
  assert_cover(p, "2");
  gn_build_packages_free(ctx, p);
  gn_build_cut_opts o3 = {0, 30000000, NULL}; /* 30 M FCFA of 240 M */
  ASSERT_OK(ctx, gn_build_cut(st, &o3, &p));
  assert_cover(p, NULL);
  double cost = 0;
  for (size_t i = 0; i < p->n; i++) cost += p->items[i].cost_fcfa;
  assert_float_equal(240000000, cost, 1);
  assert_true(p->n >= 7 && p->n <= 10);
  gn_build_packages_free(ctx, p);
  gn_build_cut_opts bad = {0, 0, NULL};
  assert_int_equal(GN_EINVAL, gn_build_cut(st, &bad, &p));
  gn_store_close(st);
  gn_ctx_free(ctx);
}

static gn_status report(gn_store *st, const char *id, int64_t trench,
                        gn_build_step step, const char *org, int sup,
                        gn_build_outcome *o) {
  gn_build_report r;
  memset(&r, 0, sizeof(r));
  r.client_id = id;
  r.trench = trench;
  r.step = step;
  r.who = "tester";
  r.org = org;
  r.supervisor = sup;
  r.override_reason = sup ? "checked on site" : NULL;
  r.block_reason = step == GN_STEP_BLOCKED ? "obstacle" : NULL;
  r.metres = 10;
  return gn_build_report_add(st, &r, o);
}

static void reports_follow_the_rules(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  gn_store *st = open_store(&ctx);
  gn_build_cut_opts o = {0.3, 0, "1"};
  gn_build_packages *p = NULL;
  ASSERT_OK(ctx, gn_build_cut(st, &o, &p));
  ASSERT_OK(ctx, gn_build_save(st, p, "test"));
  ASSERT_OK(ctx, gn_build_assign(st, p->items[0].id, "ACME", "c1", NULL, "t"));
  assert_int_equal(GN_EAUTH, gn_build_assign(st, p->items[0].id, "ACME", "c2", "OTHER", "t"));
  int64_t mine = p->items[0].trenches[0], theirs = p->items[1].trenches[0];
  gn_build_packages_free(ctx, p);
  gn_build_outcome out;
  ASSERT_OK(ctx, report(st, "unit-0001", mine, GN_STEP_SURVEYED, "ACME", 0, &out));
  assert_int_equal(GN_STEP_SURVEYED, out.state);
  assert_int_equal(GN_ECONFLICT, report(st, "unit-0002", mine, GN_STEP_DUCTED, "ACME", 0, &out));
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "'dug' must come before 'ducted'"));
  ASSERT_OK(ctx, report(st, "unit-0003", mine, GN_STEP_DUCTED, NULL, 1, &out));
  assert_int_equal(GN_STEP_DUCTED, out.state);
  ASSERT_OK(ctx, report(st, "unit-0004", mine, GN_STEP_DUG, "ACME", 0, &out)); /* late */
  assert_int_equal(GN_STEP_DUCTED, out.state);
  ASSERT_OK(ctx, report(st, "unit-0001", mine, GN_STEP_SURVEYED, "ACME", 0, &out));
  assert_int_equal(1, out.duplicate);
  assert_int_equal(GN_EAUTH, report(st, "unit-0005", theirs, GN_STEP_SURVEYED, "ACME", 0, &out));
  assert_int_equal(GN_EAUTH, report(st, "unit-0001", mine, GN_STEP_SURVEYED, "OTHER", 0, &out));
  ASSERT_OK(ctx, report(st, "unit-0006", theirs, GN_STEP_BLOCKED, NULL, 0, &out));
  assert_int_equal(1, out.blocked);
  assert_int_equal(GN_EINVAL, report(st, "short", mine, GN_STEP_DUG, NULL, 0, &out));
  gn_store_close(st);
  gn_ctx_free(ctx);
}

/* Everything a supervisor's evening touches, on a fresh connection. */
static gn_status evening(gn_ctx *ctx) {
  gn_store *st = NULL;
  gn_status s = gn_store_open(ctx, db_path, 0, 0, &st);
  gn_build_packages *p = NULL;
  char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
  gn_build_cut_opts o = {0.2, 0, NULL};
  gn_build_outcome out;
  if (s == GN_OK) s = gn_build_cut(st, &o, &p);
  if (s == GN_OK) s = gn_build_packages_json(ctx, p, 1, &a);
  gn_build_packages_free(ctx, p);
  p = NULL;
  if (s == GN_OK) s = gn_build_list(st, NULL, NULL, &p);
  if (s == GN_OK) s = report(st, "oom-00001", 100, GN_STEP_SURVEYED, NULL, 0, &out);
  if (s == GN_OK) s = gn_build_status_json(st, NULL, NULL, &b);
  if (s == GN_OK) s = gn_build_supervision_json(st, NULL, NULL, "2026-06-01", &c);
  if (s == GN_OK) s = gn_build_supervision_json(st, "1", "ACME", NULL, &d);
  gn_build_packages_free(ctx, p);
  gn_free(ctx, a);
  gn_free(ctx, b);
  gn_free(ctx, c);
  gn_free(ctx, d);
  gn_store_close(st);
  return s;
}

static void survives_every_allocation_failure(void **state) {
  (void)state;
  assert_true(gn_test_each_failed_alloc(evening) > 10);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(packages_cover_every_trench_once),
      cmocka_unit_test(reports_follow_the_rules),
      cmocka_unit_test(survives_every_allocation_failure),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
