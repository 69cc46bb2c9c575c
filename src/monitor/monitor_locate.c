/*
 * monitor_locate.c - An OTDR distance measured from the POP pinned on the
 * map: which trench, how far along it, the point, and what a break there
 * takes down.
 *
 * Design: the site (its first working circuit) or the circuit names the
 * POP end of the path, the ODF port of the circuit's first strand; the
 * walk along the fiber is the store's OTDR locator (gn_store_impact with
 * GN_CUT_OTDR), which turns the optical distance into trench metres the
 * way the rest of govnet does (cable = trench x 1.02, a 15 m slack loop
 * at each closure, 10 m at each end) and interpolates the point on the
 * trench's geometry. Nothing is written.
 * Ownership: the JSON is allocated with the store's ctx. Threads: as the
 * store.
 */
#include <stdio.h>
#include <string.h>

#include "monitor/monitor_int.h"
#include "store/store_int.h"

/* The POP-end port: the ODF port of the first strand of the circuit, or
 * of the site's first working circuit. */
static gn_status pop_port(gn_store *st, const gn_locate_query *q,
                          int64_t *circuit, int64_t *port) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      st,
      q->site ? "SELECT c.fid, cs.odf_port FROM sites x JOIN circuits c ON"
                " c.site=x.fid JOIN circuit_strands cs ON cs.circuit=c.fid"
                " WHERE x.site_id=?1 AND c.role='working' AND cs.odf_port IS"
                " NOT NULL ORDER BY c.fid, cs.strand LIMIT 1"
              : "SELECT circuit, odf_port FROM circuit_strands WHERE"
                " circuit=?1 AND odf_port IS NOT NULL ORDER BY strand LIMIT 1",
      &s);
  if (rs != GN_OK) return rs;
  if (q->site) sqlite3_bind_text(s, 1, q->site, -1, SQLITE_STATIC);
  else sqlite3_bind_int64(s, 1, q->circuit);
  if (sqlite3_step(s) == SQLITE_ROW) {
    *circuit = sqlite3_column_int64(s, 0);
    *port = sqlite3_column_int64(s, 1);
  }
  sqlite3_finalize(s);
  if (*port) return GN_OK;
  if (!q->site)
    return gn__fail(st->ctx, GN_ENOTFOUND, "circuit %lld not found (or no"
                    " POP port)", (long long)q->circuit);
  int known = 0;
  if (gn__st_prep(st, "SELECT 1 FROM sites WHERE site_id=?1", &s) == GN_OK) {
    sqlite3_bind_text(s, 1, q->site, -1, SQLITE_STATIC);
    known = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
  }
  return gn__fail(st->ctx, GN_ENOTFOUND, known ? "site '%s' has no working"
                  " circuit from a POP" : "site '%s' not found", q->site);
}

static void id_list(gn__sb *b, const char *name, const gn_impact *imp,
                    int protected_) {
  gn__sb_printf(b, ",\"%s\":[", name);
  for (size_t i = 0, k = 0; i < imp->nsites; i++) {
    if (!imp->sites[i].protected_ != !protected_) continue;
    if (k++) gn__sb_puts(b, ",");
    gn__sb_jstr(b, imp->sites[i].id);
  }
  gn__sb_puts(b, "]");
}

static gn_status write_json(gn_store *st, const gn_locate_query *q,
                            int64_t circuit, int64_t port,
                            const gn_impact *imp, char **json) {
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_puts(&b, "{\"site\":");
  gn__sb_jstr(&b, q->site);
  gn__sb_printf(&b, ",\"circuit\":%lld,\"port\":%lld,\"distance_m\":",
                (long long)circuit, (long long)port);
  gn__sb_num(&b, q->distance_m);
  gn__sb_printf(&b, ",\"trench\":%lld,\"along_m\":",
                (long long)(imp->ntrenches ? imp->trenches[0] : 0));
  gn__sb_num(&b, imp->along_m);
  gn__sb_puts(&b, ",\"lon\":");
  gn__sb_num(&b, imp->lon);
  gn__sb_puts(&b, ",\"lat\":");
  gn__sb_num(&b, imp->lat);
  gn__sb_puts(&b, ",\"point\":{\"type\":\"Point\",\"coordinates\":[");
  gn__sb_num(&b, imp->lon);
  gn__sb_puts(&b, ",");
  gn__sb_num(&b, imp->lat);
  gn__sb_puts(&b, "]}");
  id_list(&b, "down", imp, 0);
  id_list(&b, "protected", imp, 1);
  gn__sb_puts(&b, "}");
  return gn__sb_finish(&b, json);
}

gn_status gn_monitor_locate(gn_store *st, const gn_locate_query *q,
                            gn_locate_result *out, char **json) {
  gn_ctx_clear(st->ctx);
  memset(out, 0, sizeof(*out));
  if (json) *json = NULL;
  if ((q->site != NULL) + (q->circuit > 0) + (q->port > 0) != 1)
    return gn__fail(st->ctx, GN_EINVAL, "locate: give one of site, circuit"
                    " or port");
  if (!(q->distance_m >= 0) || q->distance_m > 1e6)
    return gn__fail(st->ctx, GN_EINVAL, "locate: distance %g m: want 0 to"
                    " 1,000,000 m from the POP end", q->distance_m);
  int64_t circuit = 0, port = q->port;
  gn_status rs = port ? GN_OK : pop_port(st, q, &circuit, &port);
  gn_impact_query iq;
  memset(&iq, 0, sizeof(iq));
  iq.kind = GN_CUT_OTDR;
  iq.otdr_port = port;
  iq.otdr_distance_m = q->distance_m;
  gn_impact *imp = NULL;
  if (rs == GN_OK) rs = gn_store_impact(st, &iq, &imp);
  if (rs == GN_OK && (!imp->has_point || !imp->ntrenches))
    rs = gn__fail(st->ctx, GN_EINTERNAL, "locate: no point on the trench");
  if (rs == GN_OK) {
    *out = (gn_locate_result){circuit, port, imp->trenches[0], imp->along_m,
                              imp->lon, imp->lat, 0, 0};
    for (size_t i = 0; i < imp->nsites; i++) {
      if (imp->sites[i].protected_) out->nprotected++;
      else out->ndown++;
    }
  }
  if (rs == GN_OK && json) rs = write_json(st, q, circuit, port, imp, json);
  gn_impact_free(st->ctx, imp);
  return rs;
}
