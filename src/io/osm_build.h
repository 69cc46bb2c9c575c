/*
 * osm_build.h - Turning OSM-like nodes and ways into a street graph
 * (internal to src/io). The OSM reader and the OGR roads reader both feed
 * a gn__osm_build and let it find junctions and shapes.
 */
#ifndef GOVNET_IO_OSM_BUILD_H
#define GOVNET_IO_OSM_BUILD_H

#include <stdint.h>

#include "govnet/io.h"

typedef struct gn__osm_node {
  int64_t id;
  double lon, lat;
} gn__osm_node;

typedef struct gn__osm_build {
  gn_ctx *ctx;
  const gn_osm_profile *prof;
  gn__osm_node *nodes;
  size_t nnodes, cap_nodes;
  int sorted; /* node ids arrived in increasing order */
  int64_t *way_id;
  uint8_t *way_class;
  size_t *way_off; /* nways + 1 offsets into refs */
  size_t nways, cap_way_id, cap_way_class, cap_way_off;
  int64_t *refs;
  size_t nrefs, cap_refs;
  size_t ways_seen; /* all ways, routable or not */
} gn__osm_build;

void gn__osm_build_init(gn__osm_build *b, gn_ctx *ctx,
                        const gn_osm_profile *prof);
void gn__osm_build_cleanup(gn__osm_build *b);
gn_status gn__osm_build_node(gn__osm_build *b, int64_t id, double lon,
                             double lat);
/* Add a routable way (class already decided by the caller). */
gn_status gn__osm_build_way(gn__osm_build *b, int64_t id,
                            const int64_t *refs, size_t n, gn_road_class c);
/* Class of a way with this highway value, or GN_ROAD_CLASS_COUNT when
 * the profile does not route it (excluded: area=yes/access=private). */
gn_road_class gn__osm_class(const gn_osm_profile *p, const char *highway,
                            int excluded);
/* Build the finalized graph; path names the file in messages. */
gn_status gn__osm_build_finish(gn__osm_build *b, const char *path,
                               gn_graph **out, gn_osm_stats *stats);

#endif
