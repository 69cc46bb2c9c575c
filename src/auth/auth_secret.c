/*
 * auth_secret.c - API tokens, browser sessions, logins and CSRF tokens.
 *
 * Design: a token or session id is a prefix ("gnt_", "gns_") and 256
 * random bits in hex; only its BLAKE2b-256 is stored, so the database (or
 * a dump of it) never holds a usable secret. A check is one indexed
 * SELECT joined to the user (a disabled user fails every check at once);
 * checks never write, so the GET answer cache stays valid. The CSRF token
 * of a session is derived from the session secret (keyed BLAKE2b), sent
 * to the page once at login and compared in constant time. Logins verify
 * the Argon2id hash outside any transaction (it takes ~0.1 s), then record
 * the attempt; the throttle counts failures per name and per client over
 * the last GN_AUTH_LOCK_WINDOW_S seconds.
 */
#include <stdio.h>
#include <string.h>

#include "auth/auth_int.h"

#define SECRET_HEX 64

/* 1 if s is prefix + 64 lower-case hex digits. */
static int secret_shape_ok(const char *s, const char *prefix) {
  size_t n = strlen(prefix);
  if (!s || strncmp(s, prefix, n) != 0 || strlen(s) != n + SECRET_HEX) return 0;
  for (const char *p = s + n; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
  return 1;
}

#define PRINCIPAL_COLS                                                     \
  "SELECT u.id, u.name, u.role, coalesce(u.org,0), coalesce(o.name,'')"
#define PRINCIPAL_JOIN                                                     \
  " JOIN auth_users u ON u.id=t.user LEFT JOIN auth_orgs o ON o.id=u.org"

/* Step a principal query (?1 bound by the caller); GN_EAUTH if no row. */
static gn_status principal_row(gn_store *st, sqlite3_stmt *s, gn_principal *p,
                               const char *fail) {
  memset(p, 0, sizeof(*p));
  int rc = sqlite3_step(s);
  gn_status rs = GN_OK;
  if (rc == SQLITE_ROW) {
    p->user_id = sqlite3_column_int64(s, 0);
    snprintf(p->name, sizeof(p->name), "%s", gn__col_text(s, 1));
    p->role = gn_role_parse(gn__col_text(s, 2));
    if (p->role == GN_ROLE_COUNT) p->role = GN_ROLE_PUBLIC;
    p->org_id = sqlite3_column_int64(s, 3);
    snprintf(p->org, sizeof(p->org), "%s", gn__col_text(s, 4));
    if (sqlite3_column_count(s) > 5) p->expires = sqlite3_column_int64(s, 5);
  } else if (rc == SQLITE_DONE) {
    rs = gn__fail(st->ctx, GN_EAUTH, "%s", fail);
  } else {
    rs = gn__st_err(st, rc, "auth");
  }
  gn__st_release(st, s);
  return rs;
}

gn_status gn__auth_principal(gn_store *st, int64_t user, gn_principal *p) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(st, PRINCIPAL_COLS " FROM (SELECT ?1 AS user) t"
                                   PRINCIPAL_JOIN " WHERE u.disabled=0", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, user);
  return principal_row(st, s, p, "user disabled");
}

static const char bad_token[] = "invalid, expired or revoked token";
static const char bad_session[] = "not signed in (session expired or ended)";

/* Who holds secret (prefix checked, then its hash looked up with sql:
 * ?1 = hash, ?2 = now). */
static gn_status secret_check(gn_store *st, const char *secret,
                              const char *prefix, const char *sql,
                              const char *fail, gn_principal *p) {
  gn_ctx_clear(st->ctx);
  memset(p, 0, sizeof(*p));
  if (!secret_shape_ok(secret, prefix))
    return gn__fail(st->ctx, GN_EAUTH, "%s", fail);
  char h[65];
  gn__auth_secret_hash(secret, h);
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(st, sql, &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, h, SECRET_HEX, SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 2, gn__auth_now());
  return principal_row(st, s, p, fail);
}

gn_status gn_auth_token_check(gn_store *st, const char *token,
                              gn_principal *p) {
  return secret_check(st, token, "gnt_",
                      PRINCIPAL_COLS ", coalesce(t.expires,0) FROM auth_tokens t"
                      PRINCIPAL_JOIN
                      " WHERE t.hash=?1 AND t.revoked=0 AND (t.expires IS NULL"
                      " OR t.expires>?2) AND u.disabled=0",
                      bad_token, p);
}

gn_status gn_auth_session_check(gn_store *st, const char *session,
                                gn_principal *p) {
  gn_status rs = secret_check(st, session, "gns_",
                              PRINCIPAL_COLS ", t.expires FROM auth_sessions t"
                              PRINCIPAL_JOIN
                              " WHERE t.hash=?1 AND t.expires>?2 AND"
                              " u.disabled=0",
                              bad_session, p);
  p->session = rs == GN_OK;
  return rs;
}

gn_status gn_auth_token_create(gn_store *st, const char *name, int days,
                               char out[GN_AUTH_SECRET_BUF], int64_t *token_id) {
  gn_ctx_clear(st->ctx);
  out[0] = '\0';
  if (days < 0 || days > 3650)
    return gn__fail(st->ctx, GN_EINVAL, "--days: 0 (no expiry) to 3650");
  gn_status rs = gn__auth_init(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  int64_t user = 0;
  rs = gn_auth_user_find(st, name, &user);
  char secret[GN_AUTH_SECRET_BUF], h[65];
  gn__auth_secret_new("gnt_", secret);
  gn__auth_secret_hash(secret, h);
  sqlite3_stmt *s = NULL;
  if (rs == GN_OK)
    rs = gn__st_prep(st, "INSERT INTO auth_tokens(user,hash,created,expires)"
                         " VALUES(?1,?2,?3,?4)", &s);
  int64_t now = gn__auth_now(), id = 0;
  if (rs == GN_OK) {
    sqlite3_bind_int64(s, 1, user);
    sqlite3_bind_text(s, 2, h, SECRET_HEX, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 3, now);
    if (days) sqlite3_bind_int64(s, 4, now + (int64_t)days * 86400);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "token");
    id = sqlite3_last_insert_rowid(st->db);
  }
  sqlite3_finalize(s);
  if (rs == GN_OK) {
    char obj[48], after[96];
    snprintf(obj, sizeof(obj), "token %lld", (long long)id);
    snprintf(after, sizeof(after), "{\"user\":%lld,\"days\":%d}", (long long)user,
             days);
    rs = gn__st_audit(st, NULL, "token-create", obj, NULL, after);
  }
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) {
    gn__st_rollback(st);
  } else {
    memcpy(out, secret, GN_AUTH_SECRET_BUF);
    if (token_id) *token_id = id;
  }
  sodium_memzero(secret, sizeof(secret));
  return rs;
}

gn_status gn_auth_token_revoke(gn_store *st, int64_t token_id) {
  gn_ctx_clear(st->ctx);
  gn_status rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  int64_t user = 0;
  int found = 0;
  rs = gn__st_int(st, "SELECT user FROM auth_tokens WHERE id=?1 AND revoked=0",
                  token_id, &user, &found);
  if (rs == GN_OK && !found)
    rs = gn__fail(st->ctx, GN_ENOTFOUND, "no active token %lld",
                  (long long)token_id);
  sqlite3_stmt *s = NULL;
  if (rs == GN_OK)
    rs = gn__st_prep(st, "UPDATE auth_tokens SET revoked=1 WHERE id=?1", &s);
  if (rs == GN_OK) {
    sqlite3_bind_int64(s, 1, token_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "token");
  }
  sqlite3_finalize(s);
  if (rs == GN_OK) {
    char obj[48];
    snprintf(obj, sizeof(obj), "token %lld", (long long)token_id);
    rs = gn__st_audit(st, NULL, "token-revoke", obj, "{\"revoked\":false}",
                      "{\"revoked\":true}");
  }
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

gn_status gn_auth_tokens_json(gn_store *st, const char *name, char **json) {
  gn_ctx_clear(st->ctx);
  *json = NULL;
  int64_t user = 0;
  gn_status rs = gn_auth_user_find(st, name, &user);
  sqlite3_stmt *s = NULL;
  if (rs == GN_OK)
    rs = gn__st_prep(st, "SELECT id, created, expires, revoked FROM auth_tokens"
                         " WHERE user=?1 ORDER BY id", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, user);
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_puts(&b, "[");
  int rc, first = 1;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    gn__sb_printf(&b, "%s{\"id\":%lld,\"created\":%lld,\"expires\":", first ? "" : ",",
                  (long long)sqlite3_column_int64(s, 0),
                  (long long)sqlite3_column_int64(s, 1));
    first = 0;
    if (sqlite3_column_type(s, 2) == SQLITE_NULL) gn__sb_puts(&b, "null");
    else gn__sb_printf(&b, "%lld", (long long)sqlite3_column_int64(s, 2));
    gn__sb_printf(&b, ",\"revoked\":%s}", sqlite3_column_int(s, 3) ? "true" : "false");
  }
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "tokens");
  sqlite3_finalize(s);
  gn__sb_puts(&b, "]");
  if (rs == GN_OK) return gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}

/* ---- logins ---- */

static gn_status count_failures(gn_store *st, const char *col, const char *v,
                                int64_t *n) {
  char sql[160];
  snprintf(sql, sizeof(sql), "SELECT count(*) FROM auth_login_attempts WHERE"
           " %s=?1 AND at>?2 AND ok=0", col);
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(st, sql, &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, v, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 2, gn__auth_now() - GN_AUTH_LOCK_WINDOW_S);
  int rc = sqlite3_step(s);
  *n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  if (rc != SQLITE_ROW) rs = gn__st_err(st, rc, "login");
  gn__st_release(st, s);
  return rs;
}

/* The stored hash, id and disabled flag of name; the dummy hash (and id
 * 0) when there is no such user. */
static gn_status login_lookup(gn_store *st, const char *name, char *hash,
                              size_t cap, int64_t *id, int *disabled) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(
      st, "SELECT password, id, disabled FROM auth_users WHERE name=?1 UNION"
          " ALL SELECT value, 0, 1 FROM auth_meta WHERE key='dummy_hash'"
          " ORDER BY 2 DESC LIMIT 1", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    snprintf(hash, cap, "%s", gn__col_text(s, 0));
    *id = sqlite3_column_int64(s, 1);
    *disabled = sqlite3_column_int(s, 2);
  } else {
    rs = gn__st_err(st, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, "login");
  }
  gn__st_release(st, s);
  return rs;
}

/* Record the attempt; on success open the session. One transaction. */
static gn_status login_record(gn_store *st, const char *name,
                              const char *client, int64_t user,
                              const char *session) {
  gn_status rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  int64_t now = gn__auth_now();
  sqlite3_stmt *s = NULL;
  rs = gn__st_cached(st, "INSERT INTO auth_login_attempts VALUES(?1,?2,?3,?4)",
                     &s);
  if (rs == GN_OK) {
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, client, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 4, user > 0);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "login");
    gn__st_release(st, s);
  }
  if (rs == GN_OK)
    rs = gn__st_int(st, "DELETE FROM auth_login_attempts WHERE at<?1",
                    now - 86400, &(int64_t){0}, &(int){0});
  if (rs == GN_OK && user > 0) {
    char h[65];
    gn__auth_secret_hash(session, h);
    rs = gn__st_cached(st, "INSERT INTO auth_sessions(user,hash,created,expires)"
                           " VALUES(?1,?2,?3,?4)", &s);
    if (rs == GN_OK) {
      sqlite3_bind_int64(s, 1, user);
      sqlite3_bind_text(s, 2, h, SECRET_HEX, SQLITE_TRANSIENT);
      sqlite3_bind_int64(s, 3, now);
      sqlite3_bind_int64(s, 4, now + GN_AUTH_SESSION_S);
      int rc = sqlite3_step(s);
      if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "session");
      gn__st_release(st, s);
    }
    if (rs == GN_OK)
      rs = gn__st_int(st, "DELETE FROM auth_sessions WHERE expires<?1", now,
                      &(int64_t){0}, &(int){0});
  }
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

gn_status gn_auth_login(gn_store *st, const char *name, const char *password,
                        const char *client, char session[GN_AUTH_SECRET_BUF],
                        char csrf[GN_AUTH_SECRET_BUF], gn_principal *p) {
  gn_ctx_clear(st->ctx);
  session[0] = csrf[0] = '\0';
  memset(p, 0, sizeof(*p));
  if (!client) client = "";
  if (!name || !password || !*name || !*password)
    return gn__fail(st->ctx, GN_EINVAL, "name and password are required");
  if (strlen(name) > GN_AUTH_NAME_MAX || strlen(password) > GN_AUTH_PASSWORD_MAX)
    return gn__fail(st->ctx, GN_EINVAL, "name or password too long");
  gn_status rs = gn__auth_init(st);
  int64_t fails = 0, cfails = 0;
  if (rs == GN_OK) rs = count_failures(st, "name", name, &fails);
  if (rs == GN_OK && *client) rs = count_failures(st, "client", client, &cfails);
  if (rs != GN_OK) return rs;
  if (fails >= GN_AUTH_LOCK_FAILS || cfails >= GN_AUTH_CLIENT_FAILS)
    return gn__fail(st->ctx, GN_ETOOMANY,
                    "too many failed logins: try again in %d minutes",
                    GN_AUTH_LOCK_WINDOW_S / 60);
  char hash[crypto_pwhash_STRBYTES + 1];
  int64_t user = 0;
  int disabled = 1;
  if ((rs = login_lookup(st, name, hash, sizeof(hash), &user, &disabled)) != GN_OK)
    return rs;
  /* always one Argon2id verification: unknown, disabled and wrong cost
   * the same */
  int ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 &&
           !disabled && user > 0;
  char sid[GN_AUTH_SECRET_BUF];
  gn__auth_secret_new("gns_", sid);
  rs = login_record(st, name, client, ok ? user : 0, sid);
  if (rs == GN_OK && ok) rs = gn__auth_principal(st, user, p);
  if (rs == GN_OK && !ok)
    rs = gn__fail(st->ctx, GN_EAUTH, "wrong user name or password");
  if (rs == GN_OK) {
    p->session = 1;
    memcpy(session, sid, GN_AUTH_SECRET_BUF);
    gn_auth_csrf(sid, csrf);
  }
  sodium_memzero(sid, sizeof(sid));
  return rs;
}

gn_status gn_auth_logout(gn_store *st, const char *session) {
  gn_ctx_clear(st->ctx);
  if (!secret_shape_ok(session, "gns_")) return GN_OK;
  char h[65];
  gn__auth_secret_hash(session, h);
  gn_status rs = gn__st_begin(st);
  sqlite3_stmt *s = NULL;
  if (rs == GN_OK)
    rs = gn__st_cached(st, "DELETE FROM auth_sessions WHERE hash=?1", &s);
  if (rs == GN_OK) {
    sqlite3_bind_text(s, 1, h, SECRET_HEX, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "logout");
    gn__st_release(st, s);
  }
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

void gn_auth_secret_digest(const char *secret, char out[65]) {
  gn__auth_secret_hash(secret ? secret : "", out);
}

void gn_auth_csrf(const char *session, char csrf[GN_AUTH_SECRET_BUF]) {
  unsigned char key[32], d[32];
  csrf[0] = '\0';
  if (!secret_shape_ok(session, "gns_") ||
      sodium_hex2bin(key, sizeof(key), session + 4, SECRET_HEX, NULL, NULL,
                     NULL) != 0)
    return;
  static const char label[] = "govnet csrf v1";
  crypto_generichash(d, sizeof(d), (const unsigned char *)label,
                     sizeof(label) - 1, key, sizeof(key));
  memcpy(csrf, "gnc_", 4);
  sodium_bin2hex(csrf + 4, GN_AUTH_SECRET_BUF - 4, d, sizeof(d));
  sodium_memzero(key, sizeof(key));
}

int gn_auth_csrf_ok(const char *session, const char *csrf) {
  char want[GN_AUTH_SECRET_BUF];
  gn_auth_csrf(session, want);
  if (!want[0] || !csrf || strlen(csrf) != strlen(want)) return 0;
  return sodium_memcmp(want, csrf, strlen(want)) == 0;
}
