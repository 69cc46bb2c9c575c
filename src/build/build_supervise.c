/*
 * build_supervise.c - What supervisors look at every evening: earned
 * progress, the S-curve (planned against actual, per week), progress per
 * phase and per subcontractor, metres per crew-day, blocked segments and
 * their age; and the planned dates of packages that the S-curve needs.
 *
 * Design: earned progress weighs a trench's length by the cumulative
 * weight of the furthest step it reached (surveyed 5 %, dug 40 %, ducted
 * 55 %, pulled 75 %, spliced 85 %, tested 95 %, accepted 100 %: digging
 * is most of the civil work). Actual curve: each step counts from the
 * first report of it (its "at", field time). Planned curve: a scheduled
 * package's km spread evenly over its days. Weeks are labelled by their
 * Monday. Days are integers since 1970-01-01 (civil calendar, UTC).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "build/build_int.h"

#define MAX_WEEKS 520 /* ten years of weekly points at most */

static const int cum_pct[] = {0, 5, 40, 55, 75, 85, 95, 100};

/* Days since 1970-01-01 of Y-M-D (Howard Hinnant's days_from_civil). */
static long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil(long z, char *buf, size_t n) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  long d = doy - (153 * mp + 2) / 5 + 1, m = mp + (mp < 10 ? 3 : -9);
  snprintf(buf, n, "%04d-%02d-%02d", (int)(yoe + era * 400 + (m <= 2)), (int)m,
           (int)d);
}

/* -1 when s does not start with YYYY-MM-DD. */
static long day_of(const char *s) {
  int y, m, d;
  if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 ||
      d < 1 || d > 31)
    return -1;
  return days_from_civil(y, m, d);
}

static long monday(long day) { return day - ((day + 3) % 7 + 7) % 7; }

gn_status gn_build_schedule(gn_store *st, const char *package,
                            const char *start, const char *end,
                            const char *by_org, const char *user) {
  gn_ctx_clear(st->ctx);
  long a = day_of(start), b = day_of(end);
  if (a < 0 || b < a)
    return gn__fail(st->ctx, GN_EINVAL,
                    "schedule: start and end as YYYY-MM-DD, start <= end");
  gn_build_packages *p = NULL;
  gn_status rs = gn_build_list(st, NULL, by_org, &p);
  int found = 0;
  for (size_t i = 0; rs == GN_OK && i < p->n; i++)
    found |= strcmp(p->items[i].id, package) == 0;
  gn_build_packages_free(st->ctx, p);
  if (rs == GN_OK && !found)
    rs = by_org ? gn__fail(st->ctx, GN_EAUTH, "package %s is not of '%s'",
                           package, by_org)
                : gn__fail(st->ctx, GN_ENOTFOUND, "package %s not found",
                           package);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  sqlite3_stmt *q = NULL;
  rs = gn__st_cached(st,
                     "UPDATE build_packages SET planned_start=?2,"
                     " planned_end=?3 WHERE id=?1",
                     &q);
  if (rs == GN_OK) {
    char s1[48], s2[48];
    civil(a, s1, sizeof(s1));
    civil(b, s2, sizeof(s2));
    sqlite3_bind_text(q, 1, package, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, s1, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 3, s2, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "schedule");
    gn__st_release(st, q);
  }
  if (rs == GN_OK)
    rs = gn__st_audit(st, user, "build.package.schedule", package, NULL, NULL);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

/* ---- the S-curve --------------------------------------------------- */

typedef struct curve {
  long w0;                 /* Monday of the first week */
  size_t nw;
  double planned[MAX_WEEKS], actual[MAX_WEEKS]; /* km earned that week */
} curve;

static void add_at(curve *c, double *arr, long day, double km) {
  long w = (monday(day) - c->w0) / 7;
  if (w < 0) w = 0;
  if ((size_t)w >= c->nw) return; /* after as_of */
  arr[w] += km;
}

/* Filter shared by the queries: ?1 phase, ?2 org (NULL = any). */
#define SCOPE " (?1 IS NULL OR p.phase=?1) AND (?2 IS NULL OR p.org=?2)"

static gn_status prep(gn_store *st, const char *sql, const char *phase,
                      const char *org, sqlite3_stmt **q) {
  gn_status rs = gn__st_prep(st, sql, q);
  if (rs != GN_OK) return rs;
  if (phase) sqlite3_bind_text(*q, 1, phase, -1, SQLITE_TRANSIENT);
  if (org) sqlite3_bind_text(*q, 2, org, -1, SQLITE_TRANSIENT);
  return GN_OK;
}

static gn_status curve_actual(gn_store *st, const char *phase, const char *org,
                              curve *c) {
  sqlite3_stmt *q = NULL;
  gn_status rs = prep(
      st,
      "SELECT r.trench, t.length_m, r.step, min(r.at) AS first FROM"
      " build_reports r JOIN build_package_trenches pt ON pt.trench=r.trench"
      " JOIN build_packages p ON p.id=pt.package JOIN trenches t ON"
      " t.fid=r.trench WHERE r.step<>'blocked' AND" SCOPE
      " GROUP BY r.trench, r.step ORDER BY r.trench, first",
      phase, org, &q);
  if (rs != GN_OK) return rs;
  int64_t cur = -1;
  int best = 0, rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    int64_t tr = sqlite3_column_int64(q, 0);
    if (tr != cur) {
      cur = tr;
      best = 0;
    }
    int step = gn_build_step_parse(gn__col_text(q, 2));
    if (step <= best || step > GN_STEP_ACCEPTED) continue;
    double km = sqlite3_column_double(q, 1) / 1000;
    add_at(c, c->actual, day_of(gn__col_text(q, 3)),
           km * (cum_pct[step] - cum_pct[best]) / 100);
    best = step;
  }
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "s-curve");
  sqlite3_finalize(q);
  return rs;
}

static gn_status curve_planned(gn_store *st, const char *phase,
                               const char *org, curve *c) {
  sqlite3_stmt *q = NULL;
  gn_status rs = prep(st,
                      "SELECT p.km, p.planned_start, p.planned_end FROM"
                      " build_packages p WHERE p.planned_start IS NOT NULL"
                      " AND" SCOPE,
                      phase, org, &q);
  if (rs != GN_OK) return rs;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    long a = day_of(gn__col_text(q, 1)), b = day_of(gn__col_text(q, 2));
    if (a < 0 || b < a) continue;
    double per_day = sqlite3_column_double(q, 0) / (double)(b - a + 1);
    for (long d = a; d <= b; d++) add_at(c, c->planned, d, per_day);
  }
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "planned");
  sqlite3_finalize(q);
  return rs;
}

/* First week: the earliest of planned starts and first reports. */
static gn_status first_day(gn_store *st, const char *phase, const char *org,
                           long *day) {
  sqlite3_stmt *q = NULL;
  gn_status rs = prep(
      st,
      "SELECT min(d) FROM (SELECT min(p.planned_start) AS d FROM"
      " build_packages p WHERE" SCOPE " UNION ALL SELECT min(r.at) FROM"
      " build_reports r JOIN build_package_trenches pt ON pt.trench=r.trench"
      " JOIN build_packages p ON p.id=pt.package WHERE" SCOPE ")",
      phase, org, &q);
  if (rs != GN_OK) return rs;
  *day = sqlite3_step(q) == SQLITE_ROW ? day_of(gn__col_text(q, 0)) : -1;
  sqlite3_finalize(q);
  return GN_OK;
}

static void put_curve(gn__sb *b, const curve *c, double km) {
  double p = 0, a = 0;
  gn__sb_puts(b, "\"s_curve\": [");
  for (size_t w = 0; w < c->nw; w++) {
    char day[48];
    civil(c->w0 + 7 * (long)w, day, sizeof(day));
    p += c->planned[w];
    a += c->actual[w];
    gn__sb_printf(b, "%s{\"week\": \"%s\", \"planned_pct\": %.2f, \"actual_pct\": %.2f}",
                  w ? ", " : "", day, km > 0 ? 100 * p / km : 0,
                  km > 0 ? 100 * a / km : 0);
  }
  gn__sb_puts(b, "], ");
}

/* ---- groups, productivity, blocked ------------------------------- */

static gn_status put_rows(gn_store *st, gn__sb *b, const char *key,
                          const char *sql, const char *phase, const char *org,
                          const char *const *names, int ncols) {
  sqlite3_stmt *q = NULL;
  gn_status rs = prep(st, sql, phase, org, &q);
  if (rs != GN_OK) return rs;
  gn__sb_printf(b, "\"%s\": [", key);
  int rc, n = 0;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    gn__sb_puts(b, n++ ? ", {" : "{");
    for (int i = 0; i < ncols; i++) {
      gn__sb_printf(b, "%s\"%s\": ", i ? ", " : "", names[i]);
      int ty = sqlite3_column_type(q, i);
      if (ty == SQLITE_INTEGER || ty == SQLITE_FLOAT)
        gn__sb_num(b, round(sqlite3_column_double(q, i) * 100) / 100);
      else
        gn__sb_jstr(b, ty == SQLITE_NULL ? NULL : gn__col_text(q, i));
    }
    gn__sb_puts(b, "}");
  }
  gn__sb_puts(b, "]");
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, key);
  sqlite3_finalize(q);
  return rs;
}

/* Earned km of a trench from its state (SQL CASE over cum_pct). */
#define EARNED                                                              \
  "t.length_m/1000.0*(CASE COALESCE(s.state,0) WHEN 1 THEN 5 WHEN 2 THEN"  \
  " 40 WHEN 3 THEN 55 WHEN 4 THEN 75 WHEN 5 THEN 85 WHEN 6 THEN 95 WHEN 7" \
  " THEN 100 ELSE 0 END)/100.0"
#define GROUPED(col)                                                        \
  "SELECT " col ", round(sum(t.length_m)/1000.0, 3),"                      \
  " round(100.0*sum(" EARNED ")/max(sum(t.length_m)/1000.0, 1e-9), 2)"     \
  " FROM build_package_trenches pt JOIN build_packages p ON"                \
  " p.id=pt.package JOIN trenches t ON t.fid=pt.trench LEFT JOIN"           \
  " build_segments s ON s.trench=pt.trench WHERE" SCOPE " GROUP BY " col    \
  " ORDER BY " col

static gn_status groups(gn_store *st, gn__sb *b, const char *phase,
                        const char *org) {
  static const char *const ph[] = {"phase", "km", "earned_pct"};
  static const char *const og[] = {"org", "km", "earned_pct"};
  static const char *const pr[] = {"org", "crew", "metres", "crew_days",
                                   "m_per_crew_day"};
  gn_status rs = put_rows(st, b, "by_phase", GROUPED("p.phase"), phase, org, ph, 3);
  gn__sb_puts(b, ", ");
  if (rs == GN_OK) rs = put_rows(st, b, "by_org", GROUPED("p.org"), phase, org, og, 3);
  gn__sb_puts(b, ", ");
  if (rs == GN_OK)
    rs = put_rows(
        st, b, "productivity",
        "SELECT p.org, COALESCE(NULLIF(p.crew,''), r.who) AS crew,"
        " sum(COALESCE(r.metres,0)), count(DISTINCT date(r.at)),"
        " sum(COALESCE(r.metres,0))/count(DISTINCT date(r.at)) FROM"
        " build_reports r JOIN build_package_trenches pt ON"
        " pt.trench=r.trench JOIN build_packages p ON p.id=pt.package WHERE"
        " r.step<>'blocked' AND" SCOPE " GROUP BY p.org, crew ORDER BY"
        " p.org, crew",
        phase, org, pr, 5);
  return rs;
}

static gn_status blocked(gn_store *st, gn__sb *b, const char *phase,
                         const char *org, const char *as_of) {
  static const char *const bl[] = {"trench", "package", "reason", "since",
                                   "age_days"};
  char sql[700];
  snprintf(sql, sizeof(sql),
           "SELECT s.trench, pt.package, s.blocked, s.blocked_since,"
           " round(julianday('%s')+1-julianday(s.blocked_since), 1) FROM"
           " build_segments s JOIN build_package_trenches pt ON"
           " pt.trench=s.trench JOIN build_packages p ON p.id=pt.package"
           " WHERE s.blocked IS NOT NULL AND" SCOPE
           " ORDER BY s.blocked_since, s.trench",
           as_of);
  return put_rows(st, b, "blocked", sql, phase, org, bl, 5);
}

static gn_status totals(gn_store *st, const char *phase, const char *org,
                        double *km, double *earned) {
  sqlite3_stmt *q = NULL;
  gn_status rs = prep(st,
                      "SELECT sum(t.length_m)/1000.0, sum(" EARNED ") FROM"
                      " build_package_trenches pt JOIN build_packages p ON"
                      " p.id=pt.package JOIN trenches t ON t.fid=pt.trench"
                      " LEFT JOIN build_segments s ON s.trench=pt.trench"
                      " WHERE" SCOPE,
                      phase, org, &q);
  if (rs != GN_OK) return rs;
  *km = *earned = 0;
  if (sqlite3_step(q) == SQLITE_ROW) {
    *km = sqlite3_column_double(q, 0);
    *earned = sqlite3_column_double(q, 1);
  }
  sqlite3_finalize(q);
  return GN_OK;
}

static gn_status today(gn_store *st, char *buf, size_t n) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_prep(st, "SELECT date('now')", &q);
  if (rs != GN_OK) return rs;
  snprintf(buf, n, "%s", sqlite3_step(q) == SQLITE_ROW ? gn__col_text(q, 0) : "");
  sqlite3_finalize(q);
  return GN_OK;
}

gn_status gn_build_supervision_json(gn_store *st, const char *phase,
                                    const char *org, const char *as_of,
                                    char **out) {
  gn_ctx *ctx = st->ctx;
  gn_ctx_clear(ctx);
  *out = NULL;
  char day[48];
  gn_status rs = gn__build_ready(st);
  if (rs == GN_OK && !as_of) rs = today(st, day, sizeof(day));
  if (rs != GN_OK) return rs;
  long end = day_of(as_of ? as_of : day);
  if (end < 0) return gn__fail(ctx, GN_EINVAL, "as_of: '%s' is not YYYY-MM-DD", as_of);
  civil(end, day, sizeof(day));
  curve *c = gn_malloc(ctx, sizeof(*c));
  if (!c) return gn__fail(ctx, GN_ENOMEM, "supervision");
  memset(c, 0, sizeof(*c));
  long first = -1;
  double km = 0, earned = 0;
  rs = first_day(st, phase, org, &first);
  c->w0 = monday(first >= 0 && first <= end ? first : end);
  if (c->w0 < monday(end) - 7L * (MAX_WEEKS - 1)) c->w0 = monday(end) - 7L * (MAX_WEEKS - 1);
  c->nw = (size_t)((monday(end) - c->w0) / 7 + 1);
  if (rs == GN_OK) rs = curve_actual(st, phase, org, c);
  if (rs == GN_OK) rs = curve_planned(st, phase, org, c);
  if (rs == GN_OK) rs = totals(st, phase, org, &km, &earned);
  gn__sb b;
  gn__sb_init(&b, ctx);
  gn__sb_printf(&b, "{\"as_of\": \"%s\", \"km\": %.3f, \"earned_km\": %.3f,"
                " \"earned_pct\": %.2f, \"weights\": {", day, km, earned,
                km > 0 ? 100 * earned / km : 0);
  for (int i = GN_STEP_SURVEYED; i <= GN_STEP_ACCEPTED; i++)
    gn__sb_printf(&b, "%s\"%s\": %d", i > 1 ? ", " : "", gn_build_step_name(i),
                  cum_pct[i]);
  gn__sb_puts(&b, "}, ");
  put_curve(&b, c, km);
  gn_free(ctx, c);
  if (rs == GN_OK) rs = groups(st, &b, phase, org);
  gn__sb_puts(&b, ", ");
  if (rs == GN_OK) rs = blocked(st, &b, phase, org, day);
  gn__sb_puts(&b, "}");
  if (rs == GN_OK) rs = gn__sb_finish(&b, out);
  gn__sb_cleanup(&b);
  return rs;
}
