/*
 * files.c - Static files of the web UI and whole-file reads.
 *
 * Design: "/" is web_dir/index.html; "/vendor/leaflet/..." is served
 * straight from web_dir/node_modules/leaflet/dist/ (installed by `npm ci`
 * from the pinned package-lock.json), so no copy step can go stale. Paths
 * are checked segment by segment (no "..", no hidden files, a small
 * character set) and only regular files are sent, through
 * MHD_create_response_from_fd (the kernel copies, the server never holds
 * the file in memory). Only files with a known type are served, never
 * the npm manifests (package.json, package-lock.json). Every answer
 * carries the security headers (gn__security_headers): the UI loads
 * nothing from elsewhere, so the policy allows only 'self' (plus data:
 * images and inline styles, which Leaflet sets on its elements).
 * Threads: stateless.
 */
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/srv.h"
#include "util/internal.h"

static const struct {
  const char *ext, *type;
} mime[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".geojson", "application/geo+json"},
    {".png", "image/png"},
    {".svg", "image/svg+xml"},
    {".ico", "image/x-icon"},
    {".map", "application/json"},
};

/* The type of a servable file, NULL if it must not be served. */
static const char *mime_of(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if (strcmp(base, "package.json") == 0 || strcmp(base, "package-lock.json") == 0)
    return NULL;
  const char *dot = strrchr(base, '.');
  for (size_t i = 0; dot && i < sizeof(mime) / sizeof(mime[0]); i++)
    if (strcmp(dot, mime[i].ext) == 0) return mime[i].type;
  return NULL;
}

void gn__security_headers(struct MHD_Response *resp) {
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(resp, "Content-Security-Policy",
                          "default-src 'self'; img-src 'self' data:; "
                          "style-src 'self' 'unsafe-inline'; object-src 'none'; "
                          "base-uri 'none'; form-action 'self'; "
                          "frame-ancestors 'none'");
}

/* 1 if every segment of url is a plain name: [A-Za-z0-9._-], not
 * starting with '.', so "..", hidden files and odd bytes never match. */
static int path_safe(const char *url) {
  if (url[0] != '/') return 0;
  const char *p = url + 1;
  int seg_start = 1;
  for (; *p; p++) {
    char c = *p;
    if (c == '/') {
      if (seg_start) return 0;
      seg_start = 1;
      continue;
    }
    if (seg_start && c == '.') return 0;
    seg_start = 0;
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
             (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return 0;
  }
  return 1;
}

static int not_found(struct MHD_Connection *conn, const char *what,
                     unsigned *http) {
  *http = MHD_HTTP_NOT_FOUND;
  size_t len = 0;
  char msg[200];
  snprintf(msg, sizeof(msg), "no file %.150s", what);
  char *text = gn__error_json(GN_ENOTFOUND, msg, &len);
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
  if (!resp) {
    free(text);
    return MHD_NO;
  }
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  gn__security_headers(resp);
  int ret = MHD_queue_response(conn, MHD_HTTP_NOT_FOUND, resp);
  MHD_destroy_response(resp);
  return ret;
}

int gn__files_serve(struct MHD_Connection *conn, const gn_server_opts *o,
                    const char *url, unsigned *http) {
  if (!o->web_dir) return not_found(conn, url, http);
  if (strcmp(url, "/") == 0) url = "/index.html";
  if (!path_safe(url)) return not_found(conn, url, http);
  static const char vendor[] = "/vendor/leaflet/";
  char path[4096];
  int n = strncmp(url, vendor, sizeof(vendor) - 1) == 0
              ? snprintf(path, sizeof(path), "%s/node_modules/leaflet/dist/%s",
                         o->web_dir, url + sizeof(vendor) - 1)
              : snprintf(path, sizeof(path), "%s%s", o->web_dir, url);
  if (n < 0 || (size_t)n >= sizeof(path)) return not_found(conn, url, http);
  if (strncmp(url, "/node_modules/", 14) == 0 || !mime_of(path))
    return not_found(conn, url, http);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0) close(fd);
    return not_found(conn, url, http);
  }
  struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
  if (!resp) {
    close(fd);
    return MHD_NO;
  }
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, mime_of(path));
  gn__security_headers(resp);
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                          url[1] == 'v' ? "max-age=86400" : "no-cache");
  *http = MHD_HTTP_OK;
  int ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
  MHD_destroy_response(resp);
  return ret;
}

gn_status gn__file_read(gn_ctx *ctx, const char *path, size_t max,
                        char **out, size_t *len) {
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return gn__fail(ctx, GN_EIO, "%s: %s", path, strerror(errno));
  char *buf = NULL;
  size_t cap = 0, n = 0;
  gn_status s = GN_OK;
  for (;;) {
    if ((s = GN__GROW(ctx, buf, cap, n + 65536 + 1)) != GN_OK) break;
    size_t got = fread(buf + n, 1, 65536, f);
    n += got;
    if (n > max) {
      s = gn__fail(ctx, GN_ELIMIT, "%s: larger than %zu bytes", path, max);
      break;
    }
    if (got < 65536) break;
  }
  if (s == GN_OK && ferror(f)) s = gn__fail(ctx, GN_EIO, "%s: read error", path);
  fclose(f);
  if (s != GN_OK) {
    gn_free(ctx, buf);
    return s;
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return GN_OK;
}
