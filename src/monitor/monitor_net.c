/*
 * monitor_net.c - Load the fiber model a diagnosis runs on.
 *
 * Design: a handful of full scans, each one statement through the store's
 * statement cache: sites (sorted by text id), circuits, and the
 * (circuit, element) incidences: trenches from the derived index
 * circuit_trenches (the one gn_store_impact cuts with, so both agree on
 * what a trench carries), cables from the circuit's fibers, closures from
 * the circuit's splices. The incidences are sorted once and laid out as
 * CSR lists both ways (circuit -> elements, element -> circuits).
 * Circuits over a fiber recorded broken are marked dead, as impact does.
 */
#include <stdlib.h>
#include <string.h>

#include "monitor/monitor_int.h"
#include "store/store_int.h"

typedef struct inc {
  uint64_t key; /* kind << 56 | element id */
  uint32_t circ;
} inc;

typedef struct loader {
  gn_store *st;
  gn_ctx *ctx;
  gn_monitor_net *net;
  int64_t *circ_fid; /* [ncirc] sorted */
  int64_t (*site_fid)[2]; /* (fid, index) sorted by fid */
  inc *incs;
  size_t ninc, cap_inc;
} loader;

static gn_status oom(gn_ctx *ctx) {
  return gn__fail(ctx, GN_ENOMEM, "out of memory loading the fiber model");
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

static int cmp_inc(const void *a, const void *b) {
  const inc *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return x->circ < y->circ ? -1 : x->circ > y->circ;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

long gn__mon_site_find(const gn_monitor_net *net, const char *s) {
  if (!net->nsites) return -1;
  char **hit = bsearch(&s, net->site_id, net->nsites, sizeof(char *), cmp_str);
  return hit ? (long)(hit - net->site_id) : -1;
}

static void *alloc0(gn_ctx *ctx, size_t n, size_t es) {
  void *p = gn_malloc(ctx, n ? n * es : 1);
  if (p) memset(p, 0, n ? n * es : 1);
  return p;
}

static gn_status load_sites(loader *L) {
  gn_monitor_net *net = L->net;
  int64_t n = 0;
  int found;
  gn_status rs = gn__st_int(L->st, "SELECT count(*) FROM sites", 0, &n, &found);
  if (rs != GN_OK) return rs;
  if (n > (int64_t)UINT32_MAX - 1)
    return gn__fail(L->ctx, GN_ELIMIT, "monitor: too many sites");
  net->site_id = alloc0(L->ctx, (size_t)n, sizeof(char *));
  net->site_name = alloc0(L->ctx, (size_t)n, sizeof(char *));
  L->site_fid = alloc0(L->ctx, (size_t)n, sizeof(*L->site_fid));
  if (!net->site_id || !net->site_name || !L->site_fid) return oom(L->ctx);
  sqlite3_stmt *q = NULL;
  rs = gn__st_cached(L->st,
                     "SELECT fid, site_id, coalesce(name,'') FROM sites"
                     " ORDER BY site_id", &q);
  int rc = SQLITE_DONE;
  while (rs == GN_OK && net->nsites < (size_t)n &&
         (rc = sqlite3_step(q)) == SQLITE_ROW) {
    size_t i = net->nsites++;
    L->site_fid[i][0] = sqlite3_column_int64(q, 0);
    L->site_fid[i][1] = (int64_t)i;
    net->site_id[i] = gn__strdup(L->ctx, gn__col_text(q, 1));
    net->site_name[i] = gn__strdup(L->ctx, gn__col_text(q, 2));
    if (!net->site_id[i] || !net->site_name[i]) rs = oom(L->ctx);
  }
  if (rs == GN_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    rs = gn__st_err(L->st, rc, "monitor: sites");
  gn__st_release(L->st, q);
  if (rs == GN_OK && net->nsites > 1)
    qsort(L->site_fid, net->nsites, sizeof(*L->site_fid), cmp_i64);
  return rs;
}

static long site_index(const loader *L, int64_t fid) {
  int64_t key[2] = {fid, 0};
  const int64_t(*hit)[2] = L->net->nsites
      ? bsearch(key, L->site_fid, L->net->nsites, sizeof(*L->site_fid), cmp_i64)
      : NULL;
  return hit ? (long)(*hit)[1] : -1;
}

static gn_status load_circuits(loader *L) {
  gn_monitor_net *net = L->net;
  int64_t n = 0;
  int found;
  gn_status rs =
      gn__st_int(L->st, "SELECT count(*) FROM circuits", 0, &n, &found);
  if (rs != GN_OK) return rs;
  if (n > (int64_t)UINT32_MAX - 1)
    return gn__fail(L->ctx, GN_ELIMIT, "monitor: too many circuits");
  L->circ_fid = alloc0(L->ctx, (size_t)n, sizeof(int64_t));
  net->circ_site = alloc0(L->ctx, (size_t)n, sizeof(uint32_t));
  net->circ_dead = alloc0(L->ctx, (size_t)n, 1);
  net->site_circ_off = alloc0(L->ctx, net->nsites + 1, sizeof(uint32_t));
  net->site_circ = alloc0(L->ctx, (size_t)n, sizeof(uint32_t));
  if (!L->circ_fid || !net->circ_site || !net->circ_dead ||
      !net->site_circ_off || !net->site_circ)
    return oom(L->ctx);
  sqlite3_stmt *q = NULL;
  rs = gn__st_cached(L->st, "SELECT fid, site FROM circuits ORDER BY fid", &q);
  while (rs == GN_OK && net->ncirc < (size_t)n && sqlite3_step(q) == SQLITE_ROW) {
    long s = site_index(L, sqlite3_column_int64(q, 1));
    if (s < 0) continue; /* foreign keys forbid it; skip defensively */
    L->circ_fid[net->ncirc] = sqlite3_column_int64(q, 0);
    net->circ_site[net->ncirc++] = (uint32_t)s;
    net->site_circ_off[s + 1]++;
  }
  gn__st_release(L->st, q);
  if (rs != GN_OK) return rs;
  for (size_t i = 0; i < net->nsites; i++)
    net->site_circ_off[i + 1] += net->site_circ_off[i];
  uint32_t *fill = alloc0(L->ctx, net->nsites + 1, sizeof(uint32_t));
  if (!fill) return oom(L->ctx);
  memcpy(fill, net->site_circ_off, (net->nsites + 1) * sizeof(uint32_t));
  for (size_t c = 0; c < net->ncirc; c++)
    net->site_circ[fill[net->circ_site[c]]++] = (uint32_t)c;
  gn_free(L->ctx, fill);
  return GN_OK;
}

static long circ_index(const loader *L, int64_t fid) {
  const int64_t *hit =
      L->net->ncirc ? bsearch(&fid, L->circ_fid, L->net->ncirc,
                              sizeof(int64_t), cmp_i64)
                    : NULL;
  return hit ? (long)(hit - L->circ_fid) : -1;
}

/* Add the (circuit, element) rows of sql (columns: circuit fid, element
 * id) as incidences of kind. */
static gn_status load_incs(loader *L, const char *sql, int kind) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(L->st, sql, &q);
  int rc = SQLITE_DONE;
  while (rs == GN_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
    long c = circ_index(L, sqlite3_column_int64(q, 0));
    int64_t id = sqlite3_column_int64(q, 1);
    if (c < 0 || id < 0 || id >= ((int64_t)1 << 56)) continue;
    if (GN__GROW(L->ctx, L->incs, L->cap_inc, L->ninc + 1) != GN_OK)
      rs = oom(L->ctx);
    else
      L->incs[L->ninc++] = (inc){((uint64_t)kind << 56) | (uint64_t)id,
                                 (uint32_t)c};
  }
  if (rs == GN_OK && rc != SQLITE_DONE)
    rs = gn__st_err(L->st, rc, "monitor: fiber model");
  gn__st_release(L->st, q);
  return rs;
}

static gn_status load_dead(loader *L) {
  int64_t *v = NULL;
  size_t n = 0;
  gn_status rs = gn__st_broken_circuits(L->st, &v, &n);
  for (size_t i = 0; rs == GN_OK && i < n; i++) {
    long c = circ_index(L, v[i]);
    if (c >= 0) L->net->circ_dead[c] = 1;
  }
  gn_free(L->ctx, v);
  return rs;
}

/* Sort the incidences, number the elements, lay out both CSR lists. */
static gn_status build_csr(loader *L) {
  gn_monitor_net *net = L->net;
  if (L->ninc > 1) qsort(L->incs, L->ninc, sizeof(inc), cmp_inc);
  size_t u = 0;
  for (size_t i = 0; i < L->ninc; i++) /* drop duplicate incidences */
    if (!u || cmp_inc(&L->incs[u - 1], &L->incs[i]) != 0)
      L->incs[u++] = L->incs[i];
  L->ninc = u;
  size_t nel = 0;
  for (size_t i = 0; i < L->ninc; i++)
    nel += !i || L->incs[i].key != L->incs[i - 1].key;
  net->el_kind = alloc0(L->ctx, nel, 1);
  net->el_id = alloc0(L->ctx, nel, sizeof(int64_t));
  net->el_weight = alloc0(L->ctx, nel, sizeof(double));
  net->el_circ_off = alloc0(L->ctx, nel + 1, sizeof(uint32_t));
  net->el_circ = alloc0(L->ctx, L->ninc, sizeof(uint32_t));
  net->circ_el_off = alloc0(L->ctx, net->ncirc + 1, sizeof(uint32_t));
  net->circ_el = alloc0(L->ctx, L->ninc, sizeof(uint32_t));
  uint32_t *fill = alloc0(L->ctx, net->ncirc + 1, sizeof(uint32_t));
  if (!net->el_kind || !net->el_id || !net->el_weight || !net->el_circ_off ||
      !net->el_circ || !net->circ_el_off || !net->circ_el || !fill) {
    gn_free(L->ctx, fill);
    return oom(L->ctx);
  }
  size_t e = 0;
  for (size_t i = 0; i < L->ninc; i++) {
    if (i && L->incs[i].key != L->incs[i - 1].key) e++;
    net->el_kind[e] = (uint8_t)(L->incs[i].key >> 56);
    net->el_id[e] = (int64_t)(L->incs[i].key & (((uint64_t)1 << 56) - 1));
    net->el_circ[i] = L->incs[i].circ;
    net->el_circ_off[e + 1] = (uint32_t)(i + 1);
    net->circ_el_off[L->incs[i].circ + 1]++;
  }
  net->nel = nel;
  for (size_t c = 0; c < net->ncirc; c++)
    net->circ_el_off[c + 1] += net->circ_el_off[c];
  memcpy(fill, net->circ_el_off, (net->ncirc + 1) * sizeof(uint32_t));
  e = 0;
  for (size_t i = 0; i < L->ninc; i++) {
    if (i && L->incs[i].key != L->incs[i - 1].key) e++;
    net->circ_el[fill[L->incs[i].circ]++] = (uint32_t)e;
  }
  gn_free(L->ctx, fill);
  return GN_OK;
}

long gn__mon_el_find(const gn_monitor_net *net, int kind, int64_t id) {
  size_t lo = 0, hi = net->nel;
  while (lo < hi) { /* elements are sorted by (kind, id) */
    size_t mid = lo + (hi - lo) / 2;
    int k = net->el_kind[mid];
    if (k < kind || (k == kind && net->el_id[mid] < id))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < net->nel && net->el_kind[lo] == kind && net->el_id[lo] == id
             ? (long)lo
             : -1;
}

/* Weights: trench = length m, cable alone = 0.1 x length, closure = 5. */
static gn_status load_weights(loader *L) {
  gn_monitor_net *net = L->net;
  for (size_t e = 0; e < net->nel; e++)
    net->el_weight[e] = net->el_kind[e] == GN__EL_CLOSURE ? 5.0 : 1.0;
  static const char *const sql[2] = {"SELECT fid, length_m FROM trenches",
                                     "SELECT fid, length_m FROM cables"};
  gn_status rs = GN_OK;
  for (int kind = 0; rs == GN_OK && kind < 2; kind++) {
    sqlite3_stmt *q = NULL;
    rs = gn__st_cached(L->st, sql[kind], &q);
    while (rs == GN_OK && sqlite3_step(q) == SQLITE_ROW) {
      long e = gn__mon_el_find(net, kind, sqlite3_column_int64(q, 0));
      double len = sqlite3_column_double(q, 1);
      if (e >= 0 && len > 0)
        net->el_weight[e] = kind == GN__EL_TRENCH ? len : 0.1 * len;
    }
    gn__st_release(L->st, q);
  }
  return rs;
}

static gn_status load(loader *L) {
  gn_status rs = load_sites(L);
  if (rs == GN_OK) rs = load_circuits(L);
  if (rs == GN_OK)
    rs = load_incs(L, "SELECT circuit, trench FROM circuit_trenches",
                   GN__EL_TRENCH);
  if (rs == GN_OK)
    rs = load_incs(L,
                   "SELECT x.circuit, f.cable FROM circuit_fibers x JOIN"
                   " fibers f ON f.fid=x.fiber", GN__EL_CABLE);
  if (rs == GN_OK)
    rs = load_incs(L,
                   "SELECT x.circuit, s.closure FROM circuit_fibers x JOIN"
                   " splices s ON s.fiber_a=x.fiber", GN__EL_CLOSURE);
  if (rs == GN_OK) rs = load_dead(L);
  if (rs == GN_OK) rs = build_csr(L);
  if (rs == GN_OK) rs = load_weights(L);
  return rs;
}

gn_status gn_monitor_net_load(gn_store *st, gn_monitor_net **out) {
  gn_ctx *ctx = st->ctx;
  gn_ctx_clear(ctx);
  *out = NULL;
  loader L;
  memset(&L, 0, sizeof(L));
  L.st = st;
  L.ctx = ctx;
  L.net = alloc0(ctx, 1, sizeof(gn_monitor_net));
  if (!L.net) return oom(ctx);
  L.net->ctx = ctx;
  gn_status rs = load(&L);
  gn_free(ctx, L.circ_fid);
  gn_free(ctx, L.site_fid);
  gn_free(ctx, L.incs);
  if (rs != GN_OK) {
    gn_monitor_net_free(L.net);
    return rs;
  }
  *out = L.net;
  return GN_OK;
}

size_t gn_monitor_net_nsites(const gn_monitor_net *net) {
  size_t n = 0;
  for (size_t s = 0; s < net->nsites; s++)
    n += net->site_circ_off[s + 1] > net->site_circ_off[s];
  return n;
}

void gn_monitor_net_free(gn_monitor_net *net) {
  if (!net) return;
  gn_ctx *ctx = net->ctx;
  for (size_t i = 0; i < net->nsites; i++) {
    if (net->site_id) gn_free(ctx, net->site_id[i]);
    if (net->site_name) gn_free(ctx, net->site_name[i]);
  }
  gn_free(ctx, net->site_id);
  gn_free(ctx, net->site_name);
  gn_free(ctx, net->site_circ_off);
  gn_free(ctx, net->site_circ);
  gn_free(ctx, net->circ_site);
  gn_free(ctx, net->circ_dead);
  gn_free(ctx, net->circ_el_off);
  gn_free(ctx, net->circ_el);
  gn_free(ctx, net->el_kind);
  gn_free(ctx, net->el_id);
  gn_free(ctx, net->el_weight);
  gn_free(ctx, net->el_circ_off);
  gn_free(ctx, net->el_circ);
  gn_free(ctx, net);
}
