/*
 * hs_schema.c - The hotspot tables and their forward migrations.
 *
 * Design: the hotspot module owns its schema but not the connection: its
 * append-only steps run through the store's module migrations
 * (gn__st_module_migrate), each in one transaction with its record, so a
 * crash leaves a whole version and the core schema never renumbers.
 * Tables (docs/hotspot.md):
 *   hs_groups   limits shared by members (0 = no limit)
 *   hs_users    students (Argon2id) and vouchers (keyed digest of the code)
 *   hs_nas      RADIUS clients and their CoA/Disconnect port
 *   hs_sessions one row per accounting session (NAS, Acct-Session-Id, login)
 *   hs_usage    bytes and seconds per session and UTC day (deltas of the
 *               accounting counters), the source of quotas and reports
 *   hs_aps      access points at campus sites with their backhaul circuit
 *               (a GeoPackage point layer, so QGIS shows them)
 */
#include <stdio.h>
#include <string.h>

#include "hotspot/hs_int.h"

static const char hs_v1[] =
    "CREATE TABLE hs_groups(id INTEGER PRIMARY KEY, name TEXT NOT NULL"
    " UNIQUE, session_timeout_s INTEGER NOT NULL, interim_s INTEGER NOT NULL,"
    " down_kbps INTEGER NOT NULL, up_kbps INTEGER NOT NULL, day_minutes"
    " INTEGER NOT NULL, day_mb INTEGER NOT NULL, month_mb INTEGER NOT NULL,"
    " simultaneous INTEGER NOT NULL);"
    "CREATE TABLE hs_users(id INTEGER PRIMARY KEY, name TEXT UNIQUE,"
    " kind TEXT NOT NULL CHECK(kind IN ('user','voucher')), secret TEXT NOT"
    " NULL, grp INTEGER NOT NULL REFERENCES hs_groups(id), quota_mb INTEGER"
    " NOT NULL DEFAULT 0, valid_from INTEGER NOT NULL DEFAULT 0, valid_to"
    " INTEGER NOT NULL DEFAULT 0, minutes INTEGER NOT NULL DEFAULT 0,"
    " uses_max INTEGER NOT NULL DEFAULT 0, uses INTEGER NOT NULL DEFAULT 0,"
    " first_login INTEGER, disabled INTEGER NOT NULL DEFAULT 0, created"
    " INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX hs_users_code ON hs_users(secret) WHERE"
    " kind='voucher';"
    "CREATE TABLE hs_nas(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " ip TEXT NOT NULL UNIQUE, secret TEXT NOT NULL, coa_port INTEGER NOT"
    " NULL);"
    "CREATE TABLE hs_sessions(id INTEGER PRIMARY KEY, hs_user INTEGER"
    " REFERENCES hs_users(id) ON DELETE SET NULL, login TEXT NOT NULL,"
    " nas_ip TEXT NOT NULL, nas_id TEXT, acct_id TEXT NOT NULL, mac TEXT,"
    " started INTEGER NOT NULL, last INTEGER NOT NULL, stopped INTEGER,"
    " cause TEXT, in_bytes INTEGER NOT NULL DEFAULT 0, out_bytes INTEGER NOT"
    " NULL DEFAULT 0, seconds INTEGER NOT NULL DEFAULT 0, disconnect_at"
    " INTEGER, UNIQUE(nas_ip, acct_id, login));"
    "CREATE INDEX hs_sessions_user ON hs_sessions(hs_user);"
    "CREATE TABLE hs_usage(session INTEGER NOT NULL REFERENCES"
    " hs_sessions(id) ON DELETE CASCADE, day TEXT NOT NULL, bytes_in INTEGER"
    " NOT NULL DEFAULT 0, bytes_out INTEGER NOT NULL DEFAULT 0, seconds"
    " INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(session, day)) WITHOUT ROWID;"
    "CREATE INDEX hs_usage_day ON hs_usage(day);";

/* v1 also draws the per-store key that digests voucher codes. */
static gn_status voucher_key(gn_store *st) {
  char key[65], sql[256];
  if (gn__hs_key_new(key) != GN_OK)
    return gn__fail(st->ctx, GN_EINTERNAL, "no random source for keys");
  snprintf(sql, sizeof(sql),
           "INSERT INTO gn_meta VALUES('hotspot.voucher_key','%s')", key);
  return gn__st_exec(st, sql);
}

/* v2: access points as network records. nas_id is the NAS-Identifier the
 * AP sends, which ties accounting to the AP. */
static const char hs_v2[] =
    "CREATE TABLE hs_aps(fid INTEGER PRIMARY KEY, geom BLOB, name TEXT NOT"
    " NULL UNIQUE, site TEXT NOT NULL, lon REAL NOT NULL, lat REAL NOT"
    " NULL, nas_id TEXT, circuit INTEGER REFERENCES circuits(fid) ON DELETE"
    " SET NULL, rule TEXT);"
    "CREATE INDEX hs_aps_site ON hs_aps(site);"
    "INSERT INTO gpkg_contents(table_name,data_type,identifier,description,"
    "srs_id) VALUES('hs_aps','features','hs_aps','WiFi access points',"
    "4326);"
    "INSERT INTO gpkg_geometry_columns VALUES('hs_aps','geom','POINT',4326,"
    "0,0);";

static const gn__st_migration steps[] = {
    {"users, groups, vouchers, NAS, sessions, usage", hs_v1, voucher_key},
    {"access points", hs_v2, NULL}};

gn_status gn__hs_ensure(gn_store *st) {
  gn__hs_conn *c = gn__hs_conn_of(st);
  if (c && c->ensured) return GN_OK; /* schemas only migrate forward */
  gn_status rs = gn__st_module_migrate(st, "hotspot", steps,
                                       sizeof(steps) / sizeof(steps[0]));
  if (rs == GN_OK && c) c->ensured = 1;
  return rs;
}
