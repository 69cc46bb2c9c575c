/*
 * hubs.c - Aggregation hubs among the public buildings, so that every
 * building's working circuit stays within the access optics' reach.
 *
 * Problem: choose the fewest hub sites (each costs the same price book
 * entry; trench and cable do not change with the choice, the tree is
 * already laid) so that every connected building lies within reach_m of
 * a hub or POP along the plan's tree (the path its working circuit
 * takes: redundant ring trenches are only for protection), drop
 * included. That is a set cover: candidate c covers the buildings
 * within reach of its node.
 * Method: cover sets by one bounded Dijkstra per candidate; greedy
 * (most uncovered buildings, ties to the smaller summed distance),
 * preferring the preferred candidates (admin and health, or the given
 * list) and opening any other building only for buildings no preferred
 * candidate reaches; then a clean-up pass drops every hub whose
 * buildings are all covered by other hubs. Lower bound: a packing of
 * buildings no two of which share a candidate needs one hub each, so
 * hubs >= packing size (the greedy packing takes the buildings with the
 * fewest candidates first). gap = hubs / bound - 1.
 * Cost: O(C * B log B) for C candidates over a ball of B nodes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/heap.h"
#include "govnet/design.h"
#include "util/internal.h"

typedef struct tree {
  size_t nn;
  size_t *off;   /* CSR over plan nodes: tree trenches */
  gn_id *nbr;
  double *len;
  long *site_at; /* node -> first connected site index + 1, 0 none */
  size_t *next_site; /* chain of further sites on the same node */
} tree;

static void tree_free(gn_ctx *ctx, tree *t) {
  gn_free(ctx, t->off);
  gn_free(ctx, t->nbr);
  gn_free(ctx, t->len);
  gn_free(ctx, t->site_at);
  gn_free(ctx, t->next_site);
}

static gn_status tree_build(gn_ctx *ctx, const gn_plan *p, tree *t) {
  size_t nn = gn_plan_node_count(p), nt = gn_plan_trench_count(p);
  size_t ns = gn_plan_site_count(p);
  memset(t, 0, sizeof *t);
  t->nn = nn;
  t->off = gn_malloc(ctx, (nn + 2) * sizeof(size_t));
  t->nbr = gn_malloc(ctx, (2 * nt + 1) * sizeof(gn_id));
  t->len = gn_malloc(ctx, (2 * nt + 1) * sizeof(double));
  t->site_at = gn_malloc(ctx, (nn + 1) * sizeof(long));
  t->next_site = gn_malloc(ctx, (ns + 1) * sizeof(size_t));
  if (!t->off || !t->nbr || !t->len || !t->site_at || !t->next_site)
    return gn__fail(ctx, GN_ENOMEM, "out of memory placing hubs");
  memset(t->off, 0, (nn + 2) * sizeof(size_t));
  memset(t->site_at, 0, (nn + 1) * sizeof(long));
  for (size_t i = 0; i < nt; i++) {
    const gn_plan_trench *x = gn_plan_trench_get(p, i);
    if (x->redundant) continue;
    t->off[x->a + 2]++;
    t->off[x->b + 2]++;
  }
  for (size_t v = 0; v < nn; v++) t->off[v + 2] += t->off[v + 1];
  for (size_t i = 0; i < nt; i++) {
    const gn_plan_trench *x = gn_plan_trench_get(p, i);
    if (x->redundant) continue;
    double l = x->length_m > 0 ? x->length_m : 0;
    size_t ka = t->off[x->a + 1]++, kb = t->off[x->b + 1]++;
    t->nbr[ka] = x->b;
    t->len[ka] = l;
    t->nbr[kb] = x->a;
    t->len[kb] = l;
  }
  for (size_t i = ns; i-- > 0;) {
    const gn_plan_site *s = gn_plan_site_get(p, i);
    if (s->node == GN_NONE || s->status != GN_SITE_CONNECTED) continue;
    t->next_site[i] = t->site_at[s->node] ? (size_t)t->site_at[s->node] - 1
                                          : (size_t)-1;
    t->site_at[s->node] = (long)i + 1;
  }
  return GN_OK;
}

static double drop_of(const gn_plan_site *s) {
  return isfinite(s->drop_m) && s->drop_m > 0 ? s->drop_m : 0;
}

/* Sites within reach of node src: appended to *out as (site, dist). */
typedef struct cover {
  size_t *site;
  float *dist;
  size_t n, cap, cap_dist;
  size_t *off; /* per candidate */
} cover;

static gn_status ball(gn_ctx *ctx, const gn_plan *p, const tree *t,
                      gn__heap *h, double *dist, gn_id src, double reach,
                      cover *cv) {
  gn__heap_update(h, src, 0);
  dist[src] = 0;
  gn_id *seen = NULL;
  size_t nseen = 0, cap = 0;
  gn_status rs = GN_OK;
  while (rs == GN_OK && !gn__heap_empty(h)) {
    double d = gn__heap_top_key(h);
    gn_id v = gn__heap_pop(h);
    if (GN__GROW(ctx, seen, cap, nseen + 1) != GN_OK) {
      rs = gn__fail(ctx, GN_ENOMEM, "out of memory placing hubs");
      break;
    }
    seen[nseen++] = v;
    for (long s = t->site_at[v]; s; ) {
      size_t si = (size_t)s - 1;
      double total = d + drop_of(gn_plan_site_get(p, si));
      if (total <= reach) {
        if (GN__GROW(ctx, cv->site, cv->cap, cv->n + 1) != GN_OK ||
            GN__GROW(ctx, cv->dist, cv->cap_dist, cv->n + 1) != GN_OK) {
          rs = gn__fail(ctx, GN_ENOMEM, "out of memory placing hubs");
          break;
        }
        cv->site[cv->n] = si;
        cv->dist[cv->n++] = (float)total;
      }
      size_t nx = t->next_site[si];
      s = nx == (size_t)-1 ? 0 : (long)nx + 1;
    }
    for (size_t k = t->off[v]; k < t->off[v + 1]; k++) {
      double nd = d + t->len[k];
      gn_id w = t->nbr[k];
      if (nd <= reach && nd < dist[w]) {
        dist[w] = nd;
        gn__heap_update(h, w, nd);
      }
    }
  }
  gn__heap_clear(h);
  for (size_t i = 0; i < nseen; i++) dist[seen[i]] = INFINITY;
  gn_free(ctx, seen);
  return rs;
}

void gn_hub_opts_init(gn_hub_opts *o) {
  memset(o, 0, sizeof *o);
  o->reach_m = 10000;
}

void gn_hub_set_free(gn_ctx *ctx, gn_hub_set *hs) {
  if (!hs) return;
  gn_free(ctx, hs->site);
  memset(hs, 0, sizeof *hs);
}

typedef struct placer {
  gn_ctx *ctx;
  const gn_plan *p;
  const gn_hub_opts *o;
  gn_hub_set *hs;
  size_t ns, ncand;
  size_t *cand_node_site; /* candidate -> site index (or pop: ns + i) */
  gn_id *cand_node;
  unsigned char *pref;    /* candidate preferred */
  cover cv;               /* cover sets, candidate-major */
  size_t *inv_off, *inv;  /* site -> candidates covering it */
  unsigned char *covered, *opened;
  long *gain;
  double *sumd;
} placer;

static int is_listed(const gn_hub_opts *o, const char *id) {
  for (size_t i = 0; i < o->ncandidates; i++)
    if (strcmp(o->candidates[i], id) == 0) return 1;
  return 0;
}

static gn_status candidates(placer *pl) {
  const gn_plan *p = pl->p;
  size_t np = gn_plan_pop_count(p), n = 0;
  pl->cand_node_site = gn_malloc(pl->ctx, (pl->ns + np + 1) * sizeof(size_t));
  pl->cand_node = gn_malloc(pl->ctx, (pl->ns + np + 1) * sizeof(gn_id));
  pl->pref = gn_malloc(pl->ctx, pl->ns + np + 1);
  if (!pl->cand_node_site || !pl->cand_node || !pl->pref)
    return gn__fail(pl->ctx, GN_ENOMEM, "out of memory placing hubs");
  for (size_t i = 0; i < np; i++) { /* POPs: always open */
    gn_id v = gn_plan_pop_get(p, i)->node;
    if (v == GN_NONE) continue;
    pl->cand_node_site[n] = pl->ns + i;
    pl->cand_node[n] = v;
    pl->pref[n++] = 1;
  }
  for (size_t i = 0; i < pl->ns; i++) {
    const gn_plan_site *s = gn_plan_site_get(p, i);
    if (s->node == GN_NONE || s->status != GN_SITE_CONNECTED) continue;
    pl->cand_node_site[n] = i;
    pl->cand_node[n] = s->node;
    pl->pref[n++] = pl->o->ncandidates
                        ? (unsigned char)is_listed(pl->o, s->id)
                        : (s->category == GN_CAT_ADMIN ||
                           s->category == GN_CAT_HEALTH);
  }
  pl->ncand = n;
  return GN_OK;
}

static gn_status cover_sets(placer *pl, const tree *t) {
  gn__heap h;
  gn_status rs = gn__heap_init(pl->ctx, &h, t->nn + 1);
  double *dist = gn_malloc(pl->ctx, (t->nn + 1) * sizeof(double));
  pl->cv.off = gn_malloc(pl->ctx, (pl->ncand + 1) * sizeof(size_t));
  if (rs == GN_OK && (!dist || !pl->cv.off))
    rs = gn__fail(pl->ctx, GN_ENOMEM, "out of memory placing hubs");
  for (size_t v = 0; dist && v <= t->nn; v++) dist[v] = INFINITY;
  for (size_t c = 0; rs == GN_OK && c < pl->ncand; c++) {
    pl->cv.off[c] = pl->cv.n;
    rs = ball(pl->ctx, pl->p, t, &h, dist, pl->cand_node[c], pl->o->reach_m,
              &pl->cv);
  }
  if (rs == GN_OK) pl->cv.off[pl->ncand] = pl->cv.n;
  gn__heap_cleanup(&h);
  gn_free(pl->ctx, dist);
  return rs;
}

/* site -> candidates (inverse lists) */
static gn_status invert(placer *pl) {
  pl->inv_off = gn_malloc(pl->ctx, (pl->ns + 2) * sizeof(size_t));
  pl->inv = gn_malloc(pl->ctx, (pl->cv.n + 1) * sizeof(size_t));
  if (!pl->inv_off || !pl->inv)
    return gn__fail(pl->ctx, GN_ENOMEM, "out of memory placing hubs");
  memset(pl->inv_off, 0, (pl->ns + 2) * sizeof(size_t));
  for (size_t k = 0; k < pl->cv.n; k++) pl->inv_off[pl->cv.site[k] + 2]++;
  for (size_t s = 0; s < pl->ns; s++) pl->inv_off[s + 2] += pl->inv_off[s + 1];
  for (size_t c = 0; c < pl->ncand; c++)
    for (size_t k = pl->cv.off[c]; k < pl->cv.off[c + 1]; k++)
      pl->inv[pl->inv_off[pl->cv.site[k] + 1]++] = c;
  return GN_OK;
}

static void open_hub(placer *pl, size_t c) {
  pl->opened[c] = 1;
  for (size_t k = pl->cv.off[c]; k < pl->cv.off[c + 1]; k++) {
    size_t s = pl->cv.site[k];
    if (pl->covered[s]++) continue;
    for (size_t j = pl->inv_off[s]; j < pl->inv_off[s + 1]; j++) {
      size_t d = pl->inv[j];
      pl->gain[d]--;
    }
  }
}

/* Greedy over candidates with pref == want, until no gain is left. */
static void greedy(placer *pl, int want) {
  for (;;) {
    size_t best = (size_t)-1;
    for (size_t c = 0; c < pl->ncand; c++) {
      if (pl->opened[c] || pl->pref[c] != want || pl->gain[c] <= 0) continue;
      if (best == (size_t)-1 || pl->gain[c] > pl->gain[best] ||
          (pl->gain[c] == pl->gain[best] && pl->sumd[c] < pl->sumd[best]))
        best = c;
    }
    if (best == (size_t)-1) return;
    open_hub(pl, best);
  }
}

/* A hub whose buildings all have another open hub in reach goes. */
static void drop_redundant(placer *pl, size_t fixed) {
  for (size_t c = pl->ncand; c-- > fixed;) {
    if (!pl->opened[c]) continue;
    int needed = 0;
    for (size_t k = pl->cv.off[c]; k < pl->cv.off[c + 1] && !needed; k++)
      needed = pl->covered[pl->cv.site[k]] <= 1;
    if (needed) continue;
    pl->opened[c] = 0;
    for (size_t k = pl->cv.off[c]; k < pl->cv.off[c + 1]; k++)
      pl->covered[pl->cv.site[k]]--;
  }
}

/* Greedy packing of buildings with pairwise disjoint candidate sets. */
static size_t packing_bound(placer *pl) {
  size_t *order = gn_malloc(pl->ctx, (pl->ns + 1) * sizeof(size_t));
  unsigned char *used = gn_malloc(pl->ctx, pl->ncand + 1);
  size_t n = 0, bound = 0;
  if (order && used) {
    /* a building a POP reaches needs no hub: POPs clash with everything */
    for (size_t c = 0; c < pl->ncand; c++)
      used[c] = pl->cand_node_site[c] >= pl->ns;
    for (size_t s = 0; s < pl->ns; s++)
      if (pl->inv_off[s + 1] > pl->inv_off[s]) order[n++] = s;
    /* fewest candidates first: counting sort by degree */
    for (size_t i = 1; i < n; i++) {
      size_t x = order[i], dx = pl->inv_off[x + 1] - pl->inv_off[x], j = i;
      while (j > 0 && pl->inv_off[order[j - 1] + 1] - pl->inv_off[order[j - 1]] > dx) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = x;
    }
    for (size_t i = 0; i < n; i++) {
      size_t s = order[i];
      int clash = 0;
      for (size_t j = pl->inv_off[s]; j < pl->inv_off[s + 1] && !clash; j++)
        clash = used[pl->inv[j]];
      if (clash) continue;
      bound++;
      for (size_t j = pl->inv_off[s]; j < pl->inv_off[s + 1]; j++)
        used[pl->inv[j]] = 1;
    }
  }
  gn_free(pl->ctx, order);
  gn_free(pl->ctx, used);
  return bound;
}

static gn_status place(placer *pl) {
  size_t nc = pl->ncand;
  pl->covered = gn_malloc(pl->ctx, pl->ns + 1);
  pl->opened = gn_malloc(pl->ctx, nc + 1);
  pl->gain = gn_malloc(pl->ctx, (nc + 1) * sizeof(long));
  pl->sumd = gn_malloc(pl->ctx, (nc + 1) * sizeof(double));
  if (!pl->covered || !pl->opened || !pl->gain || !pl->sumd)
    return gn__fail(pl->ctx, GN_ENOMEM, "out of memory placing hubs");
  memset(pl->covered, 0, pl->ns + 1);
  memset(pl->opened, 0, nc + 1);
  size_t npop = 0;
  for (size_t c = 0; c < nc; c++) {
    pl->gain[c] = (long)(pl->cv.off[c + 1] - pl->cv.off[c]);
    pl->sumd[c] = 0;
    for (size_t k = pl->cv.off[c]; k < pl->cv.off[c + 1]; k++)
      pl->sumd[c] += pl->cv.dist[k];
    if (pl->cand_node_site[c] >= pl->ns) npop++;
  }
  /* POPs and hubs of earlier calls (earlier phases) are open already */
  for (size_t c = 0; c < nc; c++) {
    int open = pl->cand_node_site[c] >= pl->ns;
    for (size_t h = 0; !open && h < pl->hs->n; h++)
      open = pl->hs->site[h] == pl->cand_node_site[c];
    if (open) open_hub(pl, c);
  }
  greedy(pl, 1);
  greedy(pl, 0);
  drop_redundant(pl, npop);
  size_t before = pl->hs->n;
  for (size_t c = npop; c < nc; c++) {
    if (!pl->opened[c]) continue;
    size_t s = pl->cand_node_site[c];
    int old = 0;
    for (size_t h = 0; h < before && !old; h++) old = pl->hs->site[h] == s;
    if (old) continue;
    if (GN__GROW(pl->ctx, pl->hs->site, pl->hs->cap, pl->hs->n + 1) != GN_OK)
      return gn__fail(pl->ctx, GN_ENOMEM, "out of memory placing hubs");
    pl->hs->site[pl->hs->n++] = s;
  }
  pl->hs->uncovered = 0;
  for (size_t s = 0; s < pl->ns; s++) {
    const gn_plan_site *x = gn_plan_site_get(pl->p, s);
    if (x->node != GN_NONE && x->status == GN_SITE_CONNECTED && !pl->covered[s])
      pl->hs->uncovered++;
  }
  pl->hs->lower_bound = packing_bound(pl);
  pl->hs->candidates = nc - npop;
  return GN_OK;
}

gn_status gn_hubs_place(gn_plan *p, const gn_hub_opts *o, gn_hub_set *hs) {
  gn_ctx *ctx = gn_plan_ctx(p);
  gn_ctx_clear(ctx);
  if (!(o->reach_m > 0))
    return gn__fail(ctx, GN_EINVAL, "hub reach must be > 0 m");
  placer pl;
  memset(&pl, 0, sizeof pl);
  pl.ctx = ctx;
  pl.p = p;
  pl.o = o;
  pl.hs = hs;
  pl.ns = gn_plan_site_count(p);
  tree t;
  gn_status rs = tree_build(ctx, p, &t);
  if (rs == GN_OK) rs = candidates(&pl);
  if (rs == GN_OK) rs = cover_sets(&pl, &t);
  if (rs == GN_OK) rs = invert(&pl);
  if (rs == GN_OK) rs = place(&pl);
  /* the hubs ride the critical sites' rings to the POP: their core */
  for (size_t h = 0; rs == GN_OK && h < hs->n; h++)
    gn_plan_site_mut(p, hs->site[h])->critical = 1;
  tree_free(ctx, &t);
  void *arrs[] = {pl.cand_node_site, pl.cand_node, pl.pref, pl.cv.site,
                  pl.cv.dist, pl.cv.off, pl.inv_off, pl.inv, pl.covered,
                  pl.opened, pl.gain, pl.sumd};
  for (size_t i = 0; i < sizeof arrs / sizeof arrs[0]; i++)
    gn_free(ctx, arrs[i]);
  return rs;
}

gn_status gn_hubs_commit(gn_plan *p, const gn_hub_set *hs) {
  gn_status rs = GN_OK;
  char id[160], name[300], list[16];
  for (size_t h = 0; rs == GN_OK && h < hs->n; h++) {
    const gn_plan_site *s = gn_plan_site_get(p, hs->site[h]);
    snprintf(id, sizeof id, "%s%s", GN_HUB_PREFIX, s->id);
    snprintf(name, sizeof name, "Hub %s", s->name && *s->name ? s->name : s->id);
    gn_plan_pop pop = {id, name, s->lon, s->lat, s->node};
    rs = gn_plan_add_pop(p, &pop, NULL);
  }
  snprintf(list, sizeof list, "%zu", hs->n);
  if (rs == GN_OK) rs = gn_plan_set_meta(p, "hubs", list);
  return rs;
}

int gn_pop_is_hub(const gn_plan_pop *pop) {
  return pop && pop->id &&
         strncmp(pop->id, GN_HUB_PREFIX, strlen(GN_HUB_PREFIX)) == 0;
}

const char *gn_optics_name(gn_optics_class c) {
  static const char *const names[] = {
#define GN__OPT_NAME(name, str) str,
      GN_OPTICS_MAP(GN__OPT_NAME)
#undef GN__OPT_NAME
  };
  return (unsigned)c < GN_OPTICS_COUNT ? names[c] : "?";
}

gn_optics_class gn_optics_parse(const char *name) {
  for (int c = 0; name && c < GN_OPTICS_COUNT; c++)
    if (strcmp(name, gn_optics_name((gn_optics_class)c)) == 0)
      return (gn_optics_class)c;
  return GN_OPTICS_COUNT;
}
