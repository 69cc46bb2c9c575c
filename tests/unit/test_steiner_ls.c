/* test_steiner_ls.c - The solver's local search (steiner_local.c and the
 * evaluation pass of steiner_vpass.c), checked from the inside on random
 * graphs with tied integer weights: starting from a poor tree (MST of all
 * nodes, pruned) it must end with a tree over all terminals, never cost
 * more, and be a true local optimum. That last check is independent of
 * the pass: for every key path of the result a plain Dijkstra between the
 * two halves, and for every Steiner branch node an MST over the pieces'
 * shortest-path distances, must not beat what they would replace. */
#include <math.h>

#include "steiner/steiner_int.h"
#include "gn_test.h"

#define NIL UINT32_MAX

typedef struct inst {
  gn_ctx *ctx;
  gn__sg sg;
  gn__sw w;
  gn__st_tree t;
  gn__ls ls;
  uint8_t *in_node, *in_edge;
} inst;

static uint64_t rng(uint64_t *s) {
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return *s >> 33;
}

/* Connected random graph: a random spanning tree plus extra edges. */
static gn_graph *random_graph(gn_ctx *ctx, uint32_t n, uint32_t extra,
                              uint64_t *s) {
  gn_graph *g = NULL;
  ASSERT_OK(ctx, gn_graph_create(ctx, n, n + extra, &g));
  ASSERT_OK(ctx, gn_graph_add_nodes(g, n));
  for (uint32_t i = 0; i < n - 1 + extra; i++) {
    uint32_t u = i < n - 1 ? i + 1 : (uint32_t)(rng(s) % n);
    uint32_t v = i < n - 1 ? (uint32_t)(rng(s) % (i + 1)) : (uint32_t)(rng(s) % n);
    if (u == v) continue;
    double w = (double)(1 + rng(s) % 10);
    gn_edge e = {u, v, w, w, 0, GN_ROAD_NONE};
    ASSERT_OK(ctx, gn_graph_add_edge(g, &e, NULL));
  }
  ASSERT_OK(ctx, gn_graph_finalize(g));
  return g;
}

static void inst_open(inst *in, gn_ctx *ctx, const gn_graph *g,
                      const gn_id *terms, size_t nt) {
  memset(in, 0, sizeof(*in));
  in->ctx = ctx;
  ASSERT_OK(ctx, gn__sg_from_graph(ctx, g, terms, nt, &in->sg));
  uint32_t n = in->sg.n, m = in->sg.m;
  in->in_node = calloc(n + 1, 1);
  in->in_edge = calloc(m + 1, 1);
  assert_non_null(in->in_node);
  assert_non_null(in->in_edge);
  ASSERT_OK(ctx, gn__sw_init(ctx, &in->w, n));
  ASSERT_OK(ctx, gn__st_tree_init(ctx, &in->t, n));
  ASSERT_OK(ctx, gn__ls_init(&in->ls, &in->sg, &in->w, &in->t, in->in_node,
                             in->in_edge));
}

static void inst_close(inst *in) {
  gn__ls_cleanup(&in->ls);
  gn__st_tree_cleanup(in->ctx, &in->t);
  gn__sw_cleanup(in->ctx, &in->w);
  gn__sg_cleanup(&in->sg);
  free(in->in_node);
  free(in->in_edge);
}

static double tree_cost(const inst *in) {
  double c = 0;
  for (uint32_t e = 0; e < in->sg.m; e++)
    if (in->in_edge[e]) c += in->sg.w[e];
  return c;
}

static int is_key(const inst *in, uint32_t x) {
  return in->sg.is_term[x] || in->t.deg[x] >= 3 || x == in->t.root;
}

/* Shortest path from any node with piece[] == a to one with piece[] == b
 * over nodes with piece[] == -1 (free) in between. */
static double piece_dist(const inst *in, const int *piece, int a, int b) {
  const gn__sg *sg = &in->sg;
  double *d = malloc(sg->n * sizeof(double));
  uint8_t *done = calloc(sg->n, 1);
  assert_non_null(d);
  assert_non_null(done);
  for (uint32_t v = 0; v < sg->n; v++) d[v] = piece[v] == a ? 0 : INFINITY;
  double best = INFINITY;
  for (;;) { /* O(n^2) Dijkstra: small graphs, obviously right */
    uint32_t v = NIL;
    for (uint32_t x = 0; x < sg->n; x++)
      if (!done[x] && d[x] < INFINITY && (v == NIL || d[x] < d[v])) v = x;
    if (v == NIL) break;
    done[v] = 1;
    if (piece[v] == b) {
      best = d[v];
      break;
    }
    if (piece[v] != a && piece[v] != -1) continue; /* other pieces block */
    for (uint32_t k = sg->off[v]; k < sg->off[v + 1]; k++) {
      uint32_t y = sg->adj_v[k];
      if (d[v] + sg->adj_w[k] < d[y]) d[y] = d[v] + sg->adj_w[k];
    }
  }
  free(d);
  free(done);
  return best;
}

/* Walk from key vertex x up its key path; marks the interior in gone and
 * returns the path cost; *top = the key vertex above. */
static double walk_up(const inst *in, uint32_t x, uint8_t *gone,
                      uint32_t *top) {
  double c = 0;
  for (;;) {
    c += in->sg.w[in->t.pedge[x]];
    x = in->t.par[x];
    if (is_key(in, x)) break;
    gone[x] = 1;
  }
  *top = x;
  return c;
}

static void assert_key_paths_optimal(const inst *in) {
  const gn__sg *sg = &in->sg;
  uint8_t *gone = calloc(sg->n, 1);
  int *piece = malloc(sg->n * sizeof(int));
  assert_non_null(gone);
  assert_non_null(piece);
  for (uint32_t x = 0; x < sg->n; x++) {
    if (in->t.tin[x] == NIL || x == in->t.root || !is_key(in, x)) continue;
    memset(gone, 0, sg->n);
    uint32_t top;
    double c = walk_up(in, x, gone, &top);
    (void)top;
    /* the path's interior is free ground again; x's subtree is one
     * half, the rest of the tree the other */
    for (uint32_t v = 0; v < sg->n; v++) {
      piece[v] = -1;
      if (in->t.tin[v] != NIL && !gone[v])
        piece[v] = gn__st_in_sub(&in->t, x, v) ? 0 : 1;
    }
    double d = piece_dist(in, piece, 0, 1);
    assert_true(d >= c - 1e-9);
  }
  free(gone);
  free(piece);
}

static uint32_t uf(uint32_t *p, uint32_t x) {
  while (p[x] != x) x = p[x] = p[p[x]];
  return x;
}

static void assert_key_vertices_optimal(const inst *in) {
  const gn__sg *sg = &in->sg;
  uint8_t *gone = calloc(sg->n, 1);
  int *piece = malloc(sg->n * sizeof(int));
  assert_non_null(gone);
  assert_non_null(piece);
  for (uint32_t z = 0; z < sg->n; z++) {
    if (in->t.tin[z] == NIL || sg->is_term[z] || in->t.deg[z] < 3 ||
        z == in->t.root)
      continue;
    memset(gone, 0, sg->n);
    uint32_t ends[16], ne = 0, top;
    double c = walk_up(in, z, gone, &top);
    ends[ne++] = top;
    for (uint32_t k = sg->off[z]; k < sg->off[z + 1] && ne < 16; k++) {
      uint32_t y = sg->adj_v[k];
      if (!in->in_edge[sg->adj_e[k]] || in->t.par[y] != z) continue;
      uint32_t x = y;
      c += sg->w[sg->adj_e[k]];
      while (!is_key(in, x)) { /* down the chain */
        gone[x] = 1;
        for (uint32_t j = sg->off[x]; j < sg->off[x + 1]; j++)
          if (in->in_edge[sg->adj_e[j]] && in->t.par[sg->adj_v[j]] == x) {
            c += sg->w[sg->adj_e[j]];
            x = sg->adj_v[j];
            break;
          }
      }
      ends[ne++] = x;
    }
    gone[z] = 1;
    for (uint32_t v = 0; v < sg->n; v++) piece[v] = -1;
    for (uint32_t v = 0; v < sg->n; v++) {
      if (in->t.tin[v] == NIL || gone[v]) continue;
      piece[v] = 0;
      for (uint32_t i = 1; i < ne; i++)
        if (gn__st_in_sub(&in->t, ends[i], v)) piece[v] = (int)i;
    }
    /* MST over the pieces with exact shortest-path distances */
    uint32_t p[16];
    double dist[16][16], mst = 0;
    for (uint32_t i = 0; i < ne; i++) {
      p[i] = i;
      for (uint32_t j = i + 1; j < ne; j++)
        dist[i][j] = piece_dist(in, piece, (int)i, (int)j);
    }
    for (uint32_t step = 1; step < ne; step++) {
      double best = INFINITY;
      uint32_t bi = 0, bj = 0;
      for (uint32_t i = 0; i < ne; i++)
        for (uint32_t j = i + 1; j < ne; j++)
          if (uf(p, i) != uf(p, j) && dist[i][j] < best) {
            best = dist[i][j];
            bi = i;
            bj = j;
          }
      p[uf(p, bi)] = uf(p, bj);
      mst += best;
    }
    assert_true(mst >= c - 1e-9);
  }
  free(gone);
  free(piece);
}

/* A random instance of min_n..min_n+59 nodes and up to 39 terminals. */
static gn_graph *random_instance(gn_ctx *ctx, uint32_t min_n, uint64_t *s,
                                 gn_id *terms, size_t *nt) {
  uint32_t n = min_n + (uint32_t)(rng(s) % 60);
  gn_graph *g = random_graph(ctx, n, n + (uint32_t)(rng(s) % (2 * n)), s);
  *nt = 3 + rng(s) % (n / 3);
  for (size_t i = 0; i < *nt; i++) terms[i] = (gn_id)(rng(s) % n);
  return g;
}

/* A poor start: the MST of every node, pruned. */
static void poor_start(inst *in) {
  memset(in->in_node, 1, in->sg.n);
  ASSERT_OK(in->ctx,
            gn__sg_mst_prune(&in->sg, &in->w, in->in_node, in->in_edge));
}

static void local_optimum_on_random_graphs(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  ASSERT_OK(ctx, gn_ctx_create(&ctx));
  uint64_t s = 7;
  int improved = 0;
  for (int round = 0; round < 60; round++) {
    gn_id terms[40];
    size_t nt;
    gn_graph *g = random_instance(ctx, 20, &s, terms, &nt);
    inst in;
    inst_open(&in, ctx, g, terms, nt);
    poor_start(&in);
    double before = tree_cost(&in);
    ASSERT_OK(ctx, gn__local_search(&in.ls));
    assert_int_equal(0, gn__st_tree_build(&in.sg, in.in_edge, &in.t));
    for (uint32_t i = 0; i < in.sg.nterm; i++)
      assert_true(in.t.tin[in.sg.terms[i]] != NIL);
    double after = tree_cost(&in);
    assert_true(after <= before + 1e-9);
    assert_true(fabs(after - in.t.cost) <= 1e-9 * (1 + after));
    improved += after < before - 1e-9;
    assert_key_paths_optimal(&in);
    assert_key_vertices_optimal(&in);
    inst_close(&in);
    gn_graph_free(g);
  }
  assert_true(improved > 30); /* the start is poor: most runs improve it */
  gn_ctx_free(ctx);
}

/* The solver's restart 0 runs one pass (max_passes = 1), reads the
 * work, then may finish the descent with a second call: the split
 * descent must end on the same tree as one whole descent, and converged
 * must say whether the last pass found nothing. */
static void split_descent_equals_whole(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  ASSERT_OK(ctx, gn_ctx_create(&ctx));
  uint64_t s = 11;
  int cut = 0;
  for (int round = 0; round < 40; round++) {
    gn_id terms[40];
    size_t nt;
    gn_graph *g = random_instance(ctx, 30, &s, terms, &nt);
    inst a, b;
    inst_open(&a, ctx, g, terms, nt);
    inst_open(&b, ctx, g, terms, nt);
    poor_start(&a);
    poor_start(&b);
    ASSERT_OK(ctx, gn__local_search(&a.ls));
    assert_true(a.ls.converged);
    b.ls.max_passes = 1;
    ASSERT_OK(ctx, gn__local_search(&b.ls));
    b.ls.max_passes = 0;
    if (!b.ls.converged) {
      cut++;
      ASSERT_OK(ctx, gn__local_search(&b.ls));
      assert_true(b.ls.converged);
    }
    assert_memory_equal(a.in_edge, b.in_edge, a.sg.m);
    inst_close(&a);
    inst_close(&b);
    gn_graph_free(g);
  }
  assert_true(cut > 10); /* most first passes leave moves to find */
  gn_ctx_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(local_optimum_on_random_graphs),
      cmocka_unit_test(split_descent_equals_whole),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
