/*
 * store_db.c - Opening a store: recognising the file, configuring the
 * connection, running the migrations (store_schema.c); the SQL helpers
 * it uses live in store_sql.c.
 *
 * Design: one connection per gn_store; WAL journal, foreign keys on,
 * busy timeout, synchronous=NORMAL (WAL keeps every committed transaction
 * atomic and durable across a process crash). The file is recognised by
 * PRAGMA application_id ('GPKG') plus our gn_migrations table; anything
 * else is refused before a single byte is written to it.
 * Invariant: after a successful open, st->version == the file's schema
 * version and (unless read-only) == GN_STORE_SCHEMA_VERSION.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store_int.h"

/* Classify the file: 0 empty (new), 1 govnet store, -1 foreign. */
static gn_status classify(gn_store *st, const char *path, int *kind) {
  int64_t app = 0, n = 0, has = 0;
  int found;
  gn_status rs = gn__st_int(st, "PRAGMA application_id", 0, &app, &found);
  if (rs == GN_OK)
    rs = gn__st_int(st, "SELECT count(*) FROM sqlite_master", 0, &n, &found);
  if (rs == GN_OK)
    rs = gn__st_int(st,
                    "SELECT count(*) FROM sqlite_master WHERE name="
                    "'gn_migrations'",
                    0, &has, &found);
  if (rs != GN_OK) {
    if (rs == GN_EBUSY) return rs;
    gn_ctx_clear(st->ctx);
    return gn__fail(st->ctx, GN_EFORMAT,
                    "%s: not a govnet store (not an SQLite database)", path);
  }
  *kind = n == 0 ? 0 : (app == GN__GPKG_APP_ID && has) ? 1 : -1;
  return GN_OK;
}

static gn_status configure(gn_store *st, int busy_ms) {
  sqlite3_busy_timeout(st->db, busy_ms > 0 ? busy_ms : 2000);
  gn_status rs = gn__st_exec(st, "PRAGMA foreign_keys=ON");
  if (rs == GN_OK && !st->readonly)
    rs = gn__st_exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                         " PRAGMA cache_size=-65536");
  return rs;
}

static gn_status open_checked(gn_store *st, const char *path, int flags,
                              int busy_ms) {
  int oflags = (flags & GN_STORE_READONLY) ? SQLITE_OPEN_READONLY
                                           : SQLITE_OPEN_READWRITE;
  if (flags & GN_STORE_CREATE) oflags |= SQLITE_OPEN_CREATE;
  if (!(flags & GN_STORE_CREATE) && access(path, F_OK) != 0)
    return gn__fail(st->ctx, GN_ENOTFOUND, "%s: no such store", path);
  int rc = sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) return gn__st_err(st, rc, path);
  sqlite3_busy_timeout(st->db, busy_ms > 0 ? busy_ms : 2000);
  int kind = 0;
  gn_status rs = classify(st, path, &kind);
  if (rs != GN_OK) return rs;
  if (kind < 0)
    return gn__fail(st->ctx, GN_EFORMAT,
                    "%s: not a govnet store (an SQLite file with other "
                    "tables)", path);
  if (kind == 0 && !(flags & GN_STORE_CREATE))
    return gn__fail(st->ctx, GN_EFORMAT, "%s: not a govnet store (empty)",
                    path);
  rs = configure(st, busy_ms);
  if (rs != GN_OK) return rs;
  int64_t uv = 0;
  int found;
  rs = gn__st_int(st, "PRAGMA user_version", 0, &uv, &found);
  if (rs != GN_OK) return rs;
  st->version = kind == 0 ? 0 : (int)(uv - GN__GPKG_UV_BASE);
  if (st->version > GN_STORE_SCHEMA_VERSION)
    return gn__fail(st->ctx, GN_EFORMAT,
                    "%s: store schema version %d is newer than this govnet "
                    "(%d)", path, st->version, GN_STORE_SCHEMA_VERSION);
  if (st->readonly && st->version < GN_STORE_SCHEMA_VERSION)
    return gn__fail(st->ctx, GN_EFORMAT,
                    "%s: store schema version %d is older than %d: open it"
                    " read-write once to migrate", path, st->version,
                    GN_STORE_SCHEMA_VERSION);
  if (st->readonly) return GN_OK;
  return gn__st_migrate(st);
}

gn_status gn_store_open(gn_ctx *ctx, const char *path, int flags, int busy_ms,
                        gn_store **out) {
  gn_ctx_clear(ctx);
  *out = NULL;
  gn_store *st = gn_malloc(ctx, sizeof(*st));
  if (!st) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  memset(st, 0, sizeof(*st));
  st->ctx = ctx;
  st->readonly = (flags & GN_STORE_READONLY) != 0;
  gn_status rs = open_checked(st, path, flags, busy_ms);
  if (rs != GN_OK) {
    gn_store_close(st);
    return rs;
  }
  *out = st;
  return GN_OK;
}

void gn_store_close(gn_store *st) {
  if (!st) return;
  for (size_t i = 0; i < st->ncache; i++) sqlite3_finalize(st->cache[i]);
  for (int i = 0; i < GN__EXT_COUNT; i++)
    if (st->ext[i] && st->ext_free[i]) st->ext_free[i](st->ctx, st->ext[i]);
  if (st->db) sqlite3_close_v2(st->db);
  gn_free(st->ctx, st);
}

gn_ctx *gn_store_ctx(const gn_store *st) { return st->ctx; }
int gn_store_schema_version(const gn_store *st) { return st->version; }
