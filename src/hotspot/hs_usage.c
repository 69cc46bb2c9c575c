/*
 * hs_usage.c - Usage reports from hs_usage: per user, per access point
 * and day, and the summary of a period (totals, per day, per access
 * point) that the monthly report draws.
 *
 * A session's bytes and seconds are booked on the UTC day their
 * accounting update arrived (deltas between updates), so a report over
 * days sums exactly what was reported in those days. "user" is the
 * student's name or, for a voucher, the code it logged in with; the
 * summary's distinct users count those same names, so its total equals
 * the number of rows of the per-user report over the same days.
 */
#include <string.h>

#include "hotspot/hs_int.h"

static gn_status check_days(gn_ctx *ctx, const char *from, const char *to) {
  if (from && !gn__hs_day_valid(from))
    return gn__fail(ctx, GN_EINVAL, "--from '%s': expected YYYY-MM-DD", from);
  if (to && !gn__hs_day_valid(to))
    return gn__fail(ctx, GN_EINVAL, "--to '%s': expected YYYY-MM-DD", to);
  if (from && to && strcmp(from, to) > 0)
    return gn__fail(ctx, GN_EINVAL, "--from %s is after --to %s", from, to);
  return GN_OK;
}

/* The usage rows of [?1, ?2] with their session and user; WHO is the
 * per-user report's name of a user, AP an access point's name. */
#define FROM_DAYS                                                            \
  " FROM hs_usage x JOIN hs_sessions s ON s.id=x.session LEFT JOIN"          \
  " hs_users u ON u.id=s.hs_user WHERE x.day>=?1 AND x.day<=?2"
#define WHO "COALESCE(u.name,s.login)"
#define AP "COALESCE(s.nas_id,s.nas_ip)"
#define SUMS "sum(x.bytes_in),sum(x.bytes_out),sum(x.seconds)"

static const char per_user_sql[] =
    "SELECT " WHO " AS who,count(DISTINCT s.id)," SUMS FROM_DAYS
    " GROUP BY who ORDER BY who";

static const char per_ap_sql[] =
    "SELECT x.day," AP ",count(DISTINCT s.hs_user),count(DISTINCT s.id),"
    SUMS FROM_DAYS " GROUP BY 1,2 ORDER BY 1,2";

static const char total_sql[] =
    "SELECT count(DISTINCT " WHO "),count(DISTINCT s.id)," SUMS
    ",count(DISTINCT " AP ")" FROM_DAYS;

static const char days_sql[] =
    "SELECT x.day,count(DISTINCT " WHO "),count(DISTINCT s.id)," SUMS
    FROM_DAYS " GROUP BY 1 ORDER BY 1";

static const char aps_sql[] =
    "SELECT " AP " AS ap,count(DISTINCT " WHO "),count(DISTINCT s.id)," SUMS
    FROM_DAYS " GROUP BY ap ORDER BY sum(x.bytes_in)+sum(x.bytes_out) DESC,"
    "ap";

/* Append the rows of sql over the day bounds to b: a JSON array of
 * objects, or with one set the first row's object alone. names[i] labels
 * column i (text columns first, ntext of them). */
static gn_status rows(gn_store *st, gn__sb *b, const char *sql,
                      const char *from, const char *to,
                      const char *const *names, int ncol, int ntext, int one) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(st, sql, &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, from ? from : "0000-00-00", -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, to ? to : "9999-99-99", -1, SQLITE_STATIC);
  if (!one) gn__sb_puts(b, "[");
  int rc, row = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW && !(one && row)) {
    gn__sb_puts(b, one ? "{" : row ? ",\n  {" : "\n  {");
    row++;
    for (int i = 0; i < ncol; i++) {
      gn__sb_printf(b, "%s\"%s\": ", i ? ", " : "", names[i]);
      if (i < ntext)
        gn__sb_jstr(b, gn__col_text(s, i));
      else
        gn__sb_printf(b, "%lld", (long long)sqlite3_column_int64(s, i));
    }
    gn__sb_puts(b, "}");
  }
  if (!one) gn__sb_puts(b, row ? "\n]" : "]");
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) rs = gn__st_err(st, rc, "usage report");
  sqlite3_finalize(s);
  return rs;
}

static gn_status report(gn_store *st, const char *sql, const char *from,
                        const char *to, const char *const *names, int ncol,
                        int ntext, char **json) {
  gn_status rs = check_days(st->ctx, from, to);
  if (rs == GN_OK) rs = gn__hs_ensure(st);
  if (rs != GN_OK) return rs;
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  rs = rows(st, &b, sql, from, to, names, ncol, ntext, 0);
  gn__sb_puts(&b, "\n");
  if (rs == GN_OK) rs = gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}

gn_status gn_hotspot_usage_json(gn_store *st, const char *from_day,
                                const char *to_day, char **json) {
  static const char *const names[] = {"user", "sessions", "bytes_in",
                                      "bytes_out", "seconds"};
  gn_ctx_clear(st->ctx);
  *json = NULL;
  return report(st, per_user_sql, from_day, to_day, names, 5, 1, json);
}

gn_status gn_hotspot_usage_daily_json(gn_store *st, const char *from_day,
                                      const char *to_day, char **json) {
  static const char *const names[] = {"day",      "hotspot",  "users",
                                      "sessions", "bytes_in", "bytes_out",
                                      "seconds"};
  gn_ctx_clear(st->ctx);
  *json = NULL;
  return report(st, per_ap_sql, from_day, to_day, names, 7, 2, json);
}

gn_status gn_hotspot_usage_summary_json(gn_store *st, const char *from_day,
                                        const char *to_day, char **json) {
  static const char *const tn[] = {"users",     "sessions", "bytes_in",
                                   "bytes_out", "seconds",  "hotspots"};
  static const char *const dn[] = {"day",      "users",     "sessions",
                                   "bytes_in", "bytes_out", "seconds"};
  static const char *const an[] = {"hotspot",  "users",     "sessions",
                                   "bytes_in", "bytes_out", "seconds"};
  gn_ctx_clear(st->ctx);
  *json = NULL;
  gn_status rs = check_days(st->ctx, from_day, to_day);
  if (rs == GN_OK) rs = gn__hs_ensure(st);
  if (rs != GN_OK) return rs;
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_puts(&b, "{\"from\": ");
  gn__sb_jstr(&b, from_day);
  gn__sb_puts(&b, ", \"to\": ");
  gn__sb_jstr(&b, to_day);
  gn__sb_puts(&b, ",\n\"total\": ");
  rs = rows(st, &b, total_sql, from_day, to_day, tn, 6, 0, 1);
  gn__sb_puts(&b, ",\n\"days\": ");
  if (rs == GN_OK) rs = rows(st, &b, days_sql, from_day, to_day, dn, 6, 1, 0);
  gn__sb_puts(&b, ",\n\"hotspots\": ");
  if (rs == GN_OK) rs = rows(st, &b, aps_sql, from_day, to_day, an, 6, 1, 0);
  gn__sb_puts(&b, "}\n");
  if (rs == GN_OK) rs = gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}
