/*
 * lease_leases.c - Quotes, reservations and the lease lifecycle
 * (reserved -> active -> terminated; reserved -> expired) over the
 * lease tables, each change one write transaction with its audit row.
 *
 * Concurrency: a reservation loads the network, routes and inserts its
 * fibers inside one BEGIN IMMEDIATE transaction, so two reservations are
 * serialised by SQLite; the unique index on live lease fibers is the
 * backstop that makes over-booking impossible even for a writer that
 * skipped the check.
 */
#include <stdio.h>
#include <string.h>

#include "lease/lease_int.h"

void gn_lease_request_init(gn_lease_request *r) {
  memset(r, 0, sizeof(*r));
  r->fibers = 1;
  r->term_months = 12;
}

gn_status gn_lease_quote(gn_store *st, const gn_lease_tariff *t,
                         const gn_lease_request *r, char **json) {
  *json = NULL;
  gn_ctx_clear(st->ctx);
  gn_status rs = gn__lease_tables(st);
  if (rs != GN_OK) return rs;
  const gn__lnet *net = NULL;
  rs = gn__lease_net_get(st, t, &net);
  if (rs != GN_OK) return rs;
  gn__lquote q;
  rs = gn__lease_make_quote(st, net, t, r, &q);
  if (rs == GN_OK) {
    *json = q.json;
    q.json = NULL;
    gn__lease_quote_free(st->ctx, &q);
  }
  return rs;
}

/* The operator must be an organisation of kind operator when the store
 * has organisations (src/auth); else any non-empty name. */
static gn_status check_operator(gn_store *st, const char *op) {
  if (!op || !*op || strlen(op) > 200)
    return gn__fail(st->ctx, GN_EINVAL, "operator: a name is required");
  int64_t n = 0;
  int has = 0;
  gn_status rs = gn__st_has_table(st, "auth_orgs", &has);
  if (rs != GN_OK || !has) return rs;
  sqlite3_stmt *s = NULL;
  rs = gn__st_prep(st, "SELECT kind FROM auth_orgs WHERE name=?1", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, op, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s);
  char kind[32] = "";
  if (rc == SQLITE_ROW) snprintf(kind, sizeof kind, "%s", gn__col_text(s, 0));
  n = rc == SQLITE_ROW;
  sqlite3_finalize(s);
  if (!n)
    return gn__fail(st->ctx, GN_ENOTFOUND, "operator %s: no such organisation",
                    op);
  if (strcmp(kind, "operator") != 0)
    return gn__fail(st->ctx, GN_EINVAL,
                    "operator %s: the organisation is a %s, not an operator",
                    op, kind);
  return GN_OK;
}

static gn_status insert_lease(gn_store *st, const gn_lease_tariff *t,
                              const gn_lease_request *r, const gn__lquote *q,
                              int64_t *id) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      st,
      "INSERT INTO lease_leases(operator,state,a_end,b_end,nfibers,diverse,"
      "term_months,length_m,loss_db_1310,loss_db_1550,new_splices,"
      "price_fcfa_month,price_fcfa_once,sla_pct,created,reserved_until,quote)"
      " VALUES(?1,'reserved',?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,"
      "strftime('%Y-%m-%dT%H:%M:%SZ','now'),strftime('%Y-%m-%dT%H:%M:%SZ',"
      "'now','+'||?14||' days'),?15)",
      &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, r->operator_, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 2, r->from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 3, r->to, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(s, 4, r->fibers);
  sqlite3_bind_int(s, 5, q->nroutes == 2);
  sqlite3_bind_int(s, 6, r->term_months);
  sqlite3_bind_double(s, 7, q->length_m);
  sqlite3_bind_double(s, 8, q->loss_1310);
  sqlite3_bind_double(s, 9, q->loss_1550);
  sqlite3_bind_int(s, 10, q->new_splices);
  sqlite3_bind_double(s, 11, q->price_month);
  sqlite3_bind_double(s, 12, q->price_once);
  sqlite3_bind_double(s, 13, q->sla_pct);
  sqlite3_bind_int(s, 14, t->reserve_days);
  sqlite3_bind_text(s, 15, q->json, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) return gn__st_err(st, rc, "insert lease");
  *id = sqlite3_last_insert_rowid(st->db);
  rs = gn__st_prep(st,
                   "INSERT INTO lease_fibers(lease,route,seq,fiber,cable)"
                   " VALUES(?1,?2,?3,?4,?5)",
                   &s);
  if (rs != GN_OK) return rs;
  for (size_t i = 0; i < q->nfibers && rs == GN_OK; i++) {
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, *id);
    sqlite3_bind_int(s, 2, q->fiber_route[i]);
    sqlite3_bind_int64(s, 3, (int64_t)i);
    sqlite3_bind_int64(s, 4, q->fibers[i]);
    sqlite3_bind_int64(s, 5, q->fiber_cable[i]);
    rc = sqlite3_step(s);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
      rs = gn__fail(st->ctx, GN_ECONFLICT,
                    "fiber %lld was taken by another lease meanwhile",
                    (long long)q->fibers[i]);
    else if (rc != SQLITE_DONE)
      rs = gn__st_err(st, rc, "insert lease fiber");
  }
  sqlite3_finalize(s);
  return rs;
}

gn_status gn_lease_reserve(gn_store *st, const gn_lease_tariff *t,
                           const gn_lease_request *r, char **json) {
  *json = NULL;
  gn_ctx_clear(st->ctx);
  gn_status rs = gn__lease_tables(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  rs = check_operator(st, r->operator_);
  const gn__lnet *net = NULL;
  if (rs == GN_OK) rs = gn__lease_net_get(st, t, &net);
  gn__lquote q;
  memset(&q, 0, sizeof q);
  if (rs == GN_OK) rs = gn__lease_make_quote(st, net, t, r, &q);
  int64_t id = 0;
  if (rs == GN_OK) rs = insert_lease(st, t, r, &q, &id);
  char obj[64];
  snprintf(obj, sizeof obj, "lease:%lld", (long long)id);
  if (rs == GN_OK)
    rs = gn__st_audit(st, r->user ? r->user : "api", "lease.reserve", obj,
                      NULL, q.json);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  gn__lease_quote_free(st->ctx, &q);
  if (rs == GN_OK) rs = gn__lease_row_json(st, id, NULL, json);
  return rs;
}

static gn_status set_state(gn_store *st, int64_t id, const char *user,
                           int activate) {
  gn_ctx_clear(st->ctx);
  gn_status rs = gn__lease_tables(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  sqlite3_stmt *s = NULL;
  char state[32] = "";
  rs = gn__st_prep(st, "SELECT state FROM lease_leases WHERE id=?1", &s);
  if (rs == GN_OK) {
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) == SQLITE_ROW)
      snprintf(state, sizeof state, "%s", gn__col_text(s, 0));
    sqlite3_finalize(s);
  }
  const char *want = activate ? "reserved" : NULL;
  if (rs == GN_OK && !state[0])
    rs = gn__fail(st->ctx, GN_ENOTFOUND, "lease %lld: no such lease",
                  (long long)id);
  else if (rs == GN_OK && activate && strcmp(state, want) != 0)
    rs = gn__fail(st->ctx, GN_ECONFLICT,
                  "lease %lld is %s: only a reserved lease can be activated",
                  (long long)id, state);
  else if (rs == GN_OK && !activate && strcmp(state, "reserved") != 0 &&
           strcmp(state, "active") != 0)
    rs = gn__fail(st->ctx, GN_ECONFLICT,
                  "lease %lld is %s already", (long long)id, state);
  const char *sql =
      activate ? "UPDATE lease_leases SET state='active',start_date="
                 "strftime('%Y-%m-%d','now'),reserved_until=NULL WHERE id=?1"
               : "UPDATE lease_leases SET state='terminated',end_date="
                 "strftime('%Y-%m-%d','now') WHERE id=?1";
  for (int k = 0; k < (activate ? 1 : 2) && rs == GN_OK; k++) {
    rs = gn__st_prep(st,
                     k == 0 ? sql
                            : "UPDATE lease_fibers SET live=0 WHERE lease=?1",
                     &s);
    if (rs != GN_OK) break;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "update lease");
  }
  char obj[64], before[64], after[64];
  snprintf(obj, sizeof obj, "lease:%lld", (long long)id);
  snprintf(before, sizeof before, "{\"state\":\"%s\"}", state);
  snprintf(after, sizeof after, "{\"state\":\"%s\"}",
           activate ? "active" : "terminated");
  if (rs == GN_OK)
    rs = gn__st_audit(st, user ? user : "api",
                      activate ? "lease.activate" : "lease.terminate", obj,
                      before, after);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

gn_status gn_lease_activate(gn_store *st, int64_t id, const char *user) {
  return set_state(st, id, user, 1);
}

gn_status gn_lease_terminate(gn_store *st, int64_t id, const char *user) {
  return set_state(st, id, user, 0);
}
