/* test_sizing.c - fibers per trench from downstream sites, spare share,
 * standard cable sizes, rings, bad options. */
#include "design_fixture.h"

static void standard_sizes_round_up(void **state) {
  (void)state;
  assert_int_equal(0, gn_cable_size_for(0));
  assert_int_equal(12, gn_cable_size_for(1));
  assert_int_equal(12, gn_cable_size_for(12));
  assert_int_equal(24, gn_cable_size_for(13));
  assert_int_equal(144, gn_cable_size_for(100));
  assert_int_equal(288, gn_cable_size_for(288));
  assert_int_equal(288, gn_cable_size_for(600));
  gn_plan_trench t = {0};
  t.fibers = 600;
  t.cable_size = 288;
  assert_int_equal(3, gn_cable_count(&t));
  t.fibers = 200;
  t.cable_size = 288;
  assert_int_equal(1, gn_cable_count(&t));
}

/* POP - a - b - c: 3, 2, 1 sites downstream. */
static void fibers_follow_downstream_sites(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = path_plan(ctx);
  gn_sizing_opts o;
  gn_sizing_opts_init(&o);
  ASSERT_OK(ctx, gn_sizing_run(p, &o));
  assert_int_equal(3, gn_plan_trench_get(p, 0)->sites_downstream);
  assert_int_equal(9, gn_plan_trench_get(p, 0)->fibers); /* 3*2*1.5 */
  assert_int_equal(12, gn_plan_trench_get(p, 0)->cable_size);
  assert_int_equal(3, gn_plan_trench_get(p, 2)->fibers); /* 1*2*1.5 */
  o.fibers_per_site[GN_CAT_HEALTH] = 10;
  ASSERT_OK(ctx, gn_sizing_run(p, &o));
  assert_int_equal(45, gn_plan_trench_get(p, 0)->fibers);
  assert_int_equal(48, gn_plan_trench_get(p, 0)->cable_size);
  assert_int_equal(30, gn_plan_trench_get(p, 1)->fibers);
  assert_int_equal(15, gn_plan_trench_get(p, 2)->fibers);
  assert_int_equal(24, gn_plan_trench_get(p, 2)->cable_size);
  o.spare = 0;
  ASSERT_OK(ctx, gn_sizing_run(p, &o));
  assert_int_equal(30, gn_plan_trench_get(p, 0)->fibers);
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

/* The ring closure c - POP carries the largest count of its ring. */
static void redundant_trench_sized_for_the_ring(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = path_plan(ctx);
  fx_trench(ctx, p, 3, 0);
  gn_plan_trench_mut(p, 3)->redundant = 1;
  gn_sizing_opts o;
  gn_sizing_opts_init(&o);
  o.fibers_per_site[GN_CAT_HEALTH] = 10;
  ASSERT_OK(ctx, gn_sizing_run(p, &o));
  assert_int_equal(45, gn_plan_trench_get(p, 0)->fibers); /* tree unchanged */
  assert_int_equal(45, gn_plan_trench_get(p, 3)->fibers);
  assert_int_equal(48, gn_plan_trench_get(p, 3)->cable_size);
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

/* 200 sites behind one trench: 600 fibers, three 288-fiber cables. */
static void many_sites_need_several_cables(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = NULL;
  ASSERT_OK(ctx, gn_plan_create(ctx, &p));
  gn_id a = fx_node(ctx, p, 1.0, 6.0), b = fx_node(ctx, p, 1.01, 6.0);
  gn_plan_pop pop = {0};
  pop.id = (char *)"pop";
  pop.node = a;
  ASSERT_OK(ctx, gn_plan_add_pop(p, &pop, NULL));
  for (int i = 0; i < 200; i++) {
    char id[16];
    snprintf(id, sizeof id, "s%d", i);
    fx_site(ctx, p, id, 1.01, 6.0, GN_CAT_EDUCATION);
    gn_plan_site_mut(p, (size_t)i)->node = b;
  }
  fx_trench(ctx, p, a, b);
  gn_sizing_opts o;
  gn_sizing_opts_init(&o);
  ASSERT_OK(ctx, gn_sizing_run(p, &o));
  const gn_plan_trench *t = gn_plan_trench_get(p, 0);
  assert_int_equal(600, t->fibers);
  assert_int_equal(288, t->cable_size);
  assert_int_equal(3, gn_cable_count(t));
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

static void bad_options_rejected(void **state) {
  (void)state;
  gn_ctx *ctx = fx_ctx();
  gn_plan *p = path_plan(ctx);
  gn_sizing_opts o;
  gn_sizing_opts_init(&o);
  o.spare = -0.1;
  assert_int_equal(GN_EINVAL, gn_sizing_run(p, &o));
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "spare"));
  gn_sizing_opts_init(&o);
  o.fibers_per_site[GN_CAT_ADMIN] = -2;
  assert_int_equal(GN_EINVAL, gn_sizing_run(p, &o));
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "admin"));
  gn_plan_free(p);
  gn_ctx_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(standard_sizes_round_up),
      cmocka_unit_test(fibers_follow_downstream_sites),
      cmocka_unit_test(redundant_trench_sized_for_the_ring),
      cmocka_unit_test(many_sites_need_several_cables),
      cmocka_unit_test(bad_options_rejected),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
