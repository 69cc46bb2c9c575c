/*
 * auth_users.c - Organisations and users: add, change, list.
 *
 * Design: each change is one store transaction with one audit row whose
 * before/after never holds a password hash. Tenant users (subcontractor,
 * operator) must belong to an organisation of the matching kind, since
 * their scope rule is "own organisation". Lists filtered by a scope
 * organisation count only what the caller may see, and a user outside it
 * is "not found" like a missing id, so ids and totals reveal nothing.
 */
#include <stdio.h>
#include <string.h>

#include "auth/auth_int.h"

/* Run a prepared write and map constraint failures to GN_ECONFLICT. */
static gn_status step_write(gn_store *st, sqlite3_stmt *s, const char *what) {
  int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) return GN_OK;
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    return gn__fail(st->ctx, GN_ECONFLICT, "%s already exists", what);
  return gn__st_err(st, rc, what);
}

/* Finish a write transaction: commit on success, roll back otherwise. */
static gn_status finish(gn_store *st, gn_status rs) {
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

gn_status gn_auth_org_add(gn_store *st, const char *name, gn_org_kind kind,
                          int64_t *id) {
  gn_ctx_clear(st->ctx);
  gn_status rs = gn__auth_name_ok(st, name, "organisation name");
  if (rs != GN_OK) return rs;
  if ((unsigned)kind >= GN_ORG_KIND_COUNT)
    return gn__fail(st->ctx, GN_EINVAL,
                    "organisation kind: government, subcontractor or operator");
  if ((rs = gn__st_begin(st)) != GN_OK) return rs;
  sqlite3_stmt *s = NULL;
  rs = gn__st_prep(st, "INSERT INTO auth_orgs(name,kind,created) VALUES(?1,?2,"
                       "strftime('%Y-%m-%dT%H:%M:%SZ','now'))", &s);
  if (rs == GN_OK) {
    sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, gn_org_kind_name(kind), -1, SQLITE_STATIC);
    char what[128];
    snprintf(what, sizeof(what), "organisation '%s'", name);
    rs = step_write(st, s, what);
  }
  sqlite3_finalize(s);
  int64_t nid = sqlite3_last_insert_rowid(st->db);
  if (rs == GN_OK) {
    gn__sb b;
    gn__sb_init(&b, st->ctx);
    gn__sb_puts(&b, "{\"name\":");
    gn__sb_jstr(&b, name);
    gn__sb_printf(&b, ",\"kind\":\"%s\"}", gn_org_kind_name(kind));
    char *after = NULL, obj[48];
    snprintf(obj, sizeof(obj), "org %lld", (long long)nid);
    rs = gn__sb_finish(&b, &after);
    if (rs == GN_OK) rs = gn__st_audit(st, NULL, "org-add", obj, NULL, after);
    gn_free(st->ctx, after);
  }
  rs = finish(st, rs);
  if (rs == GN_OK && id) *id = nid;
  return rs;
}

/* The id and kind of organisation name. */
static gn_status org_find(gn_store *st, const char *name, int64_t *id,
                          gn_org_kind *kind) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(st, "SELECT id, kind FROM auth_orgs WHERE name=?1",
                               &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    *id = sqlite3_column_int64(s, 0);
    *kind = gn_org_kind_parse(gn__col_text(s, 1));
  } else if (rc == SQLITE_DONE) {
    rs = gn__fail(st->ctx, GN_ENOTFOUND, "no organisation '%.64s'", name);
  } else {
    rs = gn__st_err(st, rc, "organisation");
  }
  gn__st_release(st, s);
  return rs;
}

/* A tenant role needs an organisation of its kind; org_id 0 = none. */
static gn_status role_org_ok(gn_store *st, gn_role role, int64_t org_id,
                             gn_org_kind kind) {
  if (role == GN_ROLE_SUBCONTRACTOR || role == GN_ROLE_OPERATOR) {
    gn_org_kind want = role == GN_ROLE_OPERATOR ? GN_ORG_OPERATOR
                                                : GN_ORG_SUBCONTRACTOR;
    if (org_id == 0 || kind != want)
      return gn__fail(st->ctx, GN_EINVAL,
                      "role %s needs --org of kind %s", gn_role_name(role),
                      gn_org_kind_name(want));
  }
  return GN_OK;
}

static gn_status resolve_role_org(gn_store *st, gn_role role, const char *org,
                                  int64_t *org_id) {
  gn_org_kind kind = GN_ORG_KIND_COUNT;
  *org_id = 0;
  if ((unsigned)role >= GN_ROLE_COUNT || role == GN_ROLE_PUBLIC)
    return gn__fail(st->ctx, GN_EINVAL,
                    "role: admin, planner, noc, supervisor, subcontractor,"
                    " operator or auditor");
  if (org && *org) {
    gn_status rs = org_find(st, org, org_id, &kind);
    if (rs != GN_OK) return rs;
  }
  return role_org_ok(st, role, *org_id, kind);
}

/* {"name","role","org","disabled"} of user id (never the password). */
static gn_status user_record(gn_store *st, int64_t id, char **json) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(
      st, "SELECT u.name, u.role, o.name, u.disabled FROM auth_users u LEFT"
          " JOIN auth_orgs o ON o.id=u.org WHERE u.id=?1", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, id);
  int rc = sqlite3_step(s);
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  if (rc == SQLITE_ROW) {
    gn__sb_puts(&b, "{\"name\":");
    gn__sb_jstr(&b, gn__col_text(s, 0));
    gn__sb_puts(&b, ",\"role\":");
    gn__sb_jstr(&b, gn__col_text(s, 1));
    gn__sb_puts(&b, ",\"org\":");
    gn__sb_jstr(&b, sqlite3_column_type(s, 2) == SQLITE_NULL ? NULL
                                                             : gn__col_text(s, 2));
    gn__sb_printf(&b, ",\"disabled\":%s}",
                  sqlite3_column_int(s, 3) ? "true" : "false");
  } else {
    rs = rc == SQLITE_DONE
             ? gn__fail(st->ctx, GN_ENOTFOUND, "no user %lld", (long long)id)
             : gn__st_err(st, rc, "user");
  }
  gn__st_release(st, s);
  if (rs == GN_OK) return gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}

static gn_status audit_user(gn_store *st, const char *action, int64_t id,
                            char *before) {
  char *after = NULL, obj[48];
  snprintf(obj, sizeof(obj), "user %lld", (long long)id);
  gn_status rs = user_record(st, id, &after);
  if (rs == GN_OK) rs = gn__st_audit(st, NULL, action, obj, before, after);
  gn_free(st->ctx, after);
  return rs;
}

gn_status gn_auth_user_add(gn_store *st, const char *name, gn_role role,
                           const char *org, const char *password, int64_t *id) {
  gn_ctx_clear(st->ctx);
  gn_status rs = gn__auth_name_ok(st, name, "user name");
  if (rs == GN_OK) rs = gn__auth_password_ok(st, password);
  if (rs == GN_OK) rs = gn__auth_init(st);
  if (rs != GN_OK) return rs;
  char hash[crypto_pwhash_STRBYTES];
  /* hash before the transaction: it takes ~0.1 s and the write lock is
   * held only for the insert */
  if ((rs = gn__auth_pwhash(st, password, hash)) != GN_OK) return rs;
  if ((rs = gn__st_begin(st)) != GN_OK) return rs;
  int64_t org_id = 0;
  rs = resolve_role_org(st, role, org, &org_id);
  sqlite3_stmt *s = NULL;
  if (rs == GN_OK)
    rs = gn__st_prep(st, "INSERT INTO auth_users(name,role,org,password,created)"
                         " VALUES(?1,?2,?3,?4,strftime('%Y-%m-%dT%H:%M:%SZ',"
                         "'now'))", &s);
  if (rs == GN_OK) {
    sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, gn_role_name(role), -1, SQLITE_STATIC);
    if (org_id) sqlite3_bind_int64(s, 3, org_id);
    sqlite3_bind_text(s, 4, hash, -1, SQLITE_TRANSIENT);
    char what[128];
    snprintf(what, sizeof(what), "user '%s'", name);
    rs = step_write(st, s, what);
  }
  sqlite3_finalize(s);
  int64_t nid = sqlite3_last_insert_rowid(st->db);
  if (rs == GN_OK) rs = audit_user(st, "user-add", nid, NULL);
  rs = finish(st, rs);
  sodium_memzero(hash, sizeof(hash));
  if (rs == GN_OK && id) *id = nid;
  return rs;
}

gn_status gn_auth_user_find(gn_store *st, const char *name, int64_t *id) {
  int64_t v = 0;
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(st, "SELECT id FROM auth_users WHERE name=?1", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, name ? name : "", -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
  else if (rc == SQLITE_DONE)
    rs = gn__fail(st->ctx, GN_ENOTFOUND, "no user '%.64s'", name ? name : "");
  else rs = gn__st_err(st, rc, "user");
  gn__st_release(st, s);
  *id = v;
  return rs;
}

/* Current role and org id of user id. */
static gn_status user_role_org(gn_store *st, int64_t id, gn_role *role,
                               int64_t *org) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(st, "SELECT role, coalesce(org,0) FROM"
                                   " auth_users WHERE id=?1", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, id);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    *role = gn_role_parse(gn__col_text(s, 0));
    *org = sqlite3_column_int64(s, 1);
  } else {
    rs = rc == SQLITE_DONE
             ? gn__fail(st->ctx, GN_ENOTFOUND, "no user %lld", (long long)id)
             : gn__st_err(st, rc, "user");
  }
  gn__st_release(st, s);
  return rs;
}

/* Validate a patch against the current row; fills the new role/org. */
static gn_status patch_check(gn_store *st, const gn_principal *by, int64_t id,
                             const gn_auth_user_patch *p, gn_role *role,
                             int64_t *org) {
  gn_status rs = user_role_org(st, id, role, org);
  if (rs != GN_OK) return rs;
  int self = by && by->user_id == id;
  gn_role nrole = p->role ? gn_role_parse(p->role) : *role;
  if (p->role && (nrole == GN_ROLE_COUNT || nrole == GN_ROLE_PUBLIC))
    return gn__fail(st->ctx, GN_EINVAL, "role: unknown role '%.32s'", p->role);
  int64_t norg = *org;
  gn_org_kind kind = GN_ORG_KIND_COUNT;
  if (p->org && *p->org && (rs = org_find(st, p->org, &norg, &kind)) != GN_OK)
    return rs;
  if (p->org && !*p->org) norg = 0;
  if (self && (nrole != *role || norg != *org))
    return gn__fail(st->ctx, GN_EFORBIDDEN,
                    "you cannot change your own role or organisation");
  if (self && p->disabled == 1)
    return gn__fail(st->ctx, GN_EFORBIDDEN, "you cannot disable yourself");
  if (norg != *org || nrole != *role) {
    if (norg && kind == GN_ORG_KIND_COUNT) {
      sqlite3_stmt *s = NULL;
      if ((rs = gn__st_cached(st, "SELECT kind FROM auth_orgs WHERE id=?1",
                              &s)) != GN_OK)
        return rs;
      sqlite3_bind_int64(s, 1, norg);
      if (sqlite3_step(s) == SQLITE_ROW)
        kind = gn_org_kind_parse(gn__col_text(s, 0));
      gn__st_release(st, s);
    }
    if ((rs = role_org_ok(st, nrole, norg, kind)) != GN_OK) return rs;
  }
  if (p->password && (rs = gn__auth_password_ok(st, p->password)) != GN_OK)
    return rs;
  *role = nrole;
  *org = norg;
  return GN_OK;
}

static gn_status exec_id(gn_store *st, const char *sql, int64_t id) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(st, sql, &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, id);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "user");
  gn__st_release(st, s);
  return rs;
}

static gn_status apply_patch(gn_store *st, int64_t id, gn_role role,
                             int64_t org, const gn_auth_user_patch *p,
                             const char *pwhash) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      st, "UPDATE auth_users SET role=?2, org=?3, disabled=CASE WHEN ?4<0"
          " THEN disabled ELSE ?4 END, password=coalesce(?5,password)"
          " WHERE id=?1", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, id);
  sqlite3_bind_text(s, 2, gn_role_name(role), -1, SQLITE_STATIC);
  if (org) sqlite3_bind_int64(s, 3, org);
  sqlite3_bind_int(s, 4, p->disabled < 0 ? -1 : !!p->disabled);
  if (pwhash) sqlite3_bind_text(s, 5, pwhash, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "user");
  sqlite3_finalize(s);
  /* a disabled user or a new password ends the open sessions */
  if (rs == GN_OK && (p->disabled == 1 || pwhash))
    rs = exec_id(st, "DELETE FROM auth_sessions WHERE user=?1", id);
  return rs;
}

gn_status gn_auth_user_update(gn_store *st, const gn_principal *by, int64_t id,
                              const gn_auth_user_patch *p) {
  gn_ctx_clear(st->ctx);
  gn_status rs = gn__auth_init(st);
  if (rs != GN_OK) return rs;
  char hash[crypto_pwhash_STRBYTES];
  if (p->password) {
    if ((rs = gn__auth_password_ok(st, p->password)) != GN_OK) return rs;
    if ((rs = gn__auth_pwhash(st, p->password, hash)) != GN_OK) return rs;
  }
  if ((rs = gn__st_begin(st)) != GN_OK) return rs;
  gn_role role = GN_ROLE_COUNT;
  int64_t org = 0;
  char *before = NULL;
  rs = patch_check(st, by, id, p, &role, &org);
  if (rs == GN_OK) rs = user_record(st, id, &before);
  if (rs == GN_OK) rs = apply_patch(st, id, role, org, p, p->password ? hash : NULL);
  if (rs == GN_OK)
    rs = audit_user(st, p->password ? "user-password" : "user-update", id, before);
  gn_free(st->ctx, before);
  sodium_memzero(hash, sizeof(hash));
  return finish(st, rs);
}

/* Append one user object of row s (id, name, role, org, org_id, disabled,
 * created). */
static void user_json(gn__sb *b, sqlite3_stmt *s) {
  gn__sb_printf(b, "{\"id\":%lld,\"name\":", (long long)sqlite3_column_int64(s, 0));
  gn__sb_jstr(b, gn__col_text(s, 1));
  gn__sb_puts(b, ",\"role\":");
  gn__sb_jstr(b, gn__col_text(s, 2));
  gn__sb_puts(b, ",\"org\":");
  int has_org = sqlite3_column_type(s, 3) != SQLITE_NULL;
  gn__sb_jstr(b, has_org ? gn__col_text(s, 3) : NULL);
  if (has_org) gn__sb_printf(b, ",\"org_id\":%lld", (long long)sqlite3_column_int64(s, 4));
  else gn__sb_puts(b, ",\"org_id\":null");
  gn__sb_printf(b, ",\"disabled\":%s,\"created\":",
                sqlite3_column_int(s, 5) ? "true" : "false");
  gn__sb_jstr(b, gn__col_text(s, 6));
  gn__sb_puts(b, "}");
}

#define USER_COLS                                                          \
  "SELECT u.id, u.name, u.role, o.name, u.org, u.disabled, u.created FROM" \
  " auth_users u LEFT JOIN auth_orgs o ON o.id=u.org"
/* ?1 = scope org: 0 all, > 0 that org, < 0 nothing */
#define SCOPE_WHERE " WHERE (?1=0 OR u.org=?1)"

gn_status gn_auth_users_json(gn_store *st, int64_t scope_org, size_t limit,
                             size_t offset, char **json) {
  gn_ctx_clear(st->ctx);
  *json = NULL;
  int64_t total = 0;
  int found = 0;
  gn_status rs = gn__st_int(st, "SELECT count(*) FROM auth_users u" SCOPE_WHERE,
                            scope_org, &total, &found);
  sqlite3_stmt *s = NULL;
  if (rs == GN_OK)
    rs = gn__st_cached(st, USER_COLS SCOPE_WHERE
                       " ORDER BY u.name LIMIT ?2 OFFSET ?3", &s);
  if (rs != GN_OK) return rs;
  if (!limit) limit = 100;
  sqlite3_bind_int64(s, 1, scope_org);
  sqlite3_bind_int64(s, 2, (int64_t)limit);
  sqlite3_bind_int64(s, 3, (int64_t)offset);
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_puts(&b, "{\"users\":[");
  int rc, first = 1;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    gn__sb_puts(&b, first ? "" : ",");
    first = 0;
    user_json(&b, s);
  }
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "users");
  gn__st_release(st, s);
  gn__sb_printf(&b, "],\"total\":%lld,\"limit\":%zu,\"offset\":%zu}",
                (long long)total, limit, offset);
  if (rs == GN_OK) return gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}

gn_status gn_auth_user_json(gn_store *st, int64_t scope_org, int64_t id,
                            char **json) {
  gn_ctx_clear(st->ctx);
  *json = NULL;
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_cached(st, USER_COLS SCOPE_WHERE " AND u.id=?2", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, scope_org);
  sqlite3_bind_int64(s, 2, id);
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) user_json(&b, s);
  else if (rc == SQLITE_DONE)
    rs = gn__fail(st->ctx, GN_ENOTFOUND, "no user %lld", (long long)id);
  else rs = gn__st_err(st, rc, "user");
  gn__st_release(st, s);
  if (rs == GN_OK) return gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}

gn_status gn_auth_orgs_json(gn_store *st, char **json) {
  gn_ctx_clear(st->ctx);
  *json = NULL;
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      st, "SELECT o.id, o.name, o.kind, (SELECT count(*) FROM auth_users u"
          " WHERE u.org=o.id) FROM auth_orgs o ORDER BY o.name", &s);
  if (rs != GN_OK) return rs;
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_puts(&b, "[");
  int rc, first = 1;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    gn__sb_printf(&b, "%s{\"id\":%lld,\"name\":", first ? "" : ",",
                  (long long)sqlite3_column_int64(s, 0));
    first = 0;
    gn__sb_jstr(&b, gn__col_text(s, 1));
    gn__sb_puts(&b, ",\"kind\":");
    gn__sb_jstr(&b, gn__col_text(s, 2));
    gn__sb_printf(&b, ",\"users\":%lld}", (long long)sqlite3_column_int64(s, 3));
  }
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "organisations");
  sqlite3_finalize(s);
  gn__sb_puts(&b, "]");
  if (rs == GN_OK) return gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}
