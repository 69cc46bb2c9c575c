/*
 * qgis_styles.c - The `layer_styles` table QGIS reads from a GeoPackage,
 * so a plan opens styled with the web map's colours.
 *
 * Design: QGIS looks for a table named layer_styles (its own schema:
 * f_table_name, f_geometry_column, styleName, styleQML, useAsDefault, ...)
 * and applies the row marked useAsDefault to the layer of that name. We
 * write it through OGR like any other table (so GDAL registers it in
 * gpkg_contents as attributes, as QGIS itself does) with a QML symbology
 * per layer: sites categorized by `category` (admin #2563eb, health
 * #dc2626, education #d97706, other #6b7280: web/app.js CAT_COLORS and
 * the report's map), POPs as black diamonds, trenches categorized by
 * `redundant` (teal #0e7490, ring trenches violet #7c3aed), drops thin
 * grey. Only the symbology category is written; labels and forms stay
 * QGIS's defaults.
 * Threads: reentrant; uses the caller's dataset.
 */
#include <stdio.h>
#include <string.h>

#include "io/ogr_util.h"
#include "util/internal.h"

typedef struct cat {
  const char *value, *label, *rgb;
} cat;

static const cat site_cats[] = {{"admin", "Administration", "37,99,235"},
                                {"health", "Santé / Health", "220,38,38"},
                                {"education", "Éducation / Education", "217,119,6"},
                                {"other", "Autre / Other", "107,114,128"}};
static const cat trench_cats[] = {{"0", "Tranchée / Trench", "14,116,144"},
                                  {"1", "Boucle (secours) / Ring", "124,58,237"}};

static void marker(char *b, size_t n, size_t *o, int idx, const char *rgb,
                   const char *shape, const char *size) {
  *o += (size_t)snprintf(b + *o, n - *o,
      "<symbol type=\"marker\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
      "<layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\"><Option type=\"Map\">"
      "<Option name=\"color\" type=\"QString\" value=\"%s,255\"/>"
      "<Option name=\"name\" type=\"QString\" value=\"%s\"/>"
      "<Option name=\"outline_color\" type=\"QString\" value=\"255,255,255,255\"/>"
      "<Option name=\"outline_width\" type=\"QString\" value=\"0.3\"/>"
      "<Option name=\"size\" type=\"QString\" value=\"%s\"/>"
      "</Option></layer></symbol>", idx, rgb, shape, size);
}

static void line(char *b, size_t n, size_t *o, int idx, const char *rgb, const char *width) {
  *o += (size_t)snprintf(b + *o, n - *o,
      "<symbol type=\"line\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
      "<layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\"><Option type=\"Map\">"
      "<Option name=\"line_color\" type=\"QString\" value=\"%s,255\"/>"
      "<Option name=\"line_width\" type=\"QString\" value=\"%s\"/>"
      "<Option name=\"capstyle\" type=\"QString\" value=\"round\"/>"
      "</Option></layer></symbol>", idx, rgb, width);
}

static const char qml_head[] =
    "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
    "<qgis version=\"3.22.0\" styleCategories=\"Symbology\">";

/* A categorized renderer over attr with one symbol per category. */
static void categorized(char *b, size_t n, const char *attr, const cat *c, size_t nc,
                        int lines) {
  size_t o = (size_t)snprintf(b, n, "%s<renderer-v2 type=\"categorizedSymbol\" attr=\"%s\" "
                              "symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\"><categories>",
                              qml_head, attr);
  for (size_t i = 0; i < nc; i++)
    o += (size_t)snprintf(b + o, n - o, "<category value=\"%s\" symbol=\"%zu\" label=\"%s\" "
                          "render=\"true\"/>", c[i].value, i, c[i].label);
  o += (size_t)snprintf(b + o, n - o, "</categories><symbols>");
  for (size_t i = 0; i < nc; i++) {
    if (lines) line(b, n, &o, (int)i, c[i].rgb, i ? "0.9" : "0.7");
    else marker(b, n, &o, (int)i, c[i].rgb, "circle", "2.6");
  }
  snprintf(b + o, n - o, "</symbols></renderer-v2></qgis>");
}

/* A single-symbol renderer. */
static void single(char *b, size_t n, int lines, const char *rgb, const char *shape) {
  size_t o = (size_t)snprintf(b, n, "%s<renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" "
                              "enableorderby=\"0\" forceraster=\"0\"><symbols>", qml_head);
  if (lines) line(b, n, &o, 0, rgb, "0.3");
  else marker(b, n, &o, 0, rgb, shape, "4");
  snprintf(b + o, n - o, "</symbols></renderer-v2></qgis>");
}

static gn_status add_style(gn_ctx *ctx, const char *path, OGRLayerH l, const char *table,
                           const char *qml) {
  OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
  OGR_F_SetFieldString(f, 0, table);
  OGR_F_SetFieldString(f, 1, "geom");
  OGR_F_SetFieldString(f, 2, "govnet");
  OGR_F_SetFieldString(f, 3, qml);
  OGR_F_SetFieldInteger(f, 4, 1);
  OGR_F_SetFieldString(f, 5, "govnet: the web map's colours");
  OGRErr e = OGR_L_CreateFeature(l, f);
  OGR_F_Destroy(f);
  if (e != OGRERR_NONE)
    return gn__fail(ctx, GN_EIO, "%s: cannot write layer_styles: %s", path, gn__ogr_msg());
  return GN_OK;
}

gn_status gn__qgis_styles_write(gn_ctx *ctx, GDALDatasetH ds, const char *path) {
  static const struct {
    const char *name;
    OGRFieldType type;
  } cols[] = {{"f_table_name", OFTString}, {"f_geometry_column", OFTString},
              {"styleName", OFTString},    {"styleQML", OFTString},
              {"useAsDefault", OFTInteger}, {"description", OFTString}};
  OGRLayerH l = GDALDatasetCreateLayer(ds, "layer_styles", NULL, wkbNone, NULL);
  if (!l) return gn__fail(ctx, GN_EIO, "%s: cannot write layer_styles: %s", path, gn__ogr_msg());
  for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
    OGRFieldDefnH fd = OGR_Fld_Create(cols[i].name, cols[i].type);
    if (cols[i].type == OFTInteger) OGR_Fld_SetSubType(fd, OFSTBoolean);
    OGRErr e = OGR_L_CreateField(l, fd, TRUE);
    OGR_Fld_Destroy(fd);
    if (e != OGRERR_NONE)
      return gn__fail(ctx, GN_EIO, "%s: cannot write layer_styles: %s", path, gn__ogr_msg());
  }
  char qml[8192];
  categorized(qml, sizeof(qml), "category", site_cats, 4, 0);
  gn_status s = add_style(ctx, path, l, "sites", qml);
  categorized(qml, sizeof(qml), "redundant", trench_cats, 2, 1);
  if (s == GN_OK) s = add_style(ctx, path, l, "trenches", qml);
  single(qml, sizeof(qml), 0, "17,24,39", "diamond");
  if (s == GN_OK) s = add_style(ctx, path, l, "pops", qml);
  single(qml, sizeof(qml), 1, "148,163,184", NULL);
  if (s == GN_OK) s = add_style(ctx, path, l, "drops", qml);
  return s;
}
