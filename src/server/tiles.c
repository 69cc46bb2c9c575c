/*
 * tiles.c - The offline basemap: /tiles/{z}/{x}/{y}.pbf straight from the
 * MBTiles file given to `serve --basemap`, and /api/basemap describing it.
 *
 * Design: each worker opens its own read-only MBTiles handle on its first
 * tile (store/mbtiles.c, one SQLite connection per thread like the store,
 * so no lock). tilemaker stores tiles gzip-compressed; a tile goes out as
 * stored with Content-Encoding: gzip, or inflated for the rare client that
 * does not accept gzip. Tiles carry an ETag and may be cached for a day.
 * A tile in range that the file does not hold (no data there) is 204 No
 * Content, an empty tile; a tile out of range is 404.
 * Threads: the handle belongs to the worker of the calling thread.
 */
#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "govnet/mbtiles.h"
#include "server/srv.h"
#include "util/internal.h"

#define GN__TILE_MAX (16u << 20) /* an inflated tile larger than this is refused */

gn_status gn__basemap_info(gn_ctx *ctx, const char *path, char **out, size_t *len) {
  *out = NULL;
  gn_mbtiles *mb = NULL;
  json_t *v = NULL;
  if (!path) {
    v = json_pack("{s:n}", "tiles");
  } else {
    gn_status s = gn_mbtiles_open(ctx, path, &mb);
    if (s != GN_OK) return s;
    char fmt[32] = "", minz[8] = "0", maxz[8] = "14", bounds[128] = "", name[128] = "";
    gn_mbtiles_meta(mb, "format", fmt, sizeof(fmt));
    gn_mbtiles_meta(mb, "minzoom", minz, sizeof(minz));
    gn_mbtiles_meta(mb, "maxzoom", maxz, sizeof(maxz));
    gn_mbtiles_meta(mb, "bounds", bounds, sizeof(bounds));
    gn_mbtiles_meta(mb, "name", name, sizeof(name));
    gn_mbtiles_close(mb);
    if (fmt[0] && strcmp(fmt, "pbf") != 0)
      return gn__fail(ctx, GN_EFORMAT, "%s: tiles are '%s', not vector tiles (pbf)", path, fmt);
    v = json_pack("{s:s,s:s,s:i,s:i,s:s,s:s}", "tiles", "/tiles/{z}/{x}/{y}.pbf", "format", "pbf",
                  "minzoom", (int)strtol(minz, NULL, 10), "maxzoom", (int)strtol(maxz, NULL, 10),
                  "bounds", bounds, "name", name);
  }
  char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
  json_decref(v);
  if (!text) return gn__fail(ctx, GN_ENOMEM, "out of memory (basemap)");
  *out = text;
  *len = strlen(text);
  return GN_OK;
}

/* A decimal number of 1..8 digits at *p, then the separator sep. */
static int tile_num(const char **p, char sep, long *out) {
  long v = 0;
  int n = 0;
  for (; **p >= '0' && **p <= '9' && n < 9; (*p)++, n++) v = v * 10 + (**p - '0');
  if (n == 0 || n > 8 || **p != sep) return -1;
  (*p)++;
  *out = v;
  return 0;
}

int gn__tile_url_parse(const char *url, int *z, long *x, long *y) {
  if (strncmp(url, "/tiles/", 7) != 0) return -1;
  const char *p = url + 7;
  long zz = 0;
  if (tile_num(&p, '/', &zz) != 0 || zz > 30 || tile_num(&p, '/', x) != 0 ||
      tile_num(&p, '.', y) != 0 || strcmp(p, "pbf") != 0)
    return -1;
  *z = (int)zz;
  return 0;
}

/* Inflate a gzip tile; NULL on a corrupt tile or beyond GN__TILE_MAX. */
static char *gunzip(const char *in, size_t len, size_t *out_len) {
  size_t cap = len * 4 + 1024;
  char *buf = NULL;
  for (; cap <= GN__TILE_MAX; cap *= 2) {
    z_stream z;
    memset(&z, 0, sizeof(z));
    char *nb = realloc(buf, cap);
    if (!nb || inflateInit2(&z, 15 + 32) != Z_OK) {
      free(nb ? nb : buf);
      return NULL;
    }
    buf = nb;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)buf;
    z.avail_out = (uInt)cap;
    int rc = inflate(&z, Z_FINISH);
    *out_len = z.total_out;
    inflateEnd(&z);
    if (rc == Z_STREAM_END) return buf;
    if (rc != Z_BUF_ERROR) break;
  }
  free(buf);
  return NULL;
}

/* The tile as a blob: plain body, and the stored gzip form when it is one. */
static gn__blob *tile_blob(const char *data, size_t len) {
  int is_gz = len >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b;
  const char *type = "application/vnd.mapbox-vector-tile";
  if (!is_gz) return gn__blob_make(data, len, type);
  size_t plain_len = 0;
  char *plain = gunzip(data, len, &plain_len);
  if (!plain) return NULL;
  gn__blob *b = gn__blob_make(plain, plain_len, type);
  free(plain);
  if (b && (b->gz = malloc(len))) {
    memcpy(b->gz, data, len);
    b->gz_len = len;
  }
  return b;
}

/* 204: tilemaker writes no tile where there is no data. */
static int send_empty(gn__req *r) {
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  if (!resp) return MHD_NO;
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "public, max-age=86400");
  r->http = MHD_HTTP_NO_CONTENT;
  int ret = MHD_queue_response(r->conn, MHD_HTTP_NO_CONTENT, resp);
  MHD_destroy_response(resp);
  return ret;
}

int gn__tiles_serve(gn__req *r, const char *basemap, int *ret) {
  if (strncmp(r->url, "/tiles/", 7) != 0) return 0;
  int z = 0;
  long x = 0, y = 0;
  if (!basemap) {
    *ret = gn__send_error(r, GN_ENOTFOUND, "no basemap: start the server with --basemap F.mbtiles");
    return 1;
  }
  if (gn__tile_url_parse(r->url, &z, &x, &y) != 0) {
    *ret = gn__send_error(r, GN_ENOTFOUND, "tile URLs are /tiles/{z}/{x}/{y}.pbf");
    return 1;
  }
  gn_status s = GN_OK;
  if (!r->w->tiles) s = gn_mbtiles_open(r->w->ctx, basemap, &r->w->tiles);
  char *data = NULL;
  size_t len = 0;
  if (s == GN_OK) s = gn_mbtiles_tile(r->w->tiles, z, x, y, &data, &len);
  if (s == GN_ENOTFOUND) { /* no data there: an empty tile, not an error */
    *ret = send_empty(r);
    return 1;
  }
  if (s != GN_OK) {
    *ret = gn__send_error(r, s == GN_EINVAL ? GN_ENOTFOUND : s, gn_ctx_errmsg(r->w->ctx));
    return 1;
  }
  gn__blob *b = tile_blob(data, len);
  gn_free(r->w->ctx, data);
  if (!b) {
    *ret = gn__send_error(r, GN_EFORMAT, "corrupt tile in the basemap");
    return 1;
  }
  *ret = gn__blob_send(r->conn, b, "public, max-age=86400", &r->http);
  gn__blob_unref(b);
  return 1;
}
