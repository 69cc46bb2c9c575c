/*
 * roads_ogr.h - Street networks from OGR line layers (internal; reached
 * through gn_osm_read for suffixes other than .osm/.pbf).
 */
#ifndef GOVNET_IO_ROADS_OGR_H
#define GOVNET_IO_ROADS_OGR_H

#include "govnet/io.h"

gn_status gn__roads_ogr_read(gn_ctx *ctx, const char *path,
                             const gn_osm_profile *prof, gn_graph **out,
                             gn_osm_stats *stats);

#endif
