/*
 * ogr_util.h - GDAL/OGR plumbing shared by the readers and writers of
 * src/io (internal): quiet error handling, opening, reprojection.
 * Every public io entry point that touches GDAL brackets its work with
 * gn__ogr_begin()/gn__ogr_end() so GDAL never prints.
 */
#ifndef GOVNET_IO_OGR_UTIL_H
#define GOVNET_IO_OGR_UTIL_H

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "govnet/ctx.h"

/* Register drivers, push a quiet error handler, reset the error state. */
void gn__ogr_begin(void);
void gn__ogr_end(void);

/* Last GDAL error message, or "unknown GDAL error". */
const char *gn__ogr_msg(void);

/* Open a vector dataset read-only; GN_EIO naming path on failure. */
gn_status gn__ogr_open(gn_ctx *ctx, const char *path,
                       const char *const *open_opts, GDALDatasetH *out);

/* A transformation from the layer's CRS to WGS84 lon/lat, or NULL when
 * the layer has no CRS or already is lon/lat WGS84. Free with
 * OCTDestroyCoordinateTransformation. */
gn_status gn__ogr_to_wgs84(gn_ctx *ctx, const char *path, OGRLayerH layer,
                           OGRCoordinateTransformationH *out);

/* Case-insensitive field index of the first of names present, or -1. */
int gn__ogr_field(OGRFeatureDefnH defn, const char *const *names);

/* "cannot open PATH: no such file" (GN_ENOTFOUND) or the reason (GN_EIO)
 * for errno err: the one wording of a file that cannot be opened. */
gn_status gn__io_cannot_open(gn_ctx *ctx, const char *path, int err);

/* qgis_styles.c: the layer_styles table (QGIS default styles with the web
 * map's colours) for the plan layers sites, trenches, pops, drops. */
gn_status gn__qgis_styles_write(gn_ctx *ctx, GDALDatasetH ds, const char *path);

#endif
