/*
 * hs_usage.c - Usage reports from hs_usage: per user, and per access point
 * and day.
 *
 * A session's bytes and seconds are booked on the UTC day their
 * accounting update arrived (deltas between updates), so a report over
 * days sums exactly what was reported in those days. "user" is the
 * student's name or, for a voucher, the code it logged in with.
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

static const char per_user_sql[] =
    "SELECT COALESCE(u.name,s.login) AS who,count(DISTINCT s.id),"
    "sum(x.bytes_in),sum(x.bytes_out),sum(x.seconds) FROM hs_usage x JOIN"
    " hs_sessions s ON s.id=x.session LEFT JOIN hs_users u ON u.id=s.hs_user"
    " WHERE x.day>=?1 AND x.day<=?2 GROUP BY who ORDER BY who";

static const char per_ap_sql[] =
    "SELECT x.day,COALESCE(s.nas_id,s.nas_ip),count(DISTINCT s.hs_user),"
    "count(DISTINCT s.id),sum(x.bytes_in),sum(x.bytes_out),sum(x.seconds)"
    " FROM hs_usage x JOIN hs_sessions s ON s.id=x.session WHERE x.day>=?1"
    " AND x.day<=?2 GROUP BY 1,2 ORDER BY 1,2";

/* Run sql with the day bounds; names[i] labels column i (text columns
 * first, ntext of them). */
static gn_status report(gn_store *st, const char *sql, const char *from,
                        const char *to, const char *const *names, int ncol,
                        int ntext, char **json) {
  gn_status rs = check_days(st->ctx, from, to);
  if (rs == GN_OK) rs = gn__hs_ensure(st);
  sqlite3_stmt *s = NULL;
  if (rs == GN_OK) rs = gn__st_prep(st, sql, &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, from ? from : "0000-00-00", -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, to ? to : "9999-99-99", -1, SQLITE_STATIC);
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_puts(&b, "[");
  int rc, row = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    gn__sb_puts(&b, row++ ? ",\n  {" : "\n  {");
    for (int i = 0; i < ncol; i++) {
      gn__sb_printf(&b, "%s\"%s\": ", i ? ", " : "", names[i]);
      if (i < ntext)
        gn__sb_jstr(&b, gn__col_text(s, i));
      else
        gn__sb_printf(&b, "%lld", (long long)sqlite3_column_int64(s, i));
    }
    gn__sb_puts(&b, "}");
  }
  gn__sb_puts(&b, row ? "\n]\n" : "]\n");
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "usage report");
  sqlite3_finalize(s);
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
