/*
 * steiner_reduce.c - Reductions that shrink a Steiner instance without
 * changing its optimum: non-terminals of degree <= 1 are deleted
 * (repeatedly), and chains of non-terminals of degree 2 are contracted
 * into one edge whose weight is the chain's length.
 *
 * Design: one pass over edge flags for the deletions, then every chain is
 * walked once from its smaller anchor (an anchor is a terminal or a node
 * of degree != 2). Each reduced edge keeps its ancestry, the list of
 * original edges it stands for (CSR: anc_off/anc_e), so a solution of the
 * reduced graph expands to one of the original. Chains that return to
 * their own anchor are cycles no tree needs and are dropped.
 * On street graphs (shape nodes of degree 2, dead ends) this removes most
 * nodes; the SteinLib and Vienna instances are already reduced.
 * Ownership: the reduced graph and ancestry are allocated on the ctx and
 * freed with gn__sg_cleanup / gn_free. Threads: reentrant.
 */
#include <string.h>

#include "core/steiner_int.h"
#include "util/internal.h"

#define NIL UINT32_MAX

typedef struct reducer {
  const gn__sg *g;
  uint8_t *edge_ok;  /* m */
  uint32_t *deg;     /* n: alive degree */
  uint32_t *newid;   /* n: reduced id of an anchor, NIL otherwise */
} reducer;

static uint32_t other(const gn__sg *g, uint32_t e, uint32_t x) {
  return g->eu[e] == x ? g->ev[e] : g->eu[e];
}

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
  uint32_t x = other(g, e, a), steps = 0;
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
    x = other(g, e, x);
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

gn_status gn__sg_reduce(const gn__sg *g, gn__sg *red, uint32_t **anc_off,
                        uint32_t **anc_e) {
  gn_ctx *ctx = g->ctx;
  reducer r = {g, NULL, NULL, NULL};
  *anc_off = NULL;
  *anc_e = NULL;
  memset(red, 0, sizeof(*red));
  r.edge_ok = gn_malloc(ctx, (size_t)g->m + 1);
  r.deg = gn_malloc(ctx, ((size_t)g->n + 1) * sizeof(uint32_t));
  r.newid = gn_malloc(ctx, ((size_t)g->n + 1) * sizeof(uint32_t));
  gn_status s = GN_OK;
  if (!r.edge_ok || !r.deg || !r.newid) {
    s = gn__fail(ctx, GN_ENOMEM, "out of memory reducing the graph");
  } else {
    for (uint32_t e = 0; e < g->m; e++) r.edge_ok[e] = g->eu[e] != g->ev[e];
    delete_leaves(&r, r.newid);
    s = reduce_into(&r, red, anc_off, anc_e);
  }
  gn_free(ctx, r.edge_ok);
  gn_free(ctx, r.deg);
  gn_free(ctx, r.newid);
  return s;
}
