/*
 * store_db.c - Opening a store, SQLite error translation, transactions
 * and the audit log.
 *
 * Design: one connection per gn_store; WAL journal, foreign keys on,
 * busy timeout, synchronous=FULL: the WAL is fsync'd at every commit, so
 * a commit that returned (an answered 201/200, a CLI edit that printed)
 * survives a power cut or OS crash too. GN_STORE_SYNC_NORMAL gives
 * synchronous=NORMAL (fsync only at checkpoints: atomic and durable
 * across a process crash, but the last commits may be lost on power
 * loss); docs/server.md "Durability" has the measured cost. The file is recognised by
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

gn_status gn__st_err(gn_store *st, int rc, const char *what) {
  int prim = rc & 0xff;
  gn_status s = GN_EDB;
  if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED) s = GN_EBUSY;
  if (prim == SQLITE_NOMEM) s = GN_ENOMEM;
  if (prim == SQLITE_NOTADB || prim == SQLITE_CORRUPT) s = GN_EFORMAT;
  if (prim == SQLITE_CANTOPEN || prim == SQLITE_IOERR || prim == SQLITE_FULL)
    s = GN_EIO;
  const char *msg = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
  if (s == GN_EBUSY)
    return gn__fail(st->ctx, s, "%s: database is locked by another process",
                    what);
  return gn__fail(st->ctx, s, "%s: %s", what, msg);
}

gn_status gn__st_exec(gn_store *st, const char *sql) {
  int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK ? GN_OK : gn__st_err(st, rc, "sql");
}

gn_status gn__st_prep(gn_store *st, const char *sql, sqlite3_stmt **out) {
  int rc = sqlite3_prepare_v2(st->db, sql, -1, out, NULL);
  return rc == SQLITE_OK ? GN_OK : gn__st_err(st, rc, "prepare");
}

gn_status gn__st_cached(gn_store *st, const char *sql, sqlite3_stmt **out) {
  for (size_t i = 0; i < st->ncache; i++) {
    if (strcmp(sqlite3_sql(st->cache[i]), sql) == 0) {
      *out = st->cache[i];
      return GN_OK;
    }
  }
  gn_status rs = gn__st_prep(st, sql, out);
  if (rs == GN_OK && st->ncache < GN__STMT_CACHE)
    st->cache[st->ncache++] = *out;
  return rs;
}

void gn__st_release(gn_store *st, sqlite3_stmt *s) {
  if (!s) return;
  for (size_t i = 0; i < st->ncache; i++) {
    if (st->cache[i] == s) {
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
      return;
    }
  }
  sqlite3_finalize(s);
}

gn_status gn__st_begin(gn_store *st) {
  if (st->readonly)
    return gn__fail(st->ctx, GN_EINVAL, "store opened read-only");
  int rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  return rc == SQLITE_OK ? GN_OK : gn__st_err(st, rc, "begin transaction");
}

gn_status gn__st_commit(gn_store *st) {
  int rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
  if (rc == SQLITE_OK) return GN_OK;
  gn_status s = gn__st_err(st, rc, "commit");
  gn__st_rollback(st);
  return s;
}

void gn__st_rollback(gn_store *st) {
  if (!sqlite3_get_autocommit(st->db))
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

gn_status gn__st_int(gn_store *st, const char *sql, int64_t p1, int64_t *out,
                     int *found) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(st, sql, &s);
  if (rs != GN_OK) return rs;
  if (sqlite3_bind_parameter_count(s) >= 1) sqlite3_bind_int64(s, 1, p1);
  int rc = sqlite3_step(s);
  *found = rc == SQLITE_ROW;
  *out = *found ? sqlite3_column_int64(s, 0) : 0;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) rs = gn__st_err(st, rc, "query");
  gn__st_release(st, s);
  return rs;
}

void gn__bind_id_end(sqlite3_stmt *s, int64_t id, char end) {
  char es[2] = {end, 0};
  sqlite3_bind_int64(s, 1, id);
  sqlite3_bind_text(s, 2, es, 1, SQLITE_TRANSIENT);
}

const char *gn__col_text(sqlite3_stmt *s, int i) {
  const unsigned char *t = sqlite3_column_text(s, i);
  return t ? (const char *)t : "";
}

gn_status gn__st_audit(gn_store *st, const char *user, const char *action,
                       const char *object, const char *before,
                       const char *after) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      st,
      "INSERT INTO audit(at,user,action,object,before,after) VALUES"
      "(strftime('%Y-%m-%dT%H:%M:%fZ','now'),?1,?2,?3,?4,?5)",
      &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, user && *user ? user : "unknown", -1,
                    SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 2, action, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, object, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 4, before, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 5, after, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "audit");
  sqlite3_finalize(s);
  return rs;
}

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

static gn_status configure(gn_store *st, int busy_ms, int flags) {
  sqlite3_busy_timeout(st->db, busy_ms > 0 ? busy_ms : 2000);
  gn_status rs = gn__st_exec(st, "PRAGMA foreign_keys=ON");
  if (rs == GN_OK && !st->readonly)
    rs = gn__st_exec(st, (flags & GN_STORE_SYNC_NORMAL)
                             ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                               " PRAGMA cache_size=-65536"
                             : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
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
  rs = configure(st, busy_ms, flags);
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
  if (st->db) sqlite3_close_v2(st->db);
  gn_free(st->ctx, st);
}

gn_ctx *gn_store_ctx(const gn_store *st) { return st->ctx; }
int gn_store_schema_version(const gn_store *st) { return st->version; }
