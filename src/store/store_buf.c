/*
 * store_buf.c - Growable buffer, JSON text and GeoPackage geometry blobs
 * for the store.
 *
 * GPKG binary (GeoPackage 1.3, clause 2.1.3): "GP", version 0, flags
 * (bit 0 little endian, bits 1-3 envelope: 0 none for points, 1 = xy for
 * lines), srs_id int32, envelope doubles, then standard ISO WKB. We only
 * write and read 2D points and linestrings in EPSG:4326.
 * Invariant: b->p is NUL-terminated whenever n > 0 and oom == 0.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

void gn__sb_init(gn__sb *b, gn_ctx *ctx) {
  memset(b, 0, sizeof(*b));
  b->ctx = ctx;
}

void gn__sb_cleanup(gn__sb *b) {
  gn_free(b->ctx, b->p);
  b->p = NULL;
  b->n = b->cap = 0;
}

void gn__sb_add(gn__sb *b, const void *data, size_t n) {
  if (b->oom) return;
  if (GN__GROW(b->ctx, b->p, b->cap, b->n + n + 1) != GN_OK) {
    b->oom = 1;
    return;
  }
  memcpy(b->p + b->n, data, n);
  b->n += n;
  b->p[b->n] = '\0';
}

void gn__sb_puts(gn__sb *b, const char *s) { gn__sb_add(b, s, strlen(s)); }

void gn__sb_printf(gn__sb *b, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof(tmp)) {
    gn__sb_add(b, tmp, (size_t)n);
    return;
  }
  if (b->oom || GN__GROW(b->ctx, b->p, b->cap, b->n + (size_t)n + 1) != GN_OK) {
    b->oom = 1;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->n += (size_t)n;
}

void gn__sb_num(gn__sb *b, double v) {
  if (!isfinite(v)) {
    gn__sb_puts(b, "null");
    return;
  }
  if (v == floor(v) && fabs(v) < 1e15)
    gn__sb_printf(b, "%.0f", v);
  else
    gn__sb_printf(b, "%.10g", v);
}

void gn__sb_jstr(gn__sb *b, const char *s) {
  if (!s) {
    gn__sb_puts(b, "null");
    return;
  }
  gn__sb_add(b, "\"", 1);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      char e[2] = {'\\', (char)*p};
      gn__sb_add(b, e, 2);
    } else if (*p < 0x20) {
      gn__sb_printf(b, "\\u%04x", *p);
    } else {
      gn__sb_add(b, p, 1);
    }
  }
  gn__sb_add(b, "\"", 1);
}

gn_status gn__sb_finish(gn__sb *b, char **out) {
  *out = NULL;
  if (!b->oom && !b->p) gn__sb_add(b, "", 0);
  if (b->oom) {
    gn__sb_cleanup(b);
    return gn__fail(b->ctx, GN_ENOMEM, "out of memory building text");
  }
  *out = b->p;
  b->p = NULL;
  b->n = b->cap = 0;
  return GN_OK;
}

/* --- GeoPackage geometry ------------------------------------------- */

static void put_u32(gn__sb *b, uint32_t v) {
  unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                        (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
  gn__sb_add(b, c, 4);
}

static void put_f64(gn__sb *b, double v) {
  uint64_t u;
  memcpy(&u, &v, 8);
  put_u32(b, (uint32_t)u);
  put_u32(b, (uint32_t)(u >> 32));
}

static void gpkg_header(gn__sb *b, int envelope) {
  unsigned char h[4] = {'G', 'P', 0, (unsigned char)(0x01 | (envelope << 1))};
  gn__sb_add(b, h, 4);
  put_u32(b, 4326);
}

void gn__gpkg_point(gn__sb *b, double lon, double lat) {
  gpkg_header(b, 0);
  unsigned char bo = 1;
  gn__sb_add(b, &bo, 1);
  put_u32(b, 1);
  put_f64(b, lon);
  put_f64(b, lat);
}

void gn__gpkg_line(gn__sb *b, const double *ll, size_t n) {
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (size_t i = 0; i < n; i++) {
    x0 = fmin(x0, ll[2 * i]);
    x1 = fmax(x1, ll[2 * i]);
    y0 = fmin(y0, ll[2 * i + 1]);
    y1 = fmax(y1, ll[2 * i + 1]);
  }
  gpkg_header(b, 1);
  put_f64(b, x0);
  put_f64(b, x1);
  put_f64(b, y0);
  put_f64(b, y1);
  unsigned char bo = 1;
  gn__sb_add(b, &bo, 1);
  put_u32(b, 2);
  put_u32(b, (uint32_t)n);
  for (size_t i = 0; i < 2 * n; i++) put_f64(b, ll[i]);
}

static uint32_t get_u32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

static double get_f64(const unsigned char *p) {
  uint64_t u = (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
  double v;
  memcpy(&v, &u, 8);
  return v;
}

/* Locate the WKB of a little-endian GPKG blob: type, first coordinate,
 * number of points. 0 on success. */
static int wkb_locate(const unsigned char *p, size_t n, uint32_t *type,
                      const unsigned char **coords, size_t *npts) {
  static const size_t env_len[] = {0, 32, 48, 48, 64};
  if (n < 8 || p[0] != 'G' || p[1] != 'P') return -1;
  unsigned env = (p[3] >> 1) & 7;
  if (env > 4) return -1;
  size_t off = 8 + env_len[env];
  if (n < off + 5 || p[off] != 1) return -1;
  *type = get_u32(p + off + 1);
  off += 5;
  if (*type == 1) {
    *npts = 1;
  } else if (*type == 2) {
    if (n < off + 4) return -1;
    *npts = get_u32(p + off);
    off += 4;
  } else {
    return -1;
  }
  if (n < off + *npts * 16) return -1;
  *coords = p + off;
  return 0;
}

static void coords(gn__sb *b, uint32_t type, const unsigned char *c,
                   size_t np) {
  if (type != 1) gn__sb_puts(b, "[");
  for (size_t i = 0; i < np; i++)
    gn__sb_printf(b, "%s[%.7f,%.7f]", i ? "," : "", get_f64(c + 16 * i),
                  get_f64(c + 16 * i + 8));
  if (type != 1) gn__sb_puts(b, "]");
}

void gn__gpkg_coords(gn__sb *b, const void *blob, size_t n) {
  uint32_t type;
  const unsigned char *c;
  size_t np;
  if (!blob || wkb_locate(blob, n, &type, &c, &np) != 0) {
    gn__sb_puts(b, "[]");
    return;
  }
  coords(b, type, c, np);
}

void gn__gpkg_geojson(gn__sb *b, const void *blob, size_t n) {
  uint32_t type;
  const unsigned char *c;
  size_t np;
  if (!blob || wkb_locate(blob, n, &type, &c, &np) != 0) {
    gn__sb_puts(b, "null");
    return;
  }
  gn__sb_puts(b, type == 1 ? "{\"type\":\"Point\",\"coordinates\":"
                           : "{\"type\":\"LineString\",\"coordinates\":");
  coords(b, type, c, np);
  gn__sb_puts(b, "}");
}

gn_status gn__gpkg_line_decode(gn_ctx *ctx, const void *blob, size_t n,
                               double **ll, size_t *npts) {
  uint32_t type;
  const unsigned char *c;
  *ll = NULL;
  *npts = 0;
  if (!blob || wkb_locate(blob, n, &type, &c, npts) != 0 || type != 2)
    return gn__fail(ctx, GN_EFORMAT, "geometry is not a GPKG linestring");
  *ll = gn_malloc(ctx, *npts * 2 * sizeof(double));
  if (!*ll) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  for (size_t i = 0; i < 2 * *npts; i++) (*ll)[i] = get_f64(c + 8 * i);
  return GN_OK;
}

/* TIA-598-C colour order, used for both tubes and fibers in a tube. */
const char *gn__tia598(int i) {
  static const char *const colours[12] = {
      "blue",  "orange", "green",  "brown",  "slate",  "white",
      "red",   "black",  "yellow", "violet", "rose",   "aqua"};
  if (i < 1) i = 1;
  return colours[(i - 1) % 12];
}
