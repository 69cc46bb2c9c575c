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
 * grey, cables cyan, closures grey squares. Only the symbology category is
 * written; labels and forms stay QGIS's defaults. The QML is also what
 * the store writes into its own layer_styles (store_schema.c).
 * Threads: reentrant; uses the caller's dataset.
 */
#include <stdio.h>
#include <string.h>

#include <cpl_string.h>

#include "io/ogr_util.h"
#include "io/qgis.h"
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

/* Styles by layer name: the plan's and the store's layers. */
int gn__qgis_style_qml(const char *layer, char *qml, size_t n) {
  if (strcmp(layer, "sites") == 0)
    categorized(qml, n, "category", site_cats, 4, 0);
  else if (strcmp(layer, "trenches") == 0)
    categorized(qml, n, "redundant", trench_cats, 2, 1);
  else if (strcmp(layer, "pops") == 0)
    single(qml, n, 0, "17,24,39", "diamond");
  else if (strcmp(layer, "drops") == 0)
    single(qml, n, 1, "148,163,184", NULL);
  else if (strcmp(layer, "cables") == 0)
    single(qml, n, 1, "8,145,178", NULL);
  else if (strcmp(layer, "closures") == 0)
    single(qml, n, 0, "75,85,99", "square");
  else
    return -1;
  return 0;
}

static gn_status add_style(gn_ctx *ctx, const char *path, OGRLayerH l,
                           const char *table) {
  char qml[GN__QGIS_QML_MAX];
  if (gn__qgis_style_qml(table, qml, sizeof qml) != 0)
    return gn__fail(ctx, GN_EINTERNAL, "no QGIS style for layer %s", table);
  OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
  OGRFeatureH f = OGR_F_Create(d);
  const char *text[][2] = {{"f_table_catalog", ""}, {"f_table_schema", ""},
                           {"f_table_name", table}, {"f_geometry_column", "geom"},
                           {"styleName", "govnet"}, {"styleQML", qml},
                           {"styleSLD", ""}, {"description", GN__QGIS_STYLE_DESC},
                           {"owner", ""}};
  for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(d, text[i][0]), text[i][1]);
  OGR_F_SetFieldInteger(f, OGR_FD_GetFieldIndex(d, "useAsDefault"), 1);
  OGRErr e = OGR_L_CreateFeature(l, f);
  OGR_F_Destroy(f);
  if (e != OGRERR_NONE)
    return gn__fail(ctx, GN_EIO, "%s: cannot write layer_styles: %s", path, gn__ogr_msg());
  return GN_OK;
}

/* QGIS's own layer_styles schema (what its OGR provider creates and
 * queries: f_table_schema='' AND f_table_name AND f_geometry_column,
 * ordered by useAsDefault and update_time). */
gn_status gn__qgis_styles_write(gn_ctx *ctx, GDALDatasetH ds, const char *path) {
  static const struct {
    const char *name;
    OGRFieldType type;
  } cols[] = {{"f_table_catalog", OFTString}, {"f_table_schema", OFTString},
              {"f_table_name", OFTString},    {"f_geometry_column", OFTString},
              {"styleName", OFTString},       {"styleQML", OFTString},
              {"styleSLD", OFTString},        {"useAsDefault", OFTInteger},
              {"description", OFTString},     {"owner", OFTString},
              {"ui", OFTString},              {"update_time", OFTDateTime}};
  char **opts = CSLSetNameValue(NULL, "FID", "id");
  OGRLayerH l = GDALDatasetCreateLayer(ds, "layer_styles", NULL, wkbNone, opts);
  CSLDestroy(opts);
  if (!l) return gn__fail(ctx, GN_EIO, "%s: cannot write layer_styles: %s", path, gn__ogr_msg());
  for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
    OGRFieldDefnH fd = OGR_Fld_Create(cols[i].name, cols[i].type);
    if (cols[i].type == OFTInteger) OGR_Fld_SetSubType(fd, OFSTBoolean);
    if (cols[i].type == OFTDateTime) OGR_Fld_SetDefault(fd, "CURRENT_TIMESTAMP");
    OGRErr e = OGR_L_CreateField(l, fd, TRUE);
    OGR_Fld_Destroy(fd);
    if (e != OGRERR_NONE)
      return gn__fail(ctx, GN_EIO, "%s: cannot write layer_styles: %s", path, gn__ogr_msg());
  }
  static const char *const layers[] = {"sites", "trenches", "pops", "drops"};
  gn_status s = GN_OK;
  for (size_t i = 0; s == GN_OK && i < sizeof(layers) / sizeof(layers[0]); i++)
    s = add_style(ctx, path, l, layers[i]);
  return s;
}
