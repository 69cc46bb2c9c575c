/*
 * mbtiles.c - MBTiles reader (see include/govnet/mbtiles.h).
 *
 * Design: opened with SQLITE_OPEN_READONLY and the "immutable" URI flag
 * (no locks, no journal: a basemap does not change while served), one
 * prepared tile statement reused per request. TMS rows are flipped to
 * XYZ here so callers think in web-map tiles only.
 * Threads: one handle per thread (SQLITE_OPEN_NOMUTEX).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "govnet/mbtiles.h"
#include "util/internal.h"

struct gn_mbtiles {
  gn_ctx *ctx;
  sqlite3 *db;
  sqlite3_stmt *tile;
};

static gn_status prepare(gn_mbtiles *mb, const char *path) {
  const char *sql = "SELECT tile_data FROM tiles WHERE zoom_level=?1 AND "
                    "tile_column=?2 AND tile_row=?3";
  if (sqlite3_prepare_v2(mb->db, sql, -1, &mb->tile, NULL) != SQLITE_OK)
    return gn__fail(mb->ctx, GN_EFORMAT, "%s is not an MBTiles file (%s)", path,
                    sqlite3_errmsg(mb->db));
  return GN_OK;
}

gn_status gn_mbtiles_open(gn_ctx *ctx, const char *path, gn_mbtiles **out) {
  *out = NULL;
  gn_ctx_clear(ctx);
  struct stat st;
  if (stat(path, &st) != 0) return gn__fail(ctx, GN_ENOTFOUND, "cannot open %s: no such file", path);
  gn_mbtiles *mb = gn_malloc(ctx, sizeof(*mb));
  if (!mb) return gn__fail(ctx, GN_ENOMEM, "out of memory (mbtiles)");
  memset(mb, 0, sizeof(*mb));
  mb->ctx = ctx;
  char uri[4200];
  int n = snprintf(uri, sizeof(uri), "file:%s?immutable=1", path);
  gn_status s = GN_OK;
  if (n < 0 || (size_t)n >= sizeof(uri) || strchr(path, '?') || strchr(path, '#'))
    s = gn__fail(ctx, GN_EINVAL, "%s: unusable file name", path);
  else if (sqlite3_open_v2(uri, &mb->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
                                             SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    s = gn__fail(ctx, GN_EFORMAT, "cannot open %s: %s", path,
                 mb->db ? sqlite3_errmsg(mb->db) : "out of memory");
  else
    s = prepare(mb, path);
  if (s != GN_OK) {
    gn_mbtiles_close(mb);
    return s;
  }
  *out = mb;
  return GN_OK;
}

void gn_mbtiles_close(gn_mbtiles *mb) {
  if (!mb) return;
  sqlite3_finalize(mb->tile);
  sqlite3_close(mb->db);
  gn_free(mb->ctx, mb);
}

gn_status gn_mbtiles_tile(gn_mbtiles *mb, int z, long x, long y, char **data,
                          size_t *len) {
  *data = NULL;
  *len = 0;
  if (z < 0 || z > 24 || x < 0 || y < 0 || x >= (1L << z) || y >= (1L << z))
    return gn__fail(mb->ctx, GN_EINVAL, "tile %d/%ld/%ld out of range", z, x, y);
  sqlite3_reset(mb->tile);
  sqlite3_bind_int(mb->tile, 1, z);
  sqlite3_bind_int64(mb->tile, 2, x);
  sqlite3_bind_int64(mb->tile, 3, (1L << z) - 1 - y); /* XYZ -> TMS */
  int rc = sqlite3_step(mb->tile);
  if (rc == SQLITE_DONE) {
    sqlite3_reset(mb->tile);
    return gn__fail(mb->ctx, GN_ENOTFOUND, "no tile %d/%ld/%ld", z, x, y);
  }
  if (rc != SQLITE_ROW) {
    gn_status s = gn__fail(mb->ctx, GN_EDB, "tile %d/%ld/%ld: %s", z, x, y, sqlite3_errmsg(mb->db));
    sqlite3_reset(mb->tile);
    return s;
  }
  int n = sqlite3_column_bytes(mb->tile, 0);
  const void *p = sqlite3_column_blob(mb->tile, 0);
  char *buf = gn_malloc(mb->ctx, (size_t)n + 1);
  if (!buf) {
    sqlite3_reset(mb->tile);
    return gn__fail(mb->ctx, GN_ENOMEM, "out of memory (tile)");
  }
  if (n) memcpy(buf, p, (size_t)n);
  sqlite3_reset(mb->tile);
  *data = buf;
  *len = (size_t)n;
  return GN_OK;
}

int gn_mbtiles_meta(gn_mbtiles *mb, const char *name, char *buf, size_t cap) {
  sqlite3_stmt *st = NULL;
  int found = -1;
  if (sqlite3_prepare_v2(mb->db, "SELECT value FROM metadata WHERE name=?1", -1, &st, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_ROW && cap) {
    const char *v = (const char *)sqlite3_column_text(st, 0);
    snprintf(buf, cap, "%s", v ? v : "");
    found = 0;
  }
  sqlite3_finalize(st);
  return found;
}
