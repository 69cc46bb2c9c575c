/* test_resilience.c - ring augmentation for critical sites, checked
 * independently (cut every trench in turn, BFS to a POP), and the
 * single-cut analysis on exact fixtures. */
#include "design_fixture.h"

static void cut_counts_sites_behind_each_bridge(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = path_plan(ctx);
  size_t lost[4], crit[4];
  gn_cut_summary sum;
  ASSERT_OK(ctx, gn_cut_analyse(p, lost, crit, NULL, &sum));
  assert_int_equal(3, lost[0]);
  assert_int_equal(2, lost[1]);
  assert_int_equal(1, lost[2]);
  assert_int_equal(1, crit[0]);
  assert_int_equal(0, sum.sites_surviving);
  assert_int_equal(0, sum.worst_trench);
  assert_true(sum.share_critical == 0.0);
  /* closing the ring c - POP: nothing is lost any more */
  fx_trench(ctx, p, 3, 0);
  unsigned char surv[3];
  ASSERT_OK(ctx, gn_cut_analyse(p, lost, crit, surv, &sum));
  for (int t = 0; t < 4; t++) assert_int_equal(0, lost[t]);
  assert_int_equal(3, sum.sites_surviving);
  assert_true(sum.share_sites == 1.0);
  assert_int_equal((size_t)-1, sum.worst_trench);
  assert_int_equal(1, surv[2]);
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

/* Two POPs at both ends of a line are one core: no cut isolates anyone. */
static void several_pops_form_one_core(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = path_plan(ctx);
  gn_plan_pop pop = {0};
  pop.id = (char *)"pop2";
  pop.node = 3;
  ASSERT_OK(ctx, gn_plan_add_pop(p, &pop, NULL));
  gn_cut_summary sum;
  ASSERT_OK(ctx, gn_cut_analyse(p, NULL, NULL, NULL, &sum));
  assert_int_equal(3, sum.sites_surviving);
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

static unsigned rnd(unsigned *s) {
  *s = *s * 1103515245u + 12345u;
  return (*s >> 8) & 0xffffu;
}

static gn_plan *random_tree(gn_ctx *ctx, int n, unsigned seed) {
  gn_plan *p = NULL;
  ASSERT_OK(ctx, gn_plan_create(ctx, &p));
  fx_pop(ctx, p, 1.2, 6.2);
  for (int i = 0; i < n; i++) {
    char id[16];
    snprintf(id, sizeof id, "r%d", i);
    fx_site(ctx, p, id, 1.15 + rnd(&seed) / 65536.0 * 0.1,
            6.15 + rnd(&seed) / 65536.0 * 0.1, (gn_category)(i % GN_CAT_COUNT));
  }
  ASSERT_OK(ctx, gn_points_plan(p, NULL, NULL));
  return p;
}

/* Independent check of the augmentation on 200 random sites. */
static void critical_sites_survive_every_single_cut(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = random_tree(ctx, 200, 11);
  size_t nt0 = gn_plan_trench_count(p);
  gn_resilience_opts o;
  gn_resilience_opts_init(&o);
  gn_resilience_report *r = NULL;
  ASSERT_OK(ctx, gn_resilience_augment(p, &o, &r));
  assert_int_equal(100, r->critical); /* admin + health: half of them */
  assert_int_equal(100, r->protected_);
  assert_int_equal(0, r->nfails);
  assert_true(r->links_added > 0);
  assert_int_equal(nt0 + r->links_added, gn_plan_trench_count(p));
  double extra = 0;
  for (size_t t = nt0; t < gn_plan_trench_count(p); t++) {
    assert_int_equal(1, gn_plan_trench_get(p, t)->redundant);
    extra += gn_plan_trench_get(p, t)->length_m;
  }
  assert_true(fabs(extra - r->extra_m) < 1e-6);
  fx_adj a;
  fx_adj_build(p, &a);
  size_t exposed_noncritical = 0;
  for (size_t i = 0; i < gn_plan_site_count(p); i++) {
    const gn_plan_site *s = gn_plan_site_get(p, i);
    int ok = fx_survives_any_cut(p, &a, s->node);
    if (s->critical) assert_true(ok);
    else exposed_noncritical += !ok;
  }
  fx_adj_free(&a);
  /* the analysis agrees with the independent check */
  gn_cut_summary sum;
  ASSERT_OK(ctx, gn_cut_analyse(p, NULL, NULL, NULL, &sum));
  assert_int_equal(100, sum.critical_surviving);
  assert_int_equal(200 - exposed_noncritical, sum.sites_surviving);
  print_message("200 sites: %zu links, %.1f km extra; %zu/200 survive any cut\n",
                r->links_added, r->extra_m / 1000, sum.sites_surviving);
  gn_resilience_report_free(ctx, r);
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

static void mode_all_protects_everyone(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = random_tree(ctx, 60, 5);
  gn_resilience_opts o;
  gn_resilience_opts_init(&o);
  o.mode = GN_RESILIENCE_ALL;
  gn_resilience_report *r = NULL;
  ASSERT_OK(ctx, gn_resilience_augment(p, &o, &r));
  assert_int_equal(60, r->protected_);
  fx_adj a;
  fx_adj_build(p, &a);
  for (size_t i = 0; i < 60; i++)
    assert_true(fx_survives_any_cut(p, &a, gn_plan_site_get(p, i)->node));
  fx_adj_free(&a);
  gn_resilience_report_free(ctx, r);
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

static void mode_none_adds_nothing(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = random_tree(ctx, 30, 3);
  size_t nt = gn_plan_trench_count(p);
  gn_resilience_opts o;
  gn_resilience_opts_init(&o);
  o.mode = GN_RESILIENCE_NONE;
  gn_resilience_report *r = NULL;
  ASSERT_OK(ctx, gn_resilience_augment(p, &o, &r));
  assert_int_equal(nt, gn_plan_trench_count(p));
  assert_int_equal(0, r->critical);
  gn_resilience_report_free(ctx, r);
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

/* An unconnected critical site is reported by index, the rest planned. */
static void unconnected_critical_site_is_reported(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = random_tree(ctx, 20, 9);
  fx_site(ctx, p, "nowhere", 1.3, 6.3, GN_CAT_HEALTH);
  gn_resilience_opts o;
  gn_resilience_opts_init(&o);
  gn_resilience_report *r = NULL;
  ASSERT_OK(ctx, gn_resilience_augment(p, &o, &r));
  assert_int_equal(1, r->nfails);
  assert_int_equal(20, r->fails[0].site);
  assert_non_null(strstr(r->fails[0].reason, "not connected"));
  assert_int_equal(r->critical - 1, r->protected_);
  gn_resilience_report_free(ctx, r);
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

static void category_list_parsing(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  unsigned m = 0;
  ASSERT_OK(ctx, gn_resilience_parse_categories(ctx, "health,education", &m));
  assert_int_equal((1u << GN_CAT_HEALTH) | (1u << GN_CAT_EDUCATION), m);
  assert_int_equal(GN_EINVAL,
                   gn_resilience_parse_categories(ctx, "health,hospital", &m));
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "'hospital'"));
  assert_int_equal(-1, gn_resilience_parse("some"));
  assert_int_equal(GN_RESILIENCE_ALL, gn_resilience_parse("all"));
  gn_ctx_free(ctx);
}

static void lome_critical_sites(void **state) {
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
  gn_points_stats st;
  ASSERT_OK(ctx, gn_points_plan(p, NULL, &st));
  gn_resilience_opts o;
  gn_resilience_opts_init(&o);
  gn_resilience_report *r = NULL;
  ASSERT_OK(ctx, gn_resilience_augment(p, &o, &r));
  gn_cut_summary sum;
  ASSERT_OK(ctx, gn_cut_analyse(p, NULL, NULL, NULL, &sum));
  print_message("Lome: tree %.1f km, +%.1f km resilience (%zu links), "
                "critical %zu/%zu protected, all sites surviving %.1f %%\n",
                st.length_m / 1000, r->extra_m / 1000, r->links_added,
                r->protected_, r->critical, 100 * sum.share_sites);
  assert_int_equal(171, r->critical);
  assert_int_equal(171, r->protected_);
  fx_adj a;
  fx_adj_build(p, &a);
  for (size_t i = 0; i < gn_plan_site_count(p); i += 3) {
    const gn_plan_site *s = gn_plan_site_get(p, i);
    if (s->critical) assert_true(fx_survives_any_cut(p, &a, s->node));
  }
  fx_adj_free(&a);
  gn_resilience_report_free(ctx, r);
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cut_counts_sites_behind_each_bridge),
      cmocka_unit_test(several_pops_form_one_core),
      cmocka_unit_test(critical_sites_survive_every_single_cut),
      cmocka_unit_test(mode_all_protects_everyone),
      cmocka_unit_test(mode_none_adds_nothing),
      cmocka_unit_test(unconnected_critical_site_is_reported),
      cmocka_unit_test(category_list_parsing),
      cmocka_unit_test(lome_critical_sites),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
