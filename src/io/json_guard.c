/*
 * json_guard.c - Streaming GeoJSON limits (see json_guard.h).
 * A byte-level state machine: strings (with escapes) are skipped but
 * object keys are hashed; a stack records for each open container
 * whether it is the "features" array or a "properties" object, and how
 * many members it has. Property names are kept as 64-bit FNV-1a hashes
 * in a small open-addressing set.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "io/json_guard.h"
#include "util/internal.h"

enum { R_OTHER, R_FEATURES, R_PROPS };
#define KEYSET 4096 /* > 2 * GN__GJ_MAX_FIELDS, power of two */

typedef struct frame {
  char obj;      /* 1 object, 0 array */
  char role;     /* R_* */
  long members;  /* keys (object) */
} frame;

typedef struct guard {
  gn_ctx *ctx;
  const char *path;
  frame st[GN__GJ_MAX_DEPTH];
  int depth;
  int in_str, esc, is_key;
  uint64_t h;           /* hash of the current string */
  char head[12];        /* first bytes of the current string */
  size_t hlen;
  uint64_t last_key;    /* hash of the last key of the current object */
  char last_head[12];
  int expect_key;       /* the next string in this object is a key */
  long features;
  uint64_t keys[KEYSET];
  int nkeys;
} guard;

static uint64_t fnv_start(void) { return 1469598103934665603ull; }

static gn_status limit(guard *g, const char *what, long long max) {
  return gn__fail(g->ctx, GN_ELIMIT, "%s: more than %lld %s (feature %ld); "
                  "split the file or keep fewer properties", g->path, max,
                  what, g->features);
}

static gn_status add_prop_key(guard *g, uint64_t h) {
  if (h == 0) h = 1; /* 0 marks an empty slot */
  size_t i = (size_t)(h & (KEYSET - 1));
  while (g->keys[i] && g->keys[i] != h) i = (i + 1) & (KEYSET - 1);
  if (g->keys[i]) return GN_OK;
  if (g->nkeys >= GN__GJ_MAX_FIELDS)
    return limit(g, "distinct property names", GN__GJ_MAX_FIELDS);
  g->keys[i] = h;
  g->nkeys++;
  return GN_OK;
}

static gn_status open_container(guard *g, int obj) {
  if (g->depth >= GN__GJ_MAX_DEPTH)
    return limit(g, "levels of nesting", GN__GJ_MAX_DEPTH);
  char role = R_OTHER;
  if (g->depth > 0) {
    frame *up = &g->st[g->depth - 1];
    if (up->obj && !obj && strcmp(g->last_head, "features") == 0)
      role = R_FEATURES;
    else if (up->obj && obj && strcmp(g->last_head, "properties") == 0)
      role = R_PROPS;
    if (!up->obj && up->role == R_FEATURES && obj &&
        ++g->features > GN__GJ_MAX_FEATURES)
      return limit(g, "features", GN__GJ_MAX_FEATURES);
  }
  frame f = {(char)obj, role, 0};
  g->st[g->depth++] = f;
  g->expect_key = obj;
  g->last_head[0] = '\0';
  return GN_OK;
}

static gn_status end_string(guard *g) {
  g->in_str = 0;
  g->head[g->hlen < sizeof(g->head) ? g->hlen : sizeof(g->head) - 1] = '\0';
  if (!g->is_key) return GN_OK;
  frame *f = &g->st[g->depth - 1];
  if (++f->members > GN__GJ_MAX_MEMBERS)
    return limit(g, "members in one object", GN__GJ_MAX_MEMBERS);
  memcpy(g->last_head, g->head, sizeof(g->head));
  g->last_key = g->h;
  g->expect_key = 0;
  return f->role == R_PROPS ? add_prop_key(g, g->h) : GN_OK;
}

static gn_status step(guard *g, unsigned char c) {
  if (g->in_str) {
    if (g->esc) {
      g->esc = 0;
    } else if (c == '\\') {
      g->esc = 1;
    } else if (c == '"') {
      return end_string(g);
    }
    g->h = (g->h ^ c) * 1099511628211ull;
    if (g->hlen < sizeof(g->head)) g->head[g->hlen] = (char)c;
    g->hlen++;
    return GN_OK;
  }
  switch (c) {
    case '"':
      g->in_str = 1;
      g->is_key = g->depth > 0 && g->st[g->depth - 1].obj && g->expect_key;
      g->h = fnv_start();
      g->hlen = 0;
      return GN_OK;
    case '{':
    case '[':
      return open_container(g, c == '{');
    case '}':
    case ']':
      if (g->depth > 0) g->depth--;
      g->last_head[0] = '\0';
      return GN_OK;
    case ',':
      if (g->depth > 0 && g->st[g->depth - 1].obj) g->expect_key = 1;
      return GN_OK;
    default:
      return GN_OK;
  }
}

gn_status gn__geojson_guard(gn_ctx *ctx, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return gn__fail(ctx, GN_EIO, "%s: cannot open: %s", path, strerror(errno));
  struct stat sb;
  if (fstat(fileno(f), &sb) == 0 && (long long)sb.st_size > GN__GJ_MAX_BYTES) {
    fclose(f);
    return gn__fail(ctx, GN_ELIMIT, "%s: larger than %lld MiB (GeoJSON "
                    "limit); use a GeoPackage", path, GN__GJ_MAX_BYTES >> 20);
  }
  guard *g = gn_malloc(ctx, sizeof(*g));
  if (!g) {
    fclose(f);
    return gn__fail(ctx, GN_ENOMEM, "out of memory");
  }
  memset(g, 0, sizeof(*g));
  g->ctx = ctx;
  g->path = path;
  unsigned char buf[65536];
  size_t n;
  gn_status s = GN_OK;
  while (s == GN_OK && (n = fread(buf, 1, sizeof(buf), f)) > 0)
    for (size_t i = 0; i < n && s == GN_OK; i++) s = step(g, buf[i]);
  gn_free(ctx, g);
  fclose(f);
  return s;
}

int gn__is_geojson_path(const char *path) {
  size_t n = strlen(path);
  return (n > 8 && strcasecmp(path + n - 8, ".geojson") == 0) ||
         (n > 5 && strcasecmp(path + n - 5, ".json") == 0);
}
