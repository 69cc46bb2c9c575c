/*
 * ogr_util.c - GDAL/OGR plumbing shared by src/io (see ogr_util.h).
 * The error handler stack CPLPushErrorHandler manipulates is per thread,
 * so bracketing calls is reentrant.
 */
#include <cpl_error.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "io/ogr_util.h"
#include "util/internal.h"

void gn__ogr_begin(void) {
  GDALAllRegister();
  CPLPushErrorHandler(CPLQuietErrorHandler);
  CPLErrorReset();
}

void gn__ogr_end(void) { CPLPopErrorHandler(); }

const char *gn__ogr_msg(void) {
  const char *m = CPLGetLastErrorMsg();
  return m && *m ? m : "unknown GDAL error";
}

gn_status gn__io_cannot_open(gn_ctx *ctx, const char *path, int err) {
  if (err == ENOENT)
    return gn__fail(ctx, GN_ENOTFOUND, "cannot open %s: no such file", path);
  if (err == EACCES)
    return gn__fail(ctx, GN_EIO, "cannot open %s: permission denied", path);
  return gn__fail(ctx, GN_EIO, "cannot open %s: %s", path, strerror(err));
}

gn_status gn__ogr_open(gn_ctx *ctx, const char *path,
                       const char *const *open_opts, GDALDatasetH *out) {
  *out = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                    open_opts, NULL);
  if (*out) return GN_OK;
  /* GDAL's own message is often empty or generic: say what is wrong in
   * the user's terms (GDAL's text, when it has one, follows). */
  struct stat st;
  const char *m = CPLGetLastErrorMsg();
  const char *sep = m && *m ? " (" : "", *end = m && *m ? ")" : "";
  if (stat(path, &st) != 0) return gn__io_cannot_open(ctx, path, errno);
  if (S_ISDIR(st.st_mode) && !(m && *m))
    return gn__fail(ctx, GN_EFORMAT, "%s is a directory, not a vector dataset "
                    "(GeoJSON, CSV, GPKG, SHP)", path);
  return gn__fail(ctx, GN_EFORMAT, "%s is not a vector dataset (GeoJSON, CSV, "
                  "GPKG, SHP)%s%s%s", path, sep, m && *m ? m : "", end);
}

gn_status gn__ogr_to_wgs84(gn_ctx *ctx, const char *path, OGRLayerH layer,
                           OGRCoordinateTransformationH *out) {
  *out = NULL;
  OGRSpatialReferenceH src = OGR_L_GetSpatialRef(layer);
  if (!src) return GN_OK;
  OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL);
  OSRSetWellKnownGeogCS(wgs, "WGS84");
  OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
  if (OSRIsSame(src, wgs)) {
    OSRDestroySpatialReference(wgs);
    return GN_OK;
  }
  OGRSpatialReferenceH s2 = OSRClone(src);
  OSRSetAxisMappingStrategy(s2, OAMS_TRADITIONAL_GIS_ORDER);
  *out = OCTNewCoordinateTransformation(s2, wgs);
  OSRDestroySpatialReference(s2);
  OSRDestroySpatialReference(wgs);
  if (!*out)
    return gn__fail(ctx, GN_EFORMAT, "%s: cannot reproject the layer's CRS "
                    "to WGS84: %s", path, gn__ogr_msg());
  return GN_OK;
}

int gn__ogr_field(OGRFeatureDefnH defn, const char *const *names) {
  int n = OGR_FD_GetFieldCount(defn);
  for (const char *const *nm = names; *nm; nm++) {
    for (int i = 0; i < n; i++) {
      const char *f = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
      if (strcasecmp(f, *nm) == 0) return i;
    }
  }
  return -1;
}
