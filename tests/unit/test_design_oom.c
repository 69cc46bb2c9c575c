/*
 * test_design_oom.c - Out-of-memory behaviour of the design passes
 * (points planning, resilience, cut analysis, sizing, BOM): the n-th
 * allocation through the ctx fails for n = 0, 1, 2, ... until the whole
 * pipeline succeeds; every failure must be GN_ENOMEM and leak nothing
 * (ASan's leak checker runs at exit).
 */
#include "gn_test.h"

static gn_status add_sites(gn_plan *p) {
  gn_plan_pop pop = {.id = "pop", .lon = 1.2, .lat = 6.2, .node = GN_NONE};
  gn_status s = gn_plan_add_pop(p, &pop, NULL);
  unsigned seed = 3;
  for (int i = 0; s == GN_OK && i < 30; i++) {
    char id[16];
    snprintf(id, sizeof id, "s%d", i);
    seed = seed * 1103515245u + 12345u;
    double dx = (seed >> 8 & 0xffff) / 65536.0;
    seed = seed * 1103515245u + 12345u;
    double dy = (seed >> 8 & 0xffff) / 65536.0;
    gn_plan_site site = {.id = id, .lon = 1.15 + 0.1 * dx, .lat = 6.15 + 0.1 * dy,
                         .category = (gn_category)(i % GN_CAT_COUNT),
                         .node = GN_NONE, .status = GN_SITE_CONNECTED,
                         .phase = i < 20 ? "1" : "2"};
    s = gn_plan_add_site(p, &site, NULL);
  }
  return s;
}

static gn_status run_phase(gn_plan *p, const char *phase,
                           gn_resilience_report **r) {
  gn_points_opts po;
  gn_points_opts_init(&po);
  po.phase = phase;
  gn_status s = gn_points_plan(p, &po, NULL);
  gn_resilience_opts ro;
  gn_resilience_opts_init(&ro);
  ro.phase = phase;
  if (s == GN_OK) s = gn_resilience_augment(p, &ro, r);
  return s;
}

static gn_status pipeline(gn_ctx *ctx) {
  gn_plan *p = NULL;
  gn_bom *b = NULL;
  gn_resilience_report *r1 = NULL, *r2 = NULL;
  gn_status s = gn_plan_create(ctx, &p);
  if (s != GN_OK) return s;
  s = add_sites(p);
  if (s == GN_OK) s = run_phase(p, "1", &r1);
  if (s == GN_OK) s = run_phase(p, "2", &r2);
  gn_sizing_opts so;
  gn_sizing_opts_init(&so);
  if (s == GN_OK) s = gn_sizing_run(p, &so);
  size_t lost[512];
  gn_cut_summary cs;
  if (s == GN_OK && gn_plan_trench_count(p) > 512) s = GN_EINTERNAL;
  if (s == GN_OK) s = gn_cut_analyse(p, lost, NULL, NULL, &cs);
  gn_pricebook pb;
  gn_pricebook_init(&pb);
  if (s == GN_OK) s = gn_bom_build(p, &pb, &b);
  if (s == GN_OK && cs.critical_surviving != cs.critical) s = GN_EINTERNAL;
  gn_bom_free(b);
  gn_resilience_report_free(ctx, r1);
  gn_resilience_report_free(ctx, r2);
  gn_plan_free(p);
  return s;
}

static void design_pipeline_survives_every_failed_allocation(void **state) {
  (void)state;
  long n = gn_test_each_failed_alloc(pipeline);
  print_message("design pipeline: %ld failure points checked\n", n);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(design_pipeline_survives_every_failed_allocation),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
