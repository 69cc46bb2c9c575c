/*
 * assets.c - The web UI held in memory, gzip-compressed once, under
 * content-hashed URLs that browsers may keep for a year.
 *
 * Design: at start the server reads the top-level files of web_dir (the
 * UI: index.html, app.js, i18n.js, style.css, ...) and a fixed list of
 * vendored npm files (Leaflet, Leaflet.VectorGrid) into gn__blobs (body,
 * gzip form at level 9, ETag). The version H is a hash of every asset's
 * name and ETag. index.html refers to its assets as "/s/@/NAME"; the
 * server rewrites "/s/@/" to "/s/H/" when it loads it, so the page asks
 * for "/s/H/app.js" and relative module imports stay under the same
 * version. A "/s/H/..." answer is `immutable, max-age=1 year`; a request
 * under another version (a page loaded before a redeploy) gets today's
 * file with `no-cache`. index.html itself is `no-cache` (revalidated by
 * ETag: a 304 costs one round trip, not the page). The plain names
 * ("/app.js", "/vendor/leaflet/leaflet.js") are served too, `no-cache`.
 * Files added to web_dir after start fall through to files.c.
 * Ownership: the table owns its blobs; gn__assets_free drops them (an
 * answer in flight keeps its own reference).
 * Threads: read-only after load.
 */
#include <dirent.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "server/srv.h"
#include "util/internal.h"

#define GN__ASSET_MAX (8u << 20) /* per file */
#define GN__IMMUTABLE "public, max-age=31536000, immutable"

typedef struct asset {
  char *name; /* URL path without the leading '/', e.g. "vendor/leaflet/leaflet.js" */
  gn__blob *blob;
} asset;

struct gn__assets {
  gn_ctx *ctx;
  asset *v;
  size_t n, cap;
  char version[17];
};

/* npm files served under /vendor/ (URL name, path under node_modules). */
static const struct {
  const char *url, *path;
} vendored[] = {
    {"vendor/leaflet/leaflet.js", "leaflet/dist/leaflet.js"},
    {"vendor/leaflet/leaflet.css", "leaflet/dist/leaflet.css"},
    {"vendor/leaflet/leaflet-src.esm.js", "leaflet/dist/leaflet-src.esm.js"},
    {"vendor/leaflet/images/layers.png", "leaflet/dist/images/layers.png"},
    {"vendor/leaflet/images/layers-2x.png", "leaflet/dist/images/layers-2x.png"},
    {"vendor/leaflet/images/marker-icon.png", "leaflet/dist/images/marker-icon.png"},
    {"vendor/leaflet/images/marker-icon-2x.png", "leaflet/dist/images/marker-icon-2x.png"},
    {"vendor/leaflet/images/marker-shadow.png", "leaflet/dist/images/marker-shadow.png"},
    {"vendor/vectorgrid/Leaflet.VectorGrid.bundled.min.js",
     "leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js"},
};

static const struct {
  const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},    {".json", "application/json"},
    {".txt", "text/plain; charset=utf-8"},  {".svg", "image/svg+xml"},
    {".png", "image/png"},                  {".ico", "image/x-icon"},
};

static const char *type_of(const char *name) {
  const char *dot = strrchr(name, '.');
  for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
    if (strcmp(dot, types[i].ext) == 0) return types[i].type;
  return NULL;
}

/* Add one file; a missing vendored file is skipped (files.c answers 404). */
static gn_status asset_add(gn__assets *a, const char *name, const char *path,
                           int optional) {
  const char *type = type_of(name);
  if (!type) return GN_OK;
  char *buf = NULL;
  size_t len = 0;
  gn_status s = gn__file_read(a->ctx, path, GN__ASSET_MAX, &buf, &len);
  if (s != GN_OK) {
    if (optional) gn_ctx_clear(a->ctx);
    return optional ? GN_OK : s;
  }
  if ((s = GN__GROW(a->ctx, a->v, a->cap, a->n + 1)) != GN_OK) {
    gn_free(a->ctx, buf);
    return s;
  }
  asset *e = &a->v[a->n];
  e->name = gn__strdup(a->ctx, name);
  e->blob = gn__blob_make(buf, len, type);
  gn_free(a->ctx, buf);
  if (!e->name || !e->blob) {
    gn_free(a->ctx, e->name);
    gn__blob_unref(e->blob);
    return gn__fail(a->ctx, GN_ENOMEM, "out of memory (web assets)");
  }
  gn__blob_gzip(e->blob, 9); /* once at start: the best ratio */
  a->n++;
  return GN_OK;
}

static int skip_name(const char *n) {
  return n[0] == '.' || strcmp(n, "package.json") == 0 ||
         strcmp(n, "package-lock.json") == 0;
}

static gn_status load_dir(gn__assets *a, const char *web_dir) {
  DIR *d = opendir(web_dir);
  if (!d) return gn__fail(a->ctx, GN_EIO, "web dir %s: cannot open", web_dir);
  gn_status s = GN_OK;
  char path[4096];
  for (struct dirent *e = readdir(d); e && s == GN_OK; e = readdir(d)) {
    struct stat st;
    if (skip_name(e->d_name)) continue;
    int n = snprintf(path, sizeof(path), "%s/%s", web_dir, e->d_name);
    if (n < 0 || (size_t)n >= sizeof(path) || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
      continue;
    s = asset_add(a, e->d_name, path, 0);
  }
  closedir(d);
  for (size_t i = 0; s == GN_OK && i < sizeof(vendored) / sizeof(vendored[0]); i++) {
    int n = snprintf(path, sizeof(path), "%s/node_modules/%s", web_dir, vendored[i].path);
    if (n > 0 && (size_t)n < sizeof(path)) s = asset_add(a, vendored[i].url, path, 1);
  }
  return s;
}

static asset *find(const gn__assets *a, const char *name) {
  for (size_t i = 0; i < a->n; i++)
    if (strcmp(a->v[i].name, name) == 0) return &a->v[i];
  return NULL;
}

/* The version: a hash over every asset's name and ETag. */
static void make_version(gn__assets *a) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < a->n; i++) {
    for (const char *p = a->v[i].name; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
    for (const char *p = a->v[i].blob->etag; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
  }
  snprintf(a->version, sizeof(a->version), "%012llx",
           (unsigned long long)(h & 0xffffffffffffull));
}

/* index.html with "/s/@/" replaced by "/s/<version>/". */
static gn_status rewrite_index(gn__assets *a) {
  asset *idx = find(a, "index.html");
  if (!idx) return GN_OK;
  const char *src = idx->blob->data, *mark = "/s/@/";
  size_t vlen = strlen(a->version), cap = idx->blob->len * 2 + 64, n = 0;
  char *out = gn_malloc(a->ctx, cap);
  if (!out) return gn__fail(a->ctx, GN_ENOMEM, "out of memory (index.html)");
  for (const char *p = src; *p;) {
    const char *m = strstr(p, mark);
    size_t lit = m ? (size_t)(m - p) : strlen(p);
    if (n + lit + vlen + 8 > cap) break; /* cannot happen: cap is 2x */
    memcpy(out + n, p, lit);
    n += lit;
    if (!m) break;
    n += (size_t)snprintf(out + n, cap - n, "/s/%s/", a->version);
    p = m + strlen(mark);
  }
  gn__blob *b = gn__blob_make(out, n, idx->blob->ctype);
  gn_free(a->ctx, out);
  if (!b) return gn__fail(a->ctx, GN_ENOMEM, "out of memory (index.html)");
  gn__blob_gzip(b, 9);
  gn__blob_unref(idx->blob);
  idx->blob = b;
  return GN_OK;
}

gn_status gn__assets_load(gn_ctx *ctx, const char *web_dir, gn__assets **out) {
  *out = NULL;
  if (!web_dir) return GN_OK;
  gn__assets *a = gn_malloc(ctx, sizeof(*a));
  if (!a) return gn__fail(ctx, GN_ENOMEM, "out of memory (web assets)");
  memset(a, 0, sizeof(*a));
  a->ctx = ctx;
  gn_status s = load_dir(a, web_dir);
  if (s == GN_OK) {
    make_version(a);
    s = rewrite_index(a);
  }
  if (s != GN_OK) {
    gn__assets_free(a);
    return s;
  }
  *out = a;
  return GN_OK;
}

void gn__assets_free(gn__assets *a) {
  if (!a) return;
  for (size_t i = 0; i < a->n; i++) {
    gn_free(a->ctx, a->v[i].name);
    gn__blob_unref(a->v[i].blob);
  }
  gn_free(a->ctx, a->v);
  gn_free(a->ctx, a);
}

int gn__assets_serve(const gn__assets *a, struct MHD_Connection *conn,
                     const char *url, unsigned *http, int *ret) {
  if (!a || url[0] != '/') return 0;
  const char *name = url + 1, *cc = "no-cache";
  if (strncmp(url, "/s/", 3) == 0) {
    const char *slash = strchr(url + 3, '/');
    if (!slash) return 0;
    size_t vlen = (size_t)(slash - (url + 3));
    if (vlen == strlen(a->version) && memcmp(url + 3, a->version, vlen) == 0)
      cc = GN__IMMUTABLE;
    name = slash + 1;
  }
  if (!*name) name = "index.html";
  asset *e = find(a, name);
  if (!e) return 0;
  if (strcmp(name, "index.html") == 0) cc = "no-cache";
  *ret = gn__blob_send(conn, e->blob, cc, http);
  return 1;
}
