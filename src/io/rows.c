/*
 * rows.c - CSV spreadsheets row by row (subcontractors' progress sheets).
 *
 * Design: GDAL's CSV driver does the quoting and the separator detection
 * (SEPARATOR=AUTO: comma, semicolon as French spreadsheets write, tab);
 * types are not guessed, every value is text. Line numbers: the driver's
 * feature id is the data row number, so the file line is fid + 1.
 * Ownership: names and values are borrowed for the callback's duration.
 */
#include <string.h>

#include "govnet/io.h"
#include "io/ogr_util.h"
#include "util/internal.h"

#define MAX_COLS 256
#define MAX_ROWS 1000000

static gn_status each_row(gn_ctx *ctx, const char *path, OGRLayerH layer,
                          gn_row_fn fn, void *ud) {
  OGRFeatureDefnH d = OGR_L_GetLayerDefn(layer);
  int nc = OGR_FD_GetFieldCount(d);
  if (nc <= 0) return gn__fail(ctx, GN_EFORMAT, "%s: no column", path);
  if (nc > MAX_COLS)
    return gn__fail(ctx, GN_ELIMIT, "%s: %d columns, at most %d", path, nc,
                    MAX_COLS);
  const char *names[MAX_COLS], *vals[MAX_COLS];
  for (int i = 0; i < nc; i++)
    names[i] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i));
  gn_status s = GN_OK;
  size_t rows = 0;
  OGRFeatureH f;
  OGR_L_ResetReading(layer);
  while (s == GN_OK && (f = OGR_L_GetNextFeature(layer)) != NULL) {
    if (++rows > MAX_ROWS) {
      s = gn__fail(ctx, GN_ELIMIT, "%s: over %d rows", path, MAX_ROWS);
    } else {
      for (int i = 0; i < nc; i++)
        vals[i] = OGR_F_IsFieldSetAndNotNull(f, i) ? OGR_F_GetFieldAsString(f, i)
                                                   : "";
      s = fn(ud, (size_t)OGR_F_GetFID(f) + 1, names, vals, (size_t)nc);
    }
    OGR_F_Destroy(f);
  }
  return s;
}

gn_status gn_io_read_rows(gn_ctx *ctx, const char *path, gn_row_fn fn,
                          void *ud) {
  gn_ctx_clear(ctx);
  static const char *const opts[] = {"SEPARATOR=AUTO", "AUTODETECT_TYPE=NO",
                                     "HEADERS=YES", "KEEP_GEOM_COLUMNS=YES",
                                     NULL};
  static const char *const drivers[] = {"CSV", NULL};
  gn__ogr_begin();
  GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY,
                               drivers, opts, NULL);
  gn_status s = GN_OK;
  if (!ds)
    s = gn__fail(ctx, GN_EIO, "%s: cannot open as CSV: %s", path,
                 gn__ogr_msg());
  else if (GDALDatasetGetLayerCount(ds) < 1)
    s = gn__fail(ctx, GN_EFORMAT, "%s: no table", path);
  else
    s = each_row(ctx, path, GDALDatasetGetLayer(ds, 0), fn, ud);
  if (ds) GDALClose(ds);
  gn__ogr_end();
  return s;
}
