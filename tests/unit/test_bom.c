/* test_bom.c - price book file (round trip, every kind of bad input)
 * and the bill of materials per phase on an exact fixture. */
#include <unistd.h>

#include "design_fixture.h"

static char tmpdir[] = "/tmp/gn_bom_XXXXXX";

static int setup(void **state) {
  (void)state;
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  return system(cmd) == 0 ? 0 : -1;
}

static const char *write_text(const char *name, const char *text) {
  static char path[256];
  snprintf(path, sizeof path, "%s/%s", tmpdir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

static void defaults_round_trip(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_pricebook pb, back;
  gn_pricebook_init(&pb);
  assert_true(pb.detour == 1.3 && pb.spare == 0.5);
  assert_int_equal(2, pb.fibers_per_site[GN_CAT_HEALTH]);
  pb.cable_per_m[2] = 999;
  pb.fibers_per_site[GN_CAT_ADMIN] = 4;
  char path[256];
  snprintf(path, sizeof path, "%s/full.ini", tmpdir);
  ASSERT_OK(ctx, gn_pricebook_write(ctx, path, &pb));
  gn_pricebook_init(&back);
  ASSERT_OK(ctx, gn_pricebook_read(ctx, path, &back));
  assert_true(back.cable_per_m[2] == 999);
  assert_int_equal(4, back.fibers_per_site[GN_CAT_ADMIN]);
  assert_true(memcmp(&pb, &back, sizeof pb) == 0);
  gn_ctx_free(ctx);
}

static void partial_file_needs_base_defaults(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_pricebook pb;
  gn_pricebook_init(&pb);
  const char *p = write_text("part.ini", "cpe.each = 1000\n");
  assert_int_equal(GN_EFORMAT, gn_pricebook_read(ctx, p, &pb));
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "missing price"));
  assert_true(pb.cpe_each == 450000); /* unchanged on error */
  p = write_text("part2.ini", "# ok\nbase = defaults\ncpe.each = 1000 # x\n"
                              "fibers.health = 4\ntrench.residential=9\n");
  ASSERT_OK(ctx, gn_pricebook_read(ctx, p, &pb));
  assert_true(pb.cpe_each == 1000);
  assert_int_equal(4, pb.fibers_per_site[GN_CAT_HEALTH]);
  assert_true(pb.trench_per_m[GN_ROAD_RESIDENTIAL] == 9);
  gn_ctx_free(ctx);
}

static void expect_bad(gn_ctx *ctx, const char *text, const char *needle) {
  gn_pricebook pb;
  gn_pricebook_init(&pb);
  const char *p = write_text("bad.ini", text);
  gn_status s = gn_pricebook_read(ctx, p, &pb);
  if (s != GN_EFORMAT || !strstr(gn_ctx_errmsg(ctx), needle))
    fail_msg("'%s': got %s '%s', want '%s'", text, gn_status_name(s),
             gn_ctx_errmsg(ctx), needle);
}

static void bad_price_books_named_by_line(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  expect_bad(ctx, "base = defaults\ncable.24 = -5\n", "line 2: 'cable.24' = -5");
  expect_bad(ctx, "base = defaults\ncable.24 =\n", "'cable.24' has no value");
  expect_bad(ctx, "base = defaults\nfibers.hospital = 2\n",
             "line 2: unknown category 'hospital'");
  expect_bad(ctx, "base = defaults\ntrench.highway = 2\n",
             "unknown road class 'highway'");
  expect_bad(ctx, "base = defaults\ndetour = 1\n", "detour factor must be > 1");
  expect_bad(ctx, "base = defaults\ndetour = 0.8\n", "line 2");
  expect_bad(ctx, "base = defaults\nduct.per_m = cheap\n", "not a number");
  expect_bad(ctx, "base = defaults\nfoo = 1\n", "unknown key 'foo'");
  expect_bad(ctx, "base = defaults\ncable.36 = 1\n", "unknown cable size");
  expect_bad(ctx, "base = defaults\njust text\n", "expected 'key = value'");
  expect_bad(ctx, "base = defaults\nfibers.admin = 2.5\n", "whole number");
  gn_pricebook pb;
  assert_int_equal(GN_EIO, gn_pricebook_read(ctx, "/nonexistent/pb.ini", &pb));
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "/nonexistent/pb.ini"));
  gn_ctx_free(ctx);
}

static const gn_bom_line *find_line(const gn_bom *b, const char *phase,
                                    const char *item) {
  size_t n;
  const gn_bom_line *l = gn_bom_lines(b, &n);
  for (size_t i = 0; i < n; i++)
    if (strcmp(l[i].phase, phase) == 0 && strcmp(l[i].item, item) == 0)
      return &l[i];
  return NULL;
}

/* POP - a - b - c, 100 m each; trench 3 (b - c) and site c in phase 2. */
static void bom_prices_each_phase_once(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = path_plan(ctx);
  for (size_t t = 0; t < 3; t++)
    ASSERT_OK(ctx, gn_plan_set_str(p, &gn_plan_trench_mut(p, t)->phase,
                                   t < 2 ? "1" : "2"));
  for (size_t i = 0; i < 3; i++)
    ASSERT_OK(ctx, gn_plan_set_str(p, &gn_plan_site_mut(p, i)->phase,
                                   i < 2 ? "1" : "2"));
  gn_sizing_opts so;
  gn_sizing_opts_init(&so);
  ASSERT_OK(ctx, gn_sizing_run(p, &so));
  gn_pricebook pb;
  gn_pricebook_init(&pb);
  gn_bom *b = NULL;
  ASSERT_OK(ctx, gn_bom_build(p, &pb, &b));
  size_t np;
  const gn_bom_phase *ph = gn_bom_phases(b, &np);
  assert_int_equal(2, np);
  assert_string_equal("1", ph[0].phase);
  assert_true(ph[0].trench_m == 200 && ph[1].trench_m == 100);
  assert_int_equal(2, ph[0].buildings);
  assert_int_equal(1, ph[1].buildings);
  const gn_bom_line *l = find_line(b, "1", "trench.none");
  assert_non_null(l);
  assert_true(l->quantity == 200 && l->total_fcfa == 200 * 22000.0);
  l = find_line(b, "2", "cable.12");
  assert_true(l && l->quantity == 100);
  /* the sites a and b sit mid-cable: one closure each, phase 1 and 2 */
  l = find_line(b, "1", "closure");
  assert_true(l && l->quantity == 1);
  assert_non_null(find_line(b, "2", "closure"));
  l = find_line(b, "1", "odf.port");
  assert_true(l && l->quantity == 12);
  l = find_line(b, "2", "cpe");
  assert_true(l && l->quantity == 1 && l->total_fcfa == 450000);
  /* phase 1 by hand: 200 m of (22000 civil + 2500 duct + 450 + 600 cable)
   * + closure + 9 splices + 12 ports + 2 x (CPE + building), +20 %. */
  double sub = 200 * (22000 + 2500 + 450 + 600) + 180000 + 9 * 3500 +
               12 * 25000 + 2 * (450000 + 750000);
  assert_true(fabs(ph[0].total_fcfa - 1.2 * sub) < 1e-3);
  assert_true(fabs(gn_bom_total_fcfa(b) - ph[0].total_fcfa - ph[1].total_fcfa)
              < 1e-3);
  assert_true(fabs(gn_plan_trench_get(p, 0)->cost_fcfa - 100 * 25550) < 1e-6);
  gn_bom_free(b);
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

static void unsized_plan_rejected(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = path_plan(ctx);
  gn_pricebook pb;
  gn_pricebook_init(&pb);
  gn_bom *b = NULL;
  assert_int_equal(GN_EINVAL, gn_bom_build(p, &pb, &b));
  assert_null(b);
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "not sized"));
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

/* The whole chain on Lomé's public buildings (figures printed). */
static void lome_full_chain(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = NULL;
  ASSERT_OK(ctx, gn_plan_create(ctx, &p));
  fx_pop(ctx, p, 1.2278, 6.1260);
  if (fx_load(ctx, p, "togo/lome_public_buildings.geojson") == 0) {
    gn_plan_free(p);
    gn_ctx_free(ctx);
    skip();
  }
  ASSERT_OK(ctx, gn_points_plan(p, NULL, NULL));
  gn_resilience_opts ro;
  gn_resilience_opts_init(&ro);
  gn_resilience_report *r = NULL;
  ASSERT_OK(ctx, gn_resilience_augment(p, &ro, &r));
  gn_sizing_opts so;
  gn_sizing_opts_init(&so);
  ASSERT_OK(ctx, gn_sizing_run(p, &so));
  gn_pricebook pb;
  gn_pricebook_init(&pb);
  gn_bom *b = NULL;
  ASSERT_OK(ctx, gn_bom_build(p, &pb, &b));
  size_t np;
  const gn_bom_phase *ph = gn_bom_phases(b, &np);
  print_message("Lome: %.1f km trench (%.1f km redundant), %zu buildings, "
                "%.3f bn FCFA, resilience %.3f bn, %.1f M FCFA/building\n",
                ph[0].trench_m / 1000, ph[0].redundant_m / 1000,
                ph[0].buildings, ph[0].total_fcfa / 1e9,
                ph[0].resilience_fcfa / 1e9, ph[0].per_building_fcfa / 1e6);
  assert_int_equal(453, ph[0].buildings);
  assert_true(ph[0].total_fcfa > 1e9 && ph[0].total_fcfa < 1e11);
  gn_bom_free(b);
  gn_resilience_report_free(ctx, r);
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(defaults_round_trip),
      cmocka_unit_test(partial_file_needs_base_defaults),
      cmocka_unit_test(bad_price_books_named_by_line),
      cmocka_unit_test(bom_prices_each_phase_once),
      cmocka_unit_test(unsized_plan_rejected),
      cmocka_unit_test(lome_full_chain),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
