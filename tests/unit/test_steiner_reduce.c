/* test_steiner_reduce.c - Safety of the Steiner reductions (degree tests,
 * duplicate parallel edges, special-distance test): on thousands of small
 * random graphs with random terminals and small integer weights (many
 * ties), the optimum computed exactly by Dreyfus-Wagner must be the same
 * before and after the reduction, under several search limits; every
 * reduced edge must stand for a path of base edges through non-terminals
 * with the same weight; the solver's tree must be valid and never cheaper
 * than the optimum. Plus hand-made cases where the special-distance test
 * must delete an edge that the long-edge test cannot, and must not delete
 * an edge whose alternative only ties, the two-step pass of dense graphs,
 * and failing allocations at every step of the reduction. */
#include <math.h>

#include "steiner/steiner_sd.h"
#include "gn_test.h"
#include "steiner_exact.h"

typedef struct fixture {
  gn_ctx *ctx;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof(*f));
  if (!f || gn_ctx_create(&f->ctx) != GN_OK) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  gn_ctx_free(f->ctx);
  free(f);
  return 0;
}

static uint32_t find(uint32_t *p, uint32_t x) {
  while (p[x] != x) x = p[x] = p[p[x]];
  return x;
}

/* Edge f of red must stand for a path of base edges between its ends'
 * base nodes, through non-terminals only, of the same total weight. */
static void check_ancestry(const gn__sg *base, const gn__sg *red,
                           const uint32_t *aoff, const uint32_t *ae) {
  uint32_t deg[MAXN], p[MAXN];
  for (uint32_t f = 0; f < red->m; f++) {
    uint32_t a = red->orig_node[red->eu[f]], b = red->orig_node[red->ev[f]];
    double sum = 0;
    for (uint32_t v = 0; v < base->n; v++) deg[v] = 0, p[v] = v;
    for (uint32_t k = aoff[f]; k < aoff[f + 1]; k++) {
      uint32_t e = ae[k];
      deg[base->eu[e]]++;
      deg[base->ev[e]]++;
      p[find(p, base->eu[e])] = find(p, base->ev[e]);
      sum += base->w[e];
    }
    assert_true(fabs(sum - red->w[f]) < 1e-9);
    assert_true(a != b);
    assert_int_equal(deg[a], 1);
    assert_int_equal(deg[b], 1);
    for (uint32_t v = 0; v < base->n; v++) {
      if (!deg[v] || v == a || v == b) continue;
      assert_int_equal(deg[v], 2);
      assert_false(base->is_term[v]);
      assert_int_equal(find(p, v), find(p, a));
    }
    assert_int_equal(find(p, a), find(p, b));
  }
  for (uint32_t i = 0; i < red->nterm; i++)
    assert_true(base->is_term[red->orig_node[red->terms[i]]]);
}

/* On failure: the instance, for a fixture. */
static void dump(const gn__sg *base, const gn__sg *red,
                 const gn__reduce_opts *o) {
  for (uint32_t e = 0; e < base->m; e++)
    print_message("E %u %u %g\n", base->eu[e], base->ev[e], base->w[e]);
  for (uint32_t i = 0; i < base->nterm; i++)
    print_message("T %u\n", base->terms[i]);
  for (uint32_t e = 0; e < red->m; e++)
    print_message("reduced %u %u %g\n", red->orig_node[red->eu[e]],
                  red->orig_node[red->ev[e]], red->w[e]);
  print_message("rounds %d settle %u arcs %u\n", o->sd_rounds,
                o->sd.max_settle, o->sd.max_arcs);
}

/* Reduce base with o; check the optimum and the ancestry; returns the
 * number of edges the deletion tests removed. */
static uint32_t reduce_and_compare(gn_ctx *ctx, const gn__sg *base, double opt,
                                   const gn__reduce_opts *o) {
  gn__sg red;
  uint32_t *aoff = NULL, *ae = NULL;
  gn__reduce_stats st;
  ASSERT_OK(ctx, gn__sg_reduce_ex(base, &red, &aoff, &ae, o, &st));
  assert_true(red.m <= base->m);
  check_ancestry(base, &red, aoff, ae);
  double opt_red = dreyfus_wagner(&red);
  if (opt_red != opt) dump(base, &red, o);
  if (opt_red != opt)
    fail_msg("optimum %g before reduction, %g after (%u -> %u edges)", opt,
             opt_red, base->m, red.m);
  gn__sg_cleanup(&red);
  gn_free(ctx, aoff);
  gn_free(ctx, ae);
  return st.sd_deleted;
}

/* The full solver on the same instance: a valid tree of the caller's
 * graph holding every terminal, never below the optimum. */
static void solver_is_valid(gn_ctx *ctx, const instance *in, double opt) {
  gn_steiner_result *res = NULL;
  uint32_t p[MAXN];
  size_t ne, n = gn_graph_node_count(in->g);
  ASSERT_OK(ctx, gn_steiner_solve(ctx, in->g, in->terms, in->nt, NULL, &res));
  const gn_id *e = gn_steiner_result_edges(res, &ne);
  double sum = 0;
  for (uint32_t v = 0; v < n; v++) p[v] = v;
  for (size_t i = 0; i < ne; i++) {
    const gn_edge *ed = gn_graph_edge(in->g, e[i]);
    uint32_t a = find(p, ed->u), b = find(p, ed->v);
    assert_true(a != b);
    p[a] = b;
    sum += ed->weight;
  }
  for (size_t i = 1; i < in->nt; i++)
    assert_int_equal(find(p, in->terms[0]), find(p, in->terms[i]));
  assert_true(fabs(sum - gn_steiner_result_cost(res)) < 1e-9);
  assert_true(sum >= opt - 1e-9);
  gn_steiner_result_free(res);
}

/* Thousands of random instances: the optimum survives every reduction
 * setting (default limits, tiny searches, large searches, many rounds). */
static void random_graphs_keep_optimum(void **state) {
  fixture *f = *state;
  gn__rng r = {12345};
  gn__reduce_opts o[3];
  uint64_t deleted = 0;
  for (int i = 0; i < 3; i++) gn__reduce_opts_init(&o[i]);
  o[1].sd.max_settle = 2;
  o[1].sd.max_arcs = 4;
  o[2].sd_rounds = 20;
  o[2].sd.max_settle = 1000;
  o[2].sd.max_arcs = 100000;
  for (int it = 0; it < 3000; it++) {
    instance in;
    gn__sg base;
    random_instance(f->ctx, &r, &in);
    ASSERT_OK(f->ctx, gn__sg_from_graph(f->ctx, in.g, in.terms, in.nt, &base));
    double opt = dreyfus_wagner(&base);
    for (int i = 0; i < 3; i++)
      deleted += reduce_and_compare(f->ctx, &base, opt, &o[i]);
    if (it % 10 == 0) solver_is_valid(f->ctx, &in, opt);
    gn__sg_cleanup(&base);
    gn_graph_free(in.g);
  }
  print_message("special-distance tests deleted %llu edges\n",
                (unsigned long long)deleted);
  assert_true(deleted > 3000); /* the tests really ran */
}

static gn__sg *sg_from(gn_ctx *ctx, size_t n, const double (*ed)[3],
                       size_t m, const gn_id *terms, size_t nt,
                       gn_graph **g, gn__sg *sg) {
  ASSERT_OK(ctx, gn_graph_create(ctx, n, m, g));
  ASSERT_OK(ctx, gn_graph_add_nodes(*g, n));
  for (size_t i = 0; i < m; i++) {
    gn_edge e = {(gn_id)ed[i][0], (gn_id)ed[i][1], ed[i][2], ed[i][2], 0,
                 GN_ROAD_NONE};
    ASSERT_OK(ctx, gn_graph_add_edge(*g, &e, NULL));
  }
  ASSERT_OK(ctx, gn_graph_finalize(*g));
  ASSERT_OK(ctx, gn__sg_from_graph(ctx, *g, terms, nt, sg));
  return sg;
}

/* Edges left after the full reduction, and whether an edge of weight w
 * between the caller's nodes a and b survived. */
static uint32_t reduced_edges(gn_ctx *ctx, const gn__sg *base, uint32_t a,
                              uint32_t b, double w, int *kept) {
  gn__sg red;
  uint32_t *aoff, *ae;
  ASSERT_OK(ctx, gn__sg_reduce(base, &red, &aoff, &ae));
  *kept = 0;
  for (uint32_t e = 0; e < red.m; e++) {
    uint32_t x = base->orig_node[red.orig_node[red.eu[e]]];
    uint32_t y = base->orig_node[red.orig_node[red.ev[e]]];
    if (((x == a && y == b) || (x == b && y == a)) && red.w[e] == w) *kept = 1;
  }
  uint32_t m = red.m;
  gn__sg_cleanup(&red);
  gn_free(ctx, aoff);
  gn_free(ctx, ae);
  return m;
}

/* Steiner nodes 0 and 1 joined by an edge of 5 and by 0-2-1 through
 * terminal 2 (3 + 3): d(0,1) = 5, so the long-edge test keeps 0-1, but
 * the bottleneck Steiner distance is max(3, 3) = 3 < 5, so it goes. With
 * 0-1 at 3 (a tie with the bottleneck) it must stay. Terminals 3..5 hang
 * on 0 and 1 so neither is a chain node. */
static void special_distance_deletes_strictly(void **state) {
  fixture *f = *state;
  double ed[][3] = {{0, 1, 5}, {0, 2, 3}, {2, 1, 3}, {0, 3, 1},
                    {0, 4, 1}, {1, 5, 1}, {1, 6, 1}, {3, 4, 9}, {5, 6, 9}};
  static const gn_id terms[] = {2, 3, 4, 5, 6};
  gn_graph *g;
  gn__sg base;
  int kept;
  sg_from(f->ctx, 7, (const double(*)[3])ed, 9, terms, 5, &g, &base);
  /* 0-1 and the two 9-edges (3-0-4 costs 2) go, 6 edges stay */
  assert_int_equal(reduced_edges(f->ctx, &base, 0, 1, 5, &kept), 6);
  assert_false(kept);
  gn__sg_cleanup(&base);
  gn_graph_free(g);
  ed[0][2] = 3;
  sg_from(f->ctx, 7, (const double(*)[3])ed, 9, terms, 5, &g, &base);
  assert_int_equal(reduced_edges(f->ctx, &base, 0, 1, 3, &kept), 7);
  assert_true(kept);
  gn__sg_cleanup(&base);
  gn_graph_free(g);
}

/* Two parallel edges of equal weight: one goes; strictly heavier
 * parallel edges go too. */
static void parallel_edges_deduplicated(void **state) {
  fixture *f = *state;
  static const double ed[][3] = {{0, 1, 2}, {1, 0, 2}, {0, 1, 7}, {1, 2, 1},
                                 {2, 1, 1}};
  static const gn_id terms[] = {0, 2};
  gn_graph *g;
  gn__sg base;
  int kept;
  sg_from(f->ctx, 3, ed, 5, terms, 2, &g, &base);
  /* node 1 becomes a chain node: one edge 0-2 of weight 3 is left */
  assert_int_equal(reduced_edges(f->ctx, &base, 0, 2, 3, &kept), 1);
  assert_true(kept);
  gn__sg_cleanup(&base);
  gn_graph_free(g);
}

/* A dense graph (mean degree >= 8, so the two-step pass runs): K5 with
 * 0-1 at 3 and every other pair at 2, each pair doubled by a parallel
 * edge of 9. Through a Steiner node 0-x-1 costs 4 > 3: 0-1 stays (with
 * terminals 0, 1); through terminal 2 the bottleneck is 2 < 3: it goes
 * (terminals 0, 1, 2). The optimum survives both. */
static void dense_two_step(void **state) {
  fixture *f = *state;
  double ed[20][3];
  static const gn_id terms[] = {0, 1, 2};
  int m = 0, kept;
  for (int a = 0; a < 5; a++)
    for (int b = a + 1; b < 5; b++) {
      double w = a == 0 && b == 1 ? 3 : 2;
      ed[m][0] = ed[m + 1][0] = a;
      ed[m][1] = ed[m + 1][1] = b;
      ed[m][2] = w;
      ed[m + 1][2] = 9;
      m += 2;
    }
  for (size_t nt = 2; nt <= 3; nt++) {
    gn_graph *g;
    gn__sg base;
    gn__reduce_opts o;
    gn__reduce_opts_init(&o);
    sg_from(f->ctx, 5, (const double(*)[3])ed, 20, terms, nt, &g, &base);
    reduce_and_compare(f->ctx, &base, nt == 2 ? 3 : 4, &o);
    reduced_edges(f->ctx, &base, 0, 1, 3, &kept);
    assert_int_equal(kept, nt == 2);
    gn__sg_cleanup(&base);
    gn_graph_free(g);
  }
}

/* Every allocation of the reduction may fail: the result is GN_OK with
 * the right optimum or GN_ENOMEM with a message, and never a leak (ASan)
 * or a crash. The instance needs several deletion rounds. */
static void out_of_memory_is_clean(void **state) {
  (void)state;
  gn__rng r = {777};
  int ok_seen = 0, fail_seen = 0;
  for (int it = 0; it < 40; it++) {
    gn_test_failing fl = {-1};
    gn_ctx *ctx = NULL;
    instance in;
    gn__sg base, red;
    uint32_t *aoff, *ae;
    gn__reduce_stats st;
    gn__reduce_opts o;
    assert_int_equal(gn_ctx_create_with(gn_test_failing_realloc, &fl, &ctx),
                     GN_OK);
    random_instance(ctx, &r, &in);
    ASSERT_OK(ctx, gn__sg_from_graph(ctx, in.g, in.terms, in.nt, &base));
    double opt = dreyfus_wagner(&base);
    gn__reduce_opts_init(&o);
    for (long left = 0; left < 60; left++) {
      fl.left = left;
      gn_status s = gn__sg_reduce_ex(&base, &red, &aoff, &ae, &o, &st);
      fl.left = -1;
      if (s == GN_OK) {
        assert_true(dreyfus_wagner(&red) == opt);
        ok_seen++;
      } else {
        assert_int_equal(s, GN_ENOMEM);
        assert_non_null(strstr(gn_ctx_errmsg(ctx), "out of memory"));
        fail_seen++;
      }
      gn__sg_cleanup(&red);
      gn_free(ctx, aoff);
      gn_free(ctx, ae);
    }
    gn__sg_cleanup(&base);
    gn_graph_free(in.g);
    gn_ctx_free(ctx);
  }
  assert_true(ok_seen > 0 && fail_seen > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(special_distance_deletes_strictly, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(parallel_edges_deduplicated, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(dense_two_step, setup, teardown),
      cmocka_unit_test(out_of_memory_is_clean),
      cmocka_unit_test_setup_teardown(random_graphs_keep_optimum, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
