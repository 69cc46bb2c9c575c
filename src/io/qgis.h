/*
 * qgis.h - QGIS default styles (QML) for govnet's layers, shared by the
 * plan GeoPackage writer (qgis_styles.c, through OGR) and the store's
 * own layer_styles table (written with SQL). No GDAL types here.
 */
#ifndef GN_IO_QGIS_H
#define GN_IO_QGIS_H

#include <stddef.h>

#define GN__QGIS_QML_MAX 8192
#define GN__QGIS_STYLE_DESC "govnet: the web map's colours"

/* The QML of layer (sites, trenches, pops, drops, cables, closures) into
 * qml[n]; 0, or -1 for a layer without a style. */
int gn__qgis_style_qml(const char *layer, char *qml, size_t n);

#endif
