/*
 * sor.c - Telcordia SR-4731 SOR reader (versions 1 and 2).
 *
 * Design: one bounded cursor (struct cur) over a byte range; every read
 * checks the range and latches `bad` on the first overrun, so a block
 * parser reads straight through and checks once at the end. The map
 * block gives each block's byte range; a block parser gets a cursor over
 * exactly that range and can never read past it. Unknown blocks are
 * skipped by size. All integers are little endian.
 * Invariant: after a successful read every string is valid UTF-8 and
 * every event's distance uses the FxdParams index.
 * Ownership: the gn_sor owns one arena-like list of strings and its
 * arrays; gn_sor_free releases them all. Threads: reentrant.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "govnet/otdr.h"
#include "otdr/sor_int.h"
#include "util/internal.h"

#define SOL_KM_PER_US 0.299792458
#define MAX_BLOCKS 1024
#define MAX_NAME 256

typedef struct cur {
  const uint8_t *p;
  size_t n, off;
  size_t base; /* file offset of p[0], for messages */
  int bad;
} cur;

static void cur_init(cur *c, const uint8_t *p, size_t n, size_t base) {
  c->p = p;
  c->n = n;
  c->off = 0;
  c->base = base;
  c->bad = 0;
}

static int need(cur *c, size_t k) {
  if (c->bad || c->n - c->off < k) {
    c->bad = 1;
    return 0;
  }
  return 1;
}

static uint32_t rd_u(cur *c, size_t k) {
  uint32_t v = 0;
  if (!need(c, k)) return 0;
  for (size_t i = 0; i < k; i++) v |= (uint32_t)c->p[c->off + i] << (8 * i);
  c->off += k;
  return v;
}

static uint16_t rd_u16(cur *c) { return (uint16_t)rd_u(c, 2); }
static uint32_t rd_u32(cur *c) { return rd_u(c, 4); }
static int16_t rd_i16(cur *c) { return (int16_t)rd_u16(c); }
static int32_t rd_i32(cur *c) { return (int32_t)rd_u32(c); }

static void skip(cur *c, size_t k) {
  if (need(c, k)) c->off += k;
}

/* Bytes of a NUL-terminated string at the cursor; *len excludes the NUL.
 * A string without its NUL inside the range sets bad. */
static const uint8_t *rd_cstr(cur *c, size_t *len) {
  if (c->bad) return NULL;
  const uint8_t *s = c->p + c->off;
  const uint8_t *z = memchr(s, 0, c->n - c->off);
  if (!z) {
    c->bad = 1;
    return NULL;
  }
  *len = (size_t)(z - s);
  c->off += *len + 1;
  return s;
}

/* ---- strings ---------------------------------------------------- */

/* Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF),
 * the same rule JSON encoders apply. */
static int utf8_valid(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t b = s[i];
    size_t k = b < 0x80 ? 0 : b < 0xC2 ? 9 : b < 0xE0 ? 1 : b < 0xF0 ? 2
               : b < 0xF5 ? 3 : 9;
    if (k == 9 || k > n - i - 1) return 0;
    uint32_t cp = k ? (uint32_t)(b & (0x3F >> k)) : b;
    for (size_t j = 1; j <= k; j++) {
      if ((s[i + j] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (s[i + j] & 0x3Fu);
    }
    if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return 0;
    i += k + 1;
  }
  return 1;
}

/* Keep a copy of n bytes as trimmed UTF-8 (Latin-1 when not UTF-8);
 * control characters become spaces. Returns "" on OOM (latched). */
const char *gn__sor_text(gn_sor *sor, const uint8_t *s, size_t n) {
  while (n && (s[n - 1] <= ' ' || s[n - 1] == 0x7F)) n--;
  while (n && s[0] <= ' ') {
    s++;
    n--;
  }
  if (n == 0) return "";
  int utf8 = utf8_valid(s, n);
  gn__sor_str *node = gn_malloc(sor->ctx, sizeof(*node) + 2 * n + 1);
  if (!node) {
    sor->oom = 1;
    return "";
  }
  char *d = node->text;
  for (size_t i = 0; i < n; i++) {
    uint8_t b = s[i];
    if (b < 0x20 || b == 0x7F) {
      *d++ = ' ';
    } else if (b < 0x80 || utf8) {
      *d++ = (char)b;
    } else { /* Latin-1 to UTF-8 */
      *d++ = (char)(0xC0 | (b >> 6));
      *d++ = (char)(0x80 | (b & 0x3F));
    }
  }
  *d = '\0';
  node->next = sor->strs;
  sor->strs = node;
  return node->text;
}

static const char *rd_text(gn_sor *sor, cur *c) {
  size_t len = 0;
  const uint8_t *s = rd_cstr(c, &len);
  return s ? gn__sor_text(sor, s, len) : "";
}

/* The 8-byte event code as printable ASCII (others become '?'), so the
 * fixed-size field never holds a cut UTF-8 sequence. */
static void rd_code(cur *c, char out[9]) {
  memset(out, 0, 9);
  if (!need(c, 8)) return;
  size_t k = 0;
  for (size_t i = 0; i < 8 && c->p[c->off + i]; i++) {
    uint8_t b = c->p[c->off + i];
    out[k++] = b >= ' ' && b < 0x7F ? (char)b : '?';
  }
  while (k && out[k - 1] == ' ') out[--k] = 0;
  c->off += 8;
}

/* ---- map -------------------------------------------------------- */

typedef struct blk {
  char name[MAX_NAME];
  unsigned version;
  size_t pos, size; /* byte range in the file (clipped: see read_map) */
  int complete;     /* the whole declared size lies inside the file */
} blk;

static gn_status read_map(gn_ctx *ctx, const char *name, const uint8_t *d,
                          size_t n, blk **out, size_t *nout, gn_sor *sor) {
  cur c;
  cur_init(&c, d, n, 0);
  if (n >= 4 && memcmp(d, "Map", 4) == 0) {
    sor->info.format = 2;
    skip(&c, 4);
  } else {
    sor->info.format = 1;
  }
  unsigned ver = rd_u16(&c);
  uint32_t map_size = rd_u32(&c);
  unsigned nblocks = rd_u16(&c);
  if (c.bad)
    return gn__fail(ctx, GN_EFORMAT, "%s: not a SOR file (%zu bytes)", name, n);
  if (ver < 100 || ver >= 1000)
    return gn__fail(ctx, GN_EFORMAT,
                    "%s: not a SOR file (map version %u, expected 1xx or 2xx)",
                    name, ver);
  if (map_size > n || map_size < c.off)
    return gn__fail(ctx, GN_EFORMAT,
                    "%s: map block size %u outside the file (%zu bytes)", name,
                    (unsigned)map_size, n);
  if (nblocks < 1 || nblocks > MAX_BLOCKS)
    return gn__fail(ctx, GN_EFORMAT, "%s: map block lists %u blocks", name,
                    nblocks);
  sor->info.version = ver / 100.0;
  cur_init(&c, d, map_size, 0);
  c.off = sor->info.format == 2 ? 12 : 8;
  blk *b = gn_malloc(ctx, sizeof(*b) * nblocks);
  if (!b) return gn__fail(ctx, GN_ENOMEM, "%s: map", name);
  size_t pos = map_size;
  for (unsigned i = 0; i + 1 < nblocks; i++) {
    size_t len = 0;
    const uint8_t *s = rd_cstr(&c, &len);
    unsigned bv = rd_u16(&c);
    uint32_t size = rd_u32(&c);
    if (c.bad || len >= MAX_NAME) {
      gn_free(ctx, b);
      return gn__fail(ctx, GN_EFORMAT,
                      "%s: map block entry %u of %u truncated at byte %zu",
                      name, i + 1, nblocks - 1, c.off);
    }
    memcpy(b[i].name, s, len);
    b[i].name[len] = '\0';
    b[i].version = bv;
    b[i].pos = pos < n ? pos : n;
    b[i].complete = pos <= n && size <= n - pos;
    b[i].size = b[i].complete ? size : n - b[i].pos;
    pos = pos <= SIZE_MAX - size ? pos + size : SIZE_MAX;
  }
  *out = b;
  *nout = nblocks - 1;
  return GN_OK;
}

/* A cursor over block b's bytes; in v2 files a block starts with its
 * own name, which is skipped when present. */
static void block_cur(const gn_sor *sor, const uint8_t *d, const blk *b,
                      cur *c) {
  cur_init(c, d + b->pos, b->size, b->pos);
  size_t len = strlen(b->name);
  if (sor->info.format == 2 && b->size > len &&
      memcmp(d + b->pos, b->name, len) == 0 && d[b->pos + len] == 0)
    c->off = len + 1;
}

static gn_status overrun(gn_ctx *ctx, const char *name, const blk *b,
                         const char *field) {
  return gn__fail(ctx, GN_EFORMAT,
                  "%s: block %s: %s does not fit the block (bytes %zu..%zu%s)",
                  name, b->name, field, b->pos, b->pos + b->size,
                  b->complete ? "" : ", file truncated");
}

/* ---- blocks ----------------------------------------------------- */

static void read_gen(gn_sor *sor, cur *c) {
  gn_sor_info *in = &sor->info;
  skip(c, 2); /* language */
  in->cable_id = rd_text(sor, c);
  in->fiber_id = rd_text(sor, c);
  if (in->format == 2) skip(c, 2); /* fiber type */
  unsigned wl = rd_u16(c);
  if (!c->bad) sor->gen_wavelength_nm = wl;
  in->location_a = rd_text(sor, c);
  in->location_b = rd_text(sor, c);
  (void)rd_text(sor, c); /* cable code / fiber type */
  skip(c, 2);            /* build condition */
  skip(c, in->format == 2 ? 8 : 4);
  in->op = rd_text(sor, c);
}

static void read_sup(gn_sor *sor, cur *c) {
  gn_sor_info *in = &sor->info;
  in->supplier = rd_text(sor, c);
  in->otdr = rd_text(sor, c);
  in->otdr_sn = rd_text(sor, c);
  in->module = rd_text(sor, c);
  (void)rd_text(sor, c); /* module serial */
  in->software = rd_text(sor, c);
}

/* Wavelength is stored in 0.1 nm; some instruments store whole nm. */
static double plausible_nm(double raw_tenths) {
  if (raw_tenths / 10 >= 600 && raw_tenths / 10 <= 1700) return raw_tenths / 10;
  if (raw_tenths >= 600 && raw_tenths <= 1700) return raw_tenths;
  return NAN;
}

static gn_status read_fxd(gn_ctx *ctx, const char *name, gn_sor *sor,
                          const blk *b, cur *c) {
  gn_sor_info *in = &sor->info;
  skip(c, 4); /* date/time */
  skip(c, 2); /* distance units */
  in->wavelength_nm = plausible_nm(rd_u16(c));
  skip(c, in->format == 2 ? 8 : 4); /* acquisition offset (+ distance) */
  unsigned npw = rd_u16(c);
  size_t at = c->off;
  unsigned pw0 = npw ? rd_u16(c) : 0;
  c->off = at;
  skip(c, 2u * npw);
  uint32_t spacing = 0, npts = 0;
  for (unsigned i = 0; i < npw; i++) {
    uint32_t v = rd_u32(c);
    if (i == 0) spacing = v;
  }
  for (unsigned i = 0; i < npw; i++) {
    uint32_t v = rd_u32(c);
    if (i == 0) npts = v;
  }
  uint32_t ior = rd_u32(c);
  if (c->bad) return overrun(ctx, name, b, "pulse widths and index");
  in->index = ior > 0 ? ior * 1e-5 : NAN;
  if (!(in->index >= 1.0 && in->index <= 2.0))
    return gn__fail(ctx, GN_EFORMAT,
                    "%s: block FxdParams: index of refraction %.5f outside "
                    "1..2 (byte %zu)",
                    name, ior * 1e-5, c->base + c->off - 4);
  in->pulse_ns = pw0;
  in->spacing_km = spacing * 1e-8 * SOL_KM_PER_US / in->index;
  in->points = npts;
  in->range_km = npw ? in->spacing_km * npts : NAN;
  if (!npw) in->spacing_km = NAN;
  return GN_OK;
}

static gn_status read_events(gn_ctx *ctx, const char *name, gn_sor *sor,
                             const blk *b, cur *c) {
  unsigned ne = rd_u16(c);
  size_t min_ev = sor->info.format == 2 ? 43 : 23;
  if (c->bad || (size_t)ne * min_ev > c->n - c->off)
    return gn__fail(ctx, GN_EFORMAT,
                    "%s: block KeyEvents: %u events cannot fit in %zu bytes",
                    name, ne, c->bad ? 0 : c->n - c->off);
  sor->events = gn_malloc(ctx, sizeof(*sor->events) * (ne ? ne : 1));
  if (!sor->events) return gn__fail(ctx, GN_ENOMEM, "%s: events", name);
  double f = 1e-4 * SOL_KM_PER_US / sor->info.index;
  for (unsigned i = 0; i < ne; i++) {
    gn_sor_event *e = &sor->events[i];
    memset(e, 0, sizeof(*e));
    skip(c, 2); /* event number */
    e->distance_km = rd_u32(c) * f;
    e->slope_db_km = rd_i16(c) * 0.001;
    e->splice_loss_db = rd_i16(c) * 0.001;
    e->reflectance_db = rd_i32(c) * 0.001;
    rd_code(c, e->type);
    if (sor->info.format == 2) skip(c, 20); /* event edges and peak */
    e->comment = rd_text(sor, c);
    if (c->bad) {
      char what[40];
      snprintf(what, sizeof(what), "event %u of %u", i + 1, ne);
      return overrun(ctx, name, b, what);
    }
    sor->nevents = i + 1;
  }
  int32_t total = rd_i32(c);
  skip(c, 8); /* loss start, loss end */
  unsigned orl = rd_u16(c);
  if (c->bad) return overrun(ctx, name, b, "summary after the events");
  sor->info.total_loss_db = total * 0.001;
  sor->info.orl_db = orl * 0.001;
  return GN_OK;
}

static gn_status read_points(gn_ctx *ctx, const char *name, gn_sor *sor,
                             const blk *b, cur *c) {
  uint32_t npts = rd_u32(c);
  unsigned ntr = rd_u16(c);
  uint32_t n1 = ntr ? rd_u32(c) : 0;
  unsigned scale = ntr ? rd_u16(c) : 1000;
  if (c->bad) return overrun(ctx, name, b, "data point header");
  if (ntr && n1 != npts) npts = n1 < npts ? n1 : npts;
  /* Later traces' headers precede the samples of the first. */
  for (unsigned i = 1; i < ntr; i++) skip(c, 6);
  if (c->bad || (size_t)npts > (c->n - c->off) / 2)
    return gn__fail(ctx, GN_EFORMAT,
                    "%s: block DataPts: %u points need %zu bytes, %zu left "
                    "(byte %zu)",
                    name, (unsigned)npts, (size_t)npts * 2,
                    c->bad ? 0 : c->n - c->off, c->base + c->off);
  sor->samples = gn_malloc(ctx, sizeof(float) * (npts ? npts : 1));
  if (!sor->samples) return gn__fail(ctx, GN_ENOMEM, "%s: samples", name);
  double k = (scale ? scale : 1000) * 1e-6;
  for (uint32_t i = 0; i < npts; i++)
    sor->samples[i] = (float)(rd_u16(c) * k);
  sor->info.points = sor->nsamples = npts;
  return GN_OK;
}

/* CRC-16/CCITT-FALSE over the file up to the stored checksum. */
static void check_sum(gn_sor *sor, const uint8_t *d, const blk *b) {
  cur c;
  block_cur(sor, d, b, &c);
  size_t at = c.off;
  unsigned stored = rd_u16(&c);
  if (c.bad) return;
  unsigned crc = 0xFFFF;
  for (size_t i = 0; i < b->pos + at; i++) {
    crc ^= (unsigned)d[i] << 8;
    for (int k = 0; k < 8; k++)
      crc = (crc & 0x8000) ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
  }
  sor->info.checksum_ok = crc == stored;
}

static const blk *find_block(const blk *b, size_t nb, const char *want) {
  for (size_t i = 0; i < nb; i++)
    if (strcmp(b[i].name, want) == 0) return &b[i];
  return NULL;
}

static gn_status read_blocks(gn_ctx *ctx, const char *name, gn_sor *sor,
                             const uint8_t *d, const blk *b, size_t nb) {
  cur c;
  const blk *x = find_block(b, nb, "GenParams");
  if (x) {
    block_cur(sor, d, x, &c);
    read_gen(sor, &c);
  }
  x = find_block(b, nb, "SupParams");
  if (x) {
    block_cur(sor, d, x, &c);
    read_sup(sor, &c);
  }
  x = find_block(b, nb, "FxdParams");
  if (!x) return gn__fail(ctx, GN_EFORMAT, "%s: no FxdParams block", name);
  block_cur(sor, d, x, &c);
  gn_status s = read_fxd(ctx, name, sor, x, &c);
  if (s != GN_OK) return s;
  if (!(sor->info.wavelength_nm > 0) && sor->gen_wavelength_nm > 0)
    sor->info.wavelength_nm = sor->gen_wavelength_nm;
  x = find_block(b, nb, "KeyEvents");
  if (x) {
    block_cur(sor, d, x, &c);
    s = read_events(ctx, name, sor, x, &c);
    if (s != GN_OK) return s;
  }
  x = find_block(b, nb, "DataPts");
  if (x) {
    block_cur(sor, d, x, &c);
    s = read_points(ctx, name, sor, x, &c);
    if (s != GN_OK) return s;
  }
  x = find_block(b, nb, "Cksum");
  if (x) check_sum(sor, d, x);
  if (sor->oom) return gn__fail(ctx, GN_ENOMEM, "%s: strings", name);
  return GN_OK;
}

gn_status gn_sor_read_mem(gn_ctx *ctx, const void *data, size_t n,
                          const char *name, gn_sor **out) {
  gn_ctx_clear(ctx);
  *out = NULL;
  if (!name) name = "SOR";
  if (n > GN_SOR_MAX_BYTES)
    return gn__fail(ctx, GN_ELIMIT, "%s: %zu bytes, over the %u byte limit",
                    name, n, GN_SOR_MAX_BYTES);
  gn_sor *sor = gn_malloc(ctx, sizeof(*sor));
  if (!sor) return gn__fail(ctx, GN_ENOMEM, "%s", name);
  memset(sor, 0, sizeof(*sor));
  sor->ctx = ctx;
  gn_sor_info *in = &sor->info;
  in->supplier = in->otdr = in->otdr_sn = in->module = in->software = "";
  in->cable_id = in->fiber_id = in->location_a = in->location_b = in->op = "";
  in->total_loss_db = in->orl_db = in->range_km = in->spacing_km = NAN;
  in->wavelength_nm = NAN;
  in->checksum_ok = -1;
  blk *b = NULL;
  size_t nb = 0;
  gn_status s = read_map(ctx, name, data, n, &b, &nb, sor);
  if (s == GN_OK) s = read_blocks(ctx, name, sor, data, b, nb);
  gn_free(ctx, b);
  if (s != GN_OK) {
    gn_sor_free(sor);
    return s;
  }
  *out = sor;
  return GN_OK;
}

gn_status gn_sor_read_file(gn_ctx *ctx, const char *path, gn_sor **out) {
  gn_ctx_clear(ctx);
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return gn__fail(ctx, GN_EIO, "%s: cannot open", path);
  uint8_t *buf = NULL;
  size_t n = 0, cap = 0;
  gn_status s = GN_OK;
  for (;;) {
    if (n == cap && GN__GROW(ctx, buf, cap, n + 65536) != GN_OK) {
      s = gn__fail(ctx, GN_ENOMEM, "%s", path);
      break;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n > GN_SOR_MAX_BYTES) {
      s = gn__fail(ctx, GN_ELIMIT, "%s: over the %u byte limit", path,
                   GN_SOR_MAX_BYTES);
      break;
    }
    if (got == 0) {
      if (ferror(f)) s = gn__fail(ctx, GN_EIO, "%s: read error", path);
      break;
    }
  }
  fclose(f);
  if (s == GN_OK) s = gn_sor_read_mem(ctx, buf, n, path, out);
  gn_free(ctx, buf);
  return s;
}

void gn_sor_free(gn_sor *sor) {
  if (!sor) return;
  gn_ctx *ctx = sor->ctx;
  while (sor->strs) {
    gn__sor_str *next = sor->strs->next;
    gn_free(ctx, sor->strs);
    sor->strs = next;
  }
  gn_free(ctx, sor->events);
  gn_free(ctx, sor->samples);
  gn_free(ctx, sor);
}

const gn_sor_info *gn_sor_get_info(const gn_sor *sor) { return &sor->info; }
size_t gn_sor_event_count(const gn_sor *sor) { return sor->nevents; }

const gn_sor_event *gn_sor_get_event(const gn_sor *sor, size_t i) {
  return i < sor->nevents ? &sor->events[i] : NULL;
}

const float *gn_sor_get_samples(const gn_sor *sor, size_t *n) {
  *n = sor->nsamples;
  return sor->samples;
}
