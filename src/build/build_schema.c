/*
 * build_schema.c - The build module's tables and their migrations.
 *
 * Design: the steps run through the store's gn__st_module_migrate (one
 * transaction per step, recorded under the module name "build"), so the
 * store and each capability migrate independently. Steps are
 * append-only. Tables:
 *   build_packages          id, phase, org, crew, km, cost_fcfa
 *   build_package_trenches  trench (unique: one package each), package, seq
 *   build_reports           one row per accepted field report; client_id
 *                           unique (replays are detected by it)
 *   build_segments          current state per trench (derived from the
 *                           reports, kept in the same transaction)
 *   build_otdr              OTDR measurements attached to fibers, with
 *                           the acceptance result (JSON)
 *   build_asbuilt           as-built line per trench (a GeoPackage layer),
 *                           designed and as-built length, deviation
 */
#include "build/build_int.h"

static const gn__st_migration steps[] = {
    {"work packages, field reports, segment states",
     "CREATE TABLE build_packages(id TEXT PRIMARY KEY, phase TEXT NOT NULL"
     " DEFAULT '', org TEXT NOT NULL DEFAULT '', crew TEXT NOT NULL DEFAULT"
     " '', km REAL NOT NULL, cost_fcfa REAL, created_at TEXT NOT NULL);"
     "CREATE TABLE build_package_trenches(trench INTEGER PRIMARY KEY"
     " REFERENCES trenches(fid), package TEXT NOT NULL REFERENCES"
     " build_packages(id) ON DELETE CASCADE, seq INTEGER NOT NULL);"
     "CREATE INDEX build_pt_package ON build_package_trenches(package, seq);"
     "CREATE TABLE build_reports(fid INTEGER PRIMARY KEY AUTOINCREMENT,"
     " client_id TEXT NOT NULL UNIQUE, trench INTEGER NOT NULL REFERENCES"
     " trenches(fid), step TEXT NOT NULL, at TEXT NOT NULL, received_at TEXT"
     " NOT NULL, who TEXT NOT NULL, org TEXT, metres REAL, photos TEXT, gps"
     " TEXT, note TEXT, block_reason TEXT, override_reason TEXT);"
     "CREATE INDEX build_reports_trench ON build_reports(trench, step);"
     "CREATE TABLE build_segments(trench INTEGER PRIMARY KEY REFERENCES"
     " trenches(fid), state INTEGER NOT NULL, blocked TEXT, blocked_since"
     " TEXT, updated_at TEXT NOT NULL);",
     NULL},
    {"OTDR acceptance measurements",
     "CREATE TABLE build_otdr(fid INTEGER PRIMARY KEY AUTOINCREMENT, fiber"
     " INTEGER NOT NULL REFERENCES fibers(fid) ON DELETE CASCADE, file TEXT"
     " NOT NULL, at TEXT NOT NULL, who TEXT NOT NULL, wavelength_nm REAL,"
     " length_m REAL, total_loss_db REAL, pass INTEGER NOT NULL, result TEXT"
     " NOT NULL);"
     "CREATE INDEX build_otdr_fiber ON build_otdr(fiber);",
     NULL},
    {"as-built trench geometry",
     "CREATE TABLE build_asbuilt(trench INTEGER PRIMARY KEY REFERENCES"
     " trenches(fid), geom BLOB NOT NULL, length_m REAL NOT NULL,"
     " design_length_m REAL NOT NULL, deviation_m REAL NOT NULL, flagged"
     " INTEGER NOT NULL, source TEXT, at TEXT NOT NULL, who TEXT NOT NULL);"
     "INSERT INTO gpkg_contents(table_name,data_type,identifier,description,"
     "srs_id) VALUES('build_asbuilt','features','build_asbuilt','as-built"
     " trench lines (deviation from the design in metres)',4326);"
     "INSERT INTO gpkg_geometry_columns VALUES('build_asbuilt','geom',"
     "'LINESTRING',4326,0,0);",
     NULL},
    {"planned dates of work packages",
     "ALTER TABLE build_packages ADD COLUMN planned_start TEXT;"
     "ALTER TABLE build_packages ADD COLUMN planned_end TEXT;",
     NULL},
};

gn_status gn__build_ready(gn_store *st) {
  return gn__st_module_migrate(st, "build", steps,
                               sizeof(steps) / sizeof(steps[0]));
}
