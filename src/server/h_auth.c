/*
 * h_auth.c - Who may see and change what over HTTP: the authorization
 * point every /api/ request passes, and the sign-in, account and audit
 * handlers.
 *
 * Design: gn__auth_request runs once per request, on its first callback,
 * before any byte of body is read, against the worker's own store
 * connection (one indexed SELECT for a token or session; no write, so the
 * answer cache stays valid). Credentials: "Authorization: Bearer T"
 * (scheme case-insensitive; T the --token-file admin token, compared in
 * constant time, or a user's API token) or the gn_session cookie (HttpOnly,
 * SameSite=Strict, Secure under TLS); a cookie session must send its CSRF
 * token in X-CSRF-Token on every method but GET/HEAD. A bad bearer token
 * is 401 even on a public route (the caller meant to be someone); a stale
 * cookie falls back to public, so the open map keeps working. The role
 * check reads the permission table in route.c. Errors name the rule
 * broken but never whether a user or a row exists.
 * Threads: per request, on the worker's ctx and store.
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "govnet/govnet.h"
#include "server/srv.h"
#include "util/internal.h"

#define COOKIE "gn_session"

static int method_is_safe(const char *m) {
  return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

/* Constant-time equality over the longer of the two strings' lengths. */
static int secret_eq(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  unsigned char diff = (unsigned char)(n != m);
  for (size_t i = 0; i < n; i++) diff |= (unsigned char)(a[i] ^ (i < m ? b[i] : 0));
  return diff == 0;
}

/* The bearer token of an Authorization header into tok, or an error. */
gn_status gn__auth_bearer(gn_ctx *ctx, const char *h,
                          char tok[GN_AUTH_SECRET_MAX + 1]) {
  while (*h == ' ' || *h == '\t') h++;
  if (strncasecmp(h, "Bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t'))
    return gn__fail(ctx, GN_EAUTH, "Authorization: expected 'Bearer <token>'");
  h += 6;
  while (*h == ' ' || *h == '\t') h++;
  size_t n = strlen(h);
  while (n && (h[n - 1] == ' ' || h[n - 1] == '\t')) n--;
  if (n == 0) return gn__fail(ctx, GN_EAUTH, "Authorization: empty bearer token");
  if (n > GN_AUTH_SECRET_MAX)
    return gn__fail(ctx, GN_EINVAL, "Authorization: token longer than %d bytes",
                    GN_AUTH_SECRET_MAX);
  memcpy(tok, h, n);
  tok[n] = '\0';
  return GN_OK;
}

/* A token or session check through the worker's memo: a hit costs a
 * digest and two stat() calls instead of a query. */
static gn_status checked(gn__req *r, const char *secret, int session) {
  gn__worker *w = r->w;
  char dg[65];
  gn_auth_secret_digest(secret, dg);
  uint64_t h = 1469598103934665603ull;
  for (const char *c = dg; *c; c++) h = (h ^ (unsigned char)*c) * 1099511628211ull;
  gn__auth_memo *m = &w->auth[h % GN__AUTH_MEMO];
  gn__cache_sync(&w->cache); /* any commit since: forget */
  r->synced = 1;
  int64_t now = (int64_t)time(NULL);
  if (m->gen == w->cache.gen && m->session == session && strcmp(m->digest, dg) == 0 &&
      (m->who.expires == 0 || m->who.expires > now)) {
    r->who = m->who;
    return GN_OK;
  }
  gn_status s = session ? gn_auth_session_check(w->store, secret, &r->who)
                        : gn_auth_token_check(w->store, secret, &r->who);
  if (s == GN_OK) {
    m->gen = w->cache.gen;
    m->session = session;
    memcpy(m->digest, dg, sizeof(dg));
    m->who = r->who;
  }
  return s;
}

static gn_status principal_of(gn__req *r) {
  gn_ctx *ctx = r->w->ctx;
  const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                              MHD_HTTP_HEADER_AUTHORIZATION);
  memset(&r->who, 0, sizeof(r->who));
  if (h) {
    char tok[GN_AUTH_SECRET_MAX + 1];
    gn_status s = gn__auth_bearer(ctx, h, tok);
    if (s != GN_OK) return s;
    const char *admin = r->info->opts->token, *aaa = r->info->opts->aaa_token;
    if (aaa && secret_eq(aaa, tok)) { /* --aaa-token-file: FreeRADIUS */
      r->aaa = 1;
      snprintf(r->who.name, sizeof(r->who.name), "freeradius");
      return GN_OK;
    }
    if (admin && secret_eq(admin, tok)) { /* --token-file: the admin */
      r->who.role = GN_ROLE_ADMIN;
      snprintf(r->who.name, sizeof(r->who.name), "token-file");
      return GN_OK;
    }
    return checked(r, tok, 0);
  }
  const char *c = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE);
  if (c && strlen(c) <= GN_AUTH_SECRET_MAX &&
      checked(r, c, 1) == GN_OK) {
    r->session = c;
    return GN_OK;
  }
  memset(&r->who, 0, sizeof(r->who)); /* stale cookie: public */
  gn_ctx_clear(ctx);
  return GN_OK;
}

gn_status gn__auth_request(gn__req *r) {
  gn_ctx *ctx = r->w->ctx;
  gn_status s = principal_of(r);
  if (s != GN_OK) return s;
  const gn__perm *p = r->perm;
  unsigned bit = r->aaa ? GN__AAA_BIT : GN_ROLE_BIT(r->who.role);
  if (!p || !(p->roles & bit)) {
    if (r->aaa)
      return gn__fail(ctx, GN_EFORBIDDEN, "the FreeRADIUS token may only use"
                      " POST /api/hotspot/aaa");
    if (r->who.role == GN_ROLE_PUBLIC)
      return gn__fail(ctx, GN_EAUTH, "sign in or send 'Authorization: Bearer"
                                     " <token>' for this route");
    return gn__fail(ctx, GN_EFORBIDDEN, "role %s may not use %s %s",
                    gn_role_name(r->who.role), r->route->method, r->route->path);
  }
  if (r->who.session && !method_is_safe(r->method)) {
    const char *t = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                "X-CSRF-Token");
    if (!t || strlen(t) > GN_AUTH_SECRET_MAX || !gn_auth_csrf_ok(r->session, t))
      return gn__fail(ctx, GN_EFORBIDDEN,
                      "missing or wrong X-CSRF-Token for this session");
  }
  r->scope_org = p->scope ? gn_auth_scope_org(&r->who) : 0;
  return GN_OK;
}

void gn__auth_actor(gn__req *r, int done) {
  if (method_is_safe(r->method)) return; /* reads write no audit row */
  if (done) {
    gn_store_set_actor(r->w->store, NULL);
    return;
  }
  char via[320];
  snprintf(via, sizeof(via), "%s %.300s", r->method, r->url);
  gn_auth_set_actor(r->w->store, &r->who, NULL, via);
}

/* ---- helpers ---- */

/* A string member (NULL if absent); GN_EINVAL if present but not a
 * string, or with an unknown member when allowed is given. */
static gn_status member_str(gn_ctx *ctx, json_t *o, const char *key,
                            const char **out) {
  json_t *v = json_object_get(o, key);
  *out = NULL;
  if (!v || json_is_null(v)) return GN_OK;
  if (!json_is_string(v)) return gn__fail(ctx, GN_EINVAL, "%s: expected a string", key);
  *out = json_string_value(v);
  return GN_OK;
}

gn_status gn__json_body(gn_ctx *ctx, const char *body, size_t len,
                        const char *const *allowed, void **out) {
  json_error_t err;
  json_t *o = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &err);
  *out = NULL;
  if (!o)
    return gn__fail(ctx, GN_EINVAL, "body line %d column %d: %s", err.line,
                    err.column, err.text);
  if (!json_is_object(o)) {
    json_decref(o);
    return gn__fail(ctx, GN_EINVAL, "body: expected a JSON object");
  }
  const char *key;
  json_t *v;
  json_object_foreach(o, key, v) {
    int ok = 0;
    for (const char *const *a = allowed; *a; a++) ok |= strcmp(*a, key) == 0;
    if (!ok) {
      gn_status s = gn__fail(ctx, GN_EINVAL, "unknown member '%.64s'", key);
      json_decref(o);
      return s;
    }
  }
  *out = o;
  return GN_OK;
}

/* The request body through gn__json_body. */
static gn_status body_object(gn__req *r, const char *const *allowed, json_t **out) {
  void *o = NULL;
  gn_status s = gn__json_body(r->w->ctx, r->body, r->body_len, allowed, &o);
  *out = o;
  return s;
}

static gn_status path_int(gn__req *r, int64_t *id) {
  long v = 0;
  gn_status s = gn__parse_uint(r->w->ctx, "id", r->path_id, 1, 0x7fffffffL, &v);
  *id = v;
  return s;
}

static gn_status page(gn__req *r, size_t *limit, size_t *offset) {
  long lim = 100, off = 0;
  const char *v = gn__req_arg(r, "limit");
  gn_status s = GN_OK;
  if (v && (s = gn__parse_uint(r->w->ctx, "limit", v, 1, 1000, &lim)) != GN_OK) return s;
  v = gn__req_arg(r, "offset");
  if (v && (s = gn__parse_uint(r->w->ctx, "offset", v, 0, 1000000000L, &off)) != GN_OK)
    return s;
  *limit = (size_t)lim;
  *offset = (size_t)off;
  return GN_OK;
}

static json_t *who_json(const gn_principal *p) {
  return json_pack("{s:s?,s:s,s:s?}", "name", p->name[0] ? p->name : NULL, "role",
                   gn_role_name(p->role), "org", p->org[0] ? p->org : NULL);
}

/* ---- sign-in ---- */

static void client_addr(gn__req *r, char *buf, size_t cap) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  buf[0] = '\0';
  if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, buf,
              (socklen_t)cap);
}

static const char *cookie_text(gn__req *r, const char *value, int max_age) {
  char buf[256];
  snprintf(buf, sizeof(buf), COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict;"
           " Max-Age=%d%s", value, max_age, r->info->tls ? "; Secure" : "");
  return gn__arena_strndup(&r->arena, buf, strlen(buf));
}

gn_status gn__h_login(gn__req *r) {
  gn_ctx *ctx = r->w->ctx;
  json_t *o = NULL;
  static const char *const allowed[] = {"name", "password", NULL};
  const char *name = NULL, *pw = NULL;
  gn_status s = body_object(r, allowed, &o);
  if (s == GN_OK) s = member_str(ctx, o, "name", &name);
  if (s == GN_OK) s = member_str(ctx, o, "password", &pw);
  char client[64], sid[GN_AUTH_SECRET_BUF], csrf[GN_AUTH_SECRET_BUF];
  client_addr(r, client, sizeof(client));
  gn_principal p;
  if (s == GN_OK) s = gn_auth_login(r->w->store, name, pw, client, sid, csrf, &p);
  json_decref(o);
  if (s != GN_OK) return s;
  r->set_cookie = cookie_text(r, sid, GN_AUTH_SESSION_S);
  memset(sid, 0, sizeof(sid));
  if (!r->set_cookie) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  return gn__req_json_value(r, json_pack("{s:o,s:s}", "user", who_json(&p), "csrf", csrf));
}

gn_status gn__h_logout(gn__req *r) {
  gn_status s = GN_OK;
  if (r->session) s = gn_auth_logout(r->w->store, r->session);
  if (s != GN_OK) return s;
  r->set_cookie = cookie_text(r, "", 0);
  r->http = 204;
  return GN_OK;
}

gn_status gn__h_me(gn__req *r) {
  json_t *may = json_array();
  for (size_t i = 0; may && i < r->info->nroutes; i++) {
    const gn__perm *p = r->info->perms[i];
    if (p && (p->roles & GN_ROLE_BIT(r->who.role)))
      json_array_append_new(may, json_string(r->info->routes[i].op_id));
  }
  json_t *me = who_json(&r->who);
  if (me) {
    json_object_set_new(me, "session", json_boolean(r->who.session));
    json_object_set_new(me, "may", may);
    may = NULL;
    if (r->who.session) { /* readable by this origin only (no CORS) */
      char csrf[GN_AUTH_SECRET_BUF];
      gn_auth_csrf(r->session, csrf);
      json_object_set_new(me, "csrf", json_string(csrf));
    }
  }
  json_decref(may);
  return gn__req_json_value(r, me);
}

/* ---- users and organisations ---- */

gn_status gn__h_users(gn__req *r) {
  size_t limit = 0, offset = 0;
  gn_status s = page(r, &limit, &offset);
  char *json = NULL;
  if (s == GN_OK) s = gn_auth_users_json(r->w->store, r->scope_org, limit, offset, &json);
  return gn__req_lib_json(r, s, json, NULL, 0);
}

gn_status gn__h_user(gn__req *r) {
  int64_t id = 0;
  gn_status s = path_int(r, &id);
  char *json = NULL;
  if (s == GN_OK) s = gn_auth_user_json(r->w->store, r->scope_org, id, &json);
  return gn__req_lib_json(r, s, json, NULL, 0);
}

gn_status gn__h_user_create(gn__req *r) {
  gn_ctx *ctx = r->w->ctx;
  json_t *o = NULL;
  static const char *const allowed[] = {"name", "role", "org", "password", NULL};
  const char *name = NULL, *role = NULL, *org = NULL, *pw = NULL;
  gn_status s = body_object(r, allowed, &o);
  if (s == GN_OK) s = member_str(ctx, o, "name", &name);
  if (s == GN_OK) s = member_str(ctx, o, "role", &role);
  if (s == GN_OK) s = member_str(ctx, o, "org", &org);
  if (s == GN_OK) s = member_str(ctx, o, "password", &pw);
  gn_role rl = gn_role_parse(role);
  if (s == GN_OK && (rl == GN_ROLE_COUNT || rl == GN_ROLE_PUBLIC))
    s = gn__fail(ctx, GN_EINVAL, "role: admin, planner, noc, supervisor,"
                                 " subcontractor, operator or auditor");
  int64_t id = 0;
  if (s == GN_OK) s = gn_auth_user_add(r->w->store, name, rl, org, pw, &id);
  json_decref(o);
  char *json = NULL;
  if (s == GN_OK) s = gn_auth_user_json(r->w->store, 0, id, &json);
  if (s != GN_OK) return s;
  char loc[64];
  snprintf(loc, sizeof(loc), "/api/users/%lld", (long long)id);
  r->location = gn__arena_strndup(&r->arena, loc, strlen(loc));
  r->http = 201;
  return gn__req_lib_json(r, s, json, NULL, 0);
}

gn_status gn__h_user_update(gn__req *r) {
  gn_ctx *ctx = r->w->ctx;
  int64_t id = 0;
  json_t *o = NULL;
  static const char *const allowed[] = {"role", "org", "disabled", "password", NULL};
  gn_auth_user_patch p = {.disabled = -1};
  gn_status s = path_int(r, &id);
  if (s == GN_OK) s = body_object(r, allowed, &o);
  if (s == GN_OK) s = member_str(ctx, o, "role", &p.role);
  if (s == GN_OK) s = member_str(ctx, o, "org", &p.org);
  if (s == GN_OK) s = member_str(ctx, o, "password", &p.password);
  json_t *d = o ? json_object_get(o, "disabled") : NULL;
  if (s == GN_OK && d && !json_is_boolean(d))
    s = gn__fail(ctx, GN_EINVAL, "disabled: expected true or false");
  if (d) p.disabled = json_is_true(d);
  /* scoped like the reads: a user outside the caller's scope is absent */
  char *json = NULL;
  if (s == GN_OK) s = gn_auth_user_json(r->w->store, r->scope_org, id, &json);
  gn_free(ctx, json);
  json = NULL;
  if (s == GN_OK) s = gn_auth_user_update(r->w->store, &r->who, id, &p);
  json_decref(o);
  if (s == GN_OK) s = gn_auth_user_json(r->w->store, 0, id, &json);
  return gn__req_lib_json(r, s, json, NULL, 0);
}

gn_status gn__h_orgs(gn__req *r) {
  char *json = NULL;
  gn_status s = gn_auth_orgs_json(r->w->store, &json);
  return gn__req_lib_json(r, s, json, NULL, 0);
}

gn_status gn__h_org_create(gn__req *r) {
  gn_ctx *ctx = r->w->ctx;
  json_t *o = NULL;
  static const char *const allowed[] = {"name", "kind", NULL};
  const char *name = NULL, *kind = NULL;
  gn_status s = body_object(r, allowed, &o);
  if (s == GN_OK) s = member_str(ctx, o, "name", &name);
  if (s == GN_OK) s = member_str(ctx, o, "kind", &kind);
  gn_org_kind k = gn_org_kind_parse(kind);
  if (s == GN_OK && k == GN_ORG_KIND_COUNT)
    s = gn__fail(ctx, GN_EINVAL, "kind: government, subcontractor or operator");
  int64_t id = 0;
  if (s == GN_OK) s = gn_auth_org_add(r->w->store, name, k, &id);
  if (s == GN_OK) {
    r->http = 201;
    s = gn__req_json_value(r, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "name",
                                        name, "kind", gn_org_kind_name(k)));
  }
  json_decref(o);
  return s;
}

gn_status gn__h_audit(gn__req *r) {
  size_t limit = 0, offset = 0;
  gn_status s = page(r, &limit, &offset);
  char *json = NULL;
  if (s == GN_OK) s = gn_store_audit_json(r->w->store, limit, offset, &json);
  return gn__req_lib_json(r, s, json, NULL, 0);
}
