/*
 * store_query.c - Read side of the store for the HTTP API and exports:
 * layers as paginated GeoJSON, one feature by id, the summary/BOM, the
 * audit log, and whole-store export (GeoPackage copy or GeoJSON).
 *
 * Design: a static table of layer descriptors (SQL select list, FROM, the
 * bbox predicate and the id column) drives one generic feature writer;
 * properties are written from SQLite's dynamic column types, so adding a
 * column is one edit of the descriptor. Bbox filters use the stored
 * bounds (trenches) or the point coordinates (sites, nodes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/text.h"
#include "govnet/design.h"
#include "store/store_int.h"

typedef struct layer_def {
  const char *name;
  const char *select;  /* col 0 = id, col 1 = geometry blob, rest = props */
  const char *from;
  const char *bbox;    /* predicate on ?1..?4 = minlon,minlat,maxlon,maxlat */
  const char *idcol;
  int text_id;
} layer_def;

static const layer_def layers[GN_LAYER_COUNT] = {
    {"sites",
     "s.site_id, s.geom, s.name, s.category, s.priority, s.critical, s.phase,"
     " s.drop_m, (SELECT count(*) FROM circuits c WHERE c.site=s.fid) AS"
     " circuits, (SELECT c.fid FROM circuits c WHERE c.site=s.fid AND"
     " c.role='working' ORDER BY c.fid LIMIT 1) AS circuit, (SELECT"
     " cs.cpe_port FROM circuit_strands cs WHERE cs.circuit=(SELECT c.fid"
     " FROM circuits c WHERE c.site=s.fid AND c.role='working' ORDER BY"
     " c.fid LIMIT 1) ORDER BY cs.strand LIMIT 1) AS cpe_port",
     "sites s", "s.lon>=?1 AND s.lat>=?2 AND s.lon<=?3 AND s.lat<=?4",
     "s.site_id", 1},
    {"pops", "p.pop_id, p.geom, p.name", "pops p JOIN nodes n ON n.id=p.node",
     "n.lon>=?1 AND n.lat>=?2 AND n.lon<=?3 AND n.lat<=?4", "p.pop_id", 1},
    {"trenches",
     "t.fid, t.geom, t.length_m, t.redundant, t.road_class,"
     " t.sites_downstream, t.phase, t.a_node, t.b_node",
     "trenches t", "t.max_x>=?1 AND t.max_y>=?2 AND t.min_x<=?3 AND"
     " t.min_y<=?4", "t.fid", 0},
    {"cables",
     "c.fid, c.geom, c.name, c.type, c.trench, c.fiber_count, c.tubes,"
     " c.length_m, c.a_node, c.b_node, (SELECT count(*) FROM"
     " cable_trenches x WHERE x.cable=c.fid) AS trenches", "cables c",
     "EXISTS(SELECT 1 FROM cable_trenches x JOIN trenches t ON"
     " t.fid=x.trench WHERE x.cable=c.fid AND t.max_x>=?1 AND t.max_y>=?2"
     " AND t.min_x<=?3 AND t.min_y<=?4)", "c.fid", 0},
    {"closures",
     "k.fid, k.geom, k.name, k.node, (SELECT count(*) FROM splices x WHERE"
     " x.closure=k.fid) AS splices", "closures k JOIN nodes n ON n.id=k.node",
     "n.lon>=?1 AND n.lat>=?2 AND n.lon<=?3 AND n.lat<=?4", "k.fid", 0},
    {"circuits",
     "c.fid, NULL, c.name, c.role, s.site_id AS site, s.category,"
     " p.pop_id AS pop",
     "circuits c JOIN sites s ON s.fid=c.site LEFT JOIN pops p ON"
     " p.fid=c.pop",
     "EXISTS(SELECT 1 FROM circuit_trenches ct JOIN trenches t ON"
     " t.fid=ct.trench WHERE ct.circuit=c.fid AND t.max_x>=?1 AND"
     " t.max_y>=?2 AND t.min_x<=?3 AND t.min_y<=?4)", "c.fid", 0}};

const char *gn_store_layer_name(gn_store_layer l) {
  return (unsigned)l < GN_LAYER_COUNT ? layers[l].name : "?";
}

gn_store_layer gn_store_layer_parse(const char *name) {
  for (int i = 0; i < GN_LAYER_COUNT; i++)
    if (name && strcmp(name, layers[i].name) == 0) return (gn_store_layer)i;
  return GN_LAYER_COUNT;
}

static void prop_value(gn__sb *b, sqlite3_stmt *s, int i) {
  switch (sqlite3_column_type(s, i)) {
    case SQLITE_INTEGER:
      gn__sb_printf(b, "%lld", (long long)sqlite3_column_int64(s, i));
      break;
    case SQLITE_FLOAT:
      gn__sb_num(b, sqlite3_column_double(s, i));
      break;
    case SQLITE_NULL:
      gn__sb_puts(b, "null");
      break;
    default:
      gn__sb_jstr(b, gn__col_text(s, i));
  }
}

static gn_status circuit_geom(gn_store *st, gn__sb *b, int64_t circuit) {
  sqlite3_stmt *q = NULL;
  int64_t ids[4096];
  size_t n = 0;
  gn_status rs = gn__st_prep(
      st, "SELECT trench FROM circuit_trenches WHERE circuit=?", &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(q, 1, circuit);
  while (sqlite3_step(q) == SQLITE_ROW && n < 4096)
    ids[n++] = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return gn__st_multiline(st, b, "trenches", ids, n);
}

/* One Feature from the current row of s. */
static gn_status feature(gn_store *st, gn__sb *b, gn_store_layer l,
                         sqlite3_stmt *s, int with_layer) {
  gn__sb_puts(b, "{\"type\":\"Feature\",\"id\":");
  prop_value(b, s, 0);
  gn__sb_puts(b, ",\"geometry\":");
  gn_status rs = GN_OK;
  if (l == GN_LAYER_CIRCUITS)
    rs = circuit_geom(st, b, sqlite3_column_int64(s, 0));
  else
    gn__gpkg_geojson(b, sqlite3_column_blob(s, 1),
                     (size_t)sqlite3_column_bytes(s, 1));
  gn__sb_puts(b, ",\"properties\":{");
  if (with_layer) gn__sb_printf(b, "\"layer\":\"%s\",", layers[l].name);
  gn__sb_puts(b, "\"id\":");
  prop_value(b, s, 0);
  for (int i = 2; i < sqlite3_column_count(s); i++) {
    gn__sb_puts(b, ",");
    gn__sb_jstr(b, sqlite3_column_name(s, i));
    gn__sb_puts(b, ":");
    prop_value(b, s, i);
  }
  gn__sb_puts(b, "}}");
  return rs;
}

static gn_status check_query(gn_store *st, gn_store_layer l,
                             const gn_store_query *q) {
  if ((unsigned)l >= GN_LAYER_COUNT)
    return gn__fail(st->ctx, GN_EINVAL, "unknown layer");
  if (q && q->has_bbox &&
      !(q->min_lon <= q->max_lon && q->min_lat <= q->max_lat &&
        q->min_lon >= -180 && q->max_lon <= 180 && q->min_lat >= -90 &&
        q->max_lat <= 90))
    return gn__fail(st->ctx, GN_EINVAL,
                    "bbox: need min_lon<=max_lon, min_lat<=max_lat in range");
  if (q && q->category && l == GN_LAYER_SITES &&
      gn_category_parse(q->category) == GN_CAT_COUNT)
    return gn__fail(st->ctx, GN_EINVAL, "category '%s' unknown", q->category);
  if (!q || !q->site) return GN_OK;
  if (l != GN_LAYER_CIRCUITS)
    return gn__fail(st->ctx, GN_EINVAL,
                    "site filter: only the circuits layer has one, not %s",
                    layers[l].name);
  sqlite3_stmt *s = NULL;
  gn_status rs =
      gn__st_cached(st, "SELECT 1 FROM sites WHERE site_id=?1", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, q->site, -1, SQLITE_TRANSIENT);
  int found = sqlite3_step(s) == SQLITE_ROW;
  gn__st_release(st, s);
  return found ? GN_OK
               : gn__fail(st->ctx, GN_ENOTFOUND, "site '%.128s' not found",
                          q->site);
}

static void where(gn__sb *b, gn_store_layer l, const gn_store_query *q) {
  gn__sb_puts(b, " WHERE 1");
  if (q && q->has_bbox) {
    gn__sb_puts(b, " AND ");
    gn__sb_puts(b, layers[l].bbox);
  }
  if (q && q->category && (l == GN_LAYER_SITES || l == GN_LAYER_CIRCUITS))
    gn__sb_puts(b, " AND s.category=lower(?5)");
  /* circuits_site index: the site's fid from its unique site_id */
  if (q && q->site && l == GN_LAYER_CIRCUITS)
    gn__sb_puts(b, " AND c.site=(SELECT fid FROM sites WHERE site_id=?6)");
}

static void bind_query(sqlite3_stmt *s, const gn_store_query *q) {
  if (!q) return;
  if (q->has_bbox) {
    sqlite3_bind_double(s, 1, q->min_lon);
    sqlite3_bind_double(s, 2, q->min_lat);
    sqlite3_bind_double(s, 3, q->max_lon);
    sqlite3_bind_double(s, 4, q->max_lat);
  }
  if (q->category && sqlite3_bind_parameter_index(s, "?5"))
    sqlite3_bind_text(s, 5, q->category, -1, SQLITE_TRANSIENT);
  if (q->site && sqlite3_bind_parameter_index(s, "?6"))
    sqlite3_bind_text(s, 6, q->site, -1, SQLITE_TRANSIENT);
}

static gn_status prep_sql(gn_store *st, gn__sb *sql, sqlite3_stmt **s) {
  if (sql->oom) return gn__fail(st->ctx, GN_ENOMEM, "out of memory");
  gn_status rs = gn__st_prep(st, sql->p, s);
  gn__sb_cleanup(sql);
  return rs;
}

static gn_status count_rows(gn_store *st, gn_store_layer l,
                            const gn_store_query *q, int64_t *total) {
  gn__sb sql;
  gn__sb_init(&sql, st->ctx);
  gn__sb_printf(&sql, "SELECT count(*) FROM %s", layers[l].from);
  where(&sql, l, q);
  sqlite3_stmt *s = NULL;
  gn_status rs = prep_sql(st, &sql, &s);
  if (rs != GN_OK) return rs;
  bind_query(s, q);
  *total = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  sqlite3_finalize(s);
  return GN_OK;
}

/* Append the features of layer l matching q (comma-separated). */
static gn_status features(gn_store *st, gn__sb *b, gn_store_layer l,
                          const gn_store_query *q, int with_layer,
                          int *first) {
  gn__sb sql;
  gn__sb_init(&sql, st->ctx);
  gn__sb_printf(&sql, "SELECT %s FROM %s", layers[l].select, layers[l].from);
  where(&sql, l, q);
  gn__sb_printf(&sql, " ORDER BY %s LIMIT %lld OFFSET %lld",
                l == GN_LAYER_SITES ? "s.fid" : layers[l].idcol,
                q && q->limit ? (long long)q->limit : -1LL,
                q ? (long long)q->offset : 0LL);
  sqlite3_stmt *s = NULL;
  gn_status rs = prep_sql(st, &sql, &s);
  if (rs != GN_OK) return rs;
  bind_query(s, q);
  int rc;
  while (rs == GN_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (!*first) gn__sb_puts(b, ",");
    *first = 0;
    rs = feature(st, b, l, s, with_layer);
  }
  sqlite3_finalize(s);
  return rs;
}

gn_status gn_store_list_geojson(gn_store *st, gn_store_layer l,
                                const gn_store_query *q, char **json) {
  gn_ctx_clear(st->ctx);
  *json = NULL;
  int64_t total = 0;
  gn_status rs = check_query(st, l, q);
  if (rs == GN_OK) rs = count_rows(st, l, q, &total);
  if (rs != GN_OK) return rs;
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_printf(&b,
                "{\"type\":\"FeatureCollection\",\"layer\":\"%s\",\"total\":"
                "%lld,\"limit\":%zu,\"offset\":%zu,\"features\":[",
                layers[l].name, (long long)total, q ? q->limit : 0,
                q ? q->offset : 0);
  int first = 1;
  rs = features(st, &b, l, q, 0, &first);
  gn__sb_puts(&b, "]}");
  if (rs == GN_OK) return gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}

gn_status gn_store_get_geojson(gn_store *st, gn_store_layer l, const char *id,
                               char **json) {
  gn_ctx_clear(st->ctx);
  *json = NULL;
  if ((unsigned)l >= GN_LAYER_COUNT || !id)
    return gn__fail(st->ctx, GN_EINVAL, "unknown layer or missing id");
  gn__sb sql, b;
  gn__sb_init(&sql, st->ctx);
  gn__sb_printf(&sql, "SELECT %s FROM %s WHERE %s=?1", layers[l].select,
                layers[l].from, layers[l].idcol);
  sqlite3_stmt *s = NULL;
  /* one statement per layer, kept prepared: parsing dominated the cost of
   * a single-object GET */
  gn_status rs = sql.oom ? gn__fail(st->ctx, GN_ENOMEM, "out of memory")
                         : gn__st_cached(st, sql.p, &s);
  gn__sb_cleanup(&sql);
  if (rs != GN_OK) return rs;
  if (layers[l].text_id) {
    sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
  } else {
    long long v = 0;
    if (gn__parse_int(id, 1, INT64_MAX / 2, &v) != 0) {
      gn__st_release(st, s);
      return gn__fail(st->ctx, GN_EINVAL, "%s id '%s' is not an integer",
                      layers[l].name, id);
    }
    sqlite3_bind_int64(s, 1, v);
  }
  gn__sb_init(&b, st->ctx);
  if (sqlite3_step(s) == SQLITE_ROW)
    rs = feature(st, &b, l, s, 0);
  else
    rs = gn__fail(st->ctx, GN_ENOTFOUND, "%s %s not found", layers[l].name,
                  id);
  gn__st_release(st, s);
  if (rs == GN_OK) return gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}

/* ---- summary and audit -------------------------------------------- */

static gn_status json_rows(gn_store *st, gn__sb *b, const char *sql,
                           int as_object) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(st, sql, &s);
  if (rs != GN_OK) return rs;
  gn__sb_puts(b, as_object ? "{" : "[");
  int first = 1;
  while (sqlite3_step(s) == SQLITE_ROW) {
    gn__sb_puts(b, first ? "" : ",");
    first = 0;
    if (as_object) {
      gn__sb_jstr(b, gn__col_text(s, 0));
      gn__sb_puts(b, ":");
      prop_value(b, s, 1);
      continue;
    }
    gn__sb_puts(b, "{");
    for (int i = 0; i < sqlite3_column_count(s); i++) {
      gn__sb_puts(b, i ? "," : "");
      gn__sb_jstr(b, sqlite3_column_name(s, i));
      gn__sb_puts(b, ":");
      prop_value(b, s, i);
    }
    gn__sb_puts(b, "}");
  }
  gn__sb_puts(b, as_object ? "}" : "]");
  sqlite3_finalize(s);
  return GN_OK;
}

static const char summary_counts[] =
    "SELECT 'sites', count(*) FROM sites UNION ALL SELECT 'pops', count(*)"
    " FROM pops UNION ALL SELECT 'trenches', count(*) FROM trenches UNION ALL"
    " SELECT 'cables', count(*) FROM cables UNION ALL SELECT 'fibers',"
    " count(*) FROM fibers UNION ALL SELECT 'closures', count(*) FROM"
    " closures UNION ALL SELECT 'splices', count(*) FROM splices UNION ALL"
    " SELECT 'ports', count(*) FROM ports UNION ALL SELECT 'circuits',"
    " count(*) FROM circuits UNION ALL SELECT 'protected_sites', count(DISTINCT"
    " site) FROM circuits WHERE role='protect' UNION ALL SELECT"
    " 'broken_fibers', count(*) FROM fibers WHERE broken UNION ALL SELECT"
    " 'sites_served', count(DISTINCT site) FROM circuits";

static const char summary_bom[] =
    "SELECT 'trench_m', round(coalesce(sum(length_m),0),1) FROM trenches"
    " UNION ALL SELECT 'ring_trench_m', round(coalesce(sum(length_m),0),1)"
    " FROM trenches WHERE redundant UNION ALL SELECT 'cable_m',"
    " round(coalesce(sum(length_m),0),1) FROM cables UNION ALL SELECT"
    " 'fiber_m', round(coalesce(sum(length_m*fiber_count),0),1) FROM cables"
    " UNION ALL SELECT 'odf_ports', count(*) FROM ports p JOIN equipment e ON"
    " e.fid=p.equipment WHERE e.kind='odf' UNION ALL SELECT 'cpe', count(*)"
    " FROM equipment WHERE kind='cpe' UNION ALL SELECT 'olt', count(*) FROM"
    " equipment WHERE kind='olt' UNION ALL SELECT 'closures', count(*) FROM"
    " closures UNION ALL SELECT 'splices', count(*) FROM splices UNION ALL"
    " SELECT 'cost_fcfa', CAST(value AS REAL) FROM gn_meta WHERE"
    " key='import.cost_fcfa' UNION ALL SELECT 'cost_source', value FROM"
    " gn_meta WHERE key='import.cost_source'";

/* The layout figures `govnet plan --summary` also has in its "bom"
 * object, counted from the rows: cable metres by size, optics modules by
 * class (2 per circuit in the plan's access/protect class, plus the
 * plan's core links), hubs. Appended inside the bom object. */
#define GN__OPT_SQL(name, str) " UNION ALL SELECT '" str "'"
static const char bom_optics[] =
    "WITH k AS (SELECT coalesce((SELECT value FROM gn_meta WHERE"
    " key='plan.optics'),'lr10,er40') v), c AS (SELECT substr(v,1,"
    "instr(v,',')-1) acc, substr(v,instr(v,',')+1) pro FROM k),"
    " names(n) AS (SELECT NULL WHERE 0" GN_OPTICS_MAP(GN__OPT_SQL) ")"
    " SELECT n, 2*(SELECT count(*) FROM circuits WHERE role='working' AND"
    " (SELECT acc FROM c)=n) + 2*(SELECT count(*) FROM circuits WHERE"
    " role='protect' AND (SELECT pro FROM c)=n) + coalesce((SELECT"
    " CAST(value AS INTEGER) FROM gn_meta WHERE key='plan.optics_core.'||n),"
    "0) FROM names";
#undef GN__OPT_SQL

static gn_status bom_layout(gn_store *st, gn__sb *b) {
  if (b->n == 0 || b->p[b->n - 1] != '}') return GN_OK;
  b->n--; /* reopen the bom object */
  gn__sb_puts(b, ",\"cable_m_by_size\":");
  gn_status rs = json_rows(st, b,
                           "SELECT fiber_count, round(sum(length_m),1) FROM"
                           " cables GROUP BY fiber_count ORDER BY fiber_count",
                           1);
  gn__sb_puts(b, ",\"optics_by_class\":");
  if (rs == GN_OK) rs = json_rows(st, b, bom_optics, 1);
  int64_t hubs = 0;
  int found = 0;
  if (rs == GN_OK)
    rs = gn__st_int(st, "SELECT count(*) FROM pops WHERE pop_id LIKE 'hub-%'",
                    0, &hubs, &found);
  gn__sb_printf(b, ",\"hubs\":%lld}", (long long)hubs);
  return rs;
}

gn_status gn_store_summary_json(gn_store *st, char **json) {
  gn_ctx_clear(st->ctx);
  *json = NULL;
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_puts(&b, "{\"schema_version\":");
  gn__sb_printf(&b, "%d,\"meta\":", st->version);
  gn_status rs = json_rows(st, &b,
                           "SELECT substr(key,6), value FROM gn_meta WHERE"
                           " key LIKE 'plan.%' ORDER BY key", 1);
  gn__sb_puts(&b, ",\"imported_at\":");
  sqlite3_stmt *s = NULL;
  if (rs == GN_OK)
    rs = gn__st_prep(st,
                     "SELECT (SELECT value FROM gn_meta WHERE key='import.at'),"
                     " (SELECT value FROM gn_meta WHERE key='import.stats')",
                     &s);
  if (rs == GN_OK && sqlite3_step(s) == SQLITE_ROW) {
    prop_value(&b, s, 0);
    gn__sb_puts(&b, ",\"import\":");
    gn__sb_puts(&b, sqlite3_column_type(s, 1) == SQLITE_NULL
                        ? "null" : gn__col_text(s, 1));
  }
  sqlite3_finalize(s);
  gn__sb_puts(&b, ",\"counts\":");
  if (rs == GN_OK) rs = json_rows(st, &b, summary_counts, 1);
  gn__sb_puts(&b, ",\"bom\":");
  if (rs == GN_OK) rs = json_rows(st, &b, summary_bom, 1);
  if (rs == GN_OK) rs = bom_layout(st, &b);
  gn__sb_puts(&b, ",\"cable_m_by_size\":");
  if (rs == GN_OK)
    rs = json_rows(st, &b,
                   "SELECT fiber_count, round(sum(length_m),1) FROM cables"
                   " GROUP BY fiber_count ORDER BY fiber_count", 1);
  gn__sb_puts(&b, "}");
  if (rs == GN_OK) return gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}

gn_status gn_store_audit_json(gn_store *st, size_t limit, size_t offset,
                              char **json) {
  gn_ctx_clear(st->ctx);
  *json = NULL;
  char sql[256];
  snprintf(sql, sizeof(sql),
           "SELECT fid AS id, at, user, user_id, role, org, via, action,"
           " object, before, after, hash FROM audit ORDER BY fid DESC LIMIT %zu OFFSET %zu",
           limit ? limit : 100, offset);
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn_status rs = json_rows(st, &b, sql, 0);
  if (rs == GN_OK) return gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}

/* ---- export -------------------------------------------------------- */

static gn_status export_geojson(gn_store *st, const char *path) {
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_puts(&b, "{\"type\":\"FeatureCollection\",\"attribution\":");
  gn__sb_jstr(&b, GN_OSM_ATTRIBUTION);
  gn__sb_puts(&b, ",\"features\":[");
  int first = 1;
  gn_status rs = GN_OK;
  for (int l = 0; rs == GN_OK && l < GN_LAYER_COUNT; l++)
    rs = features(st, &b, (gn_store_layer)l, NULL, 1, &first);
  gn__sb_puts(&b, "]}\n");
  if (rs == GN_OK && b.oom) rs = gn__fail(st->ctx, GN_ENOMEM, "out of memory");
  if (rs == GN_OK) {
    char tmp[4200];
    snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid());
    FILE *f = fopen(tmp, "wb");
    int ok = f && fwrite(b.p, 1, b.n, f) == b.n;
    if (f && fclose(f) != 0) ok = 0;
    if (!ok || rename(tmp, path) != 0) {
      remove(tmp);
      rs = gn__fail(st->ctx, GN_EIO, "%s: cannot write", path);
    }
  }
  gn__sb_cleanup(&b);
  return rs;
}

static int ends_with(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && strcmp(s + n - m, suf) == 0;
}

gn_status gn_store_export(gn_store *st, const char *path) {
  gn_ctx_clear(st->ctx);
  if (access(path, F_OK) == 0)
    return gn__fail(st->ctx, GN_EIO, "%s: exists, will not overwrite", path);
  if (ends_with(path, ".geojson") || ends_with(path, ".json"))
    return export_geojson(st, path);
  if (!ends_with(path, ".gpkg"))
    return gn__fail(st->ctx, GN_EINVAL,
                    "%s: export format from extension: .gpkg or .geojson",
                    path);
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(st, "VACUUM INTO ?", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, path, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) {
    rs = gn__st_err(st, rc, path);
    remove(path);
  }
  sqlite3_finalize(s);
  return rs;
}
