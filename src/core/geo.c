/*
 * geo.c - WGS84 geodesy. Distances use PROJ's geodesic routines
 * (Karney 2013); this is the only file that includes <geodesic.h>.
 * Threads: the ellipsoid is a local initialised per call (cheap), so
 * there is no shared state.
 */
#include <geodesic.h>
#include <math.h>

#include "govnet/geo.h"

static void wgs84(struct geod_geodesic *g) {
  geod_init(g, 6378137.0, 1.0 / 298.257223563);
}

double gn_geo_distance_m(double lon1, double lat1, double lon2,
                         double lat2) {
  struct geod_geodesic g;
  double s12 = 0;
  if (lon1 == lon2 && lat1 == lat2) return 0.0;
  wgs84(&g);
  geod_inverse(&g, lat1, lon1, lat2, lon2, &s12, NULL, NULL);
  return s12;
}

double gn_geo_line_length_m(const double *lonlat, size_t n) {
  struct geod_geodesic g;
  double total = 0;
  wgs84(&g);
  for (size_t i = 1; i < n; i++) {
    double s12 = 0;
    const double *a = lonlat + 2 * (i - 1), *b = lonlat + 2 * i;
    if (a[0] == b[0] && a[1] == b[1]) continue;
    geod_inverse(&g, a[1], a[0], b[1], b[0], &s12, NULL, NULL);
    total += s12;
  }
  return total;
}

int gn_geo_valid_lonlat(double lon, double lat) {
  return isfinite(lon) && isfinite(lat) && lon >= -180.0 && lon <= 180.0 &&
         lat >= -90.0 && lat <= 90.0;
}

double gn_geo_project_segment(double px, double py, double ax, double ay,
                              double bx, double by, double *qx, double *qy) {
  double k = cos(ay * 3.14159265358979323846 / 180.0);
  double dx = (bx - ax) * k, dy = by - ay;
  double wx = (px - ax) * k, wy = py - ay;
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? (wx * dx + wy * dy) / len2 : 0.0;
  if (t < 0) t = 0;
  if (t > 1) t = 1;
  *qx = ax + t * (bx - ax);
  *qy = ay + t * (by - ay);
  return t;
}
