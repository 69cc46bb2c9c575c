/*
 * auth_schema.c - The auth tables and their migrations, and the small
 * helpers every auth file uses (names, secrets, hashing).
 *
 * Design: the module's schema is versioned in the store's
 * gn_module_migrations (module "auth"); auth_meta keeps the dummy Argon2id
 * hash that an unknown user name is verified against, so an unknown name
 * costs the same as a wrong password. Roles are checked by the table's
 * CHECK constraint as well as in C.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/auth_int.h"

static const char auth_v1[] =
    "CREATE TABLE auth_orgs(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL CHECK(kind IN"
    " ('government','subcontractor','operator')), created TEXT NOT NULL);"
    "CREATE TABLE auth_users(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " name TEXT NOT NULL UNIQUE, role TEXT NOT NULL CHECK(role IN ('admin',"
    "'planner','noc','supervisor','subcontractor','operator','auditor',"
    "'public')), org INTEGER REFERENCES auth_orgs(id), password TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL);"
    "CREATE INDEX auth_users_org ON auth_users(org);"
    "CREATE TABLE auth_tokens(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " user INTEGER NOT NULL REFERENCES auth_users(id), hash TEXT NOT NULL"
    " UNIQUE, created INTEGER NOT NULL, expires INTEGER, revoked INTEGER NOT"
    " NULL DEFAULT 0);"
    "CREATE TABLE auth_sessions(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " user INTEGER NOT NULL REFERENCES auth_users(id), hash TEXT NOT NULL"
    " UNIQUE, created INTEGER NOT NULL, expires INTEGER NOT NULL);"
    "CREATE TABLE auth_login_attempts(at INTEGER NOT NULL, name TEXT NOT"
    " NULL, client TEXT NOT NULL, ok INTEGER NOT NULL);"
    "CREATE INDEX auth_attempts_name ON auth_login_attempts(name, at);"
    "CREATE INDEX auth_attempts_client ON auth_login_attempts(client, at);"
    "CREATE TABLE auth_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);";

gn_status gn__auth_init(gn_store *st) {
  if (sodium_init() < 0)
    return gn__fail(st->ctx, GN_EINTERNAL, "libsodium failed to start");
  return GN_OK;
}

int64_t gn__auth_now(void) { return (int64_t)time(NULL); }

gn_status gn__auth_pwhash(gn_store *st, const char *pw, char *out) {
  if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return gn__fail(st->ctx, GN_ENOMEM, "password hashing: out of memory");
  return GN_OK;
}

/* The dummy hash an unknown user name is verified against. */
static gn_status dummy_hash(gn_store *st) {
  gn_status rs = GN_OK;
  char pw[GN_AUTH_SECRET_BUF], hash[crypto_pwhash_STRBYTES];
  gn__auth_secret_new("dummy_", pw);
  rs = gn__auth_pwhash(st, pw, hash);
  sodium_memzero(pw, sizeof(pw));
  sqlite3_stmt *s = NULL;
  if (rs == GN_OK)
    rs = gn__st_prep(st, "INSERT INTO auth_meta VALUES('dummy_hash',?1)", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, hash, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "auth");
  sqlite3_finalize(s);
  return rs;
}

static const gn__st_migration migrations[] = {
    {"organisations, users, tokens, sessions, logins", auth_v1, dummy_hash}};

gn_status gn_auth_migrate(gn_store *st) {
  gn_ctx_clear(st->ctx);
  gn_status rs = gn__auth_init(st);
  if (rs != GN_OK) return rs;
  return gn__st_module_migrate(st, "auth", migrations,
                               sizeof(migrations) / sizeof(migrations[0]));
}

void gn__auth_secret_hash(const char *secret, char out[65]) {
  unsigned char d[32];
  crypto_generichash(d, sizeof(d), (const unsigned char *)secret,
                     strlen(secret), NULL, 0);
  sodium_bin2hex(out, 65, d, sizeof(d));
}

void gn__auth_secret_new(const char *prefix, char out[GN_AUTH_SECRET_BUF]) {
  unsigned char r[32];
  randombytes_buf(r, sizeof(r));
  size_t n = strlen(prefix);
  memcpy(out, prefix, n);
  sodium_bin2hex(out + n, GN_AUTH_SECRET_BUF - n, r, sizeof(r));
  sodium_memzero(r, sizeof(r));
}

gn_status gn__auth_name_ok(gn_store *st, const char *name, const char *what) {
  size_t n = name ? strlen(name) : 0;
  if (n == 0 || n > GN_AUTH_NAME_MAX)
    return gn__fail(st->ctx, GN_EINVAL, "%s: 1 to %d bytes", what,
                    GN_AUTH_NAME_MAX);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c < 0x20 || c == 0x7f)
      return gn__fail(st->ctx, GN_EINVAL, "%s: control character", what);
  }
  if (name[0] == ' ' || name[n - 1] == ' ')
    return gn__fail(st->ctx, GN_EINVAL, "%s: leading or trailing space", what);
  return GN_OK;
}

gn_status gn__auth_password_ok(gn_store *st, const char *pw) {
  size_t n = pw ? strlen(pw) : 0;
  if (n < GN_AUTH_PASSWORD_MIN || n > GN_AUTH_PASSWORD_MAX)
    return gn__fail(st->ctx, GN_EINVAL, "password: %d to %d bytes",
                    GN_AUTH_PASSWORD_MIN, GN_AUTH_PASSWORD_MAX);
  return GN_OK;
}

static const char *const role_names[GN_ROLE_COUNT] = {
    "public", "admin", "planner", "noc", "supervisor", "subcontractor",
    "operator", "auditor"};

const char *gn_role_name(gn_role r) {
  return (unsigned)r < GN_ROLE_COUNT ? role_names[r] : "?";
}

gn_role gn_role_parse(const char *name) {
  for (int i = 0; name && i < GN_ROLE_COUNT; i++)
    if (strcmp(name, role_names[i]) == 0) return (gn_role)i;
  return GN_ROLE_COUNT;
}

static const char *const kind_names[GN_ORG_KIND_COUNT] = {
    "government", "subcontractor", "operator"};

const char *gn_org_kind_name(gn_org_kind k) {
  return (unsigned)k < GN_ORG_KIND_COUNT ? kind_names[k] : "?";
}

gn_org_kind gn_org_kind_parse(const char *name) {
  for (int i = 0; name && i < GN_ORG_KIND_COUNT; i++)
    if (strcmp(name, kind_names[i]) == 0) return (gn_org_kind)i;
  return GN_ORG_KIND_COUNT;
}

int64_t gn_auth_scope_org(const gn_principal *p) {
  if (p->role != GN_ROLE_OPERATOR && p->role != GN_ROLE_SUBCONTRACTOR)
    return 0;
  return p->org_id > 0 ? p->org_id : -1;
}

void gn_auth_set_actor(gn_store *st, const gn_principal *p,
                       const char *cli_user, const char *via) {
  gn_store_actor a = {0};
  a.via = via;
  if (p) {
    a.user_id = p->user_id;
    a.user = p->name;
    a.role = gn_role_name(p->role);
    a.org = p->org[0] ? p->org : NULL;
  } else {
    a.user = cli_user;
  }
  gn_store_set_actor(st, &a);
}
