/*
 * build_package.c - Work packages: cut, save, list, assign, JSON.
 *
 * Design: per phase, trenches are sorted by the Hilbert index of their
 * bounding-box centre (order 16 over the selection's extent), so
 * consecutive trenches are near each other and a run of them is a
 * compact area; the run is cut greedily at the target, closing a package
 * before a trench when that leaves it nearer the target than taking the
 * trench would. Each trench is visited once: the cover is exact.
 * Ownership: gn_build_packages and everything in it come from the ctx
 * allocator; gn_build_packages_free releases it all.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build/build_int.h"

typedef struct tr {
  int64_t id;
  double len_m;
  uint64_t key;
  double cx, cy;
  char *phase; /* points into the phase list */
} tr;

/* Hilbert index of (x, y) in a 2^16 grid (the classic rotate-and-flip
 * walk from the top bit down). */
static uint64_t hilbert(uint32_t x, uint32_t y) {
  const uint32_t n = 1u << 16;
  uint64_t d = 0;
  for (uint32_t s = n / 2; s > 0; s /= 2) {
    uint32_t rx = (x & s) > 0, ry = (y & s) > 0;
    d += (uint64_t)s * s * ((3 * rx) ^ ry);
    if (ry == 0) {
      if (rx == 1) {
        x = n - 1 - x;
        y = n - 1 - y;
      }
      uint32_t t = x;
      x = y;
      y = t;
    }
  }
  return d;
}

void gn_build_packages_free(gn_ctx *ctx, gn_build_packages *p) {
  if (!p) return;
  for (size_t i = 0; i < p->n; i++) {
    gn_build_package *k = &p->items[i];
    gn_free(ctx, k->id);
    gn_free(ctx, k->phase);
    gn_free(ctx, k->org);
    gn_free(ctx, k->crew);
    gn_free(ctx, k->trenches);
  }
  gn_free(ctx, p->items);
  gn_free(ctx, p);
}

static gn_status new_list(gn_ctx *ctx, gn_build_packages **out) {
  *out = gn_malloc(ctx, sizeof(**out));
  if (!*out) return gn__fail(ctx, GN_ENOMEM, "packages");
  memset(*out, 0, sizeof(**out));
  return GN_OK;
}

/* Append an empty package; *cap tracks the items array. */
static gn_status add_package(gn_ctx *ctx, gn_build_packages *p, size_t *cap,
                             const char *id, const char *phase,
                             gn_build_package **out) {
  if (GN__GROW(ctx, p->items, *cap, p->n + 1) != GN_OK)
    return gn__fail(ctx, GN_ENOMEM, "packages");
  gn_build_package *k = &p->items[p->n++];
  memset(k, 0, sizeof(*k));
  k->id = gn__strdup(ctx, id);
  k->phase = gn__strdup(ctx, phase);
  k->org = gn__strdup(ctx, "");
  k->crew = gn__strdup(ctx, "");
  k->cost_fcfa = NAN;
  *out = k;
  if (!k->id || !k->phase || !k->org || !k->crew)
    return gn__fail(ctx, GN_ENOMEM, "packages");
  return GN_OK;
}

static gn_status add_trench(gn_ctx *ctx, gn_build_package *k, size_t *cap,
                            int64_t id) {
  if (GN__GROW(ctx, k->trenches, *cap, k->ntrenches + 1) != GN_OK)
    return gn__fail(ctx, GN_ENOMEM, "packages");
  k->trenches[k->ntrenches++] = id;
  return GN_OK;
}

/* ---- reading the trenches -------------------------------------- */

typedef struct sel {
  tr *t;
  size_t n, cap;
  char **phases; /* distinct phases, in order */
  size_t nphases, capphases;
  double cost_per_m; /* NaN when unpriced */
} sel;

static void sel_cleanup(gn_ctx *ctx, sel *s) {
  for (size_t i = 0; i < s->nphases; i++) gn_free(ctx, s->phases[i]);
  gn_free(ctx, s->phases);
  gn_free(ctx, s->t);
}

static gn_status cost_rate(gn_store *st, double *per_m) {
  sqlite3_stmt *q = NULL;
  *per_m = NAN;
  gn_status rs = gn__st_prep(
      st,
      "SELECT CAST(value AS REAL), (SELECT sum(length_m) FROM trenches)"
      " FROM gn_meta WHERE key='import.cost_fcfa'",
      &q);
  if (rs != GN_OK) return rs;
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_double(q, 1) > 0)
    *per_m = sqlite3_column_double(q, 0) / sqlite3_column_double(q, 1);
  sqlite3_finalize(q);
  return GN_OK;
}

static gn_status read_trenches(gn_store *st, const char *phase, sel *s) {
  gn_ctx *ctx = st->ctx;
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_prep(
      st,
      "SELECT fid, length_m, COALESCE(phase,''), (min_x+max_x)/2,"
      " (min_y+max_y)/2 FROM trenches WHERE ?1 IS NULL OR"
      " COALESCE(phase,'')=?1 ORDER BY COALESCE(phase,''), fid",
      &q);
  if (rs != GN_OK) return rs;
  if (phase) sqlite3_bind_text(q, 1, phase, -1, SQLITE_TRANSIENT);
  int rc;
  while (rs == GN_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
    const char *ph = gn__col_text(q, 2);
    if (!s->nphases || strcmp(s->phases[s->nphases - 1], ph) != 0) {
      if (GN__GROW(ctx, s->phases, s->capphases, s->nphases + 1) != GN_OK ||
          !(s->phases[s->nphases] = gn__strdup(ctx, ph))) {
        rs = gn__fail(ctx, GN_ENOMEM, "trenches");
        break;
      }
      s->nphases++;
    }
    if (GN__GROW(ctx, s->t, s->cap, s->n + 1) != GN_OK) {
      rs = gn__fail(ctx, GN_ENOMEM, "trenches");
      break;
    }
    tr *t = &s->t[s->n++];
    t->id = sqlite3_column_int64(q, 0);
    t->len_m = sqlite3_column_double(q, 1);
    t->cx = sqlite3_column_double(q, 3);
    t->cy = sqlite3_column_double(q, 4);
    t->phase = s->phases[s->nphases - 1];
  }
  if (rs == GN_OK && rc != SQLITE_DONE) rs = gn__st_err(st, rc, "trenches");
  sqlite3_finalize(q);
  return rs;
}

static int by_phase_key(const void *a, const void *b) {
  const tr *x = a, *y = b;
  int c = strcmp(x->phase, y->phase);
  if (c) return c;
  return x->key < y->key ? -1 : x->key > y->key ? 1
         : x->id < y->id ? -1 : x->id > y->id;
}

static void order_trenches(sel *s) {
  double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
  for (size_t i = 0; i < s->n; i++) {
    x0 = fmin(x0, s->t[i].cx);
    x1 = fmax(x1, s->t[i].cx);
    y0 = fmin(y0, s->t[i].cy);
    y1 = fmax(y1, s->t[i].cy);
  }
  double span = fmax(x1 - x0, y1 - y0);
  for (size_t i = 0; i < s->n; i++) {
    double fx = span > 0 ? (s->t[i].cx - x0) / span : 0;
    double fy = span > 0 ? (s->t[i].cy - y0) / span : 0;
    if (!isfinite(fx)) fx = 0; /* a trench without a bounding box */
    if (!isfinite(fy)) fy = 0;
    s->t[i].key = hilbert((uint32_t)(fx * 65535), (uint32_t)(fy * 65535));
  }
  qsort(s->t, s->n, sizeof(*s->t), by_phase_key);
}

/* ---- cutting ---------------------------------------------------- */

static void package_id(char *buf, size_t n, const char *phase, size_t seq) {
  char ph[32];
  size_t k = 0;
  for (const char *p = phase; *p && k + 1 < sizeof(ph); p++)
    ph[k++] = ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
               (*p >= '0' && *p <= '9') || *p == '-')
                  ? *p
                  : '_';
  ph[k] = '\0';
  if (k)
    snprintf(buf, n, "WP-%s-%03zu", ph, seq);
  else
    snprintf(buf, n, "WP-%03zu", seq);
}

static gn_status cut(gn_ctx *ctx, const sel *s, const gn_build_cut_opts *o,
                     gn_build_packages *out) {
  size_t cap = 0, tcap = 0, seq = 0;
  gn_build_package *k = NULL;
  double size = 0; /* of k, in the target's unit */
  for (size_t i = 0; i < s->n; i++) {
    const tr *t = &s->t[i];
    double w = o->target_km > 0 ? t->len_m / 1000 : t->len_m * s->cost_per_m;
    double target = o->target_km > 0 ? o->target_km : o->target_fcfa;
    int new_phase = !k || strcmp(k->phase, t->phase) != 0;
    if (new_phase) seq = 0;
    if (new_phase || (k->ntrenches && size + w > target &&
                      size + w - target > target - size)) {
      char id[64];
      package_id(id, sizeof(id), t->phase, ++seq);
      gn_status rs = add_package(ctx, out, &cap, id, t->phase, &k);
      if (rs != GN_OK) return rs;
      size = 0;
      tcap = 0;
    }
    gn_status rs = add_trench(ctx, k, &tcap, t->id);
    if (rs != GN_OK) return rs;
    size += w;
    k->km += t->len_m / 1000;
  }
  for (size_t i = 0; i < out->n; i++)
    out->items[i].cost_fcfa = out->items[i].km * 1000 * s->cost_per_m;
  return GN_OK;
}

gn_status gn_build_cut(gn_store *st, const gn_build_cut_opts *o,
                       gn_build_packages **out) {
  gn_ctx *ctx = st->ctx;
  gn_ctx_clear(ctx);
  *out = NULL;
  if (!(o->target_km > 0) && !(o->target_fcfa > 0))
    return gn__fail(ctx, GN_EINVAL, "packages: target size must be > 0");
  sel s;
  memset(&s, 0, sizeof(s));
  gn_status rs = cost_rate(st, &s.cost_per_m);
  if (rs == GN_OK && !(o->target_km > 0) && !isfinite(s.cost_per_m))
    rs = gn__fail(ctx, GN_EINVAL,
                  "packages: the imported plan has no cost; cut by km");
  if (rs == GN_OK) rs = read_trenches(st, o->phase, &s);
  if (rs == GN_OK && s.n == 0)
    rs = o->phase ? gn__fail(ctx, GN_ENOTFOUND, "no trench of phase '%s'",
                             o->phase)
                  : gn__fail(ctx, GN_ENOTFOUND, "the store has no trenches");
  if (rs == GN_OK) {
    order_trenches(&s);
    rs = new_list(ctx, out);
  }
  if (rs == GN_OK) rs = cut(ctx, &s, o, *out);
  sel_cleanup(ctx, &s);
  if (rs != GN_OK) {
    gn_build_packages_free(ctx, *out);
    *out = NULL;
  }
  return rs;
}

/* ---- JSON ------------------------------------------------------- */

gn_status gn_build_packages_json(gn_ctx *ctx, const gn_build_packages *p,
                                 int extended, char **out) {
  gn__sb b;
  gn__sb_init(&b, ctx);
  gn__sb_puts(&b, "[");
  for (size_t i = 0; i < p->n; i++) {
    const gn_build_package *k = &p->items[i];
    gn__sb_puts(&b, i ? ",\n {\"id\": " : "\n {\"id\": ");
    gn__sb_jstr(&b, k->id);
    gn__sb_puts(&b, ", \"trenches\": [");
    for (size_t j = 0; j < k->ntrenches; j++)
      gn__sb_printf(&b, j ? ", %lld" : "%lld", (long long)k->trenches[j]);
    gn__sb_printf(&b, "], \"km\": %.3f, \"cost_fcfa\": ", k->km);
    gn__sb_num(&b, isfinite(k->cost_fcfa) ? round(k->cost_fcfa) : NAN);
    if (extended) {
      gn__sb_puts(&b, ", \"phase\": ");
      gn__sb_jstr(&b, k->phase);
      gn__sb_puts(&b, ", \"org\": ");
      gn__sb_jstr(&b, k->org);
      gn__sb_puts(&b, ", \"crew\": ");
      gn__sb_jstr(&b, k->crew);
    }
    gn__sb_puts(&b, "}");
  }
  gn__sb_puts(&b, p->n ? "\n]" : "]");
  return gn__sb_finish(&b, out);
}
