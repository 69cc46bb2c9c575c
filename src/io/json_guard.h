/*
 * json_guard.h - A streaming pre-check of a GeoJSON file before GDAL
 * opens it (internal). GDAL builds one layer field per distinct property
 * name and its cost grows much faster than the file: a feature with
 * 100,000 properties took 112 s. The guard reads the file once in
 * constant memory (plus a small key set) and refuses, with the file, the
 * limit and the feature number, anything beyond:
 *   file size        GN__GJ_MAX_BYTES   (256 MiB)
 *   features         GN__GJ_MAX_FEATURES (2,000,000)
 *   distinct property names over the file  GN__GJ_MAX_FIELDS (1,000)
 *   members of any one object              GN__GJ_MAX_MEMBERS (10,000)
 *   nesting depth                          GN__GJ_MAX_DEPTH (64)
 * It is not a JSON validator: GDAL still reports syntax errors.
 */
#ifndef GOVNET_IO_JSON_GUARD_H
#define GOVNET_IO_JSON_GUARD_H

#include "govnet/ctx.h"

#define GN__GJ_MAX_BYTES ((long long)256 << 20)
#define GN__GJ_MAX_FEATURES 2000000L
#define GN__GJ_MAX_FIELDS 1000
#define GN__GJ_MAX_MEMBERS 10000L
#define GN__GJ_MAX_DEPTH 64

/* GN_OK, or GN_ELIMIT naming path and the limit; GN_EIO if unreadable. */
gn_status gn__geojson_guard(gn_ctx *ctx, const char *path);

/* 1 if path ends in .geojson or .json (any case). */
int gn__is_geojson_path(const char *path);

#endif
