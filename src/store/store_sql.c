/*
 * store_sql.c - The store's SQL helpers: SQLite error translation,
 * prepared statements (a small per-connection cache) and transactions
 * (the audit row is in store_audit.c). Everything in store/ (and the
 * capabilities that keep their own tables) runs its SQL through these, so
 * there is one write path and one lock order. Not API: declared in store_int.h.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

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
  if (st->wlock && !st->wlocked) {
    st->wlock(st->wlock_ud, 1);
    st->wlocked = 1;
  }
  int rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc == SQLITE_OK) return GN_OK;
  gn_status s = gn__st_err(st, rc, "begin transaction");
  gn__st_unlock(st);
  return s;
}

void gn__st_unlock(gn_store *st) {
  if (!st->wlocked) return;
  st->wlocked = 0;
  st->wlock(st->wlock_ud, 0);
}

void gn_store_set_write_lock(gn_store *st, gn_store_lock_fn lock, void *ud) {
  gn__st_unlock(st);
  st->wlock = lock;
  st->wlock_ud = ud;
}

gn_status gn__st_commit(gn_store *st) {
  int rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
  if (rc == SQLITE_OK) {
    gn__st_unlock(st);
    return GN_OK;
  }
  gn_status s = gn__st_err(st, rc, "commit");
  gn__st_rollback(st);
  return s;
}

void gn__st_rollback(gn_store *st) {
  if (!sqlite3_get_autocommit(st->db))
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
  gn__st_unlock(st);
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

gn_status gn__st_has_table(gn_store *st, const char *name, int *has) {
  sqlite3_stmt *s = NULL;
  *has = 0;
  gn_status rs = gn__st_cached(
      st, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?1",
      &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) *has = sqlite3_column_int(s, 0) > 0;
  else rs = gn__st_err(st, rc, "schema");
  gn__st_release(st, s);
  return rs;
}

gn_status gn__st_stamp(gn_store *st, int64_t *stamp) {
  int64_t dv = 0;
  int found = 0;
  gn_status rs = gn__st_int(st, "PRAGMA data_version", 0, &dv, &found);
  *stamp = (dv << 32) ^ (int64_t)sqlite3_total_changes64(st->db);
  return rs;
}
