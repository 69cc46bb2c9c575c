/* test_steiner.c - STP reader and Steiner tree solver: hand-made graphs
 * with known optima, malformed STP files, infeasible input, and a large
 * grid. Every solution goes through check_tree(), which verifies the
 * tree property independently of the solver. */
#include <math.h>
#include <unistd.h>

#include "gn_test.h"

typedef struct fixture {
  gn_ctx *ctx;
  char dir[64];
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof(*f));
  if (!f || gn_ctx_create(&f->ctx) != GN_OK) return -1;
  snprintf(f->dir, sizeof(f->dir), "/tmp/gn_test_steiner_XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  gn_ctx_free(f->ctx);
  rmdir(f->dir);
  free(f);
  return 0;
}

static int uf_find(int *p, int x) {
  while (p[x] != x) x = p[x] = p[p[x]];
  return x;
}

/* Independent checker: edges exist, no cycle, one component holding all
 * terminals, cost = sum of weights. Returns the recomputed cost. */
static double check_tree(const gn_graph *g, const gn_id *terms, size_t nt,
                         const gn_steiner_result *r) {
  size_t n = gn_graph_node_count(g), ne = 0;
  const gn_id *e = gn_steiner_result_edges(r, &ne);
  int *p = malloc(n * sizeof(int));
  assert_non_null(p);
  for (size_t i = 0; i < n; i++) p[i] = (int)i;
  double sum = 0;
  for (size_t i = 0; i < ne; i++) {
    assert_true(e[i] < gn_graph_edge_count(g));
    const gn_edge *ed = gn_graph_edge(g, e[i]);
    int a = uf_find(p, (int)ed->u), b = uf_find(p, (int)ed->v);
    assert_true(a != b); /* no cycle, no repeated edge */
    p[a] = b;
    sum += ed->weight;
  }
  for (size_t i = 1; i < nt; i++)
    assert_int_equal(uf_find(p, (int)terms[0]), uf_find(p, (int)terms[i]));
  if (ne > 0) { /* every tree node in the terminals' component */
    for (size_t i = 0; i < ne; i++) {
      const gn_edge *ed = gn_graph_edge(g, e[i]);
      assert_int_equal(uf_find(p, (int)terms[0]), uf_find(p, (int)ed->u));
    }
  }
  free(p);
  assert_true(fabs(sum - gn_steiner_result_cost(r)) <= 1e-9 * (1 + sum));
  return sum;
}

static gn_graph *make_graph(gn_ctx *ctx, size_t n, const double (*ed)[3],
                            size_t m) {
  gn_graph *g = NULL;
  ASSERT_OK(ctx, gn_graph_create(ctx, n, m, &g));
  ASSERT_OK(ctx, gn_graph_add_nodes(g, n));
  for (size_t i = 0; i < m; i++) {
    gn_edge e = {(gn_id)ed[i][0], (gn_id)ed[i][1], ed[i][2], ed[i][2], 0,
                 GN_ROAD_NONE};
    ASSERT_OK(ctx, gn_graph_add_edge(g, &e, NULL));
  }
  ASSERT_OK(ctx, gn_graph_finalize(g));
  return g;
}

static double solve_cost(gn_ctx *ctx, const gn_graph *g, const gn_id *t,
                         size_t nt, int quality) {
  gn_steiner_opts o;
  gn_steiner_result *r = NULL;
  gn_steiner_opts_init(&o);
  o.quality = quality;
  ASSERT_OK(ctx, gn_steiner_solve(ctx, g, t, nt, &o, &r));
  double c = check_tree(g, t, nt, r);
  gn_steiner_result_free(r);
  return c;
}

/* A star whose centre is a Steiner node: the optimum (3 x 1.5 = 4.5) uses
 * it, the terminal-only triangle costs 2 x 2.5 = 5. */
static void star_uses_steiner_node(void **state) {
  fixture *f = *state;
  static const double ed[][3] = {{0, 1, 2.5}, {1, 2, 2.5}, {0, 2, 2.5},
                                 {3, 0, 1.5}, {3, 1, 1.5}, {3, 2, 1.5}};
  gn_graph *g = make_graph(f->ctx, 4, ed, 6);
  gn_id t[] = {0, 1, 2};
  for (int q = 0; q < 3; q++)
    assert_true(fabs(solve_cost(f->ctx, g, t, 3, q) - 4.5) < 1e-12);
  gn_graph_free(g);
}

/* The SPH trap: from terminal 0 the greedy path picks the cheap direct
 * edges, the optimum goes through hub 5. Terminals 0..3 on a ring with
 * edges 1.9, hub 5 at 1.0 from each: optimum 4.0 (SPH from 0 gives 5.7).
 * Node 4 hangs off terminal 0 and must never be used. */
static void hub_beats_ring(void **state) {
  fixture *f = *state;
  static const double ed[][3] = {{0, 1, 1.9}, {1, 2, 1.9}, {2, 3, 1.9},
                                 {3, 0, 1.9}, {5, 0, 1.0}, {5, 1, 1.0},
                                 {5, 2, 1.0}, {5, 3, 1.0}, {4, 0, 0.1}};
  gn_graph *g = make_graph(f->ctx, 6, ed, 9);
  gn_id t[] = {0, 1, 2, 3};
  for (int q = 0; q < 3; q++)
    assert_true(fabs(solve_cost(f->ctx, g, t, 4, q) - 4.0) < 1e-12);
  gn_graph_free(g);
}

/* Duplicate terminals, a single terminal, zero-weight edges. */
static void duplicates_and_trivial(void **state) {
  fixture *f = *state;
  static const double ed[][3] = {{0, 1, 0.25}, {1, 2, 0}, {2, 3, 0.5}};
  gn_graph *g = make_graph(f->ctx, 4, ed, 3);
  gn_id dup[] = {3, 0, 3, 0, 0};
  assert_true(fabs(solve_cost(f->ctx, g, dup, 5, 1) - 0.75) < 1e-12);
  gn_id one[] = {2, 2};
  assert_true(solve_cost(f->ctx, g, one, 2, 1) == 0);
  gn_graph_free(g);
}

/* Street-like chains: shape nodes of degree 2, dead ends and a loop hang
 * off the terminals; the reductions contract them and the answer must
 * expand back to the original edges. Terminals 0, 3, 6; the optimum is
 * the path 0-1-2-3 (3) plus 3-4-5-6 (3) = 6, not the long way 0-7-8-6
 * (3 x 2.5 = 7.5) and not the dead end 2-9-10 or the loop 4-11-12-4. */
static void chains_are_contracted(void **state) {
  fixture *f = *state;
  static const double ed[][3] = {
      {0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {3, 4, 1}, {4, 5, 1}, {5, 6, 1},
      {0, 7, 2.5}, {7, 8, 2.5}, {8, 6, 2.5}, {2, 9, 0.5}, {9, 10, 0.5},
      {4, 11, 0.1}, {11, 12, 0.1}, {12, 4, 0.1}, {13, 13, 1}};
  gn_graph *g = make_graph(f->ctx, 14, ed, 15);
  gn_id t[] = {0, 3, 6};
  for (int q = 0; q < 3; q++)
    assert_true(fabs(solve_cost(f->ctx, g, t, 3, q) - 6.0) < 1e-12);
  gn_graph_free(g);
}

static void infeasible_names_terminal(void **state) {
  fixture *f = *state;
  static const double ed[][3] = {{0, 1, 1}, {2, 3, 1}};
  gn_graph *g = make_graph(f->ctx, 4, ed, 2);
  gn_id t[] = {0, 1, 3};
  gn_steiner_result *r = NULL;
  assert_int_equal(GN_EINFEASIBLE, gn_steiner_solve(f->ctx, g, t, 3, NULL, &r));
  assert_null(r);
  assert_non_null(strstr(gn_ctx_errmsg(f->ctx), "terminal node 3"));
  gn_id bad[] = {0, 9};
  assert_int_equal(GN_EINVAL, gn_steiner_solve(f->ctx, g, bad, 2, NULL, &r));
  assert_int_equal(GN_EINVAL, gn_steiner_solve(f->ctx, g, t, 0, NULL, &r));
  gn_graph_free(g);
}

/* Same seed, same tree. */
static void deterministic_per_seed(void **state) {
  fixture *f = *state;
  enum { W = 40 };
  double(*ed)[3] = malloc(2 * W * W * sizeof(*ed));
  size_t m = 0;
  for (int y = 0; y < W; y++)
    for (int x = 0; x < W; x++) {
      double w1 = 1 + ((x * 7 + y * 13) % 10) / 3.0;
      double w2 = 1 + ((x * 11 + y * 5) % 10) / 7.0;
      if (x + 1 < W) { ed[m][0] = y * W + x; ed[m][1] = y * W + x + 1; ed[m++][2] = w1; }
      if (y + 1 < W) { ed[m][0] = y * W + x; ed[m][1] = (y + 1) * W + x; ed[m++][2] = w2; }
    }
  gn_graph *g = make_graph(f->ctx, W * W, (const double(*)[3])ed, m);
  gn_id t[30];
  for (int i = 0; i < 30; i++) t[i] = (gn_id)((i * 397 + 11) % (W * W));
  double a = solve_cost(f->ctx, g, t, 30, 1);
  double b = solve_cost(f->ctx, g, t, 30, 1);
  assert_true(a == b);
  assert_true(solve_cost(f->ctx, g, t, 30, 2) <= solve_cost(f->ctx, g, t, 30, 0));
  gn_graph_free(g);
  free(ed);
}

static const char *write_file(fixture *f, const char *name, const char *text) {
  static char path[128];
  snprintf(path, sizeof(path), "%s/%s", f->dir, name);
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  fputs(text, fp);
  fclose(fp);
  return path;
}

static void stp_reads_steinlib_and_pace(void **state) {
  fixture *f = *state;
  const char *stp =
      "33D32945 STP File, STP Format Version 1.0\n"
      "SECTION Comment\nName \"tiny test\"\nEND\n\n"
      "SECTION Graph\nNodes 4\nEdges 4\nE 1 2 3\nE 2 3 1.5\n"
      "E 3 4 2 # trailing comment\ne 1 4 10\nEND\n\n"
      "# a comment line\nSECTION Terminals\nTerminals 2\nT 1\nT 4\nEND\n\nEOF\n";
  const char *path = write_file(f, "ok.stp", stp);
  gn_graph *g = NULL;
  gn_id *t = NULL;
  size_t nt = 0;
  ASSERT_OK(f->ctx, gn_stp_read(f->ctx, path, &g, &t, &nt));
  assert_int_equal(4, gn_graph_node_count(g));
  assert_int_equal(4, gn_graph_edge_count(g));
  assert_int_equal(2, nt);
  assert_int_equal(3, t[1]);
  assert_true(gn_graph_edge(g, 1)->weight == 1.5);
  assert_true(fabs(solve_cost(f->ctx, g, t, nt, 1) - 6.5) < 1e-12);
  gn_free(f->ctx, t);
  gn_graph_free(g);
  unlink(path);
}

static void expect_stp_error(fixture *f, const char *text, gn_status want,
                             const char *msg) {
  const char *path = write_file(f, "bad.stp", text);
  gn_graph *g = NULL;
  gn_id *t = NULL;
  size_t nt = 0;
  gn_status s = gn_stp_read(f->ctx, path, &g, &t, &nt);
  if (s != want || !strstr(gn_ctx_errmsg(f->ctx), msg))
    fail_msg("want %s '%s', got %s '%s'", gn_status_name(want), msg,
             gn_status_name(s), gn_ctx_errmsg(f->ctx));
  assert_null(g);
  assert_null(t);
  unlink(path);
}

static void stp_rejects_malformed(void **state) {
  fixture *f = *state;
  expect_stp_error(f, "SECTION Terminals\nT 1\nEND\n", GN_EFORMAT,
                   "before SECTION Graph");
  expect_stp_error(f, "SECTION Graph\nNodes 2\nE 1 2 1\nEND\nEOF\n",
                   GN_EFORMAT, "no SECTION Terminals");
  expect_stp_error(f, "SECTION Graph\nNodes 2\nE 1 3 1\nEND\n", GN_EFORMAT,
                   "line 3: node 3 out of range 1..2");
  expect_stp_error(f, "SECTION Graph\nNodes 2\nE 1 2 -4\nEND\n", GN_EFORMAT,
                   "line 3: edge weight must be finite and >= 0");
  expect_stp_error(f, "SECTION Graph\nNodes 2\nE 1 2 x\nEND\n", GN_EFORMAT,
                   "bad edge weight x");
  expect_stp_error(f, "SECTION Graph\nE 1 2 1\nEND\n", GN_EFORMAT,
                   "before 'Nodes'");
  expect_stp_error(f, "SECTION Graph\nNodes 2\nEdges 2\nE 1 2 1\nEND\n",
                   GN_EFORMAT, "2 declared, 1 found");
  expect_stp_error(f, "SECTION Graph\nNodes 2\nE 1 2 1\nEND\n"
                   "SECTION Terminals\nTerminals 0\nEND\n", GN_EFORMAT,
                   "lists no terminal");
  expect_stp_error(f, "SECTION Graph\nNodes 2\nE 1 2 1\n", GN_EFORMAT,
                   "missing END");
  expect_stp_error(f, "SECTION Graph\nNodes 2\nE 1 2 1\nEND\n"
                   "SECTION Terminals\nT 5\nEND\n", GN_EFORMAT,
                   "node 5 out of range");
  expect_stp_error(f, "hello\n", GN_EFORMAT, "line 1: unexpected line");
  char path[160];
  snprintf(path, sizeof(path), "%s/absent.stp", f->dir);
  gn_graph *g = NULL;
  gn_id *t = NULL;
  size_t nt = 0;
  assert_int_equal(GN_EIO, gn_stp_read(f->ctx, path, &g, &t, &nt));
  assert_non_null(strstr(gn_ctx_errmsg(f->ctx), "absent.stp"));
}

/* A street-like 550 x 550 grid (302,500 nodes) with 500 terminals and
 * non-integer weights: the fast setting must return a valid tree. */
/* A W x W grid, edges right then down in row order, each weighed by
 * weight(r) of the next value r of a 64-bit LCG started at seed. */
static gn_graph *lcg_grid(gn_ctx *ctx, int W, uint64_t seed,
                          double (*weight)(uint64_t)) {
  gn_graph *g = NULL;
  ASSERT_OK(ctx, gn_graph_create(ctx, (size_t)W * W, 2 * (size_t)W * W, &g));
  ASSERT_OK(ctx, gn_graph_add_nodes(g, (size_t)W * W));
  for (int i = 0; i < W * W; i++)
    for (int d = 0; d < 2; d++) {
      int j = d == 0 ? i + 1 : i + W;
      if ((d == 0 && i % W == W - 1) || j >= W * W) continue;
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      double w = weight(seed);
      gn_edge e = {(gn_id)i, (gn_id)j, w, w, 0, GN_ROAD_NONE};
      ASSERT_OK(ctx, gn_graph_add_edge(g, &e, NULL));
    }
  ASSERT_OK(ctx, gn_graph_finalize(g));
  return g;
}

static double small_int_weight(uint64_t r) { return (double)(1 + (r >> 60)); }

static double street_like_weight(uint64_t r) {
  return 50.0 + (double)(r >> 40) / (double)(1ull << 24) * 100.0;
}

/* Threads: each worker searches with its own seed (seed + i x golden
 * ratio constant) and the best tree wins, ties to the first; so two
 * threads give exactly the better of the two single-thread runs. */
static void threads_take_best_worker(void **state) {
  fixture *f = *state;
  enum { W = 24 };
  gn_graph *g = lcg_grid(f->ctx, W, 99, small_int_weight);
  gn_id t[40];
  for (int i = 0; i < 40; i++) t[i] = (gn_id)(((uint64_t)i * 7919u) % (W * W));
  double c[3];
  for (int k = 0; k < 3; k++) {
    gn_steiner_opts o;
    gn_steiner_result *r = NULL;
    gn_steiner_opts_init(&o);
    o.quality = 0; /* one restart each: seeds differ in their outcome */
    o.seed = 5 + (k == 1 ? 0x9e3779b97f4a7c15ull : 0);
    o.threads = k == 2 ? 2 : 1;
    ASSERT_OK(f->ctx, gn_steiner_solve(f->ctx, g, t, 40, &o, &r));
    c[k] = check_tree(g, t, 40, r);
    gn_steiner_result_free(r);
  }
  assert_true(c[2] == (c[1] < c[0] ? c[1] : c[0]));
  gn_graph_free(g);
}

static void large_grid_fast(void **state) {
  fixture *f = *state;
  enum { W = 550 };
  gn_graph *g = lcg_grid(f->ctx, W, 12345, street_like_weight);
  gn_id t[500];
  for (int i = 0; i < 500; i++) t[i] = (gn_id)(((uint64_t)i * 104729u) % (W * W));
  solve_cost(f->ctx, g, t, 500, 0);
  gn_graph_free(g);
}

/* A 160 x 160 street-like grid with 40 terminals (one per 640 nodes):
 * restart 0 would take over an eighth of the default budget, so the
 * default runs the core search (the union of sampled trees, searched by
 * a nested solver) from restart 0's tree, the tree the fast setting
 * descends from. The default must come out cheaper than fast by more
 * than 1 % (it does by 1.3 %: 81,347 against 82,418; the sampling
 * schedule alone reached 81,669, 0.9 %); both valid. */
static void large_grid_default_not_worse(void **state) {
  fixture *f = *state;
  enum { W = 160 };
  gn_graph *g = lcg_grid(f->ctx, W, 777, street_like_weight);
  gn_id t[40];
  for (int i = 0; i < 40; i++) t[i] = (gn_id)(((uint64_t)i * 15511u) % (W * W));
  double fast = solve_cost(f->ctx, g, t, 40, 0);
  double def = solve_cost(f->ctx, g, t, 40, 1);
  assert_true(def < fast * 0.99);
  gn_graph_free(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(star_uses_steiner_node, setup, teardown),
      cmocka_unit_test_setup_teardown(hub_beats_ring, setup, teardown),
      cmocka_unit_test_setup_teardown(duplicates_and_trivial, setup, teardown),
      cmocka_unit_test_setup_teardown(chains_are_contracted, setup, teardown),
      cmocka_unit_test_setup_teardown(infeasible_names_terminal, setup, teardown),
      cmocka_unit_test_setup_teardown(deterministic_per_seed, setup, teardown),
      cmocka_unit_test_setup_teardown(stp_reads_steinlib_and_pace, setup, teardown),
      cmocka_unit_test_setup_teardown(stp_rejects_malformed, setup, teardown),
      cmocka_unit_test_setup_teardown(large_grid_fast, setup, teardown),
      cmocka_unit_test_setup_teardown(large_grid_default_not_worse, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(threads_take_best_worker, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
