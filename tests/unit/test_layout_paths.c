/*
 * test_layout_paths.c - The working and protect paths of the layout
 * (src/design/layout_paths.c) against the per-building search it
 * replaced, kept here as the reference oracle:
 *   - working path: the tree path of one multi-source Dijkstra;
 *   - protect path: a Dijkstra over the whole graph with the working
 *     path's trenches blocked, cost = its distance;
 *   - when that finds none: Suurballe's pair by Bellman-Ford in the
 *     residual graph over the whole graph, the shorter path working
 *     (unless beyond the access reach while the tree path is not).
 * Every protect path is checked to be a path from a POP to the building,
 * trench-disjoint from its working path, and of the oracle's cost; on
 * random plans (tree + rings, several POPs, extra non-ring cycles,
 * buildings sharing nodes), the synthetic plans of `db import-plan
 * --synthetic` and the Lomé plan (points mode, hubs, rings).
 */
#include "gn_test.h"

#include <math.h>

#include "cli_store.h"
#include "design/layout.h"
#include "plan_fixture.h"

#define BLOCKED 1e15
#define TOL 1e-3 /* metres, on costs up to a few 1e9 */

typedef struct oracle {
  const gn_plan *p;
  gn_graph *g;
  size_t nn, nt;
  gn_id *src;
  size_t nsrc;
  unsigned char *is_pop;
  double *d0, *d;
  gn_id *pred0, *pred;
} oracle;

static double weight(const gn_plan_trench *t) {
  return (t->length_m > 0 ? t->length_m : 0) + (t->redundant ? 1e9 : 0);
}

static void oracle_init(gn_ctx *ctx, const gn_plan *p, oracle *o) {
  memset(o, 0, sizeof *o);
  o->p = p;
  o->nn = gn_plan_node_count(p);
  o->nt = gn_plan_trench_count(p);
  ASSERT_OK(ctx, gn_graph_create(ctx, o->nn, o->nt, &o->g));
  ASSERT_OK(ctx, gn_graph_add_nodes(o->g, o->nn));
  for (size_t i = 0; i < o->nt; i++) {
    const gn_plan_trench *t = gn_plan_trench_get(p, i);
    gn_edge e = {t->a, t->b, weight(t), t->length_m, t->id, t->road_class};
    ASSERT_OK(ctx, gn_graph_add_edge(o->g, &e, NULL));
  }
  ASSERT_OK(ctx, gn_graph_finalize(o->g));
  o->src = calloc(gn_plan_pop_count(p) + 1, sizeof(gn_id));
  o->is_pop = calloc(o->nn + 1, 1);
  o->d0 = calloc(o->nn + 1, sizeof(double));
  o->d = calloc(o->nn + 1, sizeof(double));
  o->pred0 = calloc(o->nn + 1, sizeof(gn_id));
  o->pred = calloc(o->nn + 1, sizeof(gn_id));
  for (size_t i = 0; i < gn_plan_pop_count(p); i++) {
    gn_id v = gn_plan_pop_get(p, i)->node;
    if (v == GN_NONE || o->is_pop[v]) continue;
    o->is_pop[v] = 1;
    o->src[o->nsrc++] = v;
  }
  ASSERT_OK(ctx, gn_graph_dijkstra(o->g, o->src, o->nsrc, o->d0, o->pred0));
}

static void oracle_free(oracle *o) {
  gn_graph_free(o->g);
  void *a[] = {o->src, o->is_pop, o->d0, o->d, o->pred0, o->pred};
  for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) free(a[i]);
}

/* Cost and length of trenches idx[0..n), checked to be a path from a POP
 * node to node t (each trench starting where the previous one ended). */
static void check_path(const oracle *o, const size_t *idx, size_t n, gn_id t,
                       double *cost, double *len) {
  *cost = *len = 0;
  assert_true(n > 0);
  const gn_plan_trench *t0 = gn_plan_trench_get(o->p, idx[0]);
  gn_id v = o->is_pop[t0->a] ? t0->a : t0->b;
  assert_true(o->is_pop[v]);
  for (size_t i = 0; i < n; i++) {
    const gn_plan_trench *tr = gn_plan_trench_get(o->p, idx[i]);
    assert_true(tr->a == v || tr->b == v);
    v = tr->a == v ? tr->b : tr->a;
    *cost += weight(tr);
    *len += tr->length_m;
  }
  assert_int_equal(v, t);
}

/* The old protect search: the whole graph with the tree path blocked. */
static double blocked_distance(gn_ctx *ctx, oracle *o, gn_id t) {
  size_t nblk = 0;
  gn_id *blk = calloc(o->nn + 1, sizeof(gn_id));
  for (gn_id v = t; o->pred0[v] != GN_NONE;) {
    gn_id e = o->pred0[v];
    blk[nblk++] = e;
    const gn_edge *ed = gn_graph_edge(o->g, e);
    v = ed->u == v ? ed->v : ed->u;
  }
  for (size_t i = 0; i < nblk; i++) gn_graph_set_weight(o->g, blk[i], BLOCKED);
  ASSERT_OK(ctx, gn_graph_dijkstra(o->g, o->src, o->nsrc, o->d, o->pred));
  for (size_t i = 0; i < nblk; i++)
    gn_graph_set_weight(o->g, blk[i],
                        weight(gn_plan_trench_get(o->p, blk[i])));
  free(blk);
  return o->d[t] >= BLOCKED / 2 ? INFINITY : o->d[t];
}

/* The old trap search: Bellman-Ford in the residual graph of the tree
 * path (its arcs reversed at negative cost, POPs free sources). Returns
 * the cheapest trench-disjoint pair's total cost (INFINITY if none) and
 * the two paths' lengths, shorter first. */
static double pair_oracle(oracle *o, gn_id t, double len[2]) {
  int8_t *dir = calloc(o->nt + 1, 1), *flow = calloc(o->nt + 1, 1);
  long *parc = calloc(o->nn + 1, sizeof(long));
  double *dist = o->d;
  for (gn_id v = t; o->pred0[v] != GN_NONE;) {
    gn_id e = o->pred0[v];
    const gn_edge *ed = gn_graph_edge(o->g, e);
    dir[e] = flow[e] = ed->v == v ? 1 : -1;
    v = ed->u == v ? ed->v : ed->u;
  }
  for (size_t v = 0; v < o->nn; v++) {
    dist[v] = o->is_pop[v] ? 0 : INFINITY;
    parc[v] = -1;
  }
  for (size_t it = 0; it < o->nn; it++) {
    int changed = 0;
    for (size_t e = 0; e < o->nt; e++) {
      const gn_edge *ed = gn_graph_edge(o->g, (gn_id)e);
      double c = dir[e] ? -ed->weight : ed->weight;
      gn_id ends[2][2] = {{ed->u, ed->v}, {ed->v, ed->u}};
      for (int k = 0; k < 2; k++) {
        if (dir[e] == (k ? -1 : 1)) continue; /* the tree arc itself */
        gn_id a = ends[k][0], b = ends[k][1];
        if (dist[a] + c < dist[b] - TOL) {
          dist[b] = dist[a] + c;
          parc[b] = (long)(2 * e + (k ? 0 : 1));
          changed = 1;
        }
      }
    }
    if (!changed) break;
  }
  double total = INFINITY;
  if (isfinite(dist[t])) {
    total = o->d0[t] + dist[t];
    gn_id v = t;
    for (size_t guard = 0; parc[v] >= 0 && guard <= o->nt; guard++) {
      size_t e = (size_t)parc[v] / 2;
      const gn_edge *ed = gn_graph_edge(o->g, (gn_id)e);
      int fwd = (int)(parc[v] & 1);
      flow[e] = dir[e] ? 0 : (int8_t)(fwd ? 1 : -1);
      v = fwd ? ed->u : ed->v;
      if (o->is_pop[v] && dist[v] == 0) break;
    }
    for (int k = 0; k < 2; k++) { /* decompose: walk back against flow */
      len[k] = 0;
      v = t;
      for (size_t guard = 0; (v == t || !o->is_pop[v]) && guard <= o->nt;
           guard++) {
        const gn_id *nbr, *eid;
        size_t n, j;
        gn_graph_adj(o->g, v, &nbr, &eid, &n);
        for (j = 0; j < n; j++) {
          const gn_edge *ed = gn_graph_edge(o->g, eid[j]);
          if ((flow[eid[j]] == 1 && ed->v == v) ||
              (flow[eid[j]] == -1 && ed->u == v))
            break;
        }
        assert_true(j < n);
        flow[eid[j]] = 0;
        len[k] += gn_graph_edge(o->g, eid[j])->length_m;
        v = nbr[j];
      }
    }
    if (len[1] < len[0]) {
      double x = len[0];
      len[0] = len[1];
      len[1] = x;
    }
  }
  free(dir);
  free(flow);
  free(parc);
  return total;
}

static int disjoint(const gn_layout *l, const gn__lpath *a,
                    const gn__lpath *b) {
  for (size_t i = 0; i < a->n; i++)
    for (size_t j = 0; j < b->n; j++)
      if (l->ptr[a->off + i] == l->ptr[b->off + j]) return 0;
  return 1;
}

typedef struct tally {
  size_t direct, pairs, dropped, none;
} tally;

/* One building: the layout's paths against the oracle. */
static void check_site(gn_ctx *ctx, oracle *o, const gn_layout *l, size_t s,
                       const gn__lpath *w, const gn__lpath *pr, tally *n) {
  gn_id t = gn_plan_site_get(o->p, s)->node;
  double wc, wl, pc = 0, pl = 0;
  check_path(o, l->ptr + w->off, w->n, t, &wc, &wl);
  if (pr) {
    check_path(o, l->ptr + pr->off, pr->n, t, &pc, &pl);
    if (!disjoint(l, w, pr))
      fail_msg("site %s: protect path shares a trench with working",
               gn_plan_site_get(o->p, s)->id);
  }
  double dp = blocked_distance(ctx, o, t);
  if (isfinite(dp)) { /* the direct case: tree path + blocked Dijkstra */
    assert_true(fabs(wc - o->d0[t]) <= TOL);
    assert_non_null(pr);
    if (fabs(pc - dp) > TOL)
      fail_msg("site %s: protect cost %.6f, old search %.6f",
               gn_plan_site_get(o->p, s)->id, pc, dp);
    n->direct++;
    return;
  }
  double len[2], tree_m = 0;
  for (gn_id v = t; o->pred0[v] != GN_NONE;) {
    const gn_edge *ed = gn_graph_edge(o->g, o->pred0[v]);
    tree_m += ed->length_m;
    v = ed->u == v ? ed->v : ed->u;
  }
  double pair = pair_oracle(o, t, len);
  double reach = 10000; /* LR10, the default access class */
  if (!isfinite(pair)) {
    assert_null(pr);
    n->none++;
  } else if (len[0] > reach && tree_m <= reach) {
    assert_null(pr); /* the tree path within reach stays, unprotected */
    assert_true(fabs(wc - o->d0[t]) <= TOL);
    n->dropped++;
  } else {
    assert_non_null(pr);
    if (fabs(wc + pc - pair) > TOL)
      fail_msg("site %s: pair cost %.6f, old search %.6f",
               gn_plan_site_get(o->p, s)->id, wc + pc, pair);
    assert_true(wl <= pl + TOL);
    n->pairs++;
  }
}

static void check_layout(gn_ctx *ctx, const gn_plan *p, tally *n) {
  gn_layout *l = NULL;
  ASSERT_OK(ctx, gn_layout_build(p, NULL, &l));
  oracle o;
  oracle_init(ctx, p, &o);
  size_t ns = gn_plan_site_count(p);
  const gn__lpath **w = calloc(ns + 1, sizeof *w), **pr = calloc(ns + 1, sizeof *pr);
  for (size_t i = 0; i < l->npaths; i++) {
    const gn__lpath *pa = &l->paths[i];
    const gn__lpath **slot = pa->protect ? &pr[pa->site] : &w[pa->site];
    assert_null(*slot); /* one working, at most one protect per site */
    *slot = pa;
  }
  memset(n, 0, sizeof *n);
  for (size_t s = 0; s < ns; s++) {
    const gn_plan_site *st = gn_plan_site_get(p, s);
    if (st->node == GN_NONE || !isfinite(o.d0[st->node])) {
      assert_null(w[s]);
      continue;
    }
    assert_non_null(w[s]);
    if (w[s]->n == 0) { /* the building at its POP */
      assert_null(pr[s]);
      continue;
    }
    check_site(ctx, &o, l, s, w[s], pr[s], n);
  }
  free(w);
  free(pr);
  oracle_free(&o);
  gn_layout_free(l);
}

/* ---- plans ----------------------------------------------------------- */

static double rnd(unsigned long long *s) {
  *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double)(*s >> 11) / 9007199254740992.0;
}

/* n nodes, a random tree (POPs first), rings (redundant) and a few
 * extra plain trenches (cycles outside the rings), buildings on random
 * nodes (several per node sometimes), a few nodes off the network. */
static gn_plan *random_plan(gn_ctx *ctx, unsigned long long seed, size_t n,
                            size_t npops, size_t nring, size_t nextra,
                            double scale) {
  gn_plan *p = NULL;
  ASSERT_OK(ctx, gn_plan_create(ctx, &p));
  for (size_t i = 0; i < n; i++)
    ASSERT_OK(ctx, gn_plan_add_node(p, 1.1 + 0.1 * rnd(&seed),
                                    6.1 + 0.1 * rnd(&seed), NULL));
  int64_t id = 1;
  size_t off = n / 20; /* nodes n - off .. n - 1 stay off the network */
  gn_id *up = calloc(n, sizeof(gn_id));
  for (size_t i = 0; i < n; i++) up[i] = GN_NONE;
  for (size_t i = npops; i + off < n; i++) {
    up[i] = (gn_id)(rnd(&seed) * (double)i);
    add_trench(ctx, p, id++, up[i], (gn_id)i,
               scale * (50 + 2000 * rnd(&seed)), 0, 1);
  }
  for (size_t k = 0; k < nring + nextra; k++) {
    gn_id a = (gn_id)(rnd(&seed) * (double)(n - off));
    gn_id b = (gn_id)(rnd(&seed) * (double)(n - off));
    if (k % 2) { /* half of them along the tree: overlapping ones cross */
      a = b;
      for (int j = 2 + (int)(4 * rnd(&seed)); j > 0 && up[a] != GN_NONE; j--)
        a = up[a];
    }
    if (a != b)
      add_trench(ctx, p, id++, a, b, scale * (50 + 3000 * rnd(&seed)),
                 k < nring, 0);
  }
  for (size_t i = 0; i < npops; i++) {
    char pid[16];
    snprintf(pid, sizeof pid, "P%zu", i);
    const gn_plan_node *nd = gn_plan_node_get(p, (gn_id)i);
    gn_plan_pop pop = {pid, pid, nd->lon, nd->lat, (gn_id)i};
    ASSERT_OK(ctx, gn_plan_add_pop(p, &pop, NULL));
  }
  for (size_t i = 0; i < n + n / 4; i++) {
    char sid[16];
    snprintf(sid, sizeof sid, "s%zu", i);
    add_site(ctx, p, sid, GN_CAT_HEALTH, (gn_id)(rnd(&seed) * (double)n));
  }
  free(up);
  return p;
}

static void random_plans_match_old_search(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  assert_int_equal(gn_ctx_create(&ctx), GN_OK);
  tally all = {0, 0, 0, 0};
  for (unsigned long long seed = 1; seed <= 60; seed++) {
    size_t n = 20 + (size_t)(seed * 7 % 180);
    /* every third plan: plain cycles too (traps); every fifth: long
     * trenches (pairs beyond the access reach) */
    gn_plan *p = random_plan(ctx, seed, n, 1 + seed % 4, n / (2 + seed % 5),
                             seed % 3 == 0 ? n / 3 : 0, seed % 5 ? 1 : 6);
    tally t;
    check_layout(ctx, p, &t);
    all.direct += t.direct;
    all.pairs += t.pairs;
    all.dropped += t.dropped;
    all.none += t.none;
    gn_plan_free(p);
  }
  print_message("random plans: %zu direct, %zu pairs, %zu dropped, %zu none\n",
                all.direct, all.pairs, all.dropped, all.none);
  /* the plans exercise every case */
  assert_true(all.direct > 100 && all.pairs > 10 && all.none > 10);
  gn_ctx_free(ctx);
}

static void synthetic_plans_match_old_search(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  assert_int_equal(gn_ctx_create(&ctx), GN_OK);
  static const int sizes[][2] = {{450, 15}, {1200, 30}, {2000, 15}};
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    gn_plan *p = NULL;
    ASSERT_OK(ctx, cli_synthetic_plan(ctx, sizes[k][0], 1, sizes[k][1], &p));
    tally t;
    check_layout(ctx, p, &t);
    print_message("synthetic %d: %zu direct, %zu pairs, %zu dropped, %zu none\n",
                  sizes[k][0], t.direct, t.pairs, t.dropped, t.none);
    assert_true(t.direct > 0 && t.pairs > 0);
    gn_plan_free(p);
  }
  gn_ctx_free(ctx);
}

static void lome_plan_matches_old_search(void **state) {
  (void)state;
  char buf[512];
  const char *sites =
      gn_test_data(buf, sizeof buf, "togo/lome_public_buildings.geojson");
  if (!sites) skip();
  gn_ctx *ctx = NULL;
  assert_int_equal(gn_ctx_create(&ctx), GN_OK);
  gn_design_opts o;
  gn_design_opts_init(&o);
  o.sites = sites;
  o.pops[o.npops++] = "1.2278,6.1260";
  o.resilience = GN_RESILIENCE_CRITICAL;
  gn_design_result *r = NULL;
  ASSERT_OK(ctx, gn_design_run(ctx, &o, &r));
  tally t;
  check_layout(ctx, gn_design_result_plan(r), &t);
  print_message("Lomé: %zu direct, %zu pairs, %zu dropped, %zu none\n",
                t.direct, t.pairs, t.dropped, t.none);
  assert_true(t.direct + t.pairs > 200); /* rings protect many buildings */
  gn_design_result_free(r);
  gn_ctx_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(random_plans_match_old_search),
      cmocka_unit_test(synthetic_plans_match_old_search),
      cmocka_unit_test(lome_plan_matches_old_search),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
