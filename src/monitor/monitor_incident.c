/*
 * monitor_incident.c - Alerts in, incidents out: the Alertmanager batch
 * is recorded, the sites down are diagnosed on the fiber, and each failed
 * element of the best explanation is one incident (open -> acknowledged
 * -> resolved, with times, assignee, cause, notes; MTTR).
 *
 * Design: the alert state is a table keyed by alertname + site + device
 * (Alertmanager resends firing alerts and sends resolved ones), so the
 * down set is always "what is firing now", whatever batches it came in.
 * Incidents are keyed by the element they blame ("trench:286"): the same
 * cut seen again updates its incident, a new one opens another, and an
 * incident whose element is no longer blamed is resolved, "recovered" if
 * none of its sites is down any more, else "superseded" (its sites are
 * now explained by another incident). Everything for one batch is one
 * transaction with one audit row. The leases a cut hits are listed with
 * the incidents (monitor_incident_rw.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "monitor/monitor_int.h"
#include "store/store_int.h"

#define MAX_TEXT 2000

typedef struct part {
  char key[160], element[160];
  const char *kind;
  char **sites; /* borrowed from the down list */
  size_t nsites;
  int64_t id;
} part;

typedef struct ingest {
  gn_store *st;
  gn_ctx *ctx;
  const gn_monitor_net *net; /* borrowed: the connection's model */
  char **down;
  size_t ndown;
  part *parts;
  size_t nparts;
  int64_t now;
  gn_monitor_ingest res;
} ingest;

static gn_status oom(gn_ctx *ctx) {
  return gn__fail(ctx, GN_ENOMEM, "out of memory recording alerts");
}

static gn_status step_done(gn_store *st, sqlite3_stmt *q, const char *what) {
  int rc = sqlite3_step(q);
  sqlite3_reset(q);
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? GN_OK
                                               : gn__st_err(st, rc, what);
}

static gn_status record_alerts(ingest *g, const gn_alert_batch *b) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(
      g->st,
      "INSERT INTO monitor_alerts VALUES(?1||char(31)||coalesce(?2,'')||"
      "char(31)||coalesce(?3,''),?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(akey) DO"
      " UPDATE SET status=excluded.status, starts_at=excluded.starts_at,"
      " ends_at=excluded.ends_at, updated_at=excluded.updated_at", &q);
  for (size_t i = 0; rs == GN_OK && i < b->nalerts; i++) {
    const gn_alert *a = &b->alerts[i];
    sqlite3_bind_text(q, 1, a->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, a->site, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, a->device, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, a->status == GN_ALERT_FIRING ? "firing" : "resolved",
                      -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 5, a->starts_at);
    if (a->ends_at)
      sqlite3_bind_int64(q, 6, a->ends_at);
    else
      sqlite3_bind_null(q, 6);
    sqlite3_bind_int64(q, 7, g->now);
    rs = step_done(g->st, q, "record alert");
    g->res.alerts++;
  }
  gn__st_release(g->st, q);
  return rs;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static gn_status load_down(ingest *g) {
  sqlite3_stmt *q = NULL;
  size_t cap = 0;
  gn_status rs = gn__st_cached(
      g->st,
      "SELECT DISTINCT a.site FROM monitor_alerts a JOIN sites s ON"
      " s.site_id=a.site WHERE a.alertname='GovnetSiteDown' AND"
      " a.status='firing' ORDER BY 1", &q);
  while (rs == GN_OK && sqlite3_step(q) == SQLITE_ROW) {
    if (GN__GROW(g->ctx, g->down, cap, g->ndown + 1) != GN_OK) {
      rs = oom(g->ctx);
      break;
    }
    g->down[g->ndown] = gn__strdup(g->ctx, gn__col_text(q, 0));
    if (!g->down[g->ndown]) rs = oom(g->ctx);
    else g->ndown++;
  }
  gn__st_release(g->st, q);
  return rs;
}

static char **down_find(const ingest *g, const char *id) {
  return g->ndown ? bsearch(&id, g->down, g->ndown, sizeof(char *), cmp_str)
                  : NULL;
}

/* Down sites with a live circuit through element e. */
static gn_status element_sites(ingest *g, long e, part *p) {
  const gn_monitor_net *net = g->net;
  if (e < 0) return GN_OK;
  p->sites = gn_malloc(g->ctx, (g->ndown ? g->ndown : 1) * sizeof(char *));
  if (!p->sites) return oom(g->ctx);
  for (uint32_t j = net->el_circ_off[e]; j < net->el_circ_off[e + 1]; j++) {
    uint32_t c = net->el_circ[j];
    char **hit = down_find(g, net->site_id[net->circ_site[c]]);
    if (!hit || net->circ_dead[c]) continue;
    size_t k = 0;
    while (k < p->nsites && p->sites[k] != *hit) k++;
    if (k == p->nsites) p->sites[p->nsites++] = *hit;
  }
  return GN_OK;
}

static gn_status add_part(ingest *g, int kind, int64_t id, const char *dev) {
  static const char *const names[3] = {"trench", "cable", "closure"};
  part *p = &g->parts[g->nparts++];
  memset(p, 0, sizeof(*p));
  if (dev) {
    p->kind = "device";
    snprintf(p->key, sizeof(p->key), "device:%s", dev);
    snprintf(p->element, sizeof(p->element), "device or power at site %s", dev);
    p->sites = gn_malloc(g->ctx, sizeof(char *));
    char **hit = down_find(g, dev);
    if (!p->sites) return oom(g->ctx);
    if (hit) p->sites[p->nsites++] = *hit;
    return GN_OK;
  }
  p->kind = "cut";
  snprintf(p->key, sizeof(p->key), "%s:%lld", names[kind], (long long)id);
  snprintf(p->element, sizeof(p->element), "%s %lld", names[kind],
           (long long)id);
  return element_sites(g, gn__mon_el_find(g->net, kind, id), p);
}

static gn_status make_parts(ingest *g, const gn_diag_candidate *c) {
  size_t n = c->ntrenches + c->ncables + c->nclosures + c->ndevices;
  g->parts = gn_malloc(g->ctx, (n ? n : 1) * sizeof(part));
  if (!g->parts) return oom(g->ctx);
  gn_status rs = GN_OK;
  for (size_t i = 0; rs == GN_OK && i < c->ntrenches; i++)
    rs = add_part(g, GN__EL_TRENCH, c->trenches[i], NULL);
  for (size_t i = 0; rs == GN_OK && i < c->ncables; i++)
    rs = add_part(g, GN__EL_CABLE, c->cables[i], NULL);
  for (size_t i = 0; rs == GN_OK && i < c->nclosures; i++)
    rs = add_part(g, GN__EL_CLOSURE, c->closures[i], NULL);
  for (size_t i = 0; rs == GN_OK && i < c->ndevices; i++)
    rs = add_part(g, 0, 0, c->devices[i]);
  return rs;
}

/* The sites of incident id := those of p. */
static gn_status set_sites(ingest *g, int64_t id, const part *p) {
  sqlite3_stmt *del = NULL, *ins = NULL;
  gn_status rs = gn__st_cached(
      g->st, "DELETE FROM monitor_incident_sites WHERE incident=?", &del);
  if (rs == GN_OK)
    rs = gn__st_cached(g->st,
                       "INSERT OR IGNORE INTO monitor_incident_sites VALUES(?,?)",
                       &ins);
  if (rs == GN_OK) {
    sqlite3_bind_int64(del, 1, id);
    rs = step_done(g->st, del, "incident sites");
  }
  for (size_t i = 0; rs == GN_OK && i < p->nsites; i++) {
    sqlite3_bind_int64(ins, 1, id);
    sqlite3_bind_text(ins, 2, p->sites[i], -1, SQLITE_STATIC);
    rs = step_done(g->st, ins, "incident sites");
  }
  gn__st_release(g->st, del);
  gn__st_release(g->st, ins);
  return rs;
}

/* Update the open incident of p's key, or open one. */
static gn_status upsert_incident(ingest *g, part *p) {
  int64_t id = 0;
  int found = 0;
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(
      g->st,
      "SELECT id FROM monitor_incidents WHERE key=? AND state<>'resolved'",
      &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(q, 1, p->key, -1, SQLITE_STATIC);
  if (sqlite3_step(q) == SQLITE_ROW) {
    id = sqlite3_column_int64(q, 0);
    found = 1;
  }
  gn__st_release(g->st, q);
  if (!found) {
    int64_t opened = g->now;
    sqlite3_stmt *t = NULL;
    rs = gn__st_cached(g->st,
                       "SELECT min(starts_at) FROM monitor_alerts WHERE"
                       " alertname='GovnetSiteDown' AND status='firing' AND"
                       " site=?", &t);
    for (size_t i = 0; rs == GN_OK && i < p->nsites; i++) {
      sqlite3_bind_text(t, 1, p->sites[i], -1, SQLITE_STATIC);
      if (sqlite3_step(t) == SQLITE_ROW &&
          sqlite3_column_type(t, 0) != SQLITE_NULL &&
          sqlite3_column_int64(t, 0) < opened)
        opened = sqlite3_column_int64(t, 0);
      sqlite3_reset(t);
    }
    gn__st_release(g->st, t);
    sqlite3_stmt *ins = NULL;
    if (rs == GN_OK)
      rs = gn__st_cached(g->st,
                         "INSERT INTO monitor_incidents(key,kind,element,"
                         "state,opened_at) VALUES(?,?,?,'open',?)", &ins);
    if (rs == GN_OK) {
      sqlite3_bind_text(ins, 1, p->key, -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 2, p->kind, -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 3, p->element, -1, SQLITE_STATIC);
      sqlite3_bind_int64(ins, 4, opened);
      rs = step_done(g->st, ins, "open incident");
      id = sqlite3_last_insert_rowid(g->st->db);
    }
    gn__st_release(g->st, ins);
    g->res.opened++;
  } else {
    g->res.updated++;
  }
  p->id = id;
  return rs == GN_OK ? set_sites(g, id, p) : rs;
}

/* Resolve the open incidents no part names. A recovered one is resolved
 * when its last site came back: the latest endsAt of its sites' resolved
 * alerts (Alertmanager's resolve time, before the webhook's group delay),
 * kept within [opened_at, now]; now when an alert has no endsAt. */
static gn_status resolve_others(ingest *g) {
  sqlite3_stmt *q = NULL, *up = NULL;
  gn_status rs = gn__st_prep(
      g->st,
      "SELECT i.id, (SELECT count(*) FROM monitor_incident_sites x JOIN"
      " monitor_alerts a ON a.site=x.site AND a.alertname='GovnetSiteDown'"
      " AND a.status='firing' WHERE x.incident=i.id), (SELECT CASE WHEN"
      " count(*)=count(a.ends_at) THEN max(a.ends_at) END FROM"
      " monitor_incident_sites x JOIN monitor_alerts a ON a.site=x.site AND"
      " a.alertname='GovnetSiteDown' WHERE x.incident=i.id), i.opened_at FROM"
      " monitor_incidents i WHERE i.state<>'resolved'", &q);
  if (rs == GN_OK)
    rs = gn__st_cached(g->st,
                       "UPDATE monitor_incidents SET state='resolved',"
                       " resolved_at=?2, resolution=?3 WHERE id=?1", &up);
  while (rs == GN_OK && sqlite3_step(q) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(q, 0);
    int named = 0;
    for (size_t i = 0; i < g->nparts; i++) named |= g->parts[i].id == id;
    if (named) continue;
    int superseded = sqlite3_column_int64(q, 1) > 0;
    int64_t at = g->now;
    if (!superseded && sqlite3_column_type(q, 2) != SQLITE_NULL &&
        sqlite3_column_int64(q, 2) < at) {
      at = sqlite3_column_int64(q, 2);
      if (at < sqlite3_column_int64(q, 3)) at = sqlite3_column_int64(q, 3);
    }
    sqlite3_bind_int64(up, 1, id);
    sqlite3_bind_int64(up, 2, at);
    sqlite3_bind_text(up, 3, superseded ? "superseded" : "recovered", -1,
                      SQLITE_STATIC);
    rs = step_done(g->st, up, "resolve incident");
    g->res.resolved++;
  }
  sqlite3_finalize(q);
  gn__st_release(g->st, up);
  return rs;
}

static gn_status run(ingest *g, const gn_alert_batch *b, const char *user) {
  gn_status rs = record_alerts(g, b);
  if (rs == GN_OK) rs = load_down(g);
  gn_diagnosis *d = NULL;
  if (rs == GN_OK && g->ndown)
    rs = gn_monitor_diagnose(g->ctx, g->net, (const char *const *)g->down,
                             g->ndown, NULL, 0, NULL, &d);
  if (rs == GN_OK && d && d->ncandidates)
    rs = make_parts(g, &d->candidates[0]);
  gn_diagnosis_free(g->ctx, d);
  for (size_t i = 0; rs == GN_OK && i < g->nparts; i++)
    rs = upsert_incident(g, &g->parts[i]);
  if (rs == GN_OK) rs = resolve_others(g);
  g->res.down = g->ndown;
  char after[200];
  snprintf(after, sizeof(after),
           "{\"alerts\":%zu,\"down\":%zu,\"opened\":%zu,\"updated\":%zu,"
           "\"resolved\":%zu}", g->res.alerts, g->res.down, g->res.opened,
           g->res.updated, g->res.resolved);
  if (rs == GN_OK)
    rs = gn__st_audit(g->st, user ? user : "alertmanager", "monitor-alerts",
                      "monitor_incidents", NULL, after);
  return rs;
}

gn_status gn_monitor_alerts_ingest(gn_store *st, const gn_alert_batch *b,
                                   const char *user, int64_t now,
                                   gn_monitor_ingest *out) {
  gn_ctx_clear(st->ctx);
  ingest g;
  memset(&g, 0, sizeof(g));
  g.st = st;
  g.ctx = st->ctx;
  g.now = now;
  gn_status rs = gn__mon_migrate(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs == GN_OK) {
    /* the model under the write lock: what is diagnosed is what is stored */
    rs = gn__mon_net_get(st, &g.net);
    if (rs == GN_OK) rs = run(&g, b, user);
    if (rs == GN_OK) gn__mon_net_keep(st); /* only monitor tables written */
    if (rs == GN_OK) rs = gn__st_commit(st);
    if (rs != GN_OK) gn__st_rollback(st);
  }
  for (size_t i = 0; i < g.nparts; i++) gn_free(g.ctx, g.parts[i].sites);
  gn_free(g.ctx, g.parts);
  for (size_t i = 0; i < g.ndown; i++) gn_free(g.ctx, g.down[i]);
  gn_free(g.ctx, g.down);
  if (out) {
    if (rs != GN_OK) memset(&g.res, 0, sizeof(g.res));
    *out = g.res;
  }
  return rs;
}
