/*
 * monitor_incident_rw.c - Incidents by hand (acknowledge, assign, cause,
 * notes, resolve) and as JSON with MTTR.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "govnet/lease.h"
#include "monitor/monitor_int.h"
#include "store/store_int.h"

static void iso(char *buf, size_t n, int64_t t) {
  time_t tt = (time_t)t;
  struct tm tm;
  if (gmtime_r(&tt, &tm))
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
  else
    snprintf(buf, n, "?");
}

static gn_status check_text(gn_ctx *ctx, const char *what, const char *s) {
  if (s && strlen(s) > 2000)
    return gn__fail(ctx, GN_EINVAL, "incident %s: at most 2000 bytes", what);
  return GN_OK;
}

static gn_status apply_update(gn_store *st, int64_t id,
                              const gn_incident_update *u, const char *user,
                              int64_t now) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_prep(
      st, "SELECT state, coalesce(notes,'') FROM monitor_incidents WHERE id=?",
      &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(q, 1, id);
  if (sqlite3_step(q) != SQLITE_ROW) {
    sqlite3_finalize(q);
    return gn__fail(st->ctx, GN_ENOTFOUND, "incident %lld not found",
                    (long long)id);
  }
  char state[16], stamp[32];
  snprintf(state, sizeof(state), "%s", gn__col_text(q, 0));
  gn__sb notes;
  gn__sb_init(&notes, st->ctx);
  gn__sb_puts(&notes, gn__col_text(q, 1));
  sqlite3_finalize(q);
  if (u->state && strcmp(state, "resolved") == 0)
    rs = gn__fail(st->ctx, GN_ECONFLICT, "incident %lld is resolved",
                  (long long)id);
  iso(stamp, sizeof(stamp), now);
  if (u->note)
    gn__sb_printf(&notes, "%s %s: %s\n", stamp, user ? user : "unknown",
                  u->note);
  char *text = NULL;
  if (rs == GN_OK) rs = gn__sb_finish(&notes, &text);
  else gn__sb_cleanup(&notes);
  if (rs == GN_OK)
    rs = gn__st_prep(
        st,
        "UPDATE monitor_incidents SET state=coalesce(?2,state),"
        " acknowledged_at=CASE WHEN ?2='acknowledged' AND acknowledged_at IS NULL"
        " THEN ?3 ELSE acknowledged_at END, resolved_at=CASE WHEN"
        " ?2='resolved' THEN ?3 ELSE resolved_at END, resolution=CASE WHEN"
        " ?2='resolved' THEN 'manual' ELSE resolution END,"
        " assignee=coalesce(?4,assignee), cause=coalesce(?5,cause), notes=?6"
        " WHERE id=?1", &q);
  if (rs == GN_OK) {
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_text(q, 2, u->state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, now);
    sqlite3_bind_text(q, 4, u->assignee, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, u->cause, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, text, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "update incident");
    sqlite3_finalize(q);
  }
  gn_free(st->ctx, text);
  char obj[48];
  snprintf(obj, sizeof(obj), "monitor_incidents/%lld", (long long)id);
  if (rs == GN_OK)
    rs = gn__st_audit(st, user ? user : "unknown", "incident-update", obj,
                      NULL, NULL);
  return rs;
}

gn_status gn_monitor_incident_update(gn_store *st, int64_t id,
                                     const gn_incident_update *u,
                                     const char *user, int64_t now) {
  gn_ctx_clear(st->ctx);
  gn_status rs = GN_OK;
  if (u->state && strcmp(u->state, "acknowledged") != 0 &&
      strcmp(u->state, "resolved") != 0)
    rs = gn__fail(st->ctx, GN_EINVAL,
                  "incident state '%s': want acknowledged or resolved",
                  u->state);
  if (rs == GN_OK) rs = check_text(st->ctx, "assignee", u->assignee);
  if (rs == GN_OK) rs = check_text(st->ctx, "cause", u->cause);
  if (rs == GN_OK) rs = check_text(st->ctx, "note", u->note);
  if (rs == GN_OK) rs = gn__mon_migrate(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  rs = apply_update(st, id, u, user, now);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

static void time_member(gn__sb *b, const char *name, sqlite3_stmt *q, int i) {
  gn__sb_printf(b, ",\"%s\":", name);
  if (sqlite3_column_type(q, i) == SQLITE_NULL) {
    gn__sb_puts(b, "null");
    return;
  }
  char t[32];
  iso(t, sizeof(t), sqlite3_column_int64(q, i));
  gn__sb_jstr(b, t);
}

static void text_member(gn__sb *b, const char *name, sqlite3_stmt *q, int i) {
  gn__sb_printf(b, ",\"%s\":", name);
  gn__sb_jstr(b, sqlite3_column_type(q, i) == SQLITE_NULL
                     ? NULL
                     : (const char *)sqlite3_column_text(q, i));
}

/* The leases a cut incident hits, with their penalty exposure (the lease
 * module's rule, default tariff): "[]" for devices and closures. */
static gn_status leases_member(gn_store *st, gn__sb *b, const char *key) {
  long long id = 0;
  gn_impact_query q;
  memset(&q, 0, sizeof(q));
  if (sscanf(key, "trench:%lld", &id) == 1)
    q.kind = GN_CUT_TRENCHES;
  else if (sscanf(key, "cable:%lld", &id) == 1)
    q.kind = GN_CUT_CABLE;
  gn__sb_puts(b, ",\"leases\":");
  if (!id) {
    gn__sb_puts(b, "[]");
    return GN_OK;
  }
  int64_t ids[1] = {(int64_t)id};
  q.ids = ids;
  q.nids = 1;
  gn_impact *imp = NULL;
  char *json = NULL;
  gn_lease_tariff t;
  gn_lease_tariff_init(&t);
  gn_status rs = gn_store_impact(st, &q, &imp);
  if (rs == GN_OK) rs = gn_lease_impact_json(st, &t, imp, &json);
  gn__sb_puts(b, rs == GN_OK && json ? json : "[]");
  gn_free(st->ctx, json);
  gn_impact_free(st->ctx, imp);
  return rs;
}

/* The incidents (open ones only, or all) whose down time overlaps
 * [from, to): opened before to, not resolved by from. */
static gn_status incidents_json(gn_store *st, int open_only, int64_t from,
                                int64_t to, char **json) {
  gn_ctx_clear(st->ctx);
  *json = NULL;
  gn_status rs = gn__mon_migrate(st);
  sqlite3_stmt *q = NULL, *s = NULL;
  if (rs == GN_OK)
    rs = gn__st_prep(
        st,
        "SELECT id, key, kind, element, state, opened_at, acknowledged_at,"
        " resolved_at, resolution, assignee, cause, notes FROM"
        " monitor_incidents WHERE (?1=0 OR state<>'resolved') AND"
        " opened_at < ?3 AND (resolved_at IS NULL OR resolved_at > ?2)"
        " ORDER BY id DESC", &q);
  if (rs == GN_OK)
    rs = gn__st_prep(st,
                     "SELECT site FROM monitor_incident_sites WHERE"
                     " incident=? ORDER BY site", &s);
  if (rs != GN_OK) {
    sqlite3_finalize(q);
    return rs;
  }
  sqlite3_bind_int(q, 1, open_only);
  sqlite3_bind_int64(q, 2, from);
  sqlite3_bind_int64(q, 3, to);
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_puts(&b, "{\"incidents\":[");
  double ttr_sum = 0;
  size_t nres = 0, n = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(q, 0);
    gn__sb_printf(&b, "%s{\"id\":%lld", n++ ? "," : "", (long long)id);
    text_member(&b, "key", q, 1);
    text_member(&b, "kind", q, 2);
    text_member(&b, "element", q, 3);
    text_member(&b, "state", q, 4);
    time_member(&b, "opened_at", q, 5);
    time_member(&b, "acknowledged_at", q, 6);
    time_member(&b, "resolved_at", q, 7);
    text_member(&b, "resolution", q, 8);
    text_member(&b, "assignee", q, 9);
    text_member(&b, "cause", q, 10);
    text_member(&b, "notes", q, 11);
    gn__sb_puts(&b, ",\"sites\":[");
    sqlite3_bind_int64(s, 1, id);
    for (int k = 0; sqlite3_step(s) == SQLITE_ROW; k++) {
      if (k) gn__sb_puts(&b, ",");
      gn__sb_jstr(&b, gn__col_text(s, 0));
    }
    sqlite3_reset(s);
    gn__sb_puts(&b, "]");
    gn_status lr = leases_member(st, &b, gn__col_text(q, 1));
    if (lr != GN_OK) {
      sqlite3_finalize(q);
      sqlite3_finalize(s);
      gn__sb_cleanup(&b);
      return lr;
    }
    gn__sb_puts(&b, ",\"ttr_s\":");
    if (sqlite3_column_type(q, 7) != SQLITE_NULL) {
      int64_t ttr = sqlite3_column_int64(q, 7) - sqlite3_column_int64(q, 5);
      gn__sb_printf(&b, "%lld", (long long)ttr);
      if (strcmp(gn__col_text(q, 8), "superseded") != 0) {
        ttr_sum += (double)ttr;
        nres++;
      }
    } else {
      gn__sb_puts(&b, "null");
    }
    gn__sb_puts(&b, "}");
  }
  sqlite3_finalize(q);
  sqlite3_finalize(s);
  gn__sb_puts(&b, "],\"mttr_s\":");
  if (nres)
    gn__sb_num(&b, ttr_sum / (double)nres);
  else
    gn__sb_puts(&b, "null");
  gn__sb_printf(&b, ",\"resolved\":%zu}", nres);
  return gn__sb_finish(&b, json);
}

gn_status gn_monitor_incidents_json(gn_store *st, int open_only, char **json) {
  return incidents_json(st, open_only, INT64_MIN, INT64_MAX, json);
}

gn_status gn_monitor_incidents_period_json(gn_store *st, int64_t from,
                                           int64_t to, char **json) {
  if (to <= from) {
    *json = NULL;
    gn_ctx_clear(st->ctx);
    return gn__fail(st->ctx, GN_EINVAL, "incidents period: the end must"
                    " follow the start");
  }
  return incidents_json(st, 0, from, to, json);
}
