/*
 * geo.h - Geodesy on the WGS84 ellipsoid (PROJ's geodesic routines).
 * Threads: all functions are reentrant.
 */
#ifndef GOVNET_GEO_H
#define GOVNET_GEO_H

#include <stddef.h>

#include "govnet/export.h"

/* Geodesic distance in metres between two lon/lat points (degrees) on
 * the WGS84 ellipsoid (Karney's algorithm, accurate to nanometres). */
GN_API double gn_geo_distance_m(double lon1, double lat1, double lon2,
                                double lat2);

/* Distance in metres: for points less than 0.05 degree apart (and away
 * from the poles) the local ellipsoidal approximation, within 1e-6
 * relative of the geodesic; otherwise the geodesic. Since 0.1. */
GN_API double gn_geo_fast_distance_m(double lon1, double lat1, double lon2,
                                     double lat2);

/* Length in metres of a polyline of n interleaved lon/lat pairs
 * (gn_geo_fast_distance_m per segment). */
GN_API double gn_geo_line_length_m(const double *lonlat, size_t n);

/* 1 if lon in [-180,180] and lat in [-90,90] and both finite. */
GN_API int gn_geo_valid_lonlat(double lon, double lat);

/* Closest point to (px,py) on segment a-b in a local equirectangular
 * frame at the segment's latitude; returns the fraction t in [0,1] and
 * the point. Good to centimetres for street-length segments. */
GN_API double gn_geo_project_segment(double px, double py, double ax,
                                     double ay, double bx, double by,
                                     double *qx, double *qy);

#endif
