/*
 * build_schema.c - The build module's tables and their migrations.
 *
 * Design: the module records its own schema version in gn_modules
 * (module, version), separate from the store's user_version, so the
 * store and each capability migrate independently; migrations run in
 * one transaction each through the store's helpers. Tables:
 *   build_packages          id, phase, org, crew, km, cost_fcfa
 *   build_package_trenches  trench (unique: one package each), package, seq
 *   build_reports           one row per accepted field report; client_id
 *                           unique (replays are detected by it)
 *   build_segments          current state per trench (derived from the
 *                           reports, kept in the same transaction)
 */
#include "build/build_int.h"

#define BUILD_SCHEMA 1

static const char *const schema_v1 =
    "CREATE TABLE IF NOT EXISTS gn_modules(module TEXT PRIMARY KEY,"
    " version INTEGER NOT NULL);"
    "CREATE TABLE build_packages(id TEXT PRIMARY KEY, phase TEXT NOT NULL"
    " DEFAULT '', org TEXT NOT NULL DEFAULT '', crew TEXT NOT NULL DEFAULT '',"
    " km REAL NOT NULL, cost_fcfa REAL, created_at TEXT NOT NULL);"
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
    " TEXT, updated_at TEXT NOT NULL);"
    "INSERT INTO gn_modules VALUES('build', 1);";

static gn_status version(gn_store *st, int64_t *v) {
  int64_t has = 0;
  int found = 0;
  gn_status rs = gn__st_int(st,
                            "SELECT count(*) FROM sqlite_master WHERE"
                            " name='gn_modules'",
                            0, &has, &found);
  *v = 0;
  if (rs != GN_OK || !has) return rs;
  return gn__st_int(st, "SELECT version FROM gn_modules WHERE module='build'",
                    0, v, &found);
}

gn_status gn__build_ready(gn_store *st) {
  int64_t v = 0;
  gn_status rs = version(st, &v);
  if (rs != GN_OK || v >= BUILD_SCHEMA) return rs;
  if (st->readonly)
    return gn__fail(st->ctx, GN_ENOTFOUND, "no work packages in this store");
  rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  rs = version(st, &v); /* another process may have migrated meanwhile */
  if (rs == GN_OK && v < 1) rs = gn__st_exec(st, schema_v1);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}
