/*
 * test_pipeline.c - gn_design_run, the whole design pipeline through the
 * library alone: Lomé's 453 public buildings in points mode from the WACS
 * landing, rings for critical sites, BOM in FCFA; and the option errors
 * it reports with their status.
 */
#include "gn_test.h"

#include <math.h>
#include <stdlib.h>

static void collect(void *ud, const char *text) {
  size_t *n = ud;
  *n += strlen(text);
}

/* A number of the summary JSON (first occurrence of "key": value). */
static double summary_number(const char *json, const char *key) {
  char pat[80];
  snprintf(pat, sizeof pat, "\"%s\": ", key);
  const char *p = strstr(json, pat);
  if (!p) return NAN;
  return strtod(p + strlen(pat), NULL);
}

static void lome_points_rings_bom(void **state) {
  (void)state;
  char buf[512];
  const char *sites =
      gn_test_data(buf, sizeof buf, "togo/lome_public_buildings.geojson");
  if (!sites) skip();
  gn_ctx *ctx = NULL;
  assert_int_equal(gn_ctx_create(&ctx), GN_OK);
  gn_design_opts o;
  gn_design_opts_init(&o);
  o.sites = sites;
  o.pops[o.npops++] = "1.2278,6.1260";
  o.resilience = GN_RESILIENCE_CRITICAL;
  size_t logged = 0;
  o.log = collect;
  o.log_ud = &logged;
  gn_design_result *r = NULL;
  assert_int_equal(gn_design_run(ctx, &o, &r), GN_OK);
  const gn_plan *plan = gn_design_result_plan(r);
  assert_int_equal(gn_plan_site_count(plan), 453);
  /* the WACS POP plus the aggregation hubs (POPs "hub-<site id>") */
  size_t hubs = (size_t)atoi(gn_plan_get_meta(plan, "hubs"));
  assert_true(hubs >= 3 && hubs < 40);
  assert_int_equal(gn_plan_pop_count(plan), 1 + hubs);
  assert_false(gn_pop_is_hub(gn_plan_pop_get(plan, 0)));
  for (size_t i = 1; i <= hubs; i++)
    assert_true(gn_pop_is_hub(gn_plan_pop_get(plan, i)));
  assert_true(gn_plan_trench_count(plan) > 453);
  assert_string_equal(gn_plan_get_meta(plan, "mode"), "points");
  assert_string_equal(gn_plan_get_meta(plan, "resilience"), "critical");
  assert_true(logged > 0); /* progress went to the callback, not stdout */
  /* The BOM is priced and its total is the plan's cost. */
  const gn_bom *bom = gn_design_result_bom(r);
  double total = gn_bom_total_fcfa(bom);
  assert_true(total > 5e9 && total < 30e9);
  char cost[64];
  snprintf(cost, sizeof cost, "%.0f", total);
  assert_string_equal(gn_plan_get_meta(plan, "cost_fcfa"), cost);
  size_t nlines = 0;
  assert_non_null(gn_bom_lines(bom, &nlines));
  assert_true(nlines > 5);
  /* Rings: every critical site survives any single trench cut. */
  char *json = NULL;
  assert_int_equal(gn_summary_json(gn_design_result_summary(r), &json), GN_OK);
  double critical = summary_number(json, "critical_sites");
  assert_true(critical > 100);
  assert_true(summary_number(json, "critical_surviving_single_cut") == critical);
  assert_true(summary_number(json, "resilience_links") > 0);
  assert_true(summary_number(json, "sites_connected") == 453);
  /* Every circuit within its optics: working <= 10 km in the 7.5 dB
   * access class, few splices (express fibers). */
  assert_true(summary_number(json, "circuits_over_budget") == 0);
  assert_true(summary_number(json, "working_km_max") <= 10.0);
  assert_true(summary_number(json, "working_splices_median") <= 8);
  assert_true(summary_number(json, "optics_budget_db") == 7.5);
  assert_true(summary_number(json, "working_loss_db_max") + 1.0 <= 7.5);
  gn_free(ctx, json);
  /* The plan can be taken and outlives the result. */
  gn_plan *mine = gn_design_result_steal_plan(r);
  assert_null(gn_design_result_plan(r));
  gn_design_result_free(r);
  assert_int_equal(gn_plan_site_count(mine), 453);
  gn_plan_free(mine);
  gn_ctx_free(ctx);
}

/* Same options, same plan: the pipeline is deterministic. */
static void same_options_same_cost(void **state) {
  (void)state;
  char buf[512];
  const char *sites =
      gn_test_data(buf, sizeof buf, "togo/lome_public_buildings.geojson");
  if (!sites) skip();
  gn_ctx *ctx = NULL;
  assert_int_equal(gn_ctx_create(&ctx), GN_OK);
  gn_design_opts o;
  gn_design_opts_init(&o);
  o.sites = sites;
  o.phases[0] = (gn_design_phase){"1", "bbox:1.15,6.10,1.25,6.20"};
  o.phases[1] = (gn_design_phase){"2", "all"};
  o.nphases = 2;
  double cost[2];
  for (int k = 0; k < 2; k++) {
    gn_design_result *r = NULL;
    assert_int_equal(gn_design_run(ctx, &o, &r), GN_OK);
    cost[k] = gn_bom_total_fcfa(gn_design_result_bom(r));
    size_t nph = 0;
    gn_bom_phases(gn_design_result_bom(r), &nph);
    assert_int_equal(nph, 2);
    gn_design_result_free(r);
  }
  assert_true(cost[0] == cost[1]);
  gn_ctx_free(ctx);
}

static void option_errors_name_the_problem(void **state) {
  (void)state;
  char buf[512];
  const char *sites =
      gn_test_data(buf, sizeof buf, "togo/lome_public_buildings.geojson");
  if (!sites) skip();
  gn_ctx *ctx = NULL;
  assert_int_equal(gn_ctx_create(&ctx), GN_OK);
  gn_design_opts o;
  gn_design_result *r = (gn_design_result *)&o; /* must be reset to NULL */
  gn_design_opts_init(&o);
  o.sites = sites;
  o.phases[0] = (gn_design_phase){"1", "bbox:1,2,3"};
  o.nphases = 1;
  assert_int_equal(gn_design_run(ctx, &o, &r), GN_EINVAL);
  assert_null(r);
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "bbox needs W,S,E,N"));
  gn_design_opts_init(&o);
  o.sites = sites;
  o.pops[o.npops++] = "no-such-site";
  assert_int_equal(gn_design_run(ctx, &o, &r), GN_ENOTFOUND);
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "no-such-site"));
  gn_design_opts_init(&o);
  o.sites = sites;
  o.pops[o.npops++] = "200,95";
  assert_int_equal(gn_design_run(ctx, &o, &r), GN_EGEOM);
  gn_design_opts_init(&o);
  o.sites = "/nonexistent/sites.geojson";
  assert_int_not_equal(gn_design_run(ctx, &o, &r), GN_OK);
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "/nonexistent/sites.geojson"));
  gn_design_opts_init(&o);
  o.sites = sites;
  o.optics = "lr10,xr99";
  assert_int_equal(gn_design_run(ctx, &o, &r), GN_EINVAL);
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "unknown class 'xr99'"));
  o.optics = NULL;
  o.hub_candidates = "/nonexistent/hubs.txt";
  assert_int_equal(gn_design_run(ctx, &o, &r), GN_EIO);
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "/nonexistent/hubs.txt"));
  gn_ctx_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(lome_points_rings_bom),
      cmocka_unit_test(same_options_same_cost),
      cmocka_unit_test(option_errors_name_the_problem),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
