/*
 * osm.c - OpenStreetMap import (.osm.pbf and .osm XML through readosm)
 * and the routing profile.
 *
 * Design: PBF goes through one readosm pass; XML through our own expat
 * reader (osm_xml.c: line numbers, no leak on malformed input); node callbacks record (id, lon, lat), way
 * callbacks keep the refs of routable ways only; osm_build.c then finds
 * junctions. Files whose suffix is neither .pbf nor .osm go to the OGR
 * roads reader (roads_ogr.c). This is the only file that includes
 * readosm.h.
 * Profile: see gn_osm_profile in io.h and docs/planning.md.
 * Threads: reentrant (all state is in the builder on the stack).
 */
#include <errno.h>
#include <readosm.h>
#include <stdio.h>
#include <string.h>

#include "io/osm_build.h"
#include "io/osm_xml.h"
#include "io/roads_ogr.h"
#include "io/ogr_util.h"
#include "util/internal.h"

void gn_osm_profile_init(gn_osm_profile *p) {
  memset(p, 0, sizeof(*p));
  for (int c = 0; c < GN_ROAD_CLASS_COUNT; c++) {
    p->allow[c] = 1;
    p->cost_per_m[c] = gn_road_price_default((gn_road_class)c);
  }
  p->allow[GN_ROAD_MOTORWAY] = 0;
  p->allow[GN_ROAD_STEPS] = 0;
  p->allow[GN_ROAD_STRAIGHT] = 0;
  p->allow[GN_ROAD_NONE] = 0;
  p->skip_private = 1;
  p->default_class = GN_ROAD_ROAD;
}

typedef struct osm_reader {
  gn__osm_build b;
  gn_status err;
} osm_reader;

static int on_node(const void *ud, const readosm_node *n) {
  osm_reader *r = (osm_reader *)ud;
  r->err = gn__osm_build_node(&r->b, n->id, n->longitude, n->latitude);
  return r->err == GN_OK ? READOSM_OK : READOSM_ABORT;
}

/* Road class of a way's tags, or GN_ROAD_CLASS_COUNT when not routable. */
static gn_road_class way_class(const gn_osm_profile *p, const readosm_way *w) {
  const char *highway = NULL;
  int excluded = 0;
  for (int i = 0; i < w->tag_count; i++) {
    const char *k = w->tags[i].key, *v = w->tags[i].value;
    if (!k || !v) continue;
    if (strcmp(k, "highway") == 0) highway = v;
    if (strcmp(k, "area") == 0 && strcmp(v, "yes") == 0) excluded = 1;
    if (p->skip_private && strcmp(k, "access") == 0 &&
        (strcmp(v, "private") == 0 || strcmp(v, "no") == 0))
      excluded = 1;
  }
  return gn__osm_class(p, highway, excluded);
}

static int on_way(const void *ud, const readosm_way *w) {
  osm_reader *r = (osm_reader *)ud;
  r->b.ways_seen++;
  gn_road_class c = way_class(r->b.prof, w);
  if (c == GN_ROAD_CLASS_COUNT || w->node_ref_count < 2) return READOSM_OK;
  r->err = gn__osm_build_way(&r->b, w->id, (const int64_t *)w->node_refs,
                             (size_t)w->node_ref_count, c);
  return r->err == GN_OK ? READOSM_OK : READOSM_ABORT;
}

static const char *readosm_msg(int rc) {
  switch (rc) {
    case READOSM_INVALID_PBF_HEADER:
      return "invalid or truncated PBF data";
    case READOSM_UNZIP_ERROR:
      return "corrupt compressed PBF block";
    case READOSM_XML_ERROR:
      return "malformed XML";
    case READOSM_READ_ERROR:
      return "read error (file truncated?)";
    case READOSM_INSUFFICIENT_MEMORY:
      return "out of memory";
    default:
      return "unreadable OSM file";
  }
}

static int has_suffix(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  if (n < m) return 0;
  for (size_t i = 0; i < m; i++)
    if ((s[n - m + i] | 0x20) != suf[i]) return 0;
  return 1;
}

static gn_status read_pbf(osm_reader *r, const char *path) {
  const void *h = NULL;
  int rc = readosm_open(path, &h);
  if (rc == READOSM_OK) rc = readosm_parse(h, r, on_node, on_way, NULL);
  readosm_close(h);
  if (r->err != GN_OK)
    return gn__fail(r->b.ctx, r->err, "%s: out of memory reading OSM data",
                    path);
  if (rc != READOSM_OK)
    return gn__fail(r->b.ctx, GN_EFORMAT, "%s: %s (readosm code %d)", path,
                    readosm_msg(rc), rc);
  return GN_OK;
}

static gn_status read_osm_file(gn_ctx *ctx, const char *path,
                               const gn_osm_profile *prof, gn_graph **out,
                               gn_osm_stats *stats) {
  osm_reader r;
  gn__osm_build_init(&r.b, ctx, prof);
  r.err = GN_OK;
  gn_status st = has_suffix(path, ".pbf") ? read_pbf(&r, path)
                                          : gn__osm_xml_read(&r.b, path);
  if (st == GN_OK) st = gn__osm_build_finish(&r.b, path, out, stats);
  gn__osm_build_cleanup(&r.b);
  return st;
}

gn_status gn_osm_read(gn_ctx *ctx, const char *path,
                      const gn_osm_profile *profile, gn_graph **out,
                      gn_osm_stats *stats) {
  gn_osm_profile def;
  gn_ctx_clear(ctx);
  *out = NULL;
  if (!profile) {
    gn_osm_profile_init(&def);
    profile = &def;
  }
  FILE *f = fopen(path, "rb");
  if (!f)
    return gn__io_cannot_open(ctx, path, errno);
  fclose(f);
  if (has_suffix(path, ".pbf") || has_suffix(path, ".osm"))
    return read_osm_file(ctx, path, profile, out, stats);
  return gn__roads_ogr_read(ctx, path, profile, out, stats);
}
