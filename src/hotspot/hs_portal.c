/*
 * hs_portal.c - The captive portal's login (openNDS FAS, level 1).
 *
 * Design: openNDS sends the client to the portal with hid = a digest of
 * the client's token; after a successful login the portal sends the client
 * back to http://gatewayaddress/authdir/?tok=T where T = sha256(hid +
 * faskey) in hex, which openNDS checks. The login is decided by exactly
 * the same code as a RADIUS Access-Request (gn_hotspot_aaa): the username
 * and password are turned into the environment rlm_exec would build, so
 * quotas, uses and messages cannot differ between the two doors. The FAS
 * key is kept in gn_meta ('hotspot.faskey').
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "hotspot/hs_int.h"

/* NAME="value" with FreeRADIUS escapes (the inverse of hs_env.c). */
static int env_entry(char *out, size_t n, const char *name, const char *v) {
  size_t k = (size_t)snprintf(out, n, "%s=\"", name);
  for (const unsigned char *p = (const unsigned char *)v; *p && k + 6 < n; p++) {
    if (*p == '"' || *p == '\\') {
      out[k++] = '\\';
      out[k++] = (char)*p;
    } else if (*p < 0x20 || *p == 0x7F) {
      k += (size_t)snprintf(out + k, n - k, "\\%03o", *p);
    } else {
      out[k++] = (char)*p;
    }
  }
  if (k + 2 > n) return 0;
  out[k++] = '"';
  out[k] = 0;
  return 1;
}

/* Value of `Name := ...` in a reply (quotes dropped) into out. */
static void reply_value(const char *reply, const char *name, char *out,
                        size_t n) {
  out[0] = 0;
  const char *p = strstr(reply, name);
  if (!p) return;
  p += strlen(name);
  if (strncmp(p, " := ", 4) != 0) return;
  p += 4;
  if (*p == '"') p++;
  size_t len = strcspn(p, "\"\n");
  snprintf(out, n, "%.*s", (int)len, p);
}

static gn_status fas_key(gn_store *st, char *key, size_t n) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(
      st, "SELECT value FROM gn_meta WHERE key='hotspot.faskey'", &s);
  if (rs != GN_OK) return rs;
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW)
    snprintf(key, n, "%s", gn__col_text(s, 0));
  else
    rs = gn__fail(st->ctx, GN_ECONFLICT, "no FAS key in the store: set one "
                  "with `govnet hotspot portal-key`");
  gn__st_release(st, s);
  return rs;
}

static int hid_ok(const char *hid) {
  size_t n = hid ? strlen(hid) : 0;
  return n >= 8 && n <= 128 &&
         strspn(hid, "0123456789abcdefABCDEF") == n;
}

static gn_status token(gn_store *st, const char *hid, char *tok) {
  char key[80], buf[256];
  gn_status rs = fas_key(st, key, sizeof(key));
  if (rs != GN_OK) return rs;
  unsigned char h[crypto_hash_sha256_BYTES];
  int n = snprintf(buf, sizeof(buf), "%s%s", hid, key);
  crypto_hash_sha256(h, (const unsigned char *)buf, (unsigned long long)n);
  sodium_bin2hex(tok, 65, h, sizeof(h));
  sodium_memzero(key, sizeof(key));
  return GN_OK;
}

gn_status gn_hotspot_portal_login(gn_store *st, const char *user,
                                  const char *password, const char *hid,
                                  int64_t now, gn_hotspot_portal_answer *ans) {
  gn_ctx_clear(st->ctx);
  memset(ans, 0, sizeof(*ans));
  ans->verdict = GN_HOTSPOT_FAIL;
  if (!hid_ok(hid))
    return gn__fail(st->ctx, GN_EINVAL, "hid: 8..128 hex digits from openNDS");
  char e1[1100], e2[1100], *reply = NULL;
  const char *env[] = {e1, e2, NULL};
  gn_hotspot_verdict vd = GN_HOTSPOT_REJECT;
  gn_status rs = GN_OK;
  if (!user || !password || strlen(user) > 253 || strlen(password) > 256 ||
      !env_entry(e1, sizeof(e1), "USER_NAME", user) ||
      !env_entry(e2, sizeof(e2), "USER_PASSWORD", password))
    snprintf(ans->message, sizeof(ans->message), "%s",
             "Identifiant ou mot de passe incorrect.");
  else
    rs = gn_hotspot_aaa(st, GN_HOTSPOT_AUTH, env, NULL, now, &vd, &reply);
  if (rs != GN_OK) return rs;
  if (reply && vd == GN_HOTSPOT_REJECT)
    reply_value(reply, "Reply-Message", ans->message, sizeof(ans->message));
  if (vd == GN_HOTSPOT_OK) {
    char v[32];
    reply_value(reply, "Session-Timeout", v, sizeof(v));
    sscanf(v, "%lld", (long long *)&ans->session_timeout_s);
    rs = token(st, hid, ans->tok);
  }
  gn_free(st->ctx, reply);
  if (rs == GN_OK) ans->verdict = vd;
  return rs;
}

gn_status gn_hotspot_portal_key(gn_store *st, const char *faskey,
                                const char *user) {
  gn_ctx_clear(st->ctx);
  size_t n = faskey ? strlen(faskey) : 0;
  /* openNDS: A-Z, a-z, 0-9, up to 16 characters */
  if (n < 8 || n > 16 ||
      strspn(faskey, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789") != n)
    return gn__fail(st->ctx, GN_EINVAL, "faskey: 8..16 letters and digits "
                    "(openNDS's rule)");
  gn_status rs = gn__hs_ensure(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  sqlite3_stmt *s = NULL;
  rs = gn__st_prep(st, "INSERT OR REPLACE INTO gn_meta VALUES"
                       "('hotspot.faskey',?1)", &s);
  if (rs == GN_OK) {
    sqlite3_bind_text(s, 1, faskey, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "faskey");
    sqlite3_finalize(s);
  }
  if (rs == GN_OK)
    rs = gn__st_audit(st, user, "hotspot.portal.key", "openNDS FAS key",
                      NULL, NULL);
  if (rs == GN_OK) return gn__st_commit(st);
  gn__st_rollback(st);
  return rs;
}
