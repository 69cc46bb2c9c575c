/*
 * steiner.c - Steiner tree solver driver and public API (steiner.h).
 *
 * Design: copy the instance into the compact solver graph, check that all
 * terminals share one component, reduce it (steiner_reduce.c), then run
 * restarts on the reduced graph. Each starts a tree in one of four ways,
 * by restart number r mod 4: (0) the shortest-path heuristic (SPH), from
 * the first terminal with true weights at r = 0, later from a random
 * terminal over perturbed weights; (1) the best tree so far, improved by
 * local search over slightly perturbed weights (iterated local search);
 * (2) SPH over perturbed weights that favour the best tree's edges; (3)
 * recombination: a nested solver solves the union of elite trees. When
 * restart 0 took over an eighth of the work budget (large graphs, where
 * a local search from scratch costs a few passes over the whole graph),
 * later restarts only sample and recombine: SPH from a random terminal
 * over weights scaled by random regional factors (region_weights), and
 * every third restart a recombination. On such graphs with sparse
 * terminals (street graphs: one per 50 nodes or fewer) restart 1 is the
 * core search instead (core_search): a nested solver runs the sampling
 * schedule on the union of the best tree and sampled SPH trees, a
 * graph a tenth of the size; restart 0's descent is then left after one
 * pass (first_descent). Each restart ends with the local search on the
 * true weights; the best tree wins.
 * Restarts also stop after a quality-dependent number of restarts that
 * did not improve the best tree (256 at the default level).
 * With opts.bound, restart 0 is followed by a dual ascent on the reduced
 * graph (steiner_dual.c): its sum of duals is the certified lower bound,
 * and its reduced costs delete, against the first tree's cost, the
 * edges no optimal tree uses; the search goes on over the smaller graph
 * with the best tree carried over (shrink).
 * Determinism: restarts are bounded by a work budget counted in heap pops
 * and scanned arcs, derived from the quality level and the instance size,
 * so a seed gives the same tree on every machine; the wall-clock limit is
 * a safety net that only cuts a run the budget would have let go longer.
 * Ownership: the result owns its edge array. Threads: reentrant.
 */
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "steiner/steiner_dual.h"
#include "steiner/steiner_int.h"
#include "util/internal.h"

struct gn_steiner_result {
  gn_ctx *ctx;
  gn_id *edges;
  size_t nedges;
  double cost;
  double lower_bound;
};

#define GN__ELITE 6

typedef struct solver {
  gn_ctx *ctx;
  gn__sg base;         /* the caller's graph, renumbered */
  gn__sg sg;           /* reduced graph the search runs on */
  uint32_t *anc_off, *anc_e; /* reduced edge -> base edges */
  gn__sw w;
  gn__st_tree t;
  uint8_t *in_node, *in_edge, *mark;
  uint32_t *buf;
  uint32_t *uedges;    /* m: edges of a recombination's union */
  uint8_t *umark;      /* m: edge already in the union being built */
  gn__ls ls;
  double *wt;          /* perturbed weights */
  double *wadj;        /* perturbed weights in adjacency order */
  uint32_t *best;      /* best tree edges */
  uint32_t nbest;
  double best_cost;
  int best_open;       /* the best tree's local search was cut short */
  uint32_t *elite[GN__ELITE]; /* elite pool: distinct good trees, */
  uint32_t nelite_e[GN__ELITE]; /* sorted by cost */
  double elite_cost[GN__ELITE];
  int nelite;
  gn__rng rng;
  double deadline;
  uint64_t work_limit;
  int restarts;
  int nested;          /* solving a union graph for a recombination */
  int stall;           /* stop after this many restarts without a gain */
  int last_gain;       /* restart that last improved the best tree */
  int dual;            /* run the dual ascent after restart 0 */
  int diversify;       /* few restarts fit the budget: sample, recombine */
  int core;            /* > 0: restart 1 is the core search, its samples */
  int sampling;        /* nested: run the sampling schedule (core search) */
  uint32_t sparse_gate; /* see budget_sparse_gate */
  uint64_t sample_work; /* work of the last sample (diversify) */
  uint8_t *favour;     /* nested: the better parent's edges (reduced ids) */
  double lb;           /* best certified lower bound (0: none) */
  uint32_t dual_deleted; /* edges the reduced-cost test deleted */
} solver;

void gn_steiner_opts_init(gn_steiner_opts *opts) {
  memset(opts, 0, sizeof(*opts));
  opts->time_limit_s = 0;
  opts->seed = 1;
  opts->quality = 1;
  opts->threads = 1;
  opts->bound = 0;
}

static gn_status check_input(gn_ctx *ctx, const gn_graph *g,
                             const gn_id *terms, size_t nterm) {
  size_t n = gn_graph_node_count(g);
  if (nterm == 0 || !terms)
    return gn__fail(ctx, GN_EINVAL, "Steiner tree needs at least one terminal");
  for (size_t i = 0; i < nterm; i++) {
    if (terms[i] >= n)
      return gn__fail(ctx, GN_EINVAL, "terminal %u out of range (%zu nodes)",
                      terms[i], n);
  }
  return GN_OK;
}

/* Every terminal must be reachable from the first one. */
static gn_status check_connected(solver *s) {
  gn__sg *sg = &s->base;
  uint32_t *stack = s->buf, top = 0;
  memset(s->mark, 0, sg->n);
  stack[top++] = sg->terms[0];
  s->mark[sg->terms[0]] = 1;
  while (top) {
    uint32_t v = stack[--top];
    for (uint32_t k = sg->off[v]; k < sg->off[v + 1]; k++) {
      uint32_t x = sg->adj_v[k];
      if (s->mark[x]) continue;
      s->mark[x] = 1;
      stack[top++] = x;
    }
  }
  for (uint32_t i = 0; i < sg->nterm; i++) {
    uint32_t t = sg->terms[i];
    if (!s->mark[t]) {
      memset(s->mark, 0, sg->n);
      return gn__fail(s->ctx, GN_EINFEASIBLE,
                      "terminal node %u cannot be reached from terminal "
                      "node %u (different components)", sg->orig_node[t],
                      sg->orig_node[sg->terms[0]]);
    }
  }
  memset(s->mark, 0, sg->n);
  return GN_OK;
}

/* The search's arrays, sized for the reduced graph s->sg. */
static void search_cleanup(solver *s) {
  gn_ctx *ctx = s->ctx;
  uint64_t work = s->w.work;
  gn__ls_cleanup(&s->ls);
  gn__st_tree_cleanup(ctx, &s->t);
  gn__sw_cleanup(ctx, &s->w);
  /* zeroed, so a failure before search_init cannot free them twice */
  memset(&s->ls, 0, sizeof(s->ls));
  memset(&s->t, 0, sizeof(s->t));
  memset(&s->w, 0, sizeof(s->w));
  s->w.work = work;
  gn_free(ctx, s->in_node);
  gn_free(ctx, s->in_edge);
  gn_free(ctx, s->uedges);
  gn_free(ctx, s->umark);
  gn_free(ctx, s->wt);
  gn_free(ctx, s->wadj);
  gn_free(ctx, s->best);
  s->in_node = s->in_edge = NULL;
  s->uedges = s->best = NULL;
  s->umark = NULL;
  s->wt = s->wadj = NULL;
  for (int i = 0; i < GN__ELITE; i++) {
    gn_free(ctx, s->elite[i]);
    s->elite[i] = NULL;
  }
}

static void solver_cleanup(solver *s) {
  gn_ctx *ctx = s->ctx;
  search_cleanup(s);
  gn__sg_cleanup(&s->sg);
  gn__sg_cleanup(&s->base);
  gn_free(ctx, s->anc_off);
  gn_free(ctx, s->anc_e);
  gn_free(ctx, s->mark);
  gn_free(ctx, s->buf);
  gn_free(ctx, s->favour);
}

static gn_status search_init(solver *s) {
  gn_ctx *ctx = s->ctx;
  size_t n = s->sg.n + 1, m = s->sg.m + 1;
  uint64_t work = s->w.work;
  memset(&s->ls, 0, sizeof(s->ls));
  memset(&s->t, 0, sizeof(s->t));
  memset(&s->w, 0, sizeof(s->w));
  s->in_node = gn_malloc(ctx, n);
  s->in_edge = gn_malloc(ctx, m);
  s->wt = gn_malloc(ctx, m * sizeof(double));
  s->wadj = gn_malloc(ctx, 2 * m * sizeof(double));
  s->uedges = gn_malloc(ctx, m * sizeof(uint32_t));
  s->umark = gn_malloc(ctx, m);
  s->best = gn_malloc(ctx, n * sizeof(uint32_t));
  int ok = s->in_node && s->in_edge && s->wt && s->wadj && s->uedges &&
           s->umark && s->best;
  for (int i = 0; i < GN__ELITE && ok; i++)
    ok = (s->elite[i] = gn_malloc(ctx, n * sizeof(uint32_t))) != NULL;
  if (!ok)
    return gn__fail(ctx, GN_ENOMEM, "out of memory for the Steiner solver");
  gn_status st = gn__sw_init(ctx, &s->w, s->sg.n);
  s->w.work = work;
  if (st == GN_OK) st = gn__st_tree_init(ctx, &s->t, s->sg.n);
  if (st == GN_OK)
    st = gn__ls_init(&s->ls, &s->sg, &s->w, &s->t, s->in_node, s->in_edge);
  return st;
}

/* Copy the graph, check feasibility on it, then reduce it; the search
 * arrays are sized for the reduced graph. */
static gn_status solver_init(solver *s, gn_ctx *ctx, const gn_graph *g,
                             const gn_id *terms, size_t nterm) {
  memset(s, 0, sizeof(*s));
  s->ctx = ctx;
  gn_status st = gn__sg_from_graph(ctx, g, terms, nterm, &s->base);
  if (st != GN_OK) return st;
  size_t n = s->base.n + 1;
  s->mark = gn_malloc(ctx, n);
  s->buf = gn_malloc(ctx, n * sizeof(uint32_t));
  if (!s->mark || !s->buf)
    return gn__fail(ctx, GN_ENOMEM, "out of memory for the Steiner solver");
  st = check_connected(s);
  if (st == GN_OK) st = gn__sg_reduce(&s->base, &s->sg, &s->anc_off, &s->anc_e);
  if (st != GN_OK) return st;
  return search_init(s);
}

/* Budgets per quality level: work units (one unit ~ one scanned arc or
 * heap pop; ~20-60 ns), restart cap, and the default wall-clock limit. */
static const uint64_t budget_work[3] = {8000000, 25000000, 400000000};
static const int budget_restarts[3] = {1, 1000, 100000};
static const int budget_stall[3] = {1, 256, 2000};
static const double budget_seconds[3] = {5.0, 20.0, 120.0};
/* Sample and recombine when restart 0 took more than an eighth of the
 * budget (few restarts fit); when the terminals are sparse (fewer than
 * one per 200 nodes), where the choice of corridors rather than local
 * refinement decides, at `quality` already above a hundredth. */
#define GN__DIVERSIFY_GATE 8
static const uint32_t budget_sparse_gate[3] = {8, 8, 100};

static void set_budget(solver *s, const gn_steiner_opts *o, double t0) {
  int q = o->quality < 0 ? 0 : o->quality > 2 ? 2 : o->quality;
  double limit = o->time_limit_s > 0 ? o->time_limit_s : budget_seconds[q];
  s->deadline = t0 + limit;
  s->restarts = budget_restarts[q];
  s->stall = budget_stall[q];
  s->work_limit = budget_work[q];
  s->sparse_gate = budget_sparse_gate[q];
  s->rng.s = o->seed * 0x2545f4914f6cdd1dull + 1;
}

/* Weights of a diversifying restart: true weights perturbed by +/-a, a
 * cycling through 10..40 % (multiplicative, never below 0); at r mod 4 =
 * 2 it is guided: the best tree's edges are also made cheaper by a, so
 * the construction explores near the best solution. */
static const double *restart_weights(solver *s, int r) {
  double a = 0.1 * (double)(1 + (r / 4) % 4);
  for (uint32_t e = 0; e < s->sg.m; e++)
    s->wt[e] = s->sg.w[e] * (1.0 - a + 2 * a * gn__rng_unit(&s->rng));
  if (r % 4 == 2)
    for (uint32_t i = 0; i < s->nbest; i++) s->wt[s->best[i]] *= 1.0 - a;
  return s->wt;
}

#define GN__REGIONS 16 /* regions of n / 16 nodes: ~ the graph once */
#define GN__REGION_AMP 0.5
/* Weights of a sample on a large graph: +/-5 % per edge, times the
 * factors (0.5..1.5) of GN__REGIONS regions around random nodes (each
 * the n / GN__REGIONS nodes nearest its centre in hops, by BFS; an edge
 * takes the square root of a region's factor for each end inside it).
 * Independent per-edge noise averages out along a long path, so it
 * rarely moves a whole corridor; regional factors do. */
static const double *region_weights(solver *s) {
  gn__sg *sg = &s->sg;
  gn__sw *w = &s->w;
  for (uint32_t e = 0; e < sg->m; e++)
    s->wt[e] = sg->w[e] * (0.95 + 0.1 * gn__rng_unit(&s->rng));
  uint32_t *q = s->buf, size = sg->n / GN__REGIONS + 1;
  for (int b = 0; b < GN__REGIONS; b++) {
    double f = sqrt(1.0 - GN__REGION_AMP +
                    2 * GN__REGION_AMP * gn__rng_unit(&s->rng));
    uint32_t c = (uint32_t)(gn__rng_next(&s->rng) % sg->n), head = 0, tail = 0;
    gn__sw_touch(w, c);
    w->dist[c] = 0;
    q[tail++] = c;
    while (head < tail && head < size) {
      uint32_t v = q[head++];
      for (uint32_t k = sg->off[v]; k < sg->off[v + 1]; k++) {
        uint32_t x = sg->adj_v[k];
        s->wt[sg->adj_e[k]] *= f;
        if (w->dist[x] != INFINITY) continue;
        gn__sw_touch(w, x);
        w->dist[x] = 0;
        q[tail++] = x;
      }
      w->work += 1 + sg->off[v + 1] - sg->off[v];
    }
    gn__sw_reset(w);
  }
  return s->wt;
}

/* Keep the current tree in the elite pool if it is new (cost differs
 * from every member) and better than the worst member. */
static void elite_add(solver *s) {
  double c = s->t.cost;
  for (int i = 0; i < s->nelite; i++)
    if (fabs(s->elite_cost[i] - c) <= 1e-9 * (c > 1 ? c : 1)) return;
  if (s->nelite == GN__ELITE && c >= s->elite_cost[GN__ELITE - 1]) return;
  int i = s->nelite < GN__ELITE ? s->nelite++ : GN__ELITE - 1;
  uint32_t *buf = s->elite[i], n = 0;
  for (uint32_t j = 1; j < s->t.size; j++)
    buf[n++] = s->t.pedge[s->t.order[j]];
  for (; i > 0 && s->elite_cost[i - 1] > c; i--) {
    s->elite[i] = s->elite[i - 1];
    s->nelite_e[i] = s->nelite_e[i - 1];
    s->elite_cost[i] = s->elite_cost[i - 1];
  }
  s->elite[i] = buf;
  s->nelite_e[i] = n;
  s->elite_cost[i] = c;
}

#ifndef RECOMB_RESTARTS
#define RECOMB_RESTARTS 16
#endif

/* SPH from root over wt, then the MST of its nodes with true weights,
 * pruned; left in in_node / in_edge. */
static gn_status construct(solver *s, const double *wt, uint32_t root) {
  memset(s->in_node, 0, s->sg.n);
  gn__sph(&s->sg, &s->w, wt, root, s->in_node, NULL);
  return gn__sg_mst_prune(&s->sg, &s->w, s->in_node, s->in_edge);
}

static gn_status run(solver *s);

/* The current tree's edges become the best tree's. */
static void best_from_tree(solver *s) {
  s->nbest = 0;
  for (uint32_t i = 1; i < s->t.size; i++)
    s->best[s->nbest++] = s->t.pedge[s->t.order[i]];
}

/* The best tree into in_edge / in_node, to start a local search. */
static void load_best(solver *s) {
  gn__sg *sg = &s->sg;
  memset(s->in_edge, 0, sg->m);
  memset(s->in_node, 0, sg->n);
  for (uint32_t i = 0; i < s->nbest; i++) {
    uint32_t e = s->best[i];
    s->in_edge[e] = 1;
    s->in_node[sg->eu[e]] = s->in_node[sg->ev[e]] = 1;
  }
}

/* Iterated local search: the best tree, improved by the local search on
 * weights perturbed by +/-a, then (by the caller) on the true weights.
 * Starting near a local optimum, it costs a few passes, much less than a
 * construction from scratch. */
static gn_status perturbed_descent(solver *s, int r) {
  gn__sg *sg = &s->sg;
  double a = 0.025 * (double)(1 + (r / 4) % 4); /* 2.5 .. 10 % */
  load_best(s);
  for (uint32_t e = 0; e < sg->m; e++)
    s->wt[e] = sg->w[e] * (1.0 - a + 2 * a * gn__rng_unit(&s->rng));
  for (uint32_t k = 0; k < 2 * sg->m; k++) s->wadj[k] = s->wt[sg->adj_e[k]];
  double *w = sg->w, *adj_w = sg->adj_w;
  sg->w = s->wt;
  sg->adj_w = s->wadj;
  s->ls.work_limit = s->work_limit;
  s->ls.deadline = s->deadline;
  gn_status st = gn__local_search(&s->ls);
  sg->w = w;
  sg->adj_w = adj_w;
  return st;
}

/* A nested solver (up to RECOMB_RESTARTS restarts with local search, no
 * recombination of its own, within budget; with s->sampling, the
 * default level's restart caps and the sampling schedule, recombination
 * included) solves the subgraph of the edges s->uedges[0..nu); its
 * first construction follows the edges fav[0..nfav) (a tree of the
 * caller's), so it starts from that tree's quality. Its best tree, as
 * an MST of its nodes with true weights, pruned, is left in in_node /
 * in_edge. */
static gn_status solve_union(solver *s, uint32_t nu, const uint32_t *fav,
                             uint32_t nfav, uint64_t budget) {
  gn__sg *sg = &s->sg;
  const uint32_t *u = s->uedges;
  gn_graph *g = NULL;
  gn_status st = gn_graph_create(s->ctx, sg->n, nu, &g);
  if (st == GN_OK) st = gn_graph_add_nodes(g, sg->n);
  for (uint32_t i = 0; i < nu && st == GN_OK; i++) {
    gn_edge ed = {sg->eu[u[i]], sg->ev[u[i]], sg->w[u[i]], sg->w[u[i]], 0, 0};
    st = gn_graph_add_edge(g, &ed, NULL);
  }
  if (st == GN_OK) st = gn_graph_finalize(g);
  solver sub;
  int inited = st == GN_OK;
  if (inited) st = solver_init(&sub, s->ctx, g, sg->terms, sg->nterm);
  if (st == GN_OK) {
    memset(s->in_edge, 0, sg->m);
    for (uint32_t i = 0; i < nfav; i++) s->in_edge[fav[i]] = 1;
    sub.favour = gn_malloc(s->ctx, (size_t)sub.sg.m + 1);
    if (!sub.favour) st = gn__fail(s->ctx, GN_ENOMEM, "out of memory");
    for (uint32_t f = 0; st == GN_OK && f < sub.sg.m; f++) {
      sub.favour[f] = 0;
      for (uint32_t j = sub.anc_off[f]; j < sub.anc_off[f + 1]; j++)
        if (s->in_edge[u[sub.base.orig_edge[sub.anc_e[j]]]]) sub.favour[f] = 1;
    }
  }
  if (st == GN_OK) {
    sub.nested = 1;
    sub.deadline = s->deadline;
    sub.restarts = s->sampling ? budget_restarts[1] : RECOMB_RESTARTS;
    sub.stall = s->sampling ? budget_stall[1] : RECOMB_RESTARTS;
    sub.diversify = s->sampling;
    sub.work_limit = budget;
    sub.rng.s = gn__rng_next(&s->rng);
    st = run(&sub);
    s->w.work += sub.w.work;
  }
  memset(s->in_edge, 0, sg->m);
  memset(s->in_node, 0, sg->n);
  if (st == GN_OK) { /* sub's best, in union indices, back to sg edges */
    for (uint32_t i = 0; i < sub.nbest; i++)
      for (uint32_t j = sub.anc_off[sub.best[i]];
           j < sub.anc_off[sub.best[i] + 1]; j++) {
        uint32_t e = u[sub.base.orig_edge[sub.anc_e[j]]];
        s->in_node[sg->eu[e]] = s->in_node[sg->ev[e]] = 1;
      }
    for (uint32_t i = 0; i < sg->nterm; i++) s->in_node[sg->terms[i]] = 1;
  }
  if (inited) solver_cleanup(&sub);
  gn_graph_free(g);
  if (st != GN_OK) return st;
  return gn__sg_mst_prune(sg, &s->w, s->in_node, s->in_edge);
}

static uint64_t budget_left(const solver *s) {
  return s->work_limit > s->w.work ? s->work_limit - s->w.work : 0;
}

/* Recombination: the union of two or three elite trees (one of them the
 * best half of the time) is a small graph holding every terminal; the
 * nested solver solves it from the cheapest of them, and its tree starts
 * the local search on the whole graph. */
static gn_status recombine(solver *s) {
  gn__sg *sg = &s->sg;
  uint32_t k = (uint32_t)s->nelite;
  uint32_t a = gn__rng_next(&s->rng) % 2 ? 0 : gn__rng_next(&s->rng) % k;
  uint32_t b = gn__rng_next(&s->rng) % (k - 1);
  uint32_t pick[3] = {a, b >= a ? b + 1 : b, gn__rng_next(&s->rng) % k};
  int np = gn__rng_next(&s->rng) % 3 ? 2 : 3;
  uint32_t nu = 0, *u = s->uedges, best = pick[0];
  memset(s->in_edge, 0, sg->m);
  for (int p = 0; p < np; p++) {
    if (pick[p] < best) best = pick[p]; /* the pool is sorted by cost */
    for (uint32_t i = 0; i < s->nelite_e[pick[p]]; i++) {
      uint32_t e = s->elite[pick[p]][i];
      if (!s->in_edge[e]) u[nu++] = e;
      s->in_edge[e] = 1;
    }
  }
  return solve_union(s, nu, s->elite[best], s->nelite_e[best],
                     budget_left(s) / 4);
}

/* Core search (sparse street graphs, restart 1): the union of the best
 * tree and sampled SPH trees (regional factors, random roots; 24 at the
 * default level) holds most corridors a good tree uses (porto-50: 32
 * samples cover 99 % of the length of a tree 0.25 % from the best
 * known) in a tenth of the graph; after the reductions the union is a
 * graph of ~1,000 edges, where the nested solver runs the whole
 * sampling schedule, about a hundred local searches, for GN__CORE_NESTED
 * of the budget left. Its tree then starts the local search on the
 * whole graph. An SPH over a large graph takes ~1.6x the time per work
 * unit of the local search (cache misses in the heap and distances),
 * so its work is charged GN__SPH_CHARGE times. */
#define GN__CORE_SAMPLE_UNITS 900000 /* budget per sample: 24 at default */
#define GN__CORE_NESTED 0.75
#define GN__SPH_CHARGE 1.5
/* It is only tried on sparse graphs with sparse terminals: street
 * graphs have ~1.5 edges per node after the reductions (on SteinLib
 * e18/e19, 25 per node, it was no better over seeds 1-6, 0.645 %
 * against 0.659 % mean gap, for 16 % more time), and fewer than one
 * terminal per GN__CORE_TERM_SPACING nodes (on the reduced Vienna set,
 * one per 12 to 37 nodes, it changed 36 of 70 trees, 19 for the better,
 * 17 for the worse: mean gap 0.0096 % -> 0.0100 %); and when the
 * samples take at most GN__CORE_SHARE of the budget (an SPH with
 * thousands of terminals costs far more). */
#define GN__CORE_SHARE 0.4
#define GN__CORE_MAX_DEGREE 4
#define GN__CORE_TERM_SPACING 50

/* A core search's work units take more time than the local search's
 * (union set-up, the final descent past the budget), so it runs within
 * this share of the budget: the run then takes about the time of the
 * sampling schedule (Porto check: 0.500 s against 0.492 s mean CPU). */
#define GN__CORE_BUDGET 0.88
#define GN__CORE_MIN_SAMPLES 6

/* Samples the core search can afford, within a work budget, when an
 * SPH costs sph_work: one per GN__CORE_SAMPLE_UNITS of the budget (24
 * at the default level, ~390 at `quality`, where more corridors pay:
 * raw set, `quality`, seeds 4-7, 0.052 % mean gap with 24, 0.039 %
 * with this rule; 96 and 400 gave 0.039 % and 0.027 %, porto-50 alone
 * swinging 0-0.25 % by seed), within GN__CORE_SHARE of the budget
 * (fewer on larger graphs); 0 when it should not run. */
static int core_samples(const solver *s, uint64_t sph_work, uint64_t budget) {
  if (s->restarts <= 1 || s->sg.m > (uint64_t)GN__CORE_MAX_DEGREE * s->sg.n ||
      (uint64_t)s->sg.nterm * GN__CORE_TERM_SPACING >= s->sg.n)
    return 0;
  double k = GN__CORE_SHARE * (double)budget /
             (GN__SPH_CHARGE * (double)(sph_work + 1));
  if (k < GN__CORE_MIN_SAMPLES) return 0;
  double cap = (double)(budget / GN__CORE_SAMPLE_UNITS);
  return (int)(k < cap ? k : cap);
}

static gn_status core_search(solver *s) {
  gn__sg *sg = &s->sg;
  uint32_t nu = 0, *u = s->uedges;
  memset(s->umark, 0, sg->m);
  for (uint32_t i = 0; i < s->nbest; i++) {
    u[nu++] = s->best[i];
    s->umark[s->best[i]] = 1;
  }
  for (int k = 0; k < s->core; k++) {
    const double *wt = region_weights(s);
    uint32_t root = sg->terms[gn__rng_next(&s->rng) % sg->nterm];
    uint64_t w0 = s->w.work;
    memset(s->in_node, 0, sg->n);
    memset(s->in_edge, 0, sg->m);
    gn__sph(sg, &s->w, wt, root, s->in_node, s->in_edge);
    s->w.work += (uint64_t)((GN__SPH_CHARGE - 1) * (double)(s->w.work - w0));
    for (uint32_t e = 0; e < sg->m; e++)
      if (s->in_edge[e] && !s->umark[e]) {
        u[nu++] = e;
        s->umark[e] = 1;
      }
    s->w.work += sg->m / 8; /* the clears and the scan */
  }
  s->sampling = 1;
  gn_status st = solve_union(s, nu, s->best, s->nbest,
                             (uint64_t)(GN__CORE_NESTED * budget_left(s)));
  s->sampling = 0;
  return st;
}

/* Restart 0 on a graph where few restarts may fit: one pass of the
 * local search, which with the construction's work predicts the whole
 * descent (about five passes). If the search will sample (the predicted
 * descent exceeds the budget's share of diversify_gate) and the core
 * search fits, the descent is left unfinished (the core search starts
 * from this tree anyway); else it runs to the end as always. */
static uint32_t diversify_gate(const solver *s) {
  return (uint64_t)s->sg.nterm * 200 < s->sg.n ? s->sparse_gate
                                                : GN__DIVERSIFY_GATE;
}

static gn_status first_descent(solver *s, uint64_t w0) {
  uint64_t c = s->w.work - w0;
  s->ls.max_passes = 1;
  gn_status st = gn__local_search(&s->ls);
  s->ls.max_passes = 0;
  if (st != GN_OK || s->ls.converged) return st;
  uint64_t predicted = c + 5 * (s->w.work - w0 - c);
  uint64_t core_limit = (uint64_t)(GN__CORE_BUDGET * (double)s->work_limit);
  if (predicted > s->work_limit / diversify_gate(s))
    s->core = core_samples(s, c, core_limit);
  if (!s->core) return gn__local_search(&s->ls);
  s->work_limit = core_limit;
  return GN_OK;
}

static gn_status one_restart(solver *s, int r) {
  int recomb = s->diversify ? r % 3 == 0 && s->nelite >= 2
                            : !s->nested && r % 4 == 3 && s->nelite >= 2;
  /* a sample the budget would cut short is wasted: recombine instead */
  if (s->diversify && !recomb && s->nelite >= 2 &&
      budget_left(s) < s->sample_work * 3 / 4)
    recomb = 1;
  uint64_t w0 = s->w.work;
  gn_status st;
  if (recomb)
    st = recombine(s);
  else if (r == 1 && s->core)
    st = core_search(s);
  else if (r == 0 && s->favour) { /* nested: near the better parent */
    for (uint32_t e = 0; e < s->sg.m; e++)
      s->wt[e] = s->favour[e] ? s->sg.w[e] * 1e-3 : s->sg.w[e];
    st = construct(s, s->wt, s->sg.terms[0]);
  } else if (s->diversify) /* regional factors, from a random terminal */
    st = construct(s, region_weights(s),
                   s->sg.terms[gn__rng_next(&s->rng) % s->sg.nterm]);
  else if (r % 4 == 1)
    st = perturbed_descent(s, r);
  else if (r % 8 == 0 && (uint32_t)r / 8 < s->sg.nterm)
    st = construct(s, s->sg.w, s->sg.terms[r / 8]); /* each root once */
  else
    st = construct(s, restart_weights(s, r),
                   s->sg.terms[gn__rng_next(&s->rng) % s->sg.nterm]);
  if (st != GN_OK) return st;
  s->ls.work_limit = s->work_limit;
  s->ls.deadline = s->deadline;
  st = r == 0 && !s->nested ? first_descent(s, w0) : gn__local_search(&s->ls);
  if (st != GN_OK) return st;
  if (s->diversify && !recomb) s->sample_work = s->w.work - w0;
  elite_add(s);
  if (s->nbest == UINT32_MAX || s->t.cost < s->best_cost) {
    if (s->t.cost < s->best_cost * (1 - 1e-12)) s->last_gain = r;
    s->best_cost = s->t.cost;
    s->best_open = !s->ls.converged;
    best_from_tree(s);
  }
  return GN_OK;
}

/* The reduced graph lost the edges ok[e] == 0 (the best tree keeps all
 * its edges): rebuild it and the search on it, and carry the best tree
 * over through the base edges. The elite pool restarts from it. */
static gn_status shrink(solver *s, uint8_t *ok) {
  gn_ctx *ctx = s->ctx;
  uint8_t *be = gn_malloc(ctx, (size_t)s->base.m + 1);
  if (!be) return gn__fail(ctx, GN_ENOMEM, "out of memory for the solver");
  memset(be, 0, (size_t)s->base.m + 1);
  for (uint32_t i = 0; i < s->nbest; i++)
    for (uint32_t j = s->anc_off[s->best[i]]; j < s->anc_off[s->best[i] + 1];
         j++)
      be[s->anc_e[j]] = 1;
  search_cleanup(s);
  gn_status st = gn__sg_reduce_mask(&s->sg, &s->anc_off, &s->anc_e, ok);
  if (st == GN_OK) st = search_init(s);
  if (st == GN_OK) {
    memset(s->in_edge, 0, s->sg.m);
    for (uint32_t f = 0; f < s->sg.m; f++)
      s->in_edge[f] = be[s->anc_e[s->anc_off[f]]];
    if (gn__st_tree_build(&s->sg, s->in_edge, &s->t) != 0)
      st = gn__fail(ctx, GN_EINTERNAL, "reduced-cost test lost the best tree");
  }
  gn_free(ctx, be);
  if (st != GN_OK) return st;
  s->nelite = 0;
  elite_add(s);
  best_from_tree(s);
  return GN_OK;
}

/* Dual ascent after restart 0. The first run, from the first terminal,
 * may take the whole work budget (as much as the search's); what it
 * leaves goes to runs from up to GN__DA_ROOTS other terminals (spread
 * over the terminal list) with the stricter smallest-cut rule, each
 * started only while the budget left exceeds the previous run's cost.
 * Every run's reduced costs test the edges against the best tree (the
 * union of the deletions is safe: each deleted edge is in no tree
 * costing <= the best one), the best sum of duals is the bound, and the
 * round is repeated on the smaller graph while it deletes >= 0.5 % of
 * the edges (the bound of the reduced graph is one of the original: its
 * optimum is the original's). */
#ifndef GN__DA_ROOTS
#define GN__DA_ROOTS 16
#endif
#ifndef GN__DA_ROUNDS
#define GN__DA_ROUNDS 4
#endif

/* One round of dual ascents over s->sg; clears ok[e] of every edge some
 * run's reduced costs exclude, *ndel the count. */
static gn_status dual_round(solver *s, uint64_t *left, uint8_t *ok,
                            uint32_t *ndel) {
  gn__sg *sg = &s->sg;
  uint32_t k = sg->nterm - 1 < GN__DA_ROOTS ? sg->nterm - 1 : GN__DA_ROOTS;
  uint64_t last = 0;
  gn_status st = GN_OK;
  *ndel = 0;
  for (uint32_t i = 0; i <= k && st == GN_OK && *left > last; i++) {
    gn__dual d;
    uint32_t root = sg->terms[(uint64_t)i * sg->nterm / (k + 1)];
    st = i == 0 ? gn__dual_ascent(sg, root, *left, &d)
                : gn__dual_ascent_ex(sg, root, *left, 1.1, 2, &d);
    if (st != GN_OK) break;
    last = d.work;
    *left = *left > d.work ? *left - d.work : 0;
    if (d.lb > s->lb) s->lb = d.lb;
    uint32_t nd = 0;
    st = gn__dual_reduce(sg, &d, s->best_cost, ok, &nd);
    *ndel += nd;
    gn__dual_cleanup(&d);
  }
  for (uint32_t i = 0; st == GN_OK && i < s->nbest; i++)
    if (!ok[s->best[i]]) *ndel = 0; /* float trouble: keep the graph */
  return st;
}

static gn_status dual_phase(solver *s) {
  uint64_t left = s->work_limit;
  gn_status st = GN_OK;
  for (int round = 0; round < GN__DA_ROUNDS && st == GN_OK && left > 0;
       round++) {
    uint32_t m = s->sg.m, ndel = 0;
    uint8_t *ok = gn_malloc(s->ctx, (size_t)m + 1);
    if (!ok) return gn__fail(s->ctx, GN_ENOMEM, "out of memory for the solver");
    memset(ok, 1, (size_t)m + 1);
    st = dual_round(s, &left, ok, &ndel);
    if (st == GN_OK && ndel > 0) {
      s->dual_deleted += ndel;
      st = shrink(s, ok);
    }
    gn_free(s->ctx, ok);
    if ((uint64_t)ndel * 200 < m) break;
  }
  return st;
}

/* With a core search, the best tree's descent may have stopped short
 * (restart 0's, when nothing beat it, or one the budget cut): finish
 * it, past the budget by at most a quarter of it. */
static gn_status polish(solver *s) {
  load_best(s);
  s->ls.work_limit = s->w.work + s->work_limit / 4;
  s->ls.deadline = s->deadline;
  gn_status st = gn__local_search(&s->ls);
  if (st != GN_OK || !(s->t.cost < s->best_cost)) return st;
  s->best_cost = s->t.cost;
  best_from_tree(s);
  return GN_OK;
}

static gn_status run(solver *s) {
  s->nbest = UINT32_MAX;
  s->best_open = 0;
  s->best_cost = INFINITY;
  if (s->sg.nterm == 1) {
    s->nbest = 0;
    s->best_cost = 0;
    return GN_OK;
  }
  for (int r = 0; r < s->restarts; r++) {
    if (r > 0 && (gn__now() > s->deadline || s->w.work > s->work_limit ||
                  r - s->last_gain > s->stall))
      break;
    gn_status st = one_restart(s, r);
    if (r == 0 && !s->nested) /* set_budget ran: not nested */
      s->diversify =
          s->core || s->w.work > s->work_limit / diversify_gate(s);
    if (st == GN_OK && r == 0 && s->dual && !s->nested) st = dual_phase(s);
    if (st != GN_OK) return st;
  }
  return s->core && s->best_open ? polish(s) : GN_OK;
}

/* Expand the best reduced tree into the caller's edge ids. */
static gn_status make_result(solver *s, gn_ctx *ctx, gn_steiner_result **out) {
  size_t ne = 0;
  for (uint32_t i = 0; i < s->nbest; i++)
    ne += s->anc_off[s->best[i] + 1] - s->anc_off[s->best[i]];
  gn_steiner_result *r = gn_malloc(ctx, sizeof(*r));
  if (!r) return gn__fail(ctx, GN_ENOMEM, "out of memory for the result");
  r->ctx = ctx;
  r->nedges = 0;
  r->cost = 0;
  r->lower_bound = s->lb;
  r->edges = gn_malloc(ctx, (ne + 1) * sizeof(gn_id));
  if (!r->edges) {
    gn_free(ctx, r);
    return gn__fail(ctx, GN_ENOMEM, "out of memory for the result");
  }
  for (uint32_t i = 0; i < s->nbest; i++) {
    uint32_t e = s->best[i];
    for (uint32_t k = s->anc_off[e]; k < s->anc_off[e + 1]; k++) {
      r->edges[r->nedges++] = s->base.orig_edge[s->anc_e[k]];
      r->cost += s->base.w[s->anc_e[k]];
    }
  }
  *out = r;
  return GN_OK;
}

/* One independent solver (a worker's share of opts->threads). */
typedef struct worker {
  gn_ctx *ctx; /* own context: contexts are one per thread */
  const gn_graph *g;
  const gn_id *terms;
  size_t nterm;
  gn_steiner_opts opts;
  double t0;
  solver s;
  int inited;
  gn_status st;
} worker;

static void *work(void *arg) {
  worker *wk = arg;
  wk->st = solver_init(&wk->s, wk->ctx, wk->g, wk->terms, wk->nterm);
  wk->inited = 1;
  set_budget(&wk->s, &wk->opts, wk->t0);
  wk->s.dual = wk->opts.bound;
  if (wk->st == GN_OK) wk->st = run(&wk->s);
  return NULL;
}

#define GN__MAX_THREADS 8

/* Workers 1.. get their own seeds and threads; worker 0 runs here. The
 * best tree wins, ties to the lowest worker, so the answer does not
 * depend on scheduling. A thread that cannot start runs here too. */
static gn_status solve_workers(gn_ctx *ctx, worker *wk, int nw,
                               gn_steiner_result **out) {
  pthread_t tid[GN__MAX_THREADS];
  int started[GN__MAX_THREADS] = {0};
  for (int i = 1; i < nw; i++)
    started[i] = pthread_create(&tid[i], NULL, work, &wk[i]) == 0;
  work(&wk[0]);
  for (int i = 1; i < nw; i++) {
    if (started[i])
      pthread_join(tid[i], NULL);
    else
      work(&wk[i]);
  }
  int best = -1;
  gn_status st = GN_OK;
  for (int i = 0; i < nw && st == GN_OK; i++) {
    if (wk[i].st != GN_OK)
      st = gn__fail(ctx, wk[i].st, "%s", gn_ctx_errmsg(wk[i].ctx));
    else if (best < 0 || wk[i].s.best_cost < wk[best].s.best_cost)
      best = i;
  }
  if (st == GN_OK) st = make_result(&wk[best].s, ctx, out);
  for (int i = 0; i < nw && st == GN_OK; i++) /* every bound is valid */
    if (wk[i].s.lb > (*out)->lower_bound) (*out)->lower_bound = wk[i].s.lb;
  return st;
}

gn_status gn_steiner_solve(gn_ctx *ctx, const gn_graph *g,
                           const gn_id *terminals, size_t nterm,
                           const gn_steiner_opts *opts,
                           gn_steiner_result **out) {
  gn_steiner_opts def;
  worker wk[GN__MAX_THREADS];
  double t0 = gn__now();
  *out = NULL;
  gn_ctx_clear(ctx);
  if (!opts) {
    gn_steiner_opts_init(&def);
    opts = &def;
  }
  gn_status st = check_input(ctx, g, terminals, nterm);
  if (st != GN_OK) return st;
  int nw = opts->threads < 1 ? 1 : opts->threads;
  if (nw > GN__MAX_THREADS) nw = GN__MAX_THREADS;
  memset(wk, 0, sizeof(wk));
  for (int i = 0; i < nw && st == GN_OK; i++) {
    wk[i] = (worker){.ctx = ctx, .g = g, .terms = terminals, .nterm = nterm,
                     .opts = *opts, .t0 = t0};
    wk[i].opts.seed = opts->seed + 0x9e3779b97f4a7c15ull * (uint64_t)i;
    if (i > 0) st = gn__ctx_sibling(ctx, &wk[i].ctx);
    if (st != GN_OK) st = gn__fail(ctx, st, "out of memory for a worker");
  }
  if (st == GN_OK) st = solve_workers(ctx, wk, nw, out);
  for (int i = 0; i < nw; i++) {
    if (wk[i].inited) solver_cleanup(&wk[i].s);
    if (i > 0) gn_ctx_free(wk[i].ctx);
  }
  return st;
}

void gn_steiner_result_free(gn_steiner_result *r) {
  if (!r) return;
  gn_free(r->ctx, r->edges);
  gn_free(r->ctx, r);
}

const gn_id *gn_steiner_result_edges(const gn_steiner_result *r, size_t *n) {
  *n = r->nedges;
  return r->edges;
}

double gn_steiner_result_cost(const gn_steiner_result *r) { return r->cost; }

double gn_steiner_result_lower_bound(const gn_steiner_result *r) {
  return r->lower_bound;
}
