/* test_street_rings.c - rings routed along the streets (street mode of
 * gn_resilience_augment): a hand-made street grid with a known ring
 * (length, street edges only, no edge of the bridge it protects, the
 * trench it joins split at the junction), a dead end reported, the
 * guard against a street network of another plan, and a larger grid
 * checked independently (every trench cut in turn, BFS to the POP). */
#include "design_fixture.h"

#define U 0.001 /* grid step in degrees (~111 m at the equator) */

typedef struct world {
  gn_ctx *ctx;
  gn_graph *g;
  gn_plan *p;
  gn_street_net *net;
} world;

static gn_id gnode(world *w, double x, double y) {
  gn_id id;
  ASSERT_OK(w->ctx, gn_graph_add_node(w->g, x * U, y * U, &id));
  return id;
}

static void gedge(world *w, gn_id u, gn_id v, int cls) {
  double a[2], b[2];
  gn_graph_node_pos(w->g, u, &a[0], &a[1]);
  gn_graph_node_pos(w->g, v, &b[0], &b[1]);
  double len = gn_geo_distance_m(a[0], a[1], b[0], b[1]);
  gn_edge e = {u, v, len, len, 0, (uint8_t)cls};
  ASSERT_OK(w->ctx, gn_graph_add_edge(w->g, &e, NULL));
}

static void world_init(world *w) {
  memset(w, 0, sizeof(*w));
  w->ctx = fx_ctx();
  ASSERT_OK(w->ctx, gn_graph_create(w->ctx, 0, 0, &w->g));
  ASSERT_OK(w->ctx, gn_plan_create(w->ctx, &w->p));
}

static void world_free(world *w) {
  gn_street_net_free(w->net);
  gn_plan_free(w->p);
  gn_graph_free(w->g);
  gn_ctx_free(w->ctx);
}

/* A site at grid point (x, y) + (dx, dy): pointing away from every
 * street of the node, it snaps to the node itself. */
static void gsite(world *w, const char *id, double x, double y, double dx,
                  double dy, gn_category cat) {
  fx_site(w->ctx, w->p, id, (x + dx) * U, (y + dy) * U, cat);
}

static gn_resilience_report *plan_and_ring(world *w, int mode) {
  ASSERT_OK(w->ctx, gn_graph_finalize(w->g));
  ASSERT_OK(w->ctx, gn_plan_streets_net(w->ctx, w->g, w->p, NULL, &w->net));
  gn_resilience_opts o;
  gn_resilience_opts_init(&o);
  o.mode = (gn_resilience_mode)mode;
  o.streets = w->net;
  gn_resilience_report *r = NULL;
  ASSERT_OK(w->ctx, gn_resilience_augment(w->p, &o, &r));
  return r;
}

static double dist_pts(double x0, double y0, double x1, double y1) {
  return gn_geo_distance_m(x0 * U, y0 * U, x1 * U, y1 * U);
}

/* 1 if lon/lat pairs p and q are the two ends of an edge of g. */
static int is_street_edge(const gn_graph *g, const double *p, const double *q) {
  for (gn_id e = 0; e < gn_graph_edge_count(g); e++) {
    double a[2], b[2];
    gn_graph_node_pos(g, gn_graph_edge(g, e)->u, &a[0], &a[1]);
    gn_graph_node_pos(g, gn_graph_edge(g, e)->v, &b[0], &b[1]);
    if ((a[0] == p[0] && a[1] == p[1] && b[0] == q[0] && b[1] == q[1]) ||
        (a[0] == q[0] && a[1] == q[1] && b[0] == p[0] && b[1] == p[1]))
      return 1;
  }
  return 0;
}

static int on_segment(const double *a, const double *b, const double *p) {
  double cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  double dot = (p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1]);
  double len2 = (b[0] - a[0]) * (b[0] - a[0]) + (b[1] - a[1]) * (b[1] - a[1]);
  return fabs(cross) <= 1e-9 * U * U && dot >= -1e-9 * U * U &&
         dot <= len2 + 1e-9 * U * U;
}

/* 1 if the segment p-q lies along one straight street edge of g (a
 * site's snap point splits an edge: p or q may be inside it). */
static int along_street(const gn_graph *g, const double *p, const double *q) {
  for (gn_id e = 0; e < gn_graph_edge_count(g); e++) {
    double a[2], b[2];
    gn_graph_node_pos(g, gn_graph_edge(g, e)->u, &a[0], &a[1]);
    gn_graph_node_pos(g, gn_graph_edge(g, e)->v, &b[0], &b[1]);
    if (on_segment(a, b, p) && on_segment(a, b, q)) return 1;
  }
  return 0;
}

static const gn_plan_trench *trench_between(const gn_plan *p, double ax,
                                            double ay, double bx, double by) {
  for (size_t t = 0; t < gn_plan_trench_count(p); t++) {
    const gn_plan_trench *tr = gn_plan_trench_get(p, t);
    const double *c = tr->coords, *d = tr->coords + 2 * (tr->ncoords - 1);
    if (c[0] == ax * U && c[1] == ay * U && d[0] == bx * U && d[1] == by * U)
      return tr;
  }
  return NULL;
}

/*
 *   H(0,2) --- I(1,2)          POP at A; critical S1 at H, S4 at the end
 *   |          |               of the dead end C-K; S2 (education) at C.
 *   G(0,1)     J(1,1)          Tree: A-G-H and A-B-C-K. The ring of S1
 *   |          |               must be H-I-J-B (3 steps): it may not use
 *   A(0,0) --- B(1,0) --- C(2,0) --- K(3,0)    A-G-H (its bridge) and stops
 * at B, inside trench A->C, which is split there. S4 has no second route.
 */
static void ring_follows_the_streets(void **state) {
  (void)state;
  world w;
  world_init(&w);
  gn_id a = gnode(&w, 0, 0), b = gnode(&w, 1, 0), c = gnode(&w, 2, 0);
  gn_id k = gnode(&w, 3, 0), g = gnode(&w, 0, 1), h = gnode(&w, 0, 2);
  gn_id i = gnode(&w, 1, 2), j = gnode(&w, 1, 1);
  gedge(&w, a, b, GN_ROAD_RESIDENTIAL);
  gedge(&w, b, c, GN_ROAD_RESIDENTIAL);
  gedge(&w, c, k, GN_ROAD_RESIDENTIAL);
  gedge(&w, a, g, GN_ROAD_TERTIARY);
  gedge(&w, g, h, GN_ROAD_TERTIARY);
  gedge(&w, h, i, GN_ROAD_RESIDENTIAL);
  gedge(&w, i, j, GN_ROAD_RESIDENTIAL);
  gedge(&w, j, b, GN_ROAD_RESIDENTIAL);
  fx_pop(w.ctx, w.p, -0.1 * U, -0.1 * U);
  gsite(&w, "S1", 0, 2, -0.1, 0.1, GN_CAT_HEALTH);
  gsite(&w, "S2", 2, 0, 0, -0.1, GN_CAT_EDUCATION);
  gsite(&w, "S4", 3, 0, 0.1, 0.1, GN_CAT_ADMIN);
  ASSERT_OK(w.ctx, gn_graph_finalize(w.g));
  ASSERT_OK(w.ctx, gn_plan_streets_net(w.ctx, w.g, w.p, NULL, &w.net));
  size_t nt0 = gn_plan_trench_count(w.p);
  assert_int_equal(3, nt0); /* A->H, A->C, C->K */
  double tree_m = 0;
  for (size_t t = 0; t < nt0; t++) tree_m += gn_plan_trench_get(w.p, t)->length_m;
  gn_resilience_opts o;
  gn_resilience_opts_init(&o);
  o.streets = w.net;
  gn_resilience_report *r = NULL;
  ASSERT_OK(w.ctx, gn_resilience_augment(w.p, &o, &r));
  assert_int_equal(2, r->critical);
  assert_int_equal(1, r->protected_);
  assert_int_equal(1, r->links_added);
  assert_int_equal(1, r->nfails);
  assert_string_equal("S4", gn_plan_site_get(w.p, r->fails[0].site)->id);
  assert_non_null(strstr(r->fails[0].reason, "dead end"));
  double ring_m = dist_pts(1, 0, 1, 1) + dist_pts(1, 1, 1, 2) +
                  dist_pts(1, 2, 0, 2);
  assert_true(fabs(r->extra_m - ring_m) < 1e-6);
  /* the ring B->J->I->H: its points, class, length, ends */
  const gn_plan_trench *ring = trench_between(w.p, 1, 0, 0, 2);
  assert_non_null(ring);
  assert_int_equal(1, ring->redundant);
  assert_int_equal(GN_ROAD_RESIDENTIAL, ring->road_class);
  assert_int_equal(4, ring->ncoords);
  assert_true(fabs(ring->length_m - ring_m) < 1e-6);
  assert_int_equal(gn_plan_site_get(w.p, 0)->node, ring->b);
  for (size_t q = 0; q + 1 < ring->ncoords; q++)
    assert_true(is_street_edge(w.g, ring->coords + 2 * q,
                               ring->coords + 2 * q + 2));
  /* it shares no segment with the bridge A->H it protects */
  const gn_plan_trench *br = trench_between(w.p, 0, 0, 0, 2);
  assert_non_null(br);
  for (size_t q = 0; q + 1 < ring->ncoords; q++)
    for (size_t s = 0; s + 1 < br->ncoords; s++)
      assert_false(ring->coords[2 * q] == br->coords[2 * s] &&
                   ring->coords[2 * q + 1] == br->coords[2 * s + 1] &&
                   ring->coords[2 * q + 2] == br->coords[2 * s + 2] &&
                   ring->coords[2 * q + 3] == br->coords[2 * s + 3]);
  /* A->C was split at B: A->B and B->C, same total tree length */
  assert_int_equal(nt0 + 2, gn_plan_trench_count(w.p));
  const gn_plan_trench *bc = trench_between(w.p, 1, 0, 2, 0);
  assert_non_null(bc);
  assert_int_equal(0, bc->redundant);
  assert_int_equal(ring->a, bc->a);
  assert_true(fabs(bc->length_m - dist_pts(1, 0, 2, 0)) < 1e-6);
  double tree_after = 0;
  for (size_t t = 0; t < gn_plan_trench_count(w.p); t++)
    if (!gn_plan_trench_get(w.p, t)->redundant)
      tree_after += gn_plan_trench_get(w.p, t)->length_m;
  assert_true(fabs(tree_after - tree_m) < 1e-6);
  /* independent check: S1 survives every single cut, S4 does not */
  fx_adj adj;
  fx_adj_build(w.p, &adj);
  assert_true(fx_survives_any_cut(w.p, &adj, gn_plan_site_get(w.p, 0)->node));
  assert_false(fx_survives_any_cut(w.p, &adj, gn_plan_site_get(w.p, 2)->node));
  fx_adj_free(&adj);
  /* the net belongs to the plan as planned: a second pass is refused */
  gn_resilience_report *r2 = NULL;
  assert_int_equal(GN_EINVAL, gn_resilience_augment(w.p, &o, &r2));
  assert_null(r2);
  assert_non_null(strstr(gn_ctx_errmsg(w.ctx), "street network"));
  gn_resilience_report_free(w.ctx, r);
  world_free(&w);
}

/* A class change along the ring cuts it into one trench per class, and a
 * ring over several street edges keeps every shape point. */
static void ring_is_cut_at_class_changes(void **state) {
  (void)state;
  world w;
  world_init(&w);
  /* A-B tree; ladder A-D (tertiary), D-E (residential), E-B (tertiary) */
  gn_id a = gnode(&w, 0, 0), b = gnode(&w, 2, 0);
  gn_id d = gnode(&w, 0, 1), e = gnode(&w, 2, 1);
  gedge(&w, a, b, GN_ROAD_SECONDARY);
  gedge(&w, a, d, GN_ROAD_TERTIARY);
  gedge(&w, d, e, GN_ROAD_RESIDENTIAL);
  gedge(&w, e, b, GN_ROAD_TERTIARY);
  fx_pop(w.ctx, w.p, -0.1 * U, -0.1 * U);
  gsite(&w, "S1", 2, 0, 0.1, -0.1, GN_CAT_HEALTH);
  gn_resilience_report *r = plan_and_ring(&w, GN_RESILIENCE_CRITICAL);
  assert_int_equal(1, r->protected_);
  assert_int_equal(3, r->links_added);
  double m = dist_pts(0, 0, 0, 1) + dist_pts(0, 1, 2, 1) + dist_pts(2, 1, 2, 0);
  assert_true(fabs(r->extra_m - m) < 1e-6);
  assert_int_equal(GN_ROAD_TERTIARY, trench_between(w.p, 0, 1, 0, 0)
                                         ? trench_between(w.p, 0, 1, 0, 0)->road_class
                                         : trench_between(w.p, 0, 0, 0, 1)->road_class);
  const gn_plan_trench *de = trench_between(w.p, 0, 1, 2, 1);
  if (!de) de = trench_between(w.p, 2, 1, 0, 1);
  assert_non_null(de);
  assert_int_equal(GN_ROAD_RESIDENTIAL, de->road_class);
  gn_resilience_report_free(w.ctx, r);
  world_free(&w);
}

/*
 *            (1,1) ------- (3,1)        R2 joins b and X, R1 joins a and C.
 *              |             |          The tree C-b-a-X is one trench. No
 *   C(0,0) --- b(1,0) --- a(2,0) --- X(3,0)   street route avoids all of it
 *   |                     |             (R2 re-enters it at b), but X is
 *   (0,-1) ------------- (2,-1)         2-edge-connected along the streets:
 * the trench is split at b and a, and X gets both R2 and R1.
 */
static const double crossed_xy[][2] = {{0, 0}, {1, 0},  {2, 0},
                                       {3, 0}, {1, 1},  {3, 1},
                                       {0, -1}, {2, -1}, {4, 0}};
static const int crossed_ed[][2] = {{0, 1}, {1, 2}, {2, 3}, {1, 4}, {4, 5},
                                    {5, 3}, {0, 6}, {6, 7}, {7, 2}, {3, 8}};

/* The streets above (and a dead end X-(4,0)), all residential. */
static gn_status build_crossed(gn_graph *g) {
  gn_status s = GN_OK;
  for (size_t i = 0; s == GN_OK && i < 9; i++)
    s = gn_graph_add_node(g, crossed_xy[i][0] * U, crossed_xy[i][1] * U, NULL);
  for (size_t i = 0; s == GN_OK && i < 10; i++) {
    const double *p = crossed_xy[crossed_ed[i][0]], *q = crossed_xy[crossed_ed[i][1]];
    double len = dist_pts(p[0], p[1], q[0], q[1]);
    gn_edge e = {(gn_id)crossed_ed[i][0], (gn_id)crossed_ed[i][1], len, len, 0,
                 GN_ROAD_RESIDENTIAL};
    s = gn_graph_add_edge(g, &e, NULL);
  }
  return s;
}

static void ring_around_a_trench_crossed_twice(void **state) {
  (void)state;
  world w;
  world_init(&w);
  ASSERT_OK(w.ctx, build_crossed(w.g));
  fx_pop(w.ctx, w.p, -0.1 * U, 0.1 * U);
  gsite(&w, "X", 3, 0, 0, -0.1, GN_CAT_HEALTH);
  gn_resilience_report *rep = plan_and_ring(&w, GN_RESILIENCE_CRITICAL);
  assert_int_equal(1, rep->protected_);
  assert_int_equal(0, rep->nfails);
  assert_int_equal(2, rep->links_added);
  double r1 = dist_pts(2, 0, 2, -1) + dist_pts(2, -1, 0, -1) + dist_pts(0, -1, 0, 0);
  double r2 = dist_pts(1, 0, 1, 1) + dist_pts(1, 1, 3, 1) + dist_pts(3, 1, 3, 0);
  assert_true(fabs(rep->extra_m - r1 - r2) < 1e-6);
  assert_int_equal(5, gn_plan_trench_count(w.p)); /* 3 tree pieces + 2 */
  assert_non_null(trench_between(w.p, 0, 0, 1, 0));
  assert_non_null(trench_between(w.p, 1, 0, 2, 0));
  assert_non_null(trench_between(w.p, 2, 0, 3, 0));
  fx_adj adj;
  fx_adj_build(w.p, &adj);
  assert_true(fx_survives_any_cut(w.p, &adj, gn_plan_site_get(w.p, 0)->node));
  fx_adj_free(&adj);
  gn_resilience_report_free(w.ctx, rep);
  world_free(&w);
}

/* The crossed-twice streets reached from the POP P(-1,0) through one
 * street P-C: X's trench C->X is split at b and a (it is crossed twice,
 * no street edge of it is a bridge), then P-C is found to be a street
 * bridge: X is reported, and so is Z at C, planned on the view rebuilt
 * after the splits. */
static void split_then_dead_end(void **state) {
  (void)state;
  world w;
  world_init(&w);
  ASSERT_OK(w.ctx, build_crossed(w.g));
  gn_id pp = gnode(&w, -1, 0);
  gedge(&w, pp, 0, GN_ROAD_RESIDENTIAL);
  fx_pop(w.ctx, w.p, -1.1 * U, 0.1 * U);
  gsite(&w, "X", 3, 0, 0, -0.1, GN_CAT_HEALTH);
  gsite(&w, "Z", 0, 0, 0, 0.1, GN_CAT_ADMIN);
  gn_resilience_report *rep = plan_and_ring(&w, GN_RESILIENCE_CRITICAL);
  assert_int_equal(2, rep->critical);
  assert_int_equal(0, rep->protected_);
  assert_int_equal(2, rep->nfails);
  assert_int_equal(0, rep->links_added);
  assert_int_equal(4, gn_plan_trench_count(w.p)); /* P->C, C->b, b->a, a->X */
  double m = 0;
  for (size_t t = 0; t < 4; t++) m += gn_plan_trench_get(w.p, t)->length_m;
  assert_true(fabs(m - dist_pts(-1, 0, 3, 0)) < 1e-6);
  gn_resilience_report_free(w.ctx, rep);
  world_free(&w);
}

static unsigned rnd(unsigned *s) {
  *s = *s * 1103515245u + 12345u;
  return (*s >> 8) & 0xffffu;
}

/* 10 x 10 street grid with a quarter of the edges removed, 40 sites on
 * grid points, every site critical: each site is either protected (the
 * independent check agrees) or reported; every ring point pair is a
 * street edge. */
static void grid_sites_survive_every_cut(void **state) {
  (void)state;
  world w;
  world_init(&w);
  unsigned seed = 7;
  for (int y = 0; y < 10; y++)
    for (int x = 0; x < 10; x++) gnode(&w, x, y);
  for (int y = 0; y < 10; y++)
    for (int x = 0; x < 10; x++) {
      gn_id v = (gn_id)(y * 10 + x);
      if (x < 9 && rnd(&seed) % 4) gedge(&w, v, v + 1, 1 + (int)(rnd(&seed) % 4));
      if (y < 9 && rnd(&seed) % 4) gedge(&w, v, v + 10, 1 + (int)(rnd(&seed) % 4));
    }
  fx_pop(w.ctx, w.p, 4.9 * U, 4.9 * U);
  for (int s = 0; s < 40; s++) {
    char id[16];
    snprintf(id, sizeof id, "g%d", s);
    double x = rnd(&seed) % 10, y = rnd(&seed) % 10;
    gsite(&w, id, x, y, 0.3 * (rnd(&seed) % 3) - 0.3, 0.2, GN_CAT_OTHER);
  }
  gn_resilience_report *r = plan_and_ring(&w, GN_RESILIENCE_ALL);
  fx_adj adj;
  fx_adj_build(w.p, &adj);
  size_t conn = 0, ok = 0;
  for (size_t i = 0; i < gn_plan_site_count(w.p); i++) {
    const gn_plan_site *s = gn_plan_site_get(w.p, i);
    if (s->node == GN_NONE) continue;
    conn++;
    int failed = 0;
    for (size_t f = 0; f < r->nfails; f++) failed |= r->fails[f].site == i;
    int surv = fx_survives_any_cut(w.p, &adj, s->node);
    assert_int_equal(!failed, surv);
    ok += (size_t)surv;
  }
  fx_adj_free(&adj);
  assert_int_equal(conn, r->critical);
  assert_int_equal(ok, r->protected_);
  assert_true(ok > conn / 2);
  assert_true(r->links_added > 0);
  double extra = 0;
  for (size_t t = 0; t < gn_plan_trench_count(w.p); t++) {
    const gn_plan_trench *tr = gn_plan_trench_get(w.p, t);
    if (!tr->redundant) continue;
    extra += tr->length_m;
    for (size_t q = 0; q + 1 < tr->ncoords; q++)
      assert_true(along_street(w.g, tr->coords + 2 * q, tr->coords + 2 * q + 2));
  }
  assert_true(fabs(extra - r->extra_m) < 1e-6);
  gn_cut_summary sum;
  ASSERT_OK(w.ctx, gn_cut_analyse(w.p, NULL, NULL, NULL, &sum));
  assert_int_equal(ok, sum.critical_surviving);
  print_message("grid: %zu/%zu sites protected, %zu ring trenches, %.2f km\n",
                ok, conn, r->links_added, r->extra_m / 1000);
  gn_resilience_report_free(w.ctx, r);
  world_free(&w);
}

/* A street network kept for one plan is refused for another. */
static void net_of_another_plan_is_refused(void **state) {
  (void)state;
  world w;
  world_init(&w);
  gn_id a = gnode(&w, 0, 0), b = gnode(&w, 1, 0);
  gedge(&w, a, b, GN_ROAD_RESIDENTIAL);
  fx_pop(w.ctx, w.p, 0, 0);
  gsite(&w, "S1", 1, 0, 0.1, 0.1, GN_CAT_HEALTH);
  ASSERT_OK(w.ctx, gn_graph_finalize(w.g));
  ASSERT_OK(w.ctx, gn_plan_streets_net(w.ctx, w.g, w.p, NULL, &w.net));
  gn_plan *other = NULL;
  ASSERT_OK(w.ctx, gn_plan_create(w.ctx, &other));
  fx_pop(w.ctx, other, 0, 0);
  fx_site(w.ctx, other, "S1", 1.1 * U, 0.1 * U, GN_CAT_HEALTH);
  ASSERT_OK(w.ctx, gn_plan_streets(w.ctx, w.g, other, NULL));
  gn_resilience_opts o;
  gn_resilience_opts_init(&o);
  o.streets = w.net;
  gn_resilience_report *r = NULL;
  assert_int_equal(GN_EINVAL, gn_resilience_augment(other, &o, &r));
  assert_null(r);
  gn_plan_free(other);
  world_free(&w);
}

/* The crossed-twice streets plus a dead end X-(4,0), built through ctx
 * (which may fail allocations), with critical X and Y (at the dead end). */
static gn_status oom_pipeline(gn_ctx *ctx) {
  gn_graph *g = NULL;
  gn_plan *p = NULL;
  gn_street_net *net = NULL;
  gn_resilience_report *r = NULL;
  gn_status s = gn_graph_create(ctx, 0, 0, &g);
  if (s == GN_OK) s = build_crossed(g);
  if (s == GN_OK) s = gn_graph_finalize(g);
  if (s == GN_OK) s = gn_plan_create(ctx, &p);
  gn_plan_pop pop = {"pop", NULL, -0.1 * U, 0.1 * U, GN_NONE};
  gn_plan_site x = {.id = "X", .lon = 3 * U, .lat = 0.1 * U,
                    .category = GN_CAT_HEALTH, .node = GN_NONE};
  gn_plan_site y = {.id = "Y", .lon = 4.1 * U, .lat = 0.1 * U,
                    .category = GN_CAT_ADMIN, .node = GN_NONE};
  if (s == GN_OK) s = gn_plan_add_pop(p, &pop, NULL);
  if (s == GN_OK) s = gn_plan_add_site(p, &x, NULL);
  if (s == GN_OK) s = gn_plan_add_site(p, &y, NULL);
  if (s == GN_OK) s = gn_plan_streets_net(ctx, g, p, NULL, &net);
  gn_resilience_opts o;
  gn_resilience_opts_init(&o);
  o.streets = net;
  if (s == GN_OK) s = gn_resilience_augment(p, &o, &r);
  if (s == GN_OK && (r->protected_ != 1 || r->nfails != 1)) s = GN_EINTERNAL;
  gn_resilience_report_free(ctx, r);
  gn_street_net_free(net);
  gn_plan_free(p);
  gn_graph_free(g);
  return s;
}

/* The n-th allocation fails, n = 0, 1, ... until the pipeline succeeds:
 * every failure is GN_ENOMEM and leaks nothing (ASan checks at exit). */
static void street_rings_survive_every_failed_allocation(void **state) {
  (void)state;
  long n = gn_test_each_failed_alloc(oom_pipeline);
  print_message("street rings: %ld failure points checked\n", n);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ring_follows_the_streets),
      cmocka_unit_test(ring_is_cut_at_class_changes),
      cmocka_unit_test(ring_around_a_trench_crossed_twice),
      cmocka_unit_test(split_then_dead_end),
      cmocka_unit_test(grid_sites_survive_every_cut),
      cmocka_unit_test(net_of_another_plan_is_refused),
      cmocka_unit_test(street_rings_survive_every_failed_allocation),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
