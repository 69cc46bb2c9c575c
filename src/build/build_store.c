/*
 * build_store.c - Stored work packages: save a cut, list, assign.
 *
 * Design: a cut is saved per phase, replacing that phase's packages in
 * one transaction, and only while none of them is assigned and none of
 * the phase's trenches has progress: after that the cut is frozen, so a
 * report never loses its package. Every change writes one audit row.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "build/build_int.h"

static gn_status count(gn_store *st, const char *sql, const char *arg,
                       int64_t *n) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(st, sql, &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(q, 1, arg, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(q);
  *n = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
  if (rc != SQLITE_ROW) rs = gn__st_err(st, rc, "packages");
  gn__st_release(st, q);
  return rs;
}

/* The phase's packages may be replaced: none assigned, no progress. */
static gn_status phase_free(gn_store *st, const char *phase) {
  int64_t assigned = 0, started = 0;
  gn_status rs = count(st,
                       "SELECT count(*) FROM build_packages WHERE phase=?1"
                       " AND org<>''",
                       phase, &assigned);
  if (rs == GN_OK)
    rs = count(st,
               "SELECT count(*) FROM build_segments s JOIN trenches t ON"
               " t.fid=s.trench WHERE COALESCE(t.phase,'')=?1",
               phase, &started);
  if (rs != GN_OK) return rs;
  if (assigned || started)
    return gn__fail(st->ctx, GN_ECONFLICT,
                    "phase '%s': %lld package(s) assigned and %lld trench(es)"
                    " with progress; its cut is frozen",
                    phase, (long long)assigned, (long long)started);
  return GN_OK;
}

static gn_status insert_package(gn_store *st, const gn_build_package *k) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(
      st,
      "INSERT INTO build_packages(id,phase,org,crew,km,cost_fcfa,created_at)"
      " VALUES(?1,?2,'','',?3,?4,strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
      &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(q, 1, k->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 2, k->phase, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double(q, 3, k->km);
  if (isfinite(k->cost_fcfa)) sqlite3_bind_double(q, 4, k->cost_fcfa);
  int rc = sqlite3_step(q);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, k->id);
  gn__st_release(st, q);
  for (size_t j = 0; rs == GN_OK && j < k->ntrenches; j++) {
    rs = gn__st_cached(st,
                       "INSERT INTO build_package_trenches(trench,package,seq)"
                       " VALUES(?1,?2,?3)",
                       &q);
    if (rs != GN_OK) break;
    sqlite3_bind_int64(q, 1, k->trenches[j]);
    sqlite3_bind_text(q, 2, k->id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 3, (int64_t)j);
    rc = sqlite3_step(q);
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "package trench");
    gn__st_release(st, q);
  }
  return rs;
}

static gn_status save_phases(gn_store *st, const gn_build_packages *p) {
  gn_status rs = GN_OK;
  for (size_t i = 0; rs == GN_OK && i < p->n; i++) {
    const char *ph = p->items[i].phase;
    if (i && strcmp(ph, p->items[i - 1].phase) == 0) continue;
    rs = phase_free(st, ph);
    sqlite3_stmt *q = NULL;
    if (rs == GN_OK)
      rs = gn__st_cached(st, "DELETE FROM build_packages WHERE phase=?1", &q);
    if (rs == GN_OK) {
      sqlite3_bind_text(q, 1, ph, -1, SQLITE_TRANSIENT);
      int rc = sqlite3_step(q);
      if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "replace packages");
      gn__st_release(st, q);
    }
  }
  for (size_t i = 0; rs == GN_OK && i < p->n; i++)
    rs = insert_package(st, &p->items[i]);
  return rs;
}

gn_status gn_build_save(gn_store *st, const gn_build_packages *p,
                        const char *user) {
  gn_ctx_clear(st->ctx);
  gn_status rs = gn__build_ready(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  rs = save_phases(st, p);
  char after[96];
  snprintf(after, sizeof(after), "{\"packages\":%zu}", p->n);
  if (rs == GN_OK)
    rs = gn__st_audit(st, user, "build.packages.save", "build_packages", NULL,
                      after);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

/* ---- list --------------------------------------------------------- */

static gn_status fill_trenches(gn_store *st, gn_build_package *k) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(st,
                               "SELECT trench FROM build_package_trenches"
                               " WHERE package=?1 ORDER BY seq",
                               &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(q, 1, k->id, -1, SQLITE_TRANSIENT);
  size_t cap = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (GN__GROW(st->ctx, k->trenches, cap, k->ntrenches + 1) != GN_OK) {
      rs = gn__fail(st->ctx, GN_ENOMEM, "package trenches");
      break;
    }
    k->trenches[k->ntrenches++] = sqlite3_column_int64(q, 0);
  }
  if (rs == GN_OK && rc != SQLITE_DONE) rs = gn__st_err(st, rc, "packages");
  gn__st_release(st, q);
  return rs;
}

static gn_status read_row(gn_ctx *ctx, sqlite3_stmt *q, gn_build_package *k) {
  memset(k, 0, sizeof(*k));
  k->id = gn__strdup(ctx, gn__col_text(q, 0));
  k->phase = gn__strdup(ctx, gn__col_text(q, 1));
  k->org = gn__strdup(ctx, gn__col_text(q, 2));
  k->crew = gn__strdup(ctx, gn__col_text(q, 3));
  k->km = sqlite3_column_double(q, 4);
  k->cost_fcfa = sqlite3_column_type(q, 5) == SQLITE_NULL
                     ? NAN
                     : sqlite3_column_double(q, 5);
  if (!k->id || !k->phase || !k->org || !k->crew)
    return gn__fail(ctx, GN_ENOMEM, "packages");
  return GN_OK;
}

gn_status gn_build_list(gn_store *st, const char *phase, const char *org,
                        gn_build_packages **out) {
  gn_ctx *ctx = st->ctx;
  gn_ctx_clear(ctx);
  *out = NULL;
  gn_status rs = gn__build_ready(st);
  if (rs != GN_OK) return rs;
  gn_build_packages *p = gn_malloc(ctx, sizeof(*p));
  if (!p) return gn__fail(ctx, GN_ENOMEM, "packages");
  memset(p, 0, sizeof(*p));
  sqlite3_stmt *q = NULL;
  rs = gn__st_prep(st,
                   "SELECT id, phase, org, crew, km, cost_fcfa FROM"
                   " build_packages WHERE (?1 IS NULL OR phase=?1) AND (?2"
                   " IS NULL OR org=?2) ORDER BY phase, id",
                   &q);
  if (rs == GN_OK && phase) sqlite3_bind_text(q, 1, phase, -1, SQLITE_TRANSIENT);
  if (rs == GN_OK && org) sqlite3_bind_text(q, 2, org, -1, SQLITE_TRANSIENT);
  size_t cap = 0;
  int rc = SQLITE_DONE;
  while (rs == GN_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (GN__GROW(ctx, p->items, cap, p->n + 1) != GN_OK) {
      rs = gn__fail(ctx, GN_ENOMEM, "packages");
      break;
    }
    p->n++;
    rs = read_row(ctx, q, &p->items[p->n - 1]);
  }
  if (rs == GN_OK && rc != SQLITE_DONE) rs = gn__st_err(st, rc, "packages");
  sqlite3_finalize(q);
  for (size_t i = 0; rs == GN_OK && i < p->n; i++)
    rs = fill_trenches(st, &p->items[i]);
  if (rs != GN_OK) {
    gn_build_packages_free(ctx, p);
    return rs;
  }
  *out = p;
  return GN_OK;
}

/* ---- assign ------------------------------------------------------- */

static gn_status package_org(gn_store *st, const char *package, char *org,
                             size_t n) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(st, "SELECT org FROM build_packages WHERE id=?1",
                               &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(q, 1, package, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW)
    snprintf(org, n, "%s", gn__col_text(q, 0));
  else if (rc == SQLITE_DONE)
    rs = gn__fail(st->ctx, GN_ENOTFOUND, "package %s not found", package);
  else
    rs = gn__st_err(st, rc, "package");
  gn__st_release(st, q);
  return rs;
}

static gn_status do_assign(gn_store *st, const char *package, const char *org,
                           const char *crew, const char *by_org,
                           const char *user) {
  char cur[256];
  gn_status rs = package_org(st, package, cur, sizeof(cur));
  if (rs != GN_OK) return rs;
  if (by_org && (strcmp(cur, by_org) != 0 || strcmp(org, by_org) != 0))
    return gn__fail(st->ctx, GN_EAUTH,
                    "package %s: organisation '%s' may only re-crew its own"
                    " packages",
                    package, by_org);
  sqlite3_stmt *q = NULL;
  rs = gn__st_cached(st,
                     "UPDATE build_packages SET org=?2, crew=?3 WHERE id=?1",
                     &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(q, 1, package, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 2, org, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 3, crew ? crew : "", -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(q);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "assign");
  gn__st_release(st, q);
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_puts(&b, "{\"org\":");
  gn__sb_jstr(&b, org);
  gn__sb_puts(&b, ",\"crew\":");
  gn__sb_jstr(&b, crew ? crew : "");
  gn__sb_puts(&b, "}");
  char *after = NULL;
  if (rs == GN_OK) rs = gn__sb_finish(&b, &after);
  gn__sb_cleanup(&b);
  if (rs == GN_OK)
    rs = gn__st_audit(st, user, "build.package.assign", package, NULL, after);
  gn_free(st->ctx, after);
  return rs;
}

gn_status gn_build_assign(gn_store *st, const char *package, const char *org,
                          const char *crew, const char *by_org,
                          const char *user) {
  gn_ctx_clear(st->ctx);
  if (!package || !org || !*org)
    return gn__fail(st->ctx, GN_EINVAL, "assign: package and org required");
  gn_status rs = gn__build_ready(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  rs = do_assign(st, package, org, crew, by_org, user);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}
