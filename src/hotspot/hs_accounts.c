/*
 * hs_accounts.c - Groups, students, vouchers and NAS records.
 *
 * Each change is one store transaction with one audit row (the password
 * hash and voucher codes never reach the audit log). The group "default"
 * is created with the defaults the first time a user or voucher needs it,
 * so a fresh store can take vouchers without any set-up.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hotspot/hs_int.h"

void gn_hotspot_group_defaults(gn_hotspot_group *g) {
  memset(g, 0, sizeof(*g));
  g->name = "default";
  g->session_timeout_s = 4 * 3600;
  g->interim_s = 300;
  g->simultaneous = 1;
}

static gn_status check_group(gn_ctx *ctx, const gn_hotspot_group *g) {
  if (!gn__hs_name_ok(g->name, 64))
    return gn__fail(ctx, GN_EINVAL, "group name: 1..64 printable characters,"
                    " no spaces");
  const int64_t f[] = {g->down_kbps, g->up_kbps, g->day_minutes, g->day_mb,
                       g->month_mb};
  for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
    if (f[i] < 0 || f[i] > 100000000)
      return gn__fail(ctx, GN_EINVAL, "group %s: quotas and rates must be"
                      " 0..100000000", g->name);
  if (g->session_timeout_s < 60 || g->session_timeout_s > 31 * 86400)
    return gn__fail(ctx, GN_EINVAL, "group %s: session timeout must be 60 s"
                    "..31 days", g->name);
  if (g->interim_s < 60 || g->interim_s > 86400)
    return gn__fail(ctx, GN_EINVAL, "group %s: interim interval must be 60"
                    "..86400 s", g->name);
  if (g->simultaneous < 0 || g->simultaneous > 1000)
    return gn__fail(ctx, GN_EINVAL, "group %s: simultaneous use must be"
                    " 0..1000", g->name);
  return GN_OK;
}

static gn_status write_group(gn_store *st, const gn_hotspot_group *g) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      st,
      "INSERT INTO hs_groups(name,session_timeout_s,interim_s,down_kbps,"
      "up_kbps,day_minutes,day_mb,month_mb,simultaneous) VALUES"
      "(?1,?2,?3,?4,?5,?6,?7,?8,?9) ON CONFLICT(name) DO UPDATE SET"
      " session_timeout_s=?2,interim_s=?3,down_kbps=?4,up_kbps=?5,"
      "day_minutes=?6,day_mb=?7,month_mb=?8,simultaneous=?9",
      &s);
  if (rs != GN_OK) return rs;
  const int64_t v[] = {g->session_timeout_s, g->interim_s, g->down_kbps,
                       g->up_kbps, g->day_minutes, g->day_mb, g->month_mb,
                       g->simultaneous};
  sqlite3_bind_text(s, 1, g->name, -1, SQLITE_STATIC);
  for (int i = 0; i < 8; i++) sqlite3_bind_int64(s, i + 2, v[i]);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "hotspot group");
  sqlite3_finalize(s);
  return rs;
}

/* Run body inside one transaction with an audit row. */
static gn_status in_tx(gn_store *st, gn_status rs, const char *user,
                       const char *action, const char *object) {
  if (rs == GN_OK) rs = gn__st_audit(st, user, action, object, NULL, NULL);
  if (rs == GN_OK) return gn__st_commit(st);
  gn__st_rollback(st);
  return rs;
}

gn_status gn_hotspot_group_put(gn_store *st, const gn_hotspot_group *g,
                               const char *user) {
  gn_ctx_clear(st->ctx);
  gn_status rs = check_group(st->ctx, g);
  if (rs == GN_OK) rs = gn__hs_ensure(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  char obj[96];
  snprintf(obj, sizeof(obj), "hotspot group %s", g->name);
  return in_tx(st, write_group(st, g), user, "hotspot.group.put", obj);
}

/* Id of group name (NULL = "default"); a missing group is created with
 * the defaults, so `user add --group G` works on a fresh store. */
static gn_status group_id(gn_store *st, const char *name, int64_t *id) {
  sqlite3_stmt *s = NULL;
  const char *n = name ? name : "default";
  gn_status rs = gn__st_cached(st, "SELECT id FROM hs_groups WHERE name=?1",
                               &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, n, -1, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  int found = rc == SQLITE_ROW;
  if (found) *id = sqlite3_column_int64(s, 0);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) rs = gn__st_err(st, rc, "group");
  gn__st_release(st, s);
  if (rs != GN_OK || found) return rs;
  if (!gn__hs_name_ok(n, 64))
    return gn__fail(st->ctx, GN_EINVAL, "group name: 1..64 printable"
                    " characters, no spaces");
  gn_hotspot_group g;
  gn_hotspot_group_defaults(&g);
  g.name = n;
  rs = write_group(st, &g);
  *id = sqlite3_last_insert_rowid(st->db);
  return rs;
}

static gn_status insert_user(gn_store *st, const gn_hotspot_user *u,
                             const char *hash, int64_t grp) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      st,
      "INSERT INTO hs_users(name,kind,secret,grp,quota_mb,valid_from,"
      "valid_to,created) VALUES(?1,'user',?2,?3,?4,?5,?6,?7)",
      &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, u->name, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 3, grp);
  sqlite3_bind_int64(s, 4, u->quota_mb);
  sqlite3_bind_int64(s, 5, u->valid_from);
  sqlite3_bind_int64(s, 6, u->valid_to);
  sqlite3_bind_int64(s, 7, (int64_t)time(NULL));
  int rc = sqlite3_step(s);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    rs = gn__fail(st->ctx, GN_ECONFLICT, "hotspot user '%s' already exists",
                  u->name);
  else if (rc != SQLITE_DONE)
    rs = gn__st_err(st, rc, "hotspot user");
  sqlite3_finalize(s);
  return rs;
}

gn_status gn_hotspot_user_add(gn_store *st, const gn_hotspot_user *u,
                              const char *password, const char *user) {
  gn_ctx_clear(st->ctx);
  size_t pn = password ? strlen(password) : 0;
  char norm[GN__HS_CODE_LEN + 1];
  if (!gn__hs_name_ok(u->name, 64))
    return gn__fail(st->ctx, GN_EINVAL, "user name: 1..64 printable "
                    "characters, no spaces");
  if (gn__hs_code_norm(u->name, strlen(u->name), norm))
    return gn__fail(st->ctx, GN_EINVAL, "user name '%s' has the form of a "
                    "voucher code; choose another", u->name);
  if (pn < 8 || pn > 256)
    return gn__fail(st->ctx, GN_EINVAL, "password: 8..256 bytes");
  if (u->quota_mb < 0 || u->quota_mb > 100000000 || u->valid_from < 0 ||
      u->valid_to < 0 || (u->valid_to && u->valid_to <= u->valid_from))
    return gn__fail(st->ctx, GN_EINVAL, "user %s: bad quota or validity",
                    u->name);
  char hash[128];
  gn_status rs = gn__hs_pw_hash(st->ctx, password, pn, hash);
  if (rs == GN_OK) rs = gn__hs_ensure(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  int64_t grp = 0;
  rs = group_id(st, u->group, &grp);
  if (rs == GN_OK) rs = insert_user(st, u, hash, grp);
  char obj[96];
  snprintf(obj, sizeof(obj), "hotspot user %s", u->name);
  return in_tx(st, rs, user, "hotspot.user.add", obj);
}

gn_status gn__hs_voucher_key(gn_store *st, char *key) {
  gn__hs_conn *c = gn__hs_conn_of(st);
  if (c && c->voucher_key[0]) { /* drawn once per store: never changes */
    memcpy(key, c->voucher_key, 65);
    return GN_OK;
  }
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(
      st, "SELECT value FROM gn_meta WHERE key='hotspot.voucher_key'", &s);
  if (rs != GN_OK) return rs;
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW && sqlite3_column_bytes(s, 0) == 64)
    memcpy(key, sqlite3_column_text(s, 0), 65);
  else
    rs = gn__fail(st->ctx, GN_EFORMAT, "hotspot voucher key missing");
  gn__st_release(st, s);
  if (rs == GN_OK && c) memcpy(c->voucher_key, key, 65);
  return rs;
}

static gn_status insert_voucher(gn_store *st, const char *digest, int64_t grp,
                                int64_t minutes, int64_t uses,
                                int64_t expires) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(
      st,
      "INSERT INTO hs_users(kind,secret,grp,valid_to,minutes,uses_max,"
      "created) VALUES('voucher',?1,?2,?3,?4,?5,?6)",
      &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, digest, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 2, grp);
  sqlite3_bind_int64(s, 3, expires);
  sqlite3_bind_int64(s, 4, minutes);
  sqlite3_bind_int64(s, 5, uses);
  sqlite3_bind_int64(s, 6, (int64_t)time(NULL));
  int rc = sqlite3_step(s);
  /* a digest collision means the CSPRNG repeated a 59-bit code */
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "voucher");
  gn__st_release(st, s);
  return rs;
}

static gn_status make_vouchers(gn_store *st, size_t count, int64_t minutes,
                               int64_t uses, int64_t expires, int64_t grp,
                               char *codes) {
  char key[65], digest[65];
  gn_status rs = gn__hs_voucher_key(st, key);
  for (size_t i = 0; rs == GN_OK && i < count; i++) {
    char *code = codes + i * (GN__HS_CODE_LEN + 1);
    rs = gn__hs_code_new(code);
    if (rs == GN_OK) rs = gn__hs_code_digest(st->ctx, key, code, digest);
    if (rs == GN_OK)
      rs = insert_voucher(st, digest, grp, minutes, uses, expires);
  }
  return rs;
}

gn_status gn_hotspot_vouchers_create(gn_store *st, size_t count,
                                     int64_t minutes, int64_t uses,
                                     int64_t expires, const char *group,
                                     const char *user, char **codes) {
  gn_ctx_clear(st->ctx);
  *codes = NULL;
  if (count < 1 || count > 10000)
    return gn__fail(st->ctx, GN_EINVAL, "voucher count must be 1..10000");
  if (minutes < 1 || minutes > 366 * 1440)
    return gn__fail(st->ctx, GN_EINVAL, "voucher minutes must be 1..527040");
  if (uses < 0 || uses > 100000)
    return gn__fail(st->ctx, GN_EINVAL, "voucher uses must be 0..100000");
  if (expires <= 0)
    return gn__fail(st->ctx, GN_EINVAL, "voucher expiry must be set");
  char *buf = gn_malloc(st->ctx, count * (GN__HS_CODE_LEN + 1));
  if (!buf) return gn__fail(st->ctx, GN_ENOMEM, "out of memory");
  gn_status rs = gn__hs_ensure(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) {
    gn_free(st->ctx, buf);
    return rs;
  }
  int64_t grp = 0;
  rs = group_id(st, group, &grp);
  if (rs == GN_OK)
    rs = make_vouchers(st, count, minutes, uses, expires, grp, buf);
  char obj[96];
  snprintf(obj, sizeof(obj), "%zu hotspot vouchers", count);
  rs = in_tx(st, rs, user, "hotspot.vouchers.create", obj);
  if (rs != GN_OK) {
    memset(buf, 0, count * (GN__HS_CODE_LEN + 1));
    gn_free(st->ctx, buf);
    return rs;
  }
  *codes = buf;
  return GN_OK;
}

static int secret_ok(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n < 8 || n > 128) return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] <= ' ' || s[i] > '~' || s[i] == '"' || s[i] == '\\' ||
        s[i] == '$' || s[i] == '%' || s[i] == '\'')
      return 0;
  return 1;
}

static int ip_ok(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n < 2 || n > 45) return 0;
  for (size_t i = 0; i < n; i++)
    if (!strchr("0123456789abcdefABCDEF.:", s[i])) return 0;
  return 1;
}

static gn_status check_nas(gn_ctx *ctx, const gn_hotspot_nas *nas) {
  size_t n = nas->name ? strlen(nas->name) : 0;
  if (n == 0 || n > 64 || strspn(nas->name, "abcdefghijklmnopqrstuvwxyz"
                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != n)
    return gn__fail(ctx, GN_EINVAL, "NAS name: 1..64 of [A-Za-z0-9_.-]");
  if (!ip_ok(nas->ip))
    return gn__fail(ctx, GN_EINVAL, "NAS %s: ip must be an IPv4/IPv6 literal",
                    nas->name);
  if (!secret_ok(nas->secret))
    return gn__fail(ctx, GN_EINVAL, "NAS %s: secret must be 8..128 printable"
                    " ASCII characters without quotes, \\, $ or %%", nas->name);
  if (nas->coa_port < 0 || nas->coa_port > 65535)
    return gn__fail(ctx, GN_EINVAL, "NAS %s: bad CoA port", nas->name);
  return GN_OK;
}

gn_status gn_hotspot_nas_put(gn_store *st, const gn_hotspot_nas *nas,
                             const char *user) {
  gn_ctx_clear(st->ctx);
  gn_status rs = check_nas(st->ctx, nas);
  if (rs == GN_OK) rs = gn__hs_ensure(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  sqlite3_stmt *s = NULL;
  rs = gn__st_prep(st,
                   "INSERT INTO hs_nas(name,ip,secret,coa_port) VALUES(?1,?2,"
                   "?3,?4) ON CONFLICT(name) DO UPDATE SET ip=?2,secret=?3,"
                   "coa_port=?4",
                   &s);
  if (rs == GN_OK) {
    sqlite3_bind_text(s, 1, nas->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, nas->ip, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, nas->secret, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, nas->coa_port ? nas->coa_port : 3799);
    int rc = sqlite3_step(s);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
      rs = gn__fail(st->ctx, GN_ECONFLICT, "NAS ip %s is already registered",
                    nas->ip);
    else if (rc != SQLITE_DONE)
      rs = gn__st_err(st, rc, "NAS");
    sqlite3_finalize(s);
  }
  char obj[96];
  snprintf(obj, sizeof(obj), "hotspot NAS %s", nas->name);
  return in_tx(st, rs, user, "hotspot.nas.put", obj);
}
