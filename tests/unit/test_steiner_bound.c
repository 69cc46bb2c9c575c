/* test_steiner_bound.c - The dual-ascent lower bound and the reduced-cost
 * test (steiner_dual.c). On 2,000 small random graphs with tied
 * integer weights and zero-weight edges: the bound never exceeds the
 * exact optimum (Dreyfus-Wagner) from every root under both session
 * rules, equals it with two terminals (dual
 * ascent is then a shortest-path computation), nor does the solver's
 * (several roots, rounds of deletions against its own tree), and deleting what the
 * reduced-cost test excludes against the optimum itself (the tightest
 * upper bound) keeps the optimum. On every SteinLib B and C instance and
 * the Vienna instances of <= 12,000 edges (known optima): the bound is
 * at most the optimum and at least 90 % of it, and the public API
 * (opts.bound; SteinLib B and the two Vienna instances of <= 4,000
 * edges, to keep the ASan run short) returns a bound below the optimum
 * and its tree's cost. */
#include <stdlib.h>
#include <string.h>

#include "steiner/steiner_dual.h"
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

/* The subgraph of the edges with ok[e], as a solver graph. */
static void masked(gn_ctx *ctx, const gn__sg *g, const uint8_t *ok,
                   gn__sg *out) {
  gn_graph *h = NULL;
  gn_id terms[MAXK];
  ASSERT_OK(ctx, gn_graph_create(ctx, g->n, g->m, &h));
  ASSERT_OK(ctx, gn_graph_add_nodes(h, g->n));
  for (uint32_t e = 0; e < g->m; e++) {
    if (!ok[e]) continue;
    gn_edge ed = {g->eu[e], g->ev[e], g->w[e], g->w[e], 0, GN_ROAD_NONE};
    ASSERT_OK(ctx, gn_graph_add_edge(h, &ed, NULL));
  }
  ASSERT_OK(ctx, gn_graph_finalize(h));
  for (uint32_t i = 0; i < g->nterm; i++) terms[i] = g->terms[i];
  ASSERT_OK(ctx, gn__sg_from_graph(ctx, h, terms, g->nterm, out));
  gn_graph_free(h);
}

/* Terminals of a masked graph must still share one component. */
static int connected(const gn__sg *g) {
  uint32_t seen[MAXN] = {0}, stack[MAXN], top = 0;
  stack[top++] = g->terms[0];
  seen[g->terms[0]] = 1;
  while (top) {
    uint32_t v = stack[--top];
    for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++)
      if (!seen[g->adj_v[k]]) {
        seen[g->adj_v[k]] = 1;
        stack[top++] = g->adj_v[k];
      }
  }
  for (uint32_t i = 0; i < g->nterm; i++)
    if (!seen[g->terms[i]]) return 0;
  return 1;
}

static void random_graphs(void **state) {
  fixture *f = *state;
  gn__rng r = {777};
  uint64_t deleted = 0;
  int exact2 = 0, tight = 0, solver_tight = 0;
  for (int it = 0; it < 2000; it++) {
    instance in;
    gn__sg base, red;
    random_instance(f->ctx, &r, &in);
    ASSERT_OK(f->ctx, gn__sg_from_graph(f->ctx, in.g, in.terms, in.nt, &base));
    double opt = dreyfus_wagner(&base);
    for (uint32_t j = 0; j < 2 * base.nterm; j++) {
      gn__dual d;
      uint32_t i = j / 2; /* each root with both session rules */
      if (j % 2)
        ASSERT_OK(f->ctx, gn__dual_ascent_ex(&base, base.terms[i], UINT64_MAX,
                                             1.1, 2, &d));
      else
        ASSERT_OK(f->ctx,
                  gn__dual_ascent(&base, base.terms[i], UINT64_MAX, &d));
      if (d.lb > opt + 1e-9)
        fail_msg("instance %d root %u: bound %.12g above optimum %.12g", it,
                 i, d.lb, opt);
      tight += d.lb >= opt - 1e-6;
      if (base.nterm == 2) {
        assert_true(d.lb >= opt - 1e-6); /* a shortest path */
        exact2++;
      }
      uint8_t ok[6 * MAXN * MAXN];
      uint32_t ndel;
      assert_true(base.m < sizeof ok);
      memset(ok, 1, base.m);
      ASSERT_OK(f->ctx, gn__dual_reduce(&base, &d, opt, ok, &ndel));
      gn__dual_cleanup(&d);
      deleted += ndel;
      masked(f->ctx, &base, ok, &red);
      assert_true(connected(&red));
      double o2 = dreyfus_wagner(&red);
      if (o2 != opt)
        fail_msg("instance %d root %u: optimum %.12g -> %.12g after the "
                 "reduced-cost test deleted %u edges", it, i, opt, o2, ndel);
      gn__sg_cleanup(&red);
    }
    /* the solver's rounds: dual ascents from several roots, deletions
     * against its own tree, ascents again on the smaller graph */
    gn_steiner_opts o;
    gn_steiner_result *res = NULL;
    gn_steiner_opts_init(&o);
    o.quality = 0;
    o.bound = 1;
    o.seed = (uint64_t)it;
    ASSERT_OK(f->ctx, gn_steiner_solve(f->ctx, in.g, in.terms, in.nt, &o,
                                       &res));
    double lb = gn_steiner_result_lower_bound(res);
    double c = gn_steiner_result_cost(res);
    if (lb > opt + 1e-9 || c < opt - 1e-9)
      fail_msg("instance %d: solver bound %.12g, tree %.12g, optimum %.12g",
               it, lb, c, opt);
    solver_tight += lb >= opt - 1e-6;
    gn_steiner_result_free(res);
    gn__sg_cleanup(&base);
    gn_graph_free(in.g);
  }
  print_message("reduced-cost test deleted %llu edges; bound = optimum in "
                "%d runs, %d solver runs; %d two-terminal runs\n",
                (unsigned long long)deleted, tight, solver_tight, exact2);
  assert_true(deleted > 5000); /* the test really deletes */
  assert_true(exact2 > 50);
}

/* Instances of a data set (file,optimum,...) selected by keep(). */
typedef int (*keep_fn)(const char *file, long edges);

static int keep_steinlib(const char *file, long edges) {
  (void)edges;
  return strstr(file, "/B/") || strstr(file, "/C/");
}

static int keep_vienna(const char *file, long edges) {
  (void)file;
  return edges <= 12000;
}

static int bound_on_set(gn_ctx *ctx, const char *set, keep_fn keep,
                        int solve) {
  char buf[320], path[1024], line[512];
  snprintf(buf, sizeof buf, "steiner/%s.csv", set);
  if (!gn_test_data(path, sizeof path, buf)) return 0;
  FILE *csv = fopen(path, "r");
  assert_non_null(csv);
  int n = 0;
  while (fgets(line, sizeof line, csv)) {
    char file[256];
    double opt;
    long nodes, edges;
    if (sscanf(line, "%255[^,],%lf,%ld,%ld", file, &opt, &nodes, &edges) != 4 ||
        !keep(file, edges))
      continue;
    snprintf(buf, sizeof buf, "steiner/%s", file);
    assert_non_null(gn_test_data(path, sizeof path, buf));
    gn_graph *g = NULL;
    gn_id *terms = NULL;
    size_t nt = 0;
    ASSERT_OK(ctx, gn_stp_read(ctx, path, &g, &terms, &nt));
    gn__sg base, red;
    uint32_t *aoff, *ae;
    ASSERT_OK(ctx, gn__sg_from_graph(ctx, g, terms, nt, &base));
    ASSERT_OK(ctx, gn__sg_reduce(&base, &red, &aoff, &ae));
    gn__dual d;
    ASSERT_OK(ctx, gn__dual_ascent(&red, red.terms[0], 100000000, &d));
    if (d.lb > opt * (1 + 1e-9) || d.lb < 0.9 * opt)
      fail_msg("%s: bound %.10g, optimum %.10g", file, d.lb, opt);
    gn__dual_cleanup(&d);
    if (solve && (strstr(file, "/B/") || edges <= 4000)) {
      gn_steiner_opts o;
      gn_steiner_result *res = NULL;
      gn_steiner_opts_init(&o);
      o.quality = 0;
      o.bound = 1;
      ASSERT_OK(ctx, gn_steiner_solve(ctx, g, terms, nt, &o, &res));
      double lb = gn_steiner_result_lower_bound(res);
      double c = gn_steiner_result_cost(res);
      if (!(lb > 0) || lb > opt * (1 + 1e-9) || c < opt * (1 - 1e-9))
        fail_msg("%s: solver bound %.10g, cost %.10g, optimum %.10g", file,
                 lb, c, opt);
      gn_steiner_result_free(res);
    }
    gn__sg_cleanup(&red);
    gn__sg_cleanup(&base);
    gn_free(ctx, aoff);
    gn_free(ctx, ae);
    gn_free(ctx, terms);
    gn_graph_free(g);
    n++;
  }
  fclose(csv);
  return n;
}

static void known_optima(void **state) {
  fixture *f = *state;
  int a = bound_on_set(f->ctx, "steinlib", keep_steinlib, 1);
  int b = bound_on_set(f->ctx, "vienna", keep_vienna, 1);
  print_message("bound checked on %d SteinLib and %d Vienna instances\n", a,
                b);
  if (a) assert_int_equal(a, 38);
  if (b) assert_true(b >= 5);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(random_graphs, setup, teardown),
      cmocka_unit_test_setup_teardown(known_optima, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
