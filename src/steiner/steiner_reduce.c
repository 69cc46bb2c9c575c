/*
 * steiner_reduce.c - Reductions that shrink a Steiner instance without
 * changing its optimum: non-terminals of degree <= 1 are deleted
 * (repeatedly), chains of non-terminals of degree 2 are contracted into
 * one edge whose weight is the chain's length, and then rounds of edge
 * deletion tests (steiner_sd.c: duplicate parallel edges, bounded
 * special-distance test) each followed by the degree tests again.
 *
 * Design: one pass over edge flags for the deletions, then every chain is
 * walked once from its smaller anchor (an anchor is a terminal or a node
 * of degree != 2). Each reduced edge keeps its ancestry, the list of
 * original edges it stands for (CSR: anc_off/anc_e), so a solution of the
 * reduced graph expands to one of the original. Chains that return to
 * their own anchor are cycles no tree needs and are dropped.
 * A deletion round builds a new reduced graph from the current one; its
 * ancestry is composed with the current one, so anc_e always lists base
 * edges and orig_node base nodes. Rounds stop after GN__SD_ROUNDS, or
 * when one removed under 1 % of the edges; after the first round only
 * nodes near a change are searched from again (mark_dirty).
 * On street graphs (shape nodes of degree 2, dead ends) the degree tests
 * remove most nodes; on the Vienna instances the deletion rounds remove
 * about a third of the edges (docs/steiner.md, "Reductions").
 * Ownership: the reduced graph and ancestry are allocated on the ctx and
 * freed with gn__sg_cleanup / gn_free. Threads: reentrant.
 */
#include <string.h>

#include "steiner/steiner_sd.h"
#include "util/internal.h"

#define NIL UINT32_MAX

/* Deletion rounds and search limits of the special-distance test
 * (tuned on Vienna and SteinLib, see docs/steiner.md). */
#ifndef GN__SD_ROUNDS
#define GN__SD_ROUNDS 3
#endif
#ifndef GN__SD_SETTLE
#define GN__SD_SETTLE 40
#endif
#ifndef GN__SD_HOPS
#define GN__SD_HOPS 1
#endif
#ifndef GN__SD_DEG2
#define GN__SD_DEG2 64
#endif
#ifndef GN__SD_ARCS
#define GN__SD_ARCS 200
#endif
#ifndef GN__SD_DENSE_SETTLE
#define GN__SD_DENSE_SETTLE 100
#endif
#ifndef GN__SD_DENSE_ARCS
#define GN__SD_DENSE_ARCS 600
#endif

typedef struct reducer {
  const gn__sg *g;
  uint8_t *edge_ok;  /* m */
  uint32_t *deg;     /* n: alive degree */
  uint32_t *newid;   /* n: reduced id of an anchor, NIL otherwise */
} reducer;

static void delete_leaves(reducer *r, uint32_t *stack) {
  const gn__sg *g = r->g;
  uint32_t top = 0;
  for (uint32_t v = 0; v < g->n; v++) {
    r->deg[v] = 0;
    for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++)
      if (r->edge_ok[g->adj_e[k]]) r->deg[v]++;
    if (r->deg[v] <= 1 && !g->is_term[v]) stack[top++] = v;
  }
  while (top) {
    uint32_t v = stack[--top];
    for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
      uint32_t e = g->adj_e[k], x = g->adj_v[k];
      if (!r->edge_ok[e]) continue;
      r->edge_ok[e] = 0;
      r->deg[v]--;
      if (--r->deg[x] == 1 && !g->is_term[x]) stack[top++] = x;
    }
  }
}

static int is_anchor(const reducer *r, uint32_t v) {
  return r->g->is_term[v] || (r->deg[v] != 2 && r->deg[v] > 0);
}

/* Walk from anchor a along edge e to the next anchor; appends the chain's
 * edges to list (if not NULL). Returns the far anchor or NIL (cycle of
 * degree-2 nodes without anchor). */
static uint32_t walk(const reducer *r, uint32_t a, uint32_t e, double *len,
                     uint32_t *list, uint32_t *nlist) {
  const gn__sg *g = r->g;
  uint32_t x = gn__sg_other(g, e, a), steps = 0;
  *len = g->w[e];
  if (list) list[(*nlist)++] = e;
  while (!is_anchor(r, x)) {
    uint32_t next = NIL;
    for (uint32_t k = g->off[x]; k < g->off[x + 1]; k++) {
      if (r->edge_ok[g->adj_e[k]] && g->adj_e[k] != e) {
        next = g->adj_e[k];
        break;
      }
    }
    if (next == NIL || ++steps > g->n) return NIL;
    e = next;
    *len += g->w[e];
    if (list) list[(*nlist)++] = e;
    x = gn__sg_other(g, e, x);
  }
  return x;
}

/* Count (pass 0) or emit (pass 1) the reduced edges. */
static uint32_t chains(reducer *r, gn__sg *red, uint32_t *anc_off,
                       uint32_t *anc_e, int pass) {
  const gn__sg *g = r->g;
  uint32_t m = 0, na = 0;
  for (uint32_t a = 0; a < g->n; a++) {
    if (!is_anchor(r, a)) continue;
    for (uint32_t k = g->off[a]; k < g->off[a + 1]; k++) {
      uint32_t e = g->adj_e[k];
      double len;
      if (!r->edge_ok[e]) continue;
      uint32_t start = na;
      uint32_t b = walk(r, a, e, &len, pass ? anc_e : NULL, &na);
      if (b == NIL || b <= a) {
        na = start;
        continue;
      }
      if (pass) {
        red->eu[m] = r->newid[a];
        red->ev[m] = r->newid[b];
        red->w[m] = len;
        anc_off[m + 1] = na;
      }
      m++;
    }
  }
  return m;
}

static void build_csr(gn__sg *red) {
  memset(red->off, 0, (red->n + 1) * sizeof(uint32_t));
  for (uint32_t e = 0; e < red->m; e++) {
    red->off[red->eu[e] + 1]++;
    red->off[red->ev[e] + 1]++;
  }
  for (uint32_t v = 0; v < red->n; v++) red->off[v + 1] += red->off[v];
  for (uint32_t e = 0; e < red->m; e++) {
    uint32_t ends[2] = {red->eu[e], red->ev[e]};
    for (int i = 0; i < 2; i++) {
      uint32_t p = red->off[ends[i]]++;
      red->adj_v[p] = ends[1 - i];
      red->adj_e[p] = e;
      red->adj_w[p] = red->w[e];
    }
  }
  for (uint32_t v = red->n; v > 0; v--) red->off[v] = red->off[v - 1];
  red->off[0] = 0;
}

static gn_status alloc_red(gn_ctx *ctx, gn__sg *red, uint32_t n, uint32_t m,
                           uint32_t nterm) {
  memset(red, 0, sizeof(*red));
  red->ctx = ctx;
  red->n = n;
  red->m = m;
  red->off = gn_malloc(ctx, (n + 1) * sizeof(uint32_t));
  red->adj_v = gn_malloc(ctx, (2 * (size_t)m + 1) * sizeof(uint32_t));
  red->adj_e = gn_malloc(ctx, (2 * (size_t)m + 1) * sizeof(uint32_t));
  red->adj_w = gn_malloc(ctx, (2 * (size_t)m + 1) * sizeof(double));
  red->eu = gn_malloc(ctx, (m + 1) * sizeof(uint32_t));
  red->ev = gn_malloc(ctx, (m + 1) * sizeof(uint32_t));
  red->w = gn_malloc(ctx, (m + 1) * sizeof(double));
  red->is_term = gn_malloc(ctx, n + 1);
  red->terms = gn_malloc(ctx, (nterm + 1) * sizeof(uint32_t));
  red->orig_node = gn_malloc(ctx, (n + 1) * sizeof(uint32_t));
  if (!red->off || !red->adj_v || !red->adj_e || !red->adj_w || !red->eu ||
      !red->ev || !red->w || !red->is_term || !red->terms || !red->orig_node) {
    gn__sg_cleanup(red);
    return gn__fail(ctx, GN_ENOMEM, "out of memory reducing the graph");
  }
  return GN_OK;
}

static gn_status reduce_into(reducer *r, gn__sg *red, uint32_t **anc_off,
                             uint32_t **anc_e) {
  const gn__sg *g = r->g;
  gn_ctx *ctx = g->ctx;
  uint32_t n = 0;
  for (uint32_t v = 0; v < g->n; v++)
    r->newid[v] = is_anchor(r, v) ? n++ : NIL;
  uint32_t na = 0, m = chains(r, NULL, NULL, NULL, 0);
  for (uint32_t e = 0; e < g->m; e++) na += r->edge_ok[e];
  gn_status s = alloc_red(ctx, red, n, m, g->nterm);
  if (s != GN_OK) return s;
  *anc_off = gn_malloc(ctx, (m + 1) * sizeof(uint32_t));
  /* a chain walked from its larger anchor is written, then dropped: room
   * for the kept ones plus one such chain */
  *anc_e = gn_malloc(ctx, (2 * (size_t)na + 1) * sizeof(uint32_t));
  if (!*anc_off || !*anc_e)
    return gn__fail(ctx, GN_ENOMEM, "out of memory reducing the graph");
  (*anc_off)[0] = 0;
  chains(r, red, *anc_off, *anc_e, 1);
  build_csr(red);
  for (uint32_t v = 0; v < g->n; v++) {
    if (r->newid[v] == NIL) continue;
    red->orig_node[r->newid[v]] = v;
    red->is_term[r->newid[v]] = g->is_term[v];
  }
  red->nterm = g->nterm;
  for (uint32_t i = 0; i < g->nterm; i++) red->terms[i] = r->newid[g->terms[i]];
  return GN_OK;
}

/* Degree tests on the edges of g with edge_ok set (edge_ok is
 * overwritten): delete leaves, contract chains into red. */
static gn_status degree_reduce(const gn__sg *g, uint8_t *edge_ok, gn__sg *red,
                               uint32_t **anc_off, uint32_t **anc_e) {
  gn_ctx *ctx = g->ctx;
  reducer r = {g, edge_ok, NULL, NULL};
  *anc_off = NULL;
  *anc_e = NULL;
  memset(red, 0, sizeof(*red));
  r.deg = gn_malloc(ctx, ((size_t)g->n + 1) * sizeof(uint32_t));
  r.newid = gn_malloc(ctx, ((size_t)g->n + 1) * sizeof(uint32_t));
  gn_status s = GN_OK;
  if (!r.deg || !r.newid) {
    s = gn__fail(ctx, GN_ENOMEM, "out of memory reducing the graph");
  } else {
    delete_leaves(&r, r.newid);
    s = reduce_into(&r, red, anc_off, anc_e);
  }
  gn_free(ctx, r.deg);
  gn_free(ctx, r.newid);
  return s;
}

/* Ancestry of next's edges over the base graph: next edge f stands for
 * cur edges ne[noff[f] ..], each of which stands for base edges. */
static gn_status compose(const gn__sg *cur, const uint32_t *aoff,
                         const uint32_t *ae, gn__sg *next,
                         const uint32_t *noff, const uint32_t *ne,
                         uint32_t **coff, uint32_t **ce) {
  gn_ctx *ctx = cur->ctx;
  size_t total = 0;
  for (uint32_t k = 0; k < noff[next->m]; k++)
    total += aoff[ne[k] + 1] - aoff[ne[k]];
  *coff = gn_malloc(ctx, ((size_t)next->m + 1) * sizeof(uint32_t));
  *ce = gn_malloc(ctx, (total + 1) * sizeof(uint32_t));
  if (!*coff || !*ce) {
    gn_free(ctx, *coff);
    gn_free(ctx, *ce);
    return gn__fail(ctx, GN_ENOMEM, "out of memory reducing the graph");
  }
  uint32_t n = 0;
  (*coff)[0] = 0;
  for (uint32_t f = 0; f < next->m; f++) {
    for (uint32_t k = noff[f]; k < noff[f + 1]; k++)
      for (uint32_t a = aoff[ne[k]]; a < aoff[ne[k] + 1]; a++)
        (*ce)[n++] = ae[a];
    (*coff)[f + 1] = n;
  }
  for (uint32_t v = 0; v < next->n; v++)
    next->orig_node[v] = cur->orig_node[next->orig_node[v]];
  return GN_OK;
}

/* The next round tests only the nodes of next whose surroundings
 * changed: ends of contracted chains, nodes that lost edges, and (hops)
 * their neighbours. Call before compose (next->orig_node indexes cur). */
static void mark_dirty(const gn__sg *cur, const gn__sg *next,
                       const uint32_t *noff, gn__sd_ws *ws) {
  uint8_t *d = ws->dirty;
  memset(d, 0, next->n);
  for (uint32_t f = 0; f < next->m; f++)
    if (noff[f + 1] - noff[f] > 1) d[next->eu[f]] = d[next->ev[f]] = 1;
  for (uint32_t i = 0; i < next->n; i++) {
    uint32_t v = next->orig_node[i];
    if (next->off[i + 1] - next->off[i] < cur->off[v + 1] - cur->off[v])
      d[i] = 1;
  }
  for (int h = 0; h < GN__SD_HOPS; h++) {
    for (uint32_t i = 0; i < next->n; i++)
      if (d[i] == 1)
        for (uint32_t k = next->off[i]; k < next->off[i + 1]; k++)
          if (!d[next->adj_v[k]]) d[next->adj_v[k]] = 2;
    for (uint32_t i = 0; i < next->n; i++) d[i] = d[i] ? 1 : 0;
  }
  ws->all_dirty = 0;
}

/* Delete the edges of red with ok[e] == 0, run the degree tests again
 * and replace red and its ancestry by the result; ws (may be NULL) gets
 * the nodes to test in the next round. */
static gn_status apply_mask(gn__sg *red, uint32_t **anc_off, uint32_t **anc_e,
                            uint8_t *ok, gn__sd_ws *ws) {
  gn_ctx *ctx = red->ctx;
  gn__sg next;
  uint32_t *noff = NULL, *ne = NULL, *coff, *ce;
  gn_status st = degree_reduce(red, ok, &next, &noff, &ne);
  if (st == GN_OK && ws) mark_dirty(red, &next, noff, ws);
  if (st == GN_OK) st = compose(red, *anc_off, *anc_e, &next, noff, ne,
                                &coff, &ce);
  gn_free(ctx, noff);
  gn_free(ctx, ne);
  if (st != GN_OK) {
    gn__sg_cleanup(&next);
    return st;
  }
  gn__sg_cleanup(red);
  gn_free(ctx, *anc_off);
  gn_free(ctx, *anc_e);
  *red = next;
  *anc_off = coff;
  *anc_e = ce;
  return GN_OK;
}

gn_status gn__sg_reduce_mask(gn__sg *red, uint32_t **anc_off,
                             uint32_t **anc_e, uint8_t *ok) {
  return apply_mask(red, anc_off, anc_e, ok, NULL);
}

/* One round: deletion tests on red, then the degree tests again; red and
 * its ancestry are replaced by the result. *del: edges deleted. */
static gn_status sd_round(gn__sg *red, uint32_t **anc_off, uint32_t **anc_e,
                          gn__sd_ws *ws, const gn__reduce_opts *o,
                          uint32_t *del) {
  gn_ctx *ctx = red->ctx;
  *del = 0;
  uint8_t *ok = gn_malloc(ctx, (size_t)red->m + 1);
  if (!ok) return gn__fail(ctx, GN_ENOMEM, "out of memory reducing the graph");
  memset(ok, 1, (size_t)red->m + 1);
  *del = gn__sd_delete(red, ok, ws, &o->sd);
  gn_status st = GN_OK;
  if (*del > 0) st = apply_mask(red, anc_off, anc_e, ok, ws);
  gn_free(ctx, ok);
  return st;
}

void gn__reduce_opts_init(gn__reduce_opts *o) {
  o->sd_rounds = GN__SD_ROUNDS;
  o->sd.max_settle = GN__SD_SETTLE;
  o->sd.max_arcs = GN__SD_ARCS;
  o->sd.max_deg2 = GN__SD_DEG2;
}

gn_status gn__sg_reduce_ex(const gn__sg *g, gn__sg *red, uint32_t **anc_off,
                           uint32_t **anc_e, const gn__reduce_opts *o,
                           gn__reduce_stats *stats) {
  gn_ctx *ctx = g->ctx;
  gn__reduce_stats dummy;
  gn__sd_ws ws;
  if (!stats) stats = &dummy;
  memset(stats, 0, sizeof(*stats));
  uint8_t *ok = gn_malloc(ctx, (size_t)g->m + 1);
  if (!ok) {
    memset(red, 0, sizeof(*red));
    *anc_off = *anc_e = NULL;
    return gn__fail(ctx, GN_ENOMEM, "out of memory reducing the graph");
  }
  for (uint32_t e = 0; e < g->m; e++) ok[e] = g->eu[e] != g->ev[e];
  gn_status s = degree_reduce(g, ok, red, anc_off, anc_e);
  gn_free(ctx, ok);
  if (s != GN_OK || o->sd_rounds <= 0) return s;
  s = gn__sd_ws_init(ctx, &ws, red->n);
  for (int r = 0; s == GN_OK && r < o->sd_rounds; r++) {
    uint32_t del, m0 = red->m;
    s = sd_round(red, anc_off, anc_e, &ws, o, &del);
    stats->rounds++;
    stats->sd_deleted += del;
    /* stop when a round removed under 1 % of the edges */
    if (del == 0 || (uint64_t)(m0 - red->m) * 100 < m0) break;
  }
  gn__sd_ws_cleanup(ctx, &ws);
  return s;
}

gn_status gn__sg_reduce(const gn__sg *g, gn__sg *red, uint32_t **anc_off,
                        uint32_t **anc_e) {
  gn__reduce_opts o;
  gn__reduce_opts_init(&o);
  /* Dense graphs (mean degree >= 8): 200 arcs are a handful of nodes, so
   * the searches get GN__SD_DENSE_SETTLE / _ARCS. On the hard SteinLib
   * graphs (degree 25-50) this took the mean gap of c18-e19 over 6 seeds
   * from 0.51 % to 0.47 %; on street graphs it would only cost time. */
  if ((uint64_t)g->m >= 4 * (uint64_t)g->n) {
    o.sd.max_settle = GN__SD_DENSE_SETTLE;
    o.sd.max_arcs = GN__SD_DENSE_ARCS;
  }
  return gn__sg_reduce_ex(g, red, anc_off, anc_e, &o, NULL);
}
