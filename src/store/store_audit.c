/*
 * store_audit.c - The audit log: who changed what, as a hash chain.
 *
 * Design: every accepted change writes one row inside its transaction
 * (gn__st_audit): time, actor (user id and name, role, organisation, the
 * route or command it came through), action, object, before/after JSON.
 * The row's hash is BLAKE2b-256 over the previous row's hash and the
 * row's fields, each length-prefixed so no two field lists encode alike;
 * the first row chains from 64 zeros. Editing, deleting or reordering a
 * row breaks the chain at that row, and gn_store_check names it. The
 * chain is tamper-evident, not tamper-proof: someone who can write the
 * file can rewrite every later hash; keep a copy of the newest hash
 * elsewhere (`govnet db audit --limit 1`) to catch that too.
 * Why libsodium here: its generichash is the hash the auth module uses
 * for tokens; one well-kept implementation instead of our own SHA-256.
 * Threads: one gn_store per thread, as everywhere in the store.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

#define HASH_HEX 65
static const char genesis[HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void copy_field(char *dst, size_t cap, const char *src) {
  size_t n = src ? strlen(src) : 0;
  if (n >= cap) n = cap - 1;
  if (n) memcpy(dst, src, n);
  dst[n] = '\0';
}

void gn_store_set_actor(gn_store *st, const gn_store_actor *a) {
  gn__st_actor *x = &st->actor;
  memset(x, 0, sizeof(*x));
  if (!a) return;
  x->set = 1;
  x->user_id = a->user_id;
  copy_field(x->user, sizeof(x->user), a->user);
  copy_field(x->role, sizeof(x->role), a->role);
  copy_field(x->org, sizeof(x->org), a->org);
  copy_field(x->via, sizeof(x->via), a->via);
}

/* The columns hashed, in this order, after the previous hash. */
#define AUDIT_COLS                                                         \
  "fid, at, user_id, user, role, org, via, action, object, before, after"
enum { NCOLS = 11 };

static void hash_update_col(crypto_generichash_state *h, sqlite3_stmt *s,
                            int i) {
  /* type tag + length + bytes: NULL, "" and 0 all hash differently */
  unsigned char tag = (unsigned char)sqlite3_column_type(s, i);
  const unsigned char *p = sqlite3_column_text(s, i);
  unsigned long long n = p ? (unsigned long long)sqlite3_column_bytes(s, i) : 0;
  unsigned char len[8];
  for (int k = 0; k < 8; k++) len[k] = (unsigned char)(n >> (8 * k));
  crypto_generichash_update(h, &tag, 1);
  crypto_generichash_update(h, len, 8);
  if (n) crypto_generichash_update(h, p, n);
}

/* Hash of the row in s (columns AUDIT_COLS from 0) chained to prev. */
static void row_hash(sqlite3_stmt *s, const char *prev, char out[HASH_HEX]) {
  crypto_generichash_state h;
  unsigned char d[32];
  crypto_generichash_init(&h, NULL, 0, sizeof(d));
  crypto_generichash_update(&h, (const unsigned char *)prev, HASH_HEX - 1);
  for (int i = 0; i < NCOLS; i++) hash_update_col(&h, s, i);
  crypto_generichash_final(&h, d, sizeof(d));
  sodium_bin2hex(out, HASH_HEX, d, sizeof(d));
}

/* The newest sealed hash (genesis if none). */
static gn_status last_hash(gn_store *st, char out[HASH_HEX]) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(
      st, "SELECT hash FROM audit WHERE hash IS NOT NULL ORDER BY fid DESC"
          " LIMIT 1", &s);
  if (rs != GN_OK) return rs;
  int rc = sqlite3_step(s);
  memcpy(out, genesis, HASH_HEX);
  if (rc == SQLITE_ROW) copy_field(out, HASH_HEX, gn__col_text(s, 0));
  else if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "audit chain");
  gn__st_release(st, s);
  return rs;
}

/* Seal row fid: compute its hash after prev and store both. */
static gn_status seal(gn_store *st, int64_t fid, char prev[HASH_HEX]) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(
      st, "SELECT " AUDIT_COLS " FROM audit WHERE fid=?1", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, fid);
  char h[HASH_HEX];
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) row_hash(s, prev, h);
  else rs = gn__st_err(st, rc == SQLITE_DONE ? SQLITE_INTERNAL : rc, "audit seal");
  gn__st_release(st, s);
  if (rs != GN_OK) return rs;
  rs = gn__st_cached(st, "UPDATE audit SET prev_hash=?2, hash=?3 WHERE fid=?1",
                     &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, fid);
  sqlite3_bind_text(s, 2, prev, HASH_HEX - 1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 3, h, HASH_HEX - 1, SQLITE_TRANSIENT);
  rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "audit seal");
  gn__st_release(st, s);
  memcpy(prev, h, HASH_HEX);
  return rs;
}

static void bind_opt(sqlite3_stmt *s, int i, const char *v) {
  if (v && *v) sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_null(s, i);
}

gn_status gn__st_audit(gn_store *st, const char *user, const char *action,
                       const char *object, const char *before,
                       const char *after) {
  if (sodium_init() < 0)
    return gn__fail(st->ctx, GN_EINTERNAL, "libsodium failed to start");
  const gn__st_actor *a = &st->actor;
  if (a->set && a->user[0]) user = a->user;
  char prev[HASH_HEX];
  gn_status rs = last_hash(st, prev);
  sqlite3_stmt *s = NULL;
  if (rs == GN_OK)
    rs = gn__st_cached(
        st,
        "INSERT INTO audit(at,user,action,object,before,after,user_id,role,"
        "org,via) VALUES(strftime('%Y-%m-%dT%H:%M:%fZ','now'),?1,?2,?3,?4,"
        "?5,?6,?7,?8,?9)", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, user && *user ? user : "unknown", -1,
                    SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 2, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 3, object, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 4, before, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 5, after, -1, SQLITE_TRANSIENT);
  if (a->set && a->user_id > 0) sqlite3_bind_int64(s, 6, a->user_id);
  else sqlite3_bind_null(s, 6);
  bind_opt(s, 7, a->set ? a->role : NULL);
  bind_opt(s, 8, a->set ? a->org : NULL);
  bind_opt(s, 9, a->set ? a->via : NULL);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "audit");
  gn__st_release(st, s);
  if (rs != GN_OK) return rs;
  return seal(st, sqlite3_last_insert_rowid(st->db), prev);
}

gn_status gn__st_audit_seal_all(gn_store *st) {
  if (sodium_init() < 0)
    return gn__fail(st->ctx, GN_EINTERNAL, "libsodium failed to start");
  char prev[HASH_HEX];
  gn_status rs = last_hash(st, prev);
  int64_t fid = 0;
  int found = 1;
  while (rs == GN_OK) {
    rs = gn__st_int(st, "SELECT min(fid) FROM audit WHERE hash IS NULL AND"
                        " fid > ?1", fid, &fid, &found);
    if (rs != GN_OK || fid == 0) break;
    rs = seal(st, fid, prev);
  }
  return rs;
}

gn_status gn__st_audit_verify(gn_store *st, gn_store_problem_fn cb, void *ud,
                              size_t *nproblems) {
  if (sodium_init() < 0)
    return gn__fail(st->ctx, GN_EINTERNAL, "libsodium failed to start");
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      st, "SELECT " AUDIT_COLS ", prev_hash, hash FROM audit ORDER BY fid", &s);
  if (rs != GN_OK) return rs;
  char prev[HASH_HEX], h[HASH_HEX], msg[256];
  memcpy(prev, genesis, HASH_HEX);
  int rc;
  msg[0] = '\0';
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    long long fid = sqlite3_column_int64(s, 0);
    const char *stored_prev = gn__col_text(s, NCOLS);
    const char *stored = gn__col_text(s, NCOLS + 1);
    row_hash(s, prev, h);
    if (strcmp(stored_prev, prev) != 0)
      snprintf(msg, sizeof(msg),
               "audit row %lld: previous-hash link broken (a row before it "
               "was deleted, inserted or edited)", fid);
    else if (strcmp(stored, h) != 0)
      snprintf(msg, sizeof(msg),
               "audit row %lld: hash does not match its content (the row "
               "was edited)", fid);
    if (msg[0]) break;
    memcpy(prev, h, HASH_HEX);
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return gn__st_err(st, rc, "check");
  if (msg[0]) {
    if (cb) cb(ud, msg);
    if (nproblems) (*nproblems)++;
  }
  return GN_OK;
}
