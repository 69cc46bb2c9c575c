/*
 * lease_json.c - Leases as JSON: one, or a list (optionally one
 * operator's). An operator asking for another operator's lease gets the
 * same "no such lease" as for an id that does not exist, so ids reveal
 * nothing.
 */
#include <stdio.h>
#include <string.h>

#include "lease/lease_int.h"

#define LEASE_COLS                                                          \
  "id, operator, state, a_end, b_end, nfibers, diverse, term_months,"      \
  " length_m, loss_db_1310, loss_db_1550, new_splices, price_fcfa_month,"  \
  " price_fcfa_once, sla_pct, created, reserved_until, start_date,"        \
  " end_date, (SELECT group_concat(fiber) FROM (SELECT fiber FROM"         \
  " lease_fibers f WHERE f.lease=lease_leases.id ORDER BY seq)),"          \
  " (SELECT group_concat(DISTINCT cable) FROM lease_fibers f WHERE"        \
  " f.lease=lease_leases.id)"

static void put_text(gn__sb *b, const char *key, sqlite3_stmt *s, int col) {
  gn__sb_printf(b, ",\"%s\":", key);
  if (sqlite3_column_type(s, col) == SQLITE_NULL) gn__sb_puts(b, "null");
  else gn__sb_jstr(b, gn__col_text(s, col));
}

static void put_num(gn__sb *b, const char *key, sqlite3_stmt *s, int col) {
  gn__sb_printf(b, ",\"%s\":", key);
  gn__sb_num(b, sqlite3_column_double(s, col));
}

static void put_row(gn__sb *b, sqlite3_stmt *s) {
  gn__sb_printf(b, "{\"id\":%lld", (long long)sqlite3_column_int64(s, 0));
  put_text(b, "operator", s, 1);
  put_text(b, "state", s, 2);
  put_text(b, "from", s, 3);
  put_text(b, "to", s, 4);
  gn__sb_printf(b, ",\"fibers_wanted\":%d,\"diverse\":%s,\"term_months\":%d",
                sqlite3_column_int(s, 5),
                sqlite3_column_int(s, 6) ? "true" : "false",
                sqlite3_column_int(s, 7));
  put_num(b, "length_m", s, 8);
  put_num(b, "loss_db_1310", s, 9);
  put_num(b, "loss_db_1550", s, 10);
  gn__sb_printf(b, ",\"new_splices\":%d", sqlite3_column_int(s, 11));
  put_num(b, "price_fcfa_month", s, 12);
  put_num(b, "price_fcfa_once", s, 13);
  put_num(b, "sla_pct", s, 14);
  put_text(b, "created", s, 15);
  put_text(b, "reserved_until", s, 16);
  put_text(b, "start_date", s, 17);
  put_text(b, "end_date", s, 18);
  gn__sb_printf(b, ",\"fibers\":[%s],\"route\":[%s]}", gn__col_text(s, 19),
                gn__col_text(s, 20));
}

gn_status gn__lease_row_json(gn_store *st, int64_t id, const char *operator_,
                             char **json) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(st,
                             "SELECT " LEASE_COLS " FROM lease_leases WHERE"
                             " id=?1 AND (?2 IS NULL OR operator=?2)",
                             &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, id);
  if (operator_) sqlite3_bind_text(s, 2, operator_, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s);
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  if (rc == SQLITE_ROW) put_row(&b, s);
  sqlite3_finalize(s);
  if (rc == SQLITE_ROW) return gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  if (rc != SQLITE_DONE) return gn__st_err(st, rc, "lease");
  return gn__fail(st->ctx, GN_ENOTFOUND, "lease %lld: no such lease",
                  (long long)id);
}

gn_status gn_lease_get_json(gn_store *st, int64_t id, const char *operator_,
                            char **json) {
  *json = NULL;
  gn_ctx_clear(st->ctx);
  gn_status rs = gn__lease_tables(st);
  if (rs != GN_OK) return rs;
  return gn__lease_row_json(st, id, operator_, json);
}

gn_status gn_lease_list_json(gn_store *st, const char *operator_,
                             char **json) {
  *json = NULL;
  gn_ctx_clear(st->ctx);
  gn_status rs = gn__lease_tables(st);
  sqlite3_stmt *s = NULL;
  if (rs == GN_OK)
    rs = gn__st_prep(st,
                     "SELECT " LEASE_COLS " FROM lease_leases WHERE ?1 IS NULL"
                     " OR operator=?1 ORDER BY id DESC",
                     &s);
  if (rs != GN_OK) return rs;
  if (operator_) sqlite3_bind_text(s, 1, operator_, -1, SQLITE_TRANSIENT);
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_puts(&b, "[");
  int rc, n = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (n++) gn__sb_puts(&b, ",");
    put_row(&b, s);
  }
  sqlite3_finalize(s);
  gn__sb_puts(&b, "]");
  if (rc != SQLITE_DONE) {
    gn__sb_cleanup(&b);
    return gn__st_err(st, rc, "leases");
  }
  return gn__sb_finish(&b, json);
}

gn_status gn_lease_of_fiber(gn_store *st, int64_t fiber, int64_t *lease) {
  *lease = 0;
  int has = 0, found = 0;
  gn_status rs = gn__st_has_table(st, "lease_fibers", &has);
  if (rs != GN_OK || !has) return rs;
  rs = gn__st_int(st, "SELECT lease FROM lease_fibers WHERE fiber=?1 AND live=1",
                  fiber, lease, &found);
  if (!found) *lease = 0;
  return rs;
}

gn_status gn_lease_trace_json(gn_store *st, const gn_trace *t, char **json) {
  *json = NULL;
  char *base = NULL;
  gn_status rs = gn_store_trace_json(st, t, &base);
  if (rs != GN_OK) return rs;
  int64_t lease = 0;
  for (size_t i = 0; i < t->nhops && rs == GN_OK && !lease; i++)
    if (t->hops[i].kind == GN_HOP_FIBER)
      rs = gn_lease_of_fiber(st, t->hops[i].id, &lease);
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  if (lease) gn__sb_printf(&b, "{\"lease\":%lld,", (long long)lease);
  else gn__sb_puts(&b, "{\"lease\":null,");
  gn__sb_puts(&b, base[0] == '{' ? base + 1 : base);
  gn_free(st->ctx, base);
  if (rs != GN_OK) {
    gn__sb_cleanup(&b);
    return rs;
  }
  return gn__sb_finish(&b, json);
}
