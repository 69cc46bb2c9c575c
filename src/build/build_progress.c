/*
 * build_progress.c - Field reports: validation, step order, idempotent
 * replay, segment states, and the status view.
 *
 * Design: one report is one transaction: look up the client id (a replay
 * returns the first outcome and writes nothing), check the trench, its
 * package's organisation and the step order, insert the report, update
 * the segment's state, write the audit row. Reports of an earlier step
 * than the segment's state are accepted (phones sync late, out of order)
 * and only add metres; the state never goes back.
 * Invariant: build_segments.state == the highest step of the trench's
 * accepted reports (blocked reports excluded).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "build/build_int.h"

#define MAX_PHOTOS 16
#define MAX_GPS 1000
#define MAX_NOTE 4096
#define MAX_TEXT 256

static const char *const step_names[] = {
    "planned", "surveyed", "dug",    "ducted",  "pulled",
    "spliced", "tested",   "accepted", "blocked"};

const char *gn_build_step_name(gn_build_step s) {
  return (unsigned)s <= GN_STEP_BLOCKED ? step_names[s] : "unknown";
}

int gn_build_step_parse(const char *name) {
  if (!name) return -1;
  if (strcmp(name, "cable_pulled") == 0 || strcmp(name, "cable pulled") == 0)
    return GN_STEP_PULLED;
  for (int i = GN_STEP_SURVEYED; i <= GN_STEP_BLOCKED; i++)
    if (strcmp(name, step_names[i]) == 0) return i;
  return -1;
}

/* ---- validation ------------------------------------------------- */

static int id_ok(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n < 8 || n > 64) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
          c == ':'))
      return 0;
  }
  return 1;
}

static int text_ok(const char *s, size_t max) {
  return s && *s && strlen(s) <= max;
}

static int reason_ok(const char *s) {
  static const char *const ok[] = {"permit", "obstacle", "flooding", "other"};
  for (size_t i = 0; s && i < 4; i++)
    if (strcmp(s, ok[i]) == 0) return 1;
  return 0;
}

static gn_status check_lists(gn_ctx *ctx, const gn_build_report *r) {
  if (r->nphotos > MAX_PHOTOS)
    return gn__fail(ctx, GN_ELIMIT, "photos: %zu, at most %d", r->nphotos,
                    MAX_PHOTOS);
  for (size_t i = 0; i < r->nphotos; i++)
    if (!text_ok(r->photos[i], MAX_TEXT))
      return gn__fail(ctx, GN_EINVAL, "photos[%zu]: empty or too long", i);
  if (r->ngps > MAX_GPS)
    return gn__fail(ctx, GN_ELIMIT, "gps: %zu points, at most %d", r->ngps,
                    MAX_GPS);
  for (size_t i = 0; i < r->ngps; i++) {
    double lon = r->gps[2 * i], lat = r->gps[2 * i + 1];
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
      return gn__fail(ctx, GN_EINVAL, "gps[%zu]: (%g, %g) is not lon/lat", i,
                      lon, lat);
  }
  if (r->note && strlen(r->note) > MAX_NOTE)
    return gn__fail(ctx, GN_ELIMIT, "note: over %d bytes", MAX_NOTE);
  return GN_OK;
}

static gn_status check_report(gn_ctx *ctx, const gn_build_report *r) {
  if (!id_ok(r->client_id))
    return gn__fail(ctx, GN_EINVAL,
                    "client_id: 8..64 characters of A-Z a-z 0-9 - _ . :");
  if (r->step < GN_STEP_SURVEYED || r->step > GN_STEP_BLOCKED)
    return gn__fail(ctx, GN_EINVAL, "step: unknown (%d)", (int)r->step);
  if (!text_ok(r->who, MAX_TEXT))
    return gn__fail(ctx, GN_EINVAL, "who: required (at most %d bytes)",
                    MAX_TEXT);
  if (r->org && !text_ok(r->org, MAX_TEXT))
    return gn__fail(ctx, GN_EINVAL, "org: empty or too long");
  if (!(r->metres >= 0 && r->metres <= 100000))
    return gn__fail(ctx, GN_EINVAL, "metres: %g outside 0..100000", r->metres);
  if (r->step == GN_STEP_BLOCKED && !reason_ok(r->block_reason))
    return gn__fail(ctx, GN_EINVAL,
                    "block_reason: permit, obstacle, flooding or other");
  if (r->override_reason && strlen(r->override_reason) > MAX_NOTE)
    return gn__fail(ctx, GN_ELIMIT, "override_reason: over %d bytes",
                    MAX_NOTE);
  return check_lists(ctx, r);
}

/* ---- lookups ---------------------------------------------------- */

typedef struct seg {
  int state;
  int blocked;
  int in_package;
  char org[MAX_TEXT + 1];
} seg;

static gn_status replayed(gn_store *st, const gn_build_report *r,
                          gn_build_outcome *out, int *dup) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(
      st,
      "SELECT r.fid, r.trench, r.step, COALESCE(s.state,0), s.blocked IS NOT"
      " NULL FROM build_reports r LEFT JOIN build_segments s ON"
      " s.trench=r.trench WHERE r.client_id=?1",
      &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(q, 1, r->client_id, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(q);
  *dup = rc == SQLITE_ROW;
  if (*dup) {
    if (sqlite3_column_int64(q, 1) != r->trench ||
        strcmp(gn__col_text(q, 2), gn_build_step_name(r->step)) != 0)
      rs = gn__fail(st->ctx, GN_ECONFLICT,
                    "client_id %s was already used for another report",
                    r->client_id);
    out->report = sqlite3_column_int64(q, 0);
    out->duplicate = 1;
    out->state = (gn_build_step)sqlite3_column_int(q, 3);
    out->blocked = sqlite3_column_int(q, 4);
  } else if (rc != SQLITE_DONE) {
    rs = gn__st_err(st, rc, "report lookup");
  }
  gn__st_release(st, q);
  return rs;
}

static gn_status segment(gn_store *st, int64_t trench, seg *sg) {
  sqlite3_stmt *q = NULL;
  memset(sg, 0, sizeof(*sg));
  gn_status rs = gn__st_cached(
      st,
      "SELECT COALESCE(s.state,0), s.blocked IS NOT NULL, p.id IS NOT NULL,"
      " COALESCE(p.org,'') FROM trenches t LEFT JOIN build_segments s ON"
      " s.trench=t.fid LEFT JOIN build_package_trenches pt ON pt.trench=t.fid"
      " LEFT JOIN build_packages p ON p.id=pt.package WHERE t.fid=?1",
      &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(q, 1, trench);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    sg->state = sqlite3_column_int(q, 0);
    sg->blocked = sqlite3_column_int(q, 1);
    sg->in_package = sqlite3_column_int(q, 2);
    snprintf(sg->org, sizeof(sg->org), "%s", gn__col_text(q, 3));
  } else if (rc == SQLITE_DONE) {
    rs = gn__fail(st->ctx, GN_ENOTFOUND, "trench %lld not found",
                  (long long)trench);
  } else {
    rs = gn__st_err(st, rc, "trench");
  }
  gn__st_release(st, q);
  return rs;
}

/* An organisation reports only on trenches of its own packages. */
static gn_status check_scope(gn_store *st, const gn_build_report *r,
                             const seg *sg) {
  if (r->org && (!sg->in_package || strcmp(sg->org, r->org) != 0))
    return gn__fail(st->ctx, GN_EAUTH,
                    "trench %lld is not in a package of organisation '%s'",
                    (long long)r->trench, r->org);
  return GN_OK;
}

static gn_status check_order(gn_store *st, const gn_build_report *r,
                             const seg *sg) {
  if (r->step == GN_STEP_BLOCKED || (int)r->step <= sg->state + 1)
    return GN_OK;
  if (r->supervisor && r->override_reason && *r->override_reason)
    return GN_OK;
  return gn__fail(st->ctx, GN_ECONFLICT,
                  "trench %lld is at '%s': '%s' must come before '%s'%s",
                  (long long)r->trench, gn_build_step_name(sg->state),
                  gn_build_step_name(sg->state + 1),
                  gn_build_step_name(r->step),
                  r->supervisor ? " (an override needs a reason)"
                                : " (a supervisor may override with a reason)");
}

/* ---- writing ---------------------------------------------------- */

static void json_lists(gn__sb *b, const gn_build_report *r, int gps) {
  gn__sb_puts(b, "[");
  size_t n = gps ? r->ngps : r->nphotos;
  for (size_t i = 0; i < n; i++) {
    if (i) gn__sb_puts(b, ",");
    if (gps)
      gn__sb_printf(b, "[%.7f,%.7f]", r->gps[2 * i], r->gps[2 * i + 1]);
    else
      gn__sb_jstr(b, r->photos[i]);
  }
  gn__sb_puts(b, "]");
}

static void bind_opt(sqlite3_stmt *q, int i, const char *s) {
  if (s && *s) sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
}

static gn_status insert_report(gn_store *st, const gn_build_report *r,
                               int64_t *id) {
  gn__sb ph, gp;
  gn__sb_init(&ph, st->ctx);
  gn__sb_init(&gp, st->ctx);
  json_lists(&ph, r, 0);
  json_lists(&gp, r, 1);
  sqlite3_stmt *q = NULL;
  gn_status rs = ph.oom || gp.oom ? gn__fail(st->ctx, GN_ENOMEM, "report")
                                  : GN_OK;
  if (rs == GN_OK)
    rs = gn__st_cached(
        st,
        "INSERT INTO build_reports(client_id,trench,step,at,received_at,who,"
        "org,metres,photos,gps,note,block_reason,override_reason) VALUES(?1,"
        "?2,?3,strftime('%Y-%m-%dT%H:%M:%SZ',COALESCE(?4,'now')),"
        "strftime('%Y-%m-%dT%H:%M:%fZ','now'),?5,?6,?7,?8,?9,?10,?11,?12)",
        &q);
  if (rs == GN_OK) {
    sqlite3_bind_text(q, 1, r->client_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, r->trench);
    sqlite3_bind_text(q, 3, gn_build_step_name(r->step), -1, SQLITE_STATIC);
    bind_opt(q, 4, r->at);
    sqlite3_bind_text(q, 5, r->who, -1, SQLITE_TRANSIENT);
    bind_opt(q, 6, r->org);
    if (r->metres > 0) sqlite3_bind_double(q, 7, r->metres);
    sqlite3_bind_text(q, 8, ph.p ? ph.p : "[]", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 9, gp.p ? gp.p : "[]", -1, SQLITE_TRANSIENT);
    bind_opt(q, 10, r->note);
    bind_opt(q, 11, r->step == GN_STEP_BLOCKED ? r->block_reason : NULL);
    bind_opt(q, 12, r->override_reason);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "insert report");
    *id = sqlite3_last_insert_rowid(st->db);
    gn__st_release(st, q);
  }
  gn__sb_cleanup(&ph);
  gn__sb_cleanup(&gp);
  return rs;
}

/* keep: a late report of an earlier step leaves a block in place. */
static gn_status update_segment(gn_store *st, const gn_build_report *r,
                                int state, int keep) {
  sqlite3_stmt *q = NULL;
  int blocked = r->step == GN_STEP_BLOCKED;
  gn_status rs = gn__st_cached(
      st,
      "INSERT INTO build_segments(trench,state,blocked,blocked_since,"
      "updated_at) VALUES(?1,?2,?3,CASE WHEN ?3 IS NULL THEN NULL ELSE"
      " strftime('%Y-%m-%dT%H:%M:%SZ',COALESCE(?4,'now')) END,"
      " strftime('%Y-%m-%dT%H:%M:%fZ','now')) ON CONFLICT(trench) DO UPDATE"
      " SET state=excluded.state, blocked=CASE WHEN ?5 THEN blocked ELSE"
      " excluded.blocked END, blocked_since=CASE WHEN ?5 THEN blocked_since"
      " WHEN excluded.blocked IS NULL THEN NULL WHEN blocked IS NOT NULL"
      " THEN blocked_since ELSE excluded.blocked_since END,"
      " updated_at=excluded.updated_at",
      &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(q, 1, r->trench);
  sqlite3_bind_int(q, 2, state);
  if (blocked) sqlite3_bind_text(q, 3, r->block_reason, -1, SQLITE_TRANSIENT);
  bind_opt(q, 4, r->at);
  sqlite3_bind_int(q, 5, keep);
  int rc = sqlite3_step(q);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "segment state");
  gn__st_release(st, q);
  return rs;
}

static gn_status check_time(gn_store *st, const char *at) {
  if (!at) return GN_OK;
  int64_t ok = 0;
  int found = 0;
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(
      st, "SELECT strftime('%s',?1) IS NOT NULL AND length(?1) BETWEEN 10 AND 40",
      &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(q, 1, at, -1, SQLITE_TRANSIENT);
  found = sqlite3_step(q) == SQLITE_ROW;
  ok = found ? sqlite3_column_int(q, 0) : 0;
  gn__st_release(st, q);
  return ok ? GN_OK
            : gn__fail(st->ctx, GN_EINVAL,
                       "at: '%.40s' is not an ISO 8601 time", at);
}

static gn_status record(gn_store *st, const gn_build_report *r,
                        gn_build_outcome *out) {
  /* scope first: a replay answers only to the organisation entitled */
  seg sg;
  int dup = 0;
  gn_status rs = segment(st, r->trench, &sg);
  if (rs == GN_OK) rs = check_scope(st, r, &sg);
  if (rs == GN_OK) rs = replayed(st, r, out, &dup);
  if (rs != GN_OK || dup) return rs;
  rs = check_time(st, r->at);
  if (rs == GN_OK) rs = check_order(st, r, &sg);
  if (rs != GN_OK) return rs;
  int state = r->step == GN_STEP_BLOCKED || (int)r->step < sg.state
                  ? sg.state
                  : (int)r->step;
  int keep = r->step != GN_STEP_BLOCKED && (int)r->step < sg.state;
  rs = insert_report(st, r, &out->report);
  if (rs == GN_OK) rs = update_segment(st, r, state, keep);
  char obj[48], after[160];
  snprintf(obj, sizeof(obj), "trench %lld", (long long)r->trench);
  snprintf(after, sizeof(after), "{\"report\":%lld,\"step\":\"%s\",\"state\":\"%s\"}",
           (long long)out->report, gn_build_step_name(r->step),
           gn_build_step_name(state));
  if (rs == GN_OK)
    rs = gn__st_audit(st, r->who, "build.report", obj, NULL, after);
  out->state = (gn_build_step)state;
  out->blocked = r->step == GN_STEP_BLOCKED || (keep && sg.blocked);
  return rs;
}

gn_status gn_build_report_add(gn_store *st, const gn_build_report *r,
                              gn_build_outcome *out) {
  gn_ctx_clear(st->ctx);
  memset(out, 0, sizeof(*out));
  gn_status rs = check_report(st->ctx, r);
  if (rs == GN_OK) rs = gn__build_ready(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  rs = record(st, r, out);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

/* ---- status view ------------------------------------------------- */

static gn_status step_metres(gn_store *st, gn__sb *b, int64_t trench) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(st,
                               "SELECT step, sum(metres) FROM build_reports"
                               " WHERE trench=?1 AND step<>'blocked' GROUP BY"
                               " step",
                               &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(q, 1, trench);
  gn__sb_puts(b, "{");
  int rc, first = 1;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (!first) gn__sb_puts(b, ", ");
    first = 0;
    gn__sb_jstr(b, gn__col_text(q, 0));
    gn__sb_puts(b, ": ");
    gn__sb_num(b, sqlite3_column_double(q, 1));
  }
  gn__sb_puts(b, "}");
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "metres");
  gn__st_release(st, q);
  return rs;
}

static gn_status status_rows(gn_store *st, const char *package,
                             const char *org, gn__sb *b) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_prep(
      st,
      "SELECT pt.trench, pt.package, COALESCE(s.state,0), s.blocked,"
      " s.blocked_since, t.length_m FROM build_package_trenches pt JOIN"
      " build_packages p ON p.id=pt.package JOIN trenches t ON"
      " t.fid=pt.trench LEFT JOIN build_segments s ON s.trench=pt.trench"
      " WHERE (?1 IS NULL OR pt.package=?1) AND (?2 IS NULL OR p.org=?2)"
      " ORDER BY pt.package, pt.seq",
      &q);
  if (rs != GN_OK) return rs;
  bind_opt(q, 1, package);
  bind_opt(q, 2, org);
  int rc = SQLITE_DONE, n = 0;
  gn__sb_puts(b, "[");
  while (rs == GN_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
    int64_t trench = sqlite3_column_int64(q, 0);
    gn__sb_printf(b, "%s\n {\"trench\": %lld, \"package\": ", n++ ? "," : "",
                  (long long)trench);
    gn__sb_jstr(b, gn__col_text(q, 1));
    gn__sb_printf(b, ", \"state\": \"%s\", \"blocked\": ",
                  gn_build_step_name(sqlite3_column_int(q, 2)));
    gn__sb_jstr(b, sqlite3_column_text(q, 3) ? gn__col_text(q, 3) : NULL);
    gn__sb_puts(b, ", \"blocked_since\": ");
    gn__sb_jstr(b, sqlite3_column_text(q, 4) ? gn__col_text(q, 4) : NULL);
    gn__sb_puts(b, ", \"metres\": ");
    rs = step_metres(st, b, trench);
    gn__sb_printf(b, ", \"length_m\": %.1f}", sqlite3_column_double(q, 5));
  }
  if (rs == GN_OK && rc != SQLITE_DONE) rs = gn__st_err(st, rc, "status");
  gn__sb_puts(b, n ? "\n]" : "]");
  sqlite3_finalize(q);
  return rs;
}

gn_status gn_build_status_json(gn_store *st, const char *package,
                               const char *org, char **out) {
  gn_ctx_clear(st->ctx);
  *out = NULL;
  gn_status rs = gn__build_ready(st);
  if (rs != GN_OK) return rs;
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  rs = status_rows(st, package, org, &b);
  if (rs == GN_OK) rs = gn__sb_finish(&b, out);
  gn__sb_cleanup(&b);
  return rs;
}
