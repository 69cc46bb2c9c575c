/*
 * monitor_addr.c - Management addresses of the monitored devices (CPEs at
 * the sites, OLTs and switches at the POPs), kept in the monitor's own
 * table monitor_devices (module migration "monitor").
 *
 * Design: the store's plan import knows no IP addressing, so the monitor
 * hands out addresses from a management prefix: the free host addresses
 * in ascending order, to the devices without one in a fixed order (POP
 * equipment by POP id, then CPEs by site id), so one store always gets the
 * same plan. An address once given is kept, whatever is added later;
 * operators may set real ones in the table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/monitor_int.h"
#include "store/store_int.h"

static const gn__st_migration steps[] = {
    {"monitor devices",
     "CREATE TABLE monitor_devices(equipment INTEGER PRIMARY KEY REFERENCES"
     " equipment(fid) ON DELETE CASCADE, address TEXT NOT NULL UNIQUE,"
     " assigned_at TEXT NOT NULL)",
     NULL},
    {"monitor alerts and incidents",
     "CREATE TABLE monitor_alerts(akey TEXT PRIMARY KEY, alertname TEXT NOT"
     " NULL, site TEXT, device TEXT, status TEXT NOT NULL CHECK(status IN"
     " ('firing','resolved')), starts_at INTEGER NOT NULL, ends_at INTEGER,"
     " updated_at INTEGER NOT NULL);"
     "CREATE INDEX monitor_alerts_firing ON monitor_alerts(alertname, status);"
     "CREATE TABLE monitor_incidents(id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " key TEXT NOT NULL, kind TEXT NOT NULL CHECK(kind IN ('cut','device')),"
     " element TEXT NOT NULL, state TEXT NOT NULL CHECK(state IN ('open',"
     "'acknowledged','resolved')), opened_at INTEGER NOT NULL,"
     " acknowledged_at INTEGER, resolved_at INTEGER, resolution TEXT,"
     " assignee TEXT, cause TEXT, notes TEXT);"
     "CREATE INDEX monitor_incidents_key ON monitor_incidents(key, state);"
     "CREATE TABLE monitor_incident_sites(incident INTEGER NOT NULL"
     " REFERENCES monitor_incidents(id) ON DELETE CASCADE, site TEXT NOT"
     " NULL, PRIMARY KEY(incident, site)) WITHOUT ROWID;",
     NULL},
};

gn_status gn__mon_migrate(gn_store *st) {
  return gn__st_module_migrate(st, "monitor", steps,
                               sizeof(steps) / sizeof(steps[0]));
}

/* "a.b.c.d/len" -> network and host count (excluding network and
 * broadcast for len < 31). */
static gn_status parse_prefix(gn_ctx *ctx, const char *p, uint32_t *net,
                              uint32_t *nhosts) {
  unsigned a, b, c, d, len;
  char tail;
  if (sscanf(p, "%u.%u.%u.%u/%u%c", &a, &b, &c, &d, &len, &tail) != 5 ||
      a > 255 || b > 255 || c > 255 || d > 255 || len < 8 || len > 30)
    return gn__fail(ctx, GN_EINVAL,
                    "management prefix '%s': want IPv4 a.b.c.d/len with len"
                    " 8..30", p);
  uint32_t mask = len == 32 ? 0xffffffffu : ~(0xffffffffu >> len);
  *net = ((a << 24) | (b << 16) | (c << 8) | d) & mask;
  *nhosts = (0xffffffffu >> len) - 1;
  return GN_OK;
}

static int parse_addr(const char *s, uint32_t *out) {
  unsigned a, b, c, d;
  char tail;
  if (sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 ||
      b > 255 || c > 255 || d > 255)
    return -1;
  *out = (a << 24) | (b << 16) | (c << 8) | d;
  return 0;
}

static int cmp_u32(const void *x, const void *y) {
  uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
  return a < b ? -1 : a > b;
}

/* Addresses already given, sorted. */
static gn_status used_addresses(gn_store *st, uint32_t **v, size_t *n) {
  sqlite3_stmt *q = NULL;
  size_t cap = 0;
  *v = NULL;
  *n = 0;
  gn_status rs = gn__st_prep(st, "SELECT address FROM monitor_devices", &q);
  while (rs == GN_OK && sqlite3_step(q) == SQLITE_ROW) {
    uint32_t a;
    if (parse_addr(gn__col_text(q, 0), &a) != 0) continue;
    if (GN__GROW(st->ctx, *v, cap, *n + 1) != GN_OK)
      rs = gn__fail(st->ctx, GN_ENOMEM, "out of memory");
    else
      (*v)[(*n)++] = a;
  }
  sqlite3_finalize(q);
  if (rs == GN_OK && *n > 1) qsort(*v, *n, sizeof(uint32_t), cmp_u32);
  return rs;
}

static gn_status assign(gn_store *st, uint32_t net, uint32_t nhosts,
                        size_t *assigned) {
  uint32_t *used = NULL;
  size_t nused = 0;
  gn_status rs = used_addresses(st, &used, &nused);
  sqlite3_stmt *q = NULL, *ins = NULL;
  if (rs == GN_OK)
    rs = gn__st_prep(
        st,
        "SELECT e.fid FROM equipment e LEFT JOIN monitor_devices d ON"
        " d.equipment=e.fid LEFT JOIN sites s ON s.fid=e.site LEFT JOIN pops"
        " p ON p.fid=e.pop WHERE d.equipment IS NULL AND e.kind IN"
        " ('olt','switch','cpe') ORDER BY e.kind='cpe', coalesce(p.pop_id,"
        " s.site_id), e.fid", &q);
  if (rs == GN_OK)
    rs = gn__st_prep(st,
                     "INSERT INTO monitor_devices VALUES(?,?,strftime("
                     "'%Y-%m-%dT%H:%M:%SZ','now'))", &ins);
  uint32_t host = 1;
  size_t k = 0;
  while (rs == GN_OK && sqlite3_step(q) == SQLITE_ROW) {
    while (host <= nhosts && k < nused && used[k] <= net + host) {
      if (used[k] == net + host) host++;
      k++;
    }
    if (host > nhosts) {
      rs = gn__fail(st->ctx, GN_ELIMIT,
                    "management prefix full: no address left for device %lld",
                    (long long)sqlite3_column_int64(q, 0));
      break;
    }
    uint32_t a = net + host++;
    char txt[16];
    snprintf(txt, sizeof(txt), "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
             (a >> 8) & 255, a & 255);
    sqlite3_bind_int64(ins, 1, sqlite3_column_int64(q, 0));
    sqlite3_bind_text(ins, 2, txt, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "assign address");
    (*assigned)++;
  }
  sqlite3_finalize(q);
  sqlite3_finalize(ins);
  gn_free(st->ctx, used);
  return rs;
}

gn_status gn__mon_assign(gn_store *st, const char *prefix, const char *user,
                         size_t *assigned) {
  size_t n = 0;
  uint32_t net = 0, nhosts = 0;
  gn_status rs = parse_prefix(st->ctx, prefix ? prefix : "10.200.0.0/16",
                              &net, &nhosts);
  if (rs == GN_OK) rs = gn__mon_migrate(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  rs = assign(st, net, nhosts, &n);
  if (rs == GN_OK && n) {
    char after[96];
    snprintf(after, sizeof(after), "{\"assigned\":%zu,\"prefix\":\"%s\"}", n,
             prefix ? prefix : "10.200.0.0/16");
    rs = gn__st_audit(st, user ? user : "unknown", "monitor-addresses",
                      "monitor_devices", NULL, after);
  }
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) {
    gn__st_rollback(st);
    n = 0;
  }
  if (assigned) *assigned = n;
  return rs;
}

gn_status gn_monitor_assign_addresses(gn_store *st, const char *prefix,
                                      const char *user, size_t *assigned) {
  gn_ctx_clear(st->ctx);
  return gn__mon_assign(st, prefix, user, assigned);
}
