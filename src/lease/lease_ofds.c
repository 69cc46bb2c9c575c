/*
 * lease_ofds.c - The network as an Open Fibre Data Standard 0.3 network
 * package (or GeoJSON of the same nodes and spans): the public view
 * operators use to find capacity.
 *
 * Mapping (docs/lease.md): every node a trench ends on is an OFDS node
 * (type pop, building or junction; accessPoint for POPs and buildings);
 * every trench is a span (route = its geometry, fibreCount = the fibers
 * of the cables in it, darkFibre = whether any fiber there is spare,
 * phase = the plan phase); the publisher and provider is the network
 * owner (gn_meta "owner", else the government organisation of the
 * store's accounts, else "Network owner"). No lease, operator or price
 * appears. The network id is a UUID derived from the store's creation
 * time, so every export of one store carries the same id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lease/lease_int.h"

static void uuid_of(const char *seed, char out[37]) {
  uint64_t h1 = 1469598103934665603ull, h2 = 1099511628211ull * 7;
  for (const char *p = seed; *p; p++) {
    h1 = (h1 ^ (unsigned char)*p) * 1099511628211ull;
    h2 = (h2 ^ (unsigned char)*p) * 0x100000001b3ull + 0x9e3779b97f4a7c15ull;
  }
  snprintf(out, 37, "%08x-%04x-5%03x-%04x-%012llx", (unsigned)(h1 >> 32),
           (unsigned)(h1 >> 16) & 0xffff, (unsigned)h1 & 0xfff,
           (unsigned)(0x8000 | ((h2 >> 48) & 0x3fff)),
           (unsigned long long)(h2 & 0xffffffffffffull));
}

static gn_status text_of(gn_store *st, const char *sql, char *out, size_t n) {
  sqlite3_stmt *s = NULL;
  out[0] = '\0';
  gn_status rs = gn__st_prep(st, sql, &s);
  if (rs != GN_OK) return rs;
  if (sqlite3_step(s) == SQLITE_ROW) snprintf(out, n, "%s", gn__col_text(s, 0));
  sqlite3_finalize(s);
  return GN_OK;
}

static gn_status owner_name(gn_store *st, char *out, size_t n) {
  gn_status rs = text_of(st, "SELECT value FROM gn_meta WHERE key='owner'", out, n);
  if (rs != GN_OK || out[0]) return rs;
  int has = 0;
  rs = gn__st_has_table(st, "auth_orgs", &has);
  if (rs == GN_OK && has)
    rs = text_of(st,
                 "SELECT name FROM auth_orgs WHERE kind='government' ORDER BY"
                 " id LIMIT 1",
                 out, n);
  if (rs == GN_OK && !out[0]) snprintf(out, n, "Network owner");
  return rs;
}

typedef struct ofds {
  gn_store *st;
  const gn__lnet *net;
  gn__sb *b;
  int geojson;
  char owner[128];
  int n;
} ofds;

static void provider(ofds *o, const char *key) {
  gn__sb_printf(o->b, ",\"%s\":", key);
  if (strcmp(key, "networkProviders") == 0) gn__sb_puts(o->b, "[");
  gn__sb_puts(o->b, "{\"id\":\"owner\",\"name\":");
  gn__sb_jstr(o->b, o->owner);
  gn__sb_puts(o->b, "}");
  if (strcmp(key, "networkProviders") == 0) gn__sb_puts(o->b, "]");
}

static void phase_obj(gn__sb *b, const char *phase) {
  gn__sb_puts(b, ",\"phase\":{\"id\":");
  gn__sb_jstr(b, phase[0] ? phase : "1");
  gn__sb_puts(b, ",\"name\":");
  gn__sb_jstr(b, phase[0] ? phase : "1");
  gn__sb_puts(b, "}");
}

static gn_status nodes(ofds *o) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      o->st,
      "SELECT n.id, n.lon, n.lat, (SELECT coalesce(name, pop_id) FROM pops"
      " WHERE node=n.id LIMIT 1), (SELECT coalesce(nullif(name,''), site_id)"
      " FROM sites WHERE node=n.id LIMIT 1), (SELECT name FROM closures WHERE"
      " node=n.id), (SELECT min(phase) FROM trenches WHERE a_node=n.id OR"
      " b_node=n.id) FROM nodes n WHERE EXISTS (SELECT 1 FROM trenches t"
      " WHERE t.a_node=n.id OR t.b_node=n.id) ORDER BY n.id",
      &s);
  if (rs != GN_OK) return rs;
  int rc;
  gn__sb *b = o->b;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    const char *pop = gn__col_text(s, 3), *site = gn__col_text(s, 4),
               *closure = gn__col_text(s, 5);
    const char *type = pop[0] ? "pop" : site[0] ? "building" : "junction";
    char name[160];
    snprintf(name, sizeof name, "%s",
             pop[0] ? pop : site[0] ? site : closure[0] ? closure : "");
    if (!name[0])
      snprintf(name, sizeof name, "node %lld",
               (long long)sqlite3_column_int64(s, 0));
    gn__sb_puts(b, o->n++ ? "," : "");
    if (o->geojson)
      gn__sb_puts(b, "{\"type\":\"Feature\",\"properties\":{\"featureType\":"
                     "\"node\",");
    else
      gn__sb_puts(b, "{");
    gn__sb_printf(b, "\"id\":\"n%lld\",\"name\":",
                  (long long)sqlite3_column_int64(s, 0));
    gn__sb_jstr(b, name);
    phase_obj(b, gn__col_text(s, 6));
    gn__sb_printf(b, ",\"status\":\"operational\",\"type\":[\"%s\"],"
                  "\"accessPoint\":%s",
                  type, pop[0] || site[0] ? "true" : "false");
    provider(o, "physicalInfrastructureProvider");
    provider(o, "networkProviders");
    char loc[128];
    snprintf(loc, sizeof loc, "{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]}",
             sqlite3_column_double(s, 1), sqlite3_column_double(s, 2));
    if (o->geojson) gn__sb_printf(b, "},\"geometry\":%s}", loc);
    else gn__sb_printf(b, ",\"location\":%s}", loc);
  }
  sqlite3_finalize(s);
  return rc == SQLITE_DONE ? GN_OK : gn__st_err(o->st, rc, "ofds nodes");
}

static gn_status spans(ofds *o) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(o->st,
                             "SELECT t.fid, t.a_node, t.b_node, t.length_m,"
                             " coalesce(t.phase,''), t.geom, (SELECT"
                             " group_concat(cable) FROM cable_trenches ct"
                             " WHERE ct.trench=t.fid) FROM trenches t ORDER"
                             " BY t.fid",
                             &s);
  if (rs != GN_OK) return rs;
  int rc;
  gn__sb *b = o->b;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    uint32_t fibers = 0, spare = 0;
    const char *cables = gn__col_text(s, 6);
    for (const char *p = cables; *p;) {
      char *end = NULL;
      long long id = strtoll(p, &end, 10);
      uint32_t ci = gn__lease_cable(o->net, id);
      if (ci != UINT32_MAX) {
        fibers += o->net->cables[ci].n;
        spare += o->net->cables[ci].spare;
      }
      p = *end == ',' ? end + 1 : end;
      if (end == p && *p) break;
    }
    gn__sb_puts(b, o->n++ ? "," : "");
    if (o->geojson)
      gn__sb_puts(b, "{\"type\":\"Feature\",\"properties\":{\"featureType\":"
                     "\"span\",");
    else
      gn__sb_puts(b, "{");
    long long id = sqlite3_column_int64(s, 0);
    gn__sb_printf(b, "\"id\":\"t%lld\",\"name\":\"trench %lld\"", id, id);
    phase_obj(b, gn__col_text(s, 4));
    gn__sb_printf(b, ",\"status\":\"operational\",\"start\":\"n%lld\","
                  "\"end\":\"n%lld\",\"directed\":false",
                  (long long)sqlite3_column_int64(s, 1),
                  (long long)sqlite3_column_int64(s, 2));
    provider(o, "physicalInfrastructureProvider");
    provider(o, "networkProviders");
    gn__sb_printf(b, ",\"transmissionMedium\":[\"fibre\"],\"deployment\":"
                  "[\"belowGround\"],\"darkFibre\":%s,\"fibreType\":\"G.652\","
                  "\"fibreCount\":%u,\"fibreLength\":",
                  spare > 0 ? "true" : "false", fibers);
    gn__sb_num(b, (double)(long long)(sqlite3_column_double(s, 3) + 0.5));
    const void *blob = sqlite3_column_blob(s, 5);
    size_t nb = (size_t)sqlite3_column_bytes(s, 5);
    gn__sb_puts(b, o->geojson ? "},\"geometry\":" : ",\"route\":");
    if (blob) gn__gpkg_geojson(b, blob, nb);
    else gn__sb_puts(b, "null");
    gn__sb_puts(b, "}");
  }
  sqlite3_finalize(s);
  return rc == SQLITE_DONE ? GN_OK : gn__st_err(o->st, rc, "ofds spans");
}

static gn_status package(ofds *o) {
  char seed[128], uuid[37], date[16];
  gn_status rs = text_of(o->st,
                         "SELECT applied_at FROM gn_migrations ORDER BY"
                         " version LIMIT 1",
                         seed, sizeof seed);
  if (rs == GN_OK) rs = text_of(o->st, "SELECT date('now')", date, sizeof date);
  if (rs != GN_OK) return rs;
  uuid_of(seed, uuid);
  gn__sb *b = o->b;
  gn__sb_printf(b, "{\"networks\":[{\"id\":\"%s\",\"name\":", uuid);
  gn__sb_jstr(b, o->owner);
  gn__sb_puts(b, ",\"publisher\":{\"name\":");
  gn__sb_jstr(b, o->owner);
  gn__sb_printf(b, "},\"publicationDate\":\"%s\",\"crs\":{\"name\":"
                "\"urn:ogc:def:crs:OGC::CRS84\",\"uri\":"
                "\"http://www.opengis.net/def/crs/OGC/1.3/CRS84\"},"
                "\"language\":\"en\",\"nodes\":[",
                date);
  rs = nodes(o);
  gn__sb_puts(b, "],\"spans\":[");
  o->n = 0;
  if (rs == GN_OK) rs = spans(o);
  gn__sb_puts(b, "],\"links\":[{\"rel\":\"describedby\",\"href\":"
                 "\"https://raw.githubusercontent.com/Open-Telecoms-Data/"
                 "open-fibre-data-standard/0__3__0/schema/network-schema.json"
                 "\"}]}]}");
  return rs;
}

gn_status gn_lease_ofds_json(gn_store *st, const gn_lease_tariff *t,
                             int geojson, char **json) {
  *json = NULL;
  gn_ctx_clear(st->ctx);
  gn_status rs = gn__lease_tables(st);
  const gn__lnet *net = NULL;
  if (rs == GN_OK) rs = gn__lease_net_get(st, t, &net);
  if (rs != GN_OK) return rs;
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  ofds o = {st, net, &b, geojson, "", 0};
  rs = owner_name(st, o.owner, sizeof o.owner);
  if (rs == GN_OK && geojson) {
    gn__sb_puts(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    rs = nodes(&o);
    if (rs == GN_OK) rs = spans(&o);
    gn__sb_puts(&b, "]}");
  } else if (rs == GN_OK) {
    rs = package(&o);
  }
  if (rs != GN_OK) {
    gn__sb_cleanup(&b);
    return rs;
  }
  return gn__sb_finish(&b, json);
}
