/*
 * store_schema.c - The store's schema and its forward migrations.
 *
 * Design: migrations[] is an append-only list; migration i brings the
 * schema from version i to i+1. Each runs in its own transaction together
 * with its gn_migrations row and the new PRAGMA user_version
 * (GN__GPKG_UV_BASE + version), so a crash leaves the file at a whole
 * version. Version 1 creates the GeoPackage core tables (so GDAL/QGIS see
 * the spatial layers) and the govnet tables. Table and column meanings are
 * documented in docs/store.md.
 */
#include <stdio.h>

#include "io/qgis.h"
#include "store/store_int.h"

static const char gpkg_core[] =
    "PRAGMA application_id=1196444487;"
    "CREATE TABLE gpkg_spatial_ref_sys(srs_name TEXT NOT NULL,"
    " srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,"
    " organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,"
    " description TEXT);"
    "INSERT INTO gpkg_spatial_ref_sys VALUES"
    "('Undefined cartesian SRS',-1,'NONE',-1,'undefined',NULL),"
    "('Undefined geographic SRS',0,'NONE',0,'undefined',NULL),"
    "('WGS 84 geodetic',4326,'EPSG',4326,'GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\","
    "SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],"
    "AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\","
    "\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],"
    "AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\","
    "\"4326\"]]','longitude/latitude coordinates in decimal degrees on the WGS "
    "84 spheroid');"
    "CREATE TABLE gpkg_contents(table_name TEXT NOT NULL PRIMARY KEY,"
    " data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT"
    " DEFAULT '', last_change DATETIME NOT NULL DEFAULT"
    " (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE,"
    " max_x DOUBLE, max_y DOUBLE, srs_id INTEGER REFERENCES"
    " gpkg_spatial_ref_sys(srs_id));"
    "CREATE TABLE gpkg_geometry_columns(table_name TEXT NOT NULL,"
    " column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,"
    " srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,"
    " PRIMARY KEY(table_name,column_name), UNIQUE(table_name),"
    " FOREIGN KEY(table_name) REFERENCES gpkg_contents(table_name),"
    " FOREIGN KEY(srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));";

static const char govnet_v1[] =
    "CREATE TABLE gn_meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE nodes(id INTEGER PRIMARY KEY, lon REAL NOT NULL,"
    " lat REAL NOT NULL);"
    "CREATE TABLE sites(fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB,"
    " site_id TEXT NOT NULL UNIQUE, name TEXT, category TEXT NOT NULL CHECK"
    " (category IN ('admin','health','education','other')),"
    " priority INTEGER NOT NULL DEFAULT 0, critical INTEGER NOT NULL DEFAULT 0,"
    " phase TEXT, node INTEGER REFERENCES nodes(id), drop_m REAL NOT NULL"
    " DEFAULT 0, lon REAL NOT NULL, lat REAL NOT NULL);"
    "CREATE TABLE pops(fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB,"
    " pop_id TEXT NOT NULL UNIQUE, name TEXT, node INTEGER REFERENCES"
    " nodes(id));"
    "CREATE TABLE trenches(fid INTEGER PRIMARY KEY, geom BLOB,"
    " a_node INTEGER NOT NULL REFERENCES nodes(id), b_node INTEGER NOT NULL"
    " REFERENCES nodes(id), length_m REAL NOT NULL, redundant INTEGER NOT NULL"
    " DEFAULT 0, road_class TEXT, sites_downstream INTEGER, phase TEXT,"
    " min_x REAL, min_y REAL, max_x REAL, max_y REAL);"
    "CREATE TABLE cables(fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB,"
    " name TEXT, type TEXT NOT NULL DEFAULT 'duct-loose-tube',"
    " trench INTEGER NOT NULL REFERENCES trenches(fid), fiber_count INTEGER"
    " NOT NULL CHECK(fiber_count > 0), tubes INTEGER NOT NULL,"
    " length_m REAL NOT NULL);"
    "CREATE INDEX cables_trench ON cables(trench);"
    "CREATE TABLE fibers(fid INTEGER PRIMARY KEY AUTOINCREMENT,"
    " cable INTEGER NOT NULL REFERENCES cables(fid) ON DELETE CASCADE,"
    " number INTEGER NOT NULL, tube INTEGER NOT NULL, tube_colour TEXT NOT"
    " NULL, fiber_colour TEXT NOT NULL, broken INTEGER NOT NULL DEFAULT 0,"
    " note TEXT, UNIQUE(cable, number));"
    "CREATE TABLE closures(fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB,"
    " name TEXT, node INTEGER NOT NULL UNIQUE REFERENCES nodes(id));"
    "CREATE TABLE splices(fid INTEGER PRIMARY KEY AUTOINCREMENT,"
    " closure INTEGER NOT NULL REFERENCES closures(fid),"
    " fiber_a INTEGER NOT NULL REFERENCES fibers(fid) ON DELETE CASCADE,"
    " end_a TEXT NOT NULL CHECK(end_a IN ('a','b')),"
    " fiber_b INTEGER NOT NULL REFERENCES fibers(fid) ON DELETE CASCADE,"
    " end_b TEXT NOT NULL CHECK(end_b IN ('a','b')),"
    " loss_db REAL);"
    "CREATE UNIQUE INDEX splices_a ON splices(fiber_a, end_a);"
    "CREATE UNIQUE INDEX splices_b ON splices(fiber_b, end_b);"
    "CREATE INDEX splices_closure ON splices(closure);"
    "CREATE TABLE equipment(fid INTEGER PRIMARY KEY AUTOINCREMENT,"
    " kind TEXT NOT NULL CHECK(kind IN ('odf','olt','switch','cpe')),"
    " name TEXT, pop INTEGER REFERENCES pops(fid), site INTEGER REFERENCES"
    " sites(fid), cable INTEGER REFERENCES cables(fid));"
    "CREATE INDEX equipment_site ON equipment(site);"
    "CREATE TABLE ports(fid INTEGER PRIMARY KEY AUTOINCREMENT,"
    " equipment INTEGER NOT NULL REFERENCES equipment(fid) ON DELETE CASCADE,"
    " number INTEGER NOT NULL, fiber INTEGER REFERENCES fibers(fid),"
    " fiber_end TEXT CHECK(fiber_end IN ('a','b')), peer INTEGER"
    " REFERENCES ports(fid), UNIQUE(equipment, number));"
    "CREATE UNIQUE INDEX ports_fiber ON ports(fiber, fiber_end)"
    " WHERE fiber IS NOT NULL;"
    "CREATE TABLE circuits(fid INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT,"
    " site INTEGER NOT NULL REFERENCES sites(fid), role TEXT NOT NULL CHECK"
    " (role IN ('working','protect')), pop INTEGER REFERENCES pops(fid));"
    "CREATE INDEX circuits_site ON circuits(site);"
    "CREATE TABLE circuit_strands(circuit INTEGER NOT NULL REFERENCES"
    " circuits(fid) ON DELETE CASCADE, strand INTEGER NOT NULL,"
    " odf_port INTEGER REFERENCES ports(fid), cpe_port INTEGER REFERENCES"
    " ports(fid), PRIMARY KEY(circuit, strand));"
    "CREATE TABLE circuit_fibers(circuit INTEGER NOT NULL REFERENCES"
    " circuits(fid) ON DELETE CASCADE, strand INTEGER NOT NULL,"
    " seq INTEGER NOT NULL, fiber INTEGER NOT NULL UNIQUE REFERENCES"
    " fibers(fid), PRIMARY KEY(circuit, strand, seq));"
    "CREATE TABLE circuit_trenches(trench INTEGER NOT NULL, circuit INTEGER"
    " NOT NULL REFERENCES circuits(fid) ON DELETE CASCADE,"
    " PRIMARY KEY(trench, circuit)) WITHOUT ROWID;"
    "CREATE INDEX circuit_trenches_c ON circuit_trenches(circuit);"
    "CREATE TABLE audit(fid INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT"
    " NULL, user TEXT NOT NULL, action TEXT NOT NULL, object TEXT,"
    " before TEXT, after TEXT);";

/* Register a spatial table in the GeoPackage catalogue. */
static gn_status register_layer(gn_store *st, const char *table,
                                const char *geomtype, const char *desc) {
  char sql[512];
  snprintf(sql, sizeof(sql),
           "INSERT INTO gpkg_contents(table_name,data_type,identifier,"
           "description,srs_id) VALUES('%s','features','%s','%s',4326);"
           "INSERT INTO gpkg_geometry_columns VALUES('%s','geom','%s',4326,0,0);",
           table, table, desc, table, geomtype);
  return gn__st_exec(st, sql);
}

static gn_status migrate_v1(gn_store *st) {
  gn_status rs = gn__st_exec(st, gpkg_core);
  if (rs == GN_OK) rs = gn__st_exec(st, govnet_v1);
  static const char *const layers[][3] = {
      {"sites", "POINT", "buildings served (plan input ids)"},
      {"pops", "POINT", "points of presence"},
      {"trenches", "LINESTRING", "trenches, id = plan trench id"},
      {"cables", "LINESTRING", "cables, one or more per trench"},
      {"closures", "POINT", "splice closures"}};
  for (size_t i = 0; rs == GN_OK && i < 5; i++)
    rs = register_layer(st, layers[i][0], layers[i][1], layers[i][2]);
  return rs;
}

/* v2: impact looks up the (usually few) broken fibers by index; trace
 * finds the equipment port patched to an ODF port by index. */
static gn_status migrate_v2(gn_store *st) {
  return gn__st_exec(st,
                     "CREATE INDEX fibers_broken ON fibers(fid) WHERE broken;"
                     "CREATE INDEX ports_peer ON ports(peer) WHERE peer IS NOT"
                     " NULL");
}

/* v3: a cable may run through several trenches (joined where only two
 * trenches meet): cable ends and the ordered trench list. */
static gn_status migrate_v3(gn_store *st) {
  return gn__st_exec(
      st,
      "ALTER TABLE cables ADD COLUMN a_node INTEGER;"
      "ALTER TABLE cables ADD COLUMN b_node INTEGER;"
      "CREATE TABLE cable_trenches(cable INTEGER NOT NULL REFERENCES"
      " cables(fid) ON DELETE CASCADE, seq INTEGER NOT NULL, trench INTEGER"
      " NOT NULL REFERENCES trenches(fid), PRIMARY KEY(cable, seq));"
      "CREATE INDEX cable_trenches_trench ON cable_trenches(trench);"
      "INSERT INTO cable_trenches SELECT fid, 0, trench FROM cables;"
      "UPDATE cables SET a_node=(SELECT a_node FROM trenches WHERE"
      " fid=cables.trench), b_node=(SELECT b_node FROM trenches WHERE"
      " fid=cables.trench);");
}

/* v4: the audit log records who acted (user id, role, organisation) and
 * through what (route or command), and becomes a hash chain (each row
 * hashes its content and the previous row's hash; store_audit.c). Rows
 * written before v4 are sealed into the chain here, in id order. */
static gn_status migrate_v4(gn_store *st) {
  gn_status rs = gn__st_exec(
      st,
      "ALTER TABLE audit ADD COLUMN user_id INTEGER;"
      "ALTER TABLE audit ADD COLUMN role TEXT;"
      "ALTER TABLE audit ADD COLUMN org TEXT;"
      "ALTER TABLE audit ADD COLUMN via TEXT;"
      "ALTER TABLE audit ADD COLUMN prev_hash TEXT;"
      "ALTER TABLE audit ADD COLUMN hash TEXT;");
  if (rs == GN_OK) rs = gn__st_audit_seal_all(st);
  return rs;
}

/* v5: express fibers. A used fiber is lit over a stretch of its cable
 * (cable_trenches seq span_from..span_to, span_m metres, end nodes);
 * NULL = the whole cable. */
static gn_status migrate_v5(gn_store *st) {
  return gn__st_exec(st,
                     "ALTER TABLE fibers ADD COLUMN span_from INTEGER;"
                     "ALTER TABLE fibers ADD COLUMN span_to INTEGER;"
                     "ALTER TABLE fibers ADD COLUMN span_m REAL;"
                     "ALTER TABLE fibers ADD COLUMN span_a_node INTEGER;"
                     "ALTER TABLE fibers ADD COLUMN span_b_node INTEGER;");
}

/* v6: QGIS opens a store styled and shows only what users map: a
 * layer_styles table in QGIS's own schema (the web map's colours, as in
 * plan GeoPackages: io/qgis.h), and layer_styles and circuits registered
 * as attribute tables, which makes GDAL (LIST_ALL_TABLES=AUTO, what QGIS
 * uses) stop listing the internal tables (migrations, audit, fibers...). */
static gn_status migrate_v6(gn_store *st) {
  gn_status rs = gn__st_exec(
      st,
      "CREATE TABLE layer_styles(id INTEGER PRIMARY KEY AUTOINCREMENT,"
      " f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name"
      " TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML"
      " TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner"
      " TEXT(30), ui TEXT(30), update_time DATETIME DEFAULT"
      " (strftime('%Y-%m-%dT%H:%M:%fZ','now')));"
      "INSERT INTO gpkg_contents(table_name,data_type,identifier,description)"
      " VALUES('layer_styles','attributes','layer_styles','QGIS default"
      " styles'),('circuits','attributes','circuits','circuits: each"
      " building''s working (and protect) circuit');");
  static const char *const layers[] = {"sites", "pops", "trenches", "cables",
                                       "closures"};
  sqlite3_stmt *q = NULL;
  if (rs == GN_OK)
    rs = gn__st_prep(st,
                     "INSERT INTO layer_styles(f_table_catalog,f_table_schema,"
                     "f_table_name,f_geometry_column,styleName,styleQML,"
                     "styleSLD,useAsDefault,description,owner) VALUES('',"
                     "'',?1,'geom','govnet',?2,'',1,?3,'')",
                     &q);
  char qml[GN__QGIS_QML_MAX];
  for (size_t i = 0; rs == GN_OK && i < sizeof layers / sizeof layers[0]; i++) {
    if (gn__qgis_style_qml(layers[i], qml, sizeof qml) != 0) {
      rs = gn__fail(st->ctx, GN_EINTERNAL, "no QGIS style for %s", layers[i]);
      break;
    }
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, layers[i], -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, qml, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 3, GN__QGIS_STYLE_DESC, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "layer_styles");
  }
  sqlite3_finalize(q);
  return rs;
}

typedef gn_status (*migration_fn)(gn_store *st);
static const struct {
  const char *name;
  migration_fn fn;
} migrations[] = {{"initial schema", migrate_v1},
                  {"index broken fibers and patch peers", migrate_v2},
                  {"cables over several trenches", migrate_v3},
                  {"audit actor and hash chain", migrate_v4},
                  {"express fibers lit over part of a cable", migrate_v5},
                  {"QGIS styles; internal tables unlisted", migrate_v6}};

static gn_status apply(gn_store *st, int i) {
  gn_status rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  if (i == 0)
    rs = gn__st_exec(st,
                     "CREATE TABLE gn_migrations(version INTEGER PRIMARY KEY,"
                     " name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  if (rs == GN_OK) rs = migrations[i].fn(st);
  char sql[256];
  snprintf(sql, sizeof(sql),
           "INSERT INTO gn_migrations VALUES(%d,'%s',"
           "strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ','now'));"
           "PRAGMA user_version=%d;",
           i + 1, migrations[i].name, GN__GPKG_UV_BASE + i + 1);
  if (rs == GN_OK) rs = gn__st_exec(st, sql);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

gn_status gn__st_migrate(gn_store *st) {
  int n = (int)(sizeof(migrations) / sizeof(migrations[0]));
  for (int i = st->version; i < n; i++) {
    gn_status rs = apply(st, i);
    if (rs != GN_OK) return rs;
    st->version = i + 1;
  }
  return GN_OK;
}

/* ---- capability tables ---------------------------------------------- */

/* A capability (auth, lease, build, monitor, hotspot, ...) keeps its own
 * tables and its own migration list, versioned per module in
 * gn_module_migrations, so capabilities evolve without renumbering the
 * core schema or each other. */
static gn_status module_version(gn_store *st, const char *module, int *v) {
  int64_t ver = 0;
  int has = 0;
  *v = 0;
  gn_status rs = gn__st_has_table(st, "gn_module_migrations", &has);
  if (rs != GN_OK || !has) return rs;
  sqlite3_stmt *q = NULL;
  rs = gn__st_prep(st,
                   "SELECT coalesce(max(version),0) FROM gn_module_migrations"
                   " WHERE module=?1",
                   &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(q, 1, module, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) ver = sqlite3_column_int64(q, 0);
  else rs = gn__st_err(st, rc, "module migrations");
  sqlite3_finalize(q);
  *v = (int)ver;
  return rs;
}

static gn_status module_apply(gn_store *st, const char *module, int version,
                              const gn__st_migration *m) {
  gn_status rs = gn__st_begin(st);
  if (rs == GN_OK)
    rs = gn__st_exec(st,
                     "CREATE TABLE IF NOT EXISTS gn_module_migrations("
                     "module TEXT NOT NULL, version INTEGER NOT NULL,"
                     " name TEXT NOT NULL, applied_at TEXT NOT NULL,"
                     " PRIMARY KEY(module, version))");
  if (rs == GN_OK && m->sql) rs = gn__st_exec(st, m->sql);
  if (rs == GN_OK && m->fn) rs = m->fn(st);
  sqlite3_stmt *q = NULL;
  if (rs == GN_OK)
    rs = gn__st_prep(st,
                     "INSERT INTO gn_module_migrations VALUES(?1,?2,?3,"
                     "strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
                     &q);
  if (rs == GN_OK) {
    sqlite3_bind_text(q, 1, module, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(q, 2, version);
    sqlite3_bind_text(q, 3, m->name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "module migrations");
  }
  sqlite3_finalize(q);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

gn_status gn__st_module_migrate(gn_store *st, const char *module,
                                const gn__st_migration *steps, size_t n) {
  int v = 0;
  gn_status rs = module_version(st, module, &v);
  if (rs != GN_OK || (size_t)v >= n) return rs;
  if (st->readonly)
    return gn__fail(st->ctx, GN_EINVAL,
                    "store has no up-to-date %s tables (version %d of %zu): "
                    "open it read-write once to add them",
                    module, v, n);
  for (size_t i = (size_t)v; i < n; i++) {
    rs = module_apply(st, module, (int)i + 1, &steps[i]);
    if (rs != GN_OK) return rs;
  }
  return GN_OK;
}
