/*
 * pricebook.c - The price book: documented FCFA defaults and the
 * `key = value` file format (docs/pricebook.md).
 *
 * Design: one table maps every key to a field of gn_pricebook and a
 * range (kind_range below), so the reader, the "missing key" check and
 * the docs list the same keys. Values are strict decimals; a key given
 * twice is an error naming both lines. Ranges keep every later product
 * and sum finite (1e308 used to overflow into an "out of memory").
 * A file is complete unless it says `base = defaults`; it is parsed into
 * a copy, so the caller's price book is unchanged on any error.
 * Ownership: no allocation beyond the FILE handle.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "govnet/design.h"
#include "govnet/io.h"
#include "io/text.h"
#include "util/internal.h"

typedef enum { K_PRICE, K_SHARE, K_SPARE, K_DETOUR, K_FIBERS, K_DRUM } kind;

/* Allowed values per kind: [lo, hi], lo exclusive where lo_open. */
static const struct {
  double lo, hi;
  int lo_open;
  const char *what;
} kind_range[] = {
    [K_PRICE] = {0, 1e9, 0, "a price must be in 0..1e9 FCFA (not negative)"},
    [K_SHARE] = {0, 1, 0, "a share must be in 0..1"},
    [K_SPARE] = {0, 10, 0, "the spare fraction must be in 0..10"},
    [K_DETOUR] = {1, 10, 1, "the detour factor must be > 1 and <= 10"},
    [K_FIBERS] = {0, 1000, 0, "a whole number of fibers (0-1000) is expected"},
    [K_DRUM] = {100, 100000, 0, "the drum length must be in 100..100000 m"},
};

typedef struct keydef {
  char name[40];
  kind k;
  double *d;
  int *i;
  int optional; /* may be absent from a complete file (newer keys) */
} keydef;

#define MAX_KEYS \
  (GN_ROAD_CLASS_COUNT + GN_CABLE_SIZE_COUNT + GN_CAT_COUNT + 4 * GN_OPTICS_COUNT + 18)

static const double trench_default[GN_ROAD_CLASS_COUNT] = {
    40000, /* motorway */
    12000, /* trunk: interurban national road shoulder */
    35000, /* primary: urban asphalt boulevard */
    30000, /* secondary */
    25000, /* tertiary */
    18000, /* unclassified */
    15000, /* residential: mostly laterite in Lomé */
    15000, /* living_street */
    15000, /* service */
    20000, /* pedestrian (paved) */
    8000,  /* track */
    12000, /* footway */
    8000,  /* path */
    15000, /* cycleway */
    25000, /* steps */
    20000, /* road (unknown class) */
    22000, /* straight_line: points mode, Lomé surface mix */
    22000, /* none */
};

static const double cable_default[GN_CABLE_SIZE_COUNT] = {450,  600,  900, 1200,
                                                          1500, 2100, 3900};

/* ---- optics and hubs (docs/optics.md): one block, optional keys ---- */
static void optics_defaults(gn_pricebook *pb) {
  gn_layout_opts lo;
  gn_layout_opts_init(&lo);
  memcpy(pb->optics, lo.optics, sizeof pb->optics);
  pb->optics_margin_db = lo.margin_db;
  pb->hub_each = 18000000;
}

static size_t put(keydef *t, size_t n, const char *name, kind k, double *d,
                  int *i);

static size_t optics_keys(gn_pricebook *pb, keydef *t, size_t n) {
  static const char *const field[4] = {"each", "reach_km", "budget_db", "nm"};
  char name[40];
  size_t first = n;
  for (int c = 0; c < GN_OPTICS_COUNT; c++) {
    double *v[4] = {&pb->optics[c].each_fcfa, &pb->optics[c].reach_km,
                    &pb->optics[c].budget_db, &pb->optics[c].nm};
    for (int f = 0; f < 4; f++) {
      snprintf(name, sizeof name, "optics.%s.%s",
               gn_optics_name((gn_optics_class)c), field[f]);
      n = put(t, n, name, K_PRICE, v[f], NULL);
    }
  }
  n = put(t, n, "optics.margin_db", K_PRICE, &pb->optics_margin_db, NULL);
  n = put(t, n, "hub.each", K_PRICE, &pb->hub_each, NULL);
  for (size_t k = first; k < n; k++) t[k].optional = 1;
  return n;
}

void gn_pricebook_init(gn_pricebook *pb) {
  memset(pb, 0, sizeof(*pb));
  memcpy(pb->trench_per_m, trench_default, sizeof(trench_default));
  memcpy(pb->cable_per_m, cable_default, sizeof(cable_default));
  pb->duct_per_m = 2500;
  pb->cable_install_per_m = 600;
  pb->closure_each = 180000;
  pb->splice_per_fiber = 3500;
  pb->odf_per_port = 25000;
  pb->cpe_each = 450000;
  pb->building_each = 750000;
  pb->drop_per_m = 12000;
  pb->drum_m = 4000;
  pb->engineering_share = 0.10;
  pb->contingency_share = 0.10;
  for (int c = 0; c < GN_CAT_COUNT; c++) pb->fibers_per_site[c] = 2;
  pb->spare = 0.5;
  pb->detour = 1.3;
  optics_defaults(pb);
}

static size_t put(keydef *t, size_t n, const char *name, kind k, double *d,
                  int *i) {
  snprintf(t[n].name, sizeof t[n].name, "%s", name);
  t[n].k = k;
  t[n].d = d;
  t[n].i = i;
  t[n].optional = 0;
  return n + 1;
}

static size_t key_table(gn_pricebook *pb, keydef *t) {
  size_t n = 0;
  char name[40];
  for (int c = 0; c < GN_ROAD_CLASS_COUNT; c++) {
    snprintf(name, sizeof name, "trench.%s", gn_road_class_name((gn_road_class)c));
    n = put(t, n, name, K_PRICE, &pb->trench_per_m[c], NULL);
  }
  for (int c = 0; c < GN_CABLE_SIZE_COUNT; c++) {
    snprintf(name, sizeof name, "cable.%d", gn_cable_size_at(c));
    n = put(t, n, name, K_PRICE, &pb->cable_per_m[c], NULL);
  }
  for (int c = 0; c < GN_CAT_COUNT; c++) {
    snprintf(name, sizeof name, "fibers.%s", gn_category_name((gn_category)c));
    n = put(t, n, name, K_FIBERS, NULL, &pb->fibers_per_site[c]);
  }
  n = put(t, n, "duct.per_m", K_PRICE, &pb->duct_per_m, NULL);
  n = put(t, n, "cable.install_per_m", K_PRICE, &pb->cable_install_per_m, NULL);
  n = put(t, n, "closure.each", K_PRICE, &pb->closure_each, NULL);
  n = put(t, n, "splice.per_fiber", K_PRICE, &pb->splice_per_fiber, NULL);
  n = put(t, n, "odf.per_port", K_PRICE, &pb->odf_per_port, NULL);
  n = put(t, n, "cpe.each", K_PRICE, &pb->cpe_each, NULL);
  n = put(t, n, "building.each", K_PRICE, &pb->building_each, NULL);
  n = put(t, n, "drop.per_m", K_PRICE, &pb->drop_per_m, NULL);
  n = put(t, n, "drum.m", K_DRUM, &pb->drum_m, NULL);
  n = put(t, n, "engineering.share", K_SHARE, &pb->engineering_share, NULL);
  n = put(t, n, "contingency.share", K_SHARE, &pb->contingency_share, NULL);
  n = put(t, n, "spare", K_SPARE, &pb->spare, NULL);
  n = put(t, n, "detour", K_DETOUR, &pb->detour, NULL);
  return optics_keys(pb, t, n);
}

typedef struct reader {
  gn_ctx *ctx;
  const char *path;
  int line;
  keydef *keys;
  size_t nkeys;
  int *seen;          /* line where each key was given, 0 if not yet */
  int base_defaults;  /* line of 'base = defaults', 0 if none */
} reader;

static gn_status unknown_key(reader *r, const char *key) {
  if (strncmp(key, "fibers.", 7) == 0)
    return gn__fail(r->ctx, GN_EFORMAT,
                    "file %s line %d: unknown category '%s' in '%s' (known: "
                    "admin, health, education, other)",
                    r->path, r->line, key + 7, key);
  if (strncmp(key, "trench.", 7) == 0)
    return gn__fail(r->ctx, GN_EFORMAT,
                    "file %s line %d: unknown road class '%s' in '%s'",
                    r->path, r->line, key + 7, key);
  if (strncmp(key, "cable.", 6) == 0)
    return gn__fail(r->ctx, GN_EFORMAT,
                    "file %s line %d: unknown cable size in '%s' (sizes: 12, "
                    "24, 48, 72, 96, 144, 288)", r->path, r->line, key);
  return gn__fail(r->ctx, GN_EFORMAT, "file %s line %d: unknown key '%s'",
                  r->path, r->line, key);
}

static gn_status check_value(reader *r, const keydef *k, double v) {
  double lo = kind_range[k->k].lo, hi = kind_range[k->k].hi;
  int low = kind_range[k->k].lo_open ? !(v > lo) : !(v >= lo);
  if (low || v > hi || (k->k == K_FIBERS && v != floor(v)))
    return gn__fail(r->ctx, GN_EFORMAT,
                    "file %s line %d: '%s' = %g: %s", r->path,
                    r->line, k->name, v, kind_range[k->k].what);
  return GN_OK;
}

static gn_status duplicate(reader *r, const char *key, int first) {
  return gn__fail(r->ctx, GN_EFORMAT,
                  "file %s line %d: '%s' given twice (first on line %d)",
                  r->path, r->line, key, first);
}

static gn_status set_value(reader *r, const char *key, const char *val) {
  if (strcmp(key, "base") == 0) {
    if (strcmp(val, "defaults") != 0)
      return gn__fail(r->ctx, GN_EFORMAT,
                      "file %s line %d: 'base' must be 'defaults'", r->path,
                      r->line);
    if (r->base_defaults) return duplicate(r, key, r->base_defaults);
    r->base_defaults = r->line;
    return GN_OK;
  }
  size_t i = 0;
  while (i < r->nkeys && strcmp(r->keys[i].name, key) != 0) i++;
  if (i == r->nkeys) return unknown_key(r, key);
  if (r->seen[i]) return duplicate(r, key, r->seen[i]);
  if (!*val)
    return gn__fail(r->ctx, GN_EFORMAT,
                    "file %s line %d: '%s' has no value (missing price)",
                    r->path, r->line, key);
  double v = 0;
  if (gn__parse_decimal(val, &v) != 0)
    return gn__fail(r->ctx, GN_EFORMAT,
                    "file %s line %d: '%s': '%.40s' is not a number (plain decimal)",
                    r->path, r->line, key, val);
  gn_status s = check_value(r, &r->keys[i], v);
  if (s != GN_OK) return s;
  if (r->keys[i].d) *r->keys[i].d = v;
  else *r->keys[i].i = (int)v;
  r->seen[i] = r->line;
  return GN_OK;
}

/* One key = value line (io/kvfile.c splits and checks the text). */
static gn_status kv_line(void *user, int line, char *key, char *val) {
  reader *r = user;
  r->line = line;
  if (strncmp(key, "lease.", 6) == 0) return GN_OK; /* the lease tariff's */
  return set_value(r, key, val);
}

static gn_status check_complete(reader *r) {
  if (r->base_defaults) return GN_OK;
  for (size_t i = 0; i < r->nkeys; i++)
    if (!r->seen[i] && !r->keys[i].optional)
      return gn__fail(r->ctx, GN_EFORMAT,
                      "file %s: missing price '%s' (give every key, or start "
                      "the file with 'base = defaults')", r->path,
                      r->keys[i].name);
  return GN_OK;
}

gn_status gn_pricebook_read(gn_ctx *ctx, const char *path, gn_pricebook *pb) {
  gn_ctx_clear(ctx);
  gn_pricebook tmp;
  gn_pricebook_init(&tmp);
  keydef keys[MAX_KEYS];
  int seen[MAX_KEYS] = {0};
  reader r = {ctx, path, 0, keys, key_table(&tmp, keys), seen, 0};
  gn_status s = gn__kv_file_read(ctx, path, "price book", kv_line, &r);
  if (s == GN_OK) s = check_complete(&r);
  if (s == GN_OK) *pb = tmp;
  return s;
}

gn_status gn_pricebook_write(gn_ctx *ctx, const char *path,
                             const gn_pricebook *pb) {
  gn_ctx_clear(ctx);
  gn_pricebook tmp = *pb;
  keydef keys[MAX_KEYS];
  size_t n = key_table(&tmp, keys);
  FILE *f = fopen(path, "w");
  if (!f)
    return gn__fail(ctx, GN_EIO, "price book %s: %s", path, strerror(errno));
  fprintf(f, "# govnet price book (FCFA; see docs/pricebook.md)\n"
             "# Every key must be given, unless the file contains\n"
             "# 'base = defaults' (then missing keys keep the defaults).\n");
  const char *group = "";
  for (size_t i = 0; i < n; i++) {
    const char *dot = strchr(keys[i].name, '.');
    size_t glen = dot ? (size_t)(dot - keys[i].name) : strlen(keys[i].name);
    if (strncmp(group, keys[i].name, glen) != 0 || group[glen] != '.') {
      fprintf(f, "\n");
      group = keys[i].name;
    }
    if (keys[i].d) fprintf(f, "%s = %.15g\n", keys[i].name, *keys[i].d);
    else fprintf(f, "%s = %d\n", keys[i].name, *keys[i].i);
  }
  int bad = ferror(f);
  if (fclose(f) != 0 || bad) {
    remove(path);
    return gn__fail(ctx, GN_EIO, "price book %s: write error", path);
  }
  return GN_OK;
}
