/* steiner_exact.h - Shared by the Steiner unit tests: the exact optimum
 * of small instances (Dreyfus-Wagner) and a generator of small random
 * instances with tied integer weights. Include after gn_test.h and
 * steiner/steiner_int.h. */
#ifndef GN_TEST_STEINER_EXACT_H
#define GN_TEST_STEINER_EXACT_H

#include <math.h>

#define MAXN 14
#define MAXK 7

/* Exact optimum by Dreyfus-Wagner over shortest-path distances. */
static double dreyfus_wagner(const gn__sg *g) {
  static double d[MAXN][MAXN], dp[1 << MAXK][MAXN];
  uint32_t n = g->n, k = g->nterm;
  assert_true(n <= MAXN && k <= MAXK);
  if (k <= 1) return 0;
  for (uint32_t a = 0; a < n; a++)
    for (uint32_t b = 0; b < n; b++) d[a][b] = a == b ? 0 : INFINITY;
  for (uint32_t e = 0; e < g->m; e++) {
    uint32_t a = g->eu[e], b = g->ev[e];
    if (g->w[e] < d[a][b]) d[a][b] = d[b][a] = g->w[e];
  }
  for (uint32_t c = 0; c < n; c++)
    for (uint32_t a = 0; a < n; a++)
      for (uint32_t b = 0; b < n; b++)
        if (d[a][c] + d[c][b] < d[a][b]) d[a][b] = d[a][c] + d[c][b];
  for (uint32_t i = 0; i < k; i++)
    for (uint32_t v = 0; v < n; v++) dp[1u << i][v] = d[g->terms[i]][v];
  for (uint32_t s = 1; s < (1u << k); s++) {
    if (!(s & (s - 1))) continue;
    double best[MAXN];
    for (uint32_t u = 0; u < n; u++) {
      best[u] = INFINITY;
      for (uint32_t a = (s - 1) & s; a; a = (a - 1) & s)
        if (dp[a][u] + dp[s ^ a][u] < best[u]) best[u] = dp[a][u] + dp[s ^ a][u];
    }
    for (uint32_t v = 0; v < n; v++) {
      dp[s][v] = INFINITY;
      for (uint32_t u = 0; u < n; u++)
        if (best[u] + d[u][v] < dp[s][v]) dp[s][v] = best[u] + d[u][v];
    }
  }
  return dp[(1u << k) - 1][g->terms[0]];
}

typedef struct instance {
  gn_graph *g;
  gn_id terms[MAXK];
  size_t nt;
} instance;

/* Random connected graph: a random tree plus random extra edges (parallel
 * ones allowed), integer weights 1..wmax (0 now and then). */
static void random_instance(gn_ctx *ctx, gn__rng *r, instance *in) {
  uint32_t n = 3 + (uint32_t)(gn__rng_next(r) % (MAXN - 2));
  uint32_t extra = (uint32_t)(gn__rng_next(r) % (5 * n + 1)); /* dense too */
  uint32_t wmax = 1 + (uint32_t)(gn__rng_next(r) % 6);
  ASSERT_OK(ctx, gn_graph_create(ctx, n, n + extra, &in->g));
  ASSERT_OK(ctx, gn_graph_add_nodes(in->g, n));
  for (uint32_t i = 0; i < n - 1 + extra; i++) {
    gn_edge e = {0, 0, 0, 0, 0, GN_ROAD_NONE};
    e.u = i < n - 1 ? i + 1 : (gn_id)(gn__rng_next(r) % n);
    e.v = (gn_id)(gn__rng_next(r) % (i < n - 1 ? i + 1 : n));
    e.weight = gn__rng_next(r) % 16 ? (double)(1 + gn__rng_next(r) % wmax) : 0;
    e.length_m = e.weight;
    ASSERT_OK(ctx, gn_graph_add_edge(in->g, &e, NULL));
  }
  ASSERT_OK(ctx, gn_graph_finalize(in->g));
  uint32_t k = 2 + (uint32_t)(gn__rng_next(r) % (n < MAXK ? n - 1 : MAXK - 1));
  in->nt = 0;
  while (in->nt < k) { /* distinct terminals */
    gn_id t = (gn_id)(gn__rng_next(r) % n);
    size_t j = 0;
    while (j < in->nt && in->terms[j] != t) j++;
    if (j == in->nt) in->terms[in->nt++] = t;
  }
}

#endif
