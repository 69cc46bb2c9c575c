/*
 * io.h - Reading street networks and sites, writing and reading plans,
 * and the plan summary.
 *
 * Street networks: OpenStreetMap .osm.pbf and .osm XML (readosm) and
 * GeoJSON/GeoPackage/Shapefile LineStrings of roads (GDAL/OGR) become a
 * routable gn_graph: junctions are nodes shared between ways (and way
 * ends); the degree-2 nodes in between become the edge's shape, so the
 * graph stays small. Edge length_m is measured on the WGS84 ellipsoid;
 * weight = length_m x the profile's cost per metre of the road class.
 * Sites: any OGR point layer (GeoJSON, CSV with lon/lat columns,
 * GeoPackage, Shapefile), reprojected to WGS84.
 * Plans: GeoPackage (round-trips every field of gn_plan) and GeoJSON;
 * every file is written to a temporary name and renamed, so a failed
 * write leaves no partial file.
 * Errors name the file and the feature/line/field. GDAL never prints.
 * Threads: reentrant; one gn_ctx per thread.
 */
#ifndef GOVNET_IO_H
#define GOVNET_IO_H

#include <stddef.h>
#include <stdint.h>

#include "govnet/ctx.h"
#include "govnet/export.h"
#include "govnet/design.h"
#include "govnet/graph.h"
#include "govnet/plan.h"

/* ---- street networks ---------------------------------------------- */

/* Which ways a trench may follow, and what a metre of each class costs.
 * Default (gn_osm_profile_init): every class of gn_road_class except
 * motorway (incl. motorway_link) and steps; ways tagged access=private
 * or access=no, area=yes, or highway values outside gn_road_class
 * (construction, proposed, platform, bridleway...) are skipped.
 * cost_per_m defaults to gn_road_price_default() (FCFA per metre). */
typedef struct gn_osm_profile {
  int allow[GN_ROAD_CLASS_COUNT];         /* 1: routable */
  double cost_per_m[GN_ROAD_CLASS_COUNT]; /* edge weight per metre */
  int skip_private;                       /* 1: skip access=private|no */
  /* GeoJSON roads: class of a line with no highway-like field. */
  gn_road_class default_class;
} gn_osm_profile;

/* Fill p with the default profile. Since 0.1. */
GN_API void gn_osm_profile_init(gn_osm_profile *p);

typedef struct gn_osm_stats {
  size_t ways;              /* routable ways kept */
  size_t nodes;             /* OSM nodes referenced by kept ways */
  size_t edges;             /* graph edges (junction to junction) */
  size_t junctions;         /* graph nodes */
  size_t components;        /* connected components */
  size_t largest_component; /* nodes in the largest one */
  size_t missing_refs;      /* way node refs absent from the file */
  double length_m;          /* total length of the kept network */
} gn_osm_stats;

/* Read a street network: .osm.pbf / .pbf / .osm (readosm) or any OGR
 * line layer (.geojson, .gpkg, .shp ...) chosen by the file suffix.
 * profile may be NULL (default). stats may be NULL. On success *out is a
 * finalized graph the caller frees with gn_graph_free(); edges carry
 * src_id = OSM way id (GeoJSON: feature id) and road_class.
 * Errors: GN_EIO (missing/unreadable file), GN_EFORMAT (truncated or
 * corrupt PBF, XML that is not OSM, no routable way), GN_ENOMEM.
 * Since 0.1. */
GN_API gn_status gn_osm_read(gn_ctx *ctx, const char *path,
                             const gn_osm_profile *profile, gn_graph **out,
                             gn_osm_stats *stats);

/* ---- sites ---------------------------------------------------------- */

typedef struct gn_sites_opts {
  const char *layer;   /* layer name; NULL: the first layer */
  const char *id_field; /* NULL: "id", else the feature id */
  const char *encoding; /* text of the file: NULL or "utf-8" (checked),
                           "latin1" (converted); since 0.2 */
} gn_sites_opts;

GN_API void gn_sites_opts_init(gn_sites_opts *o);

/* A list of ids, one per line (first CSV column; '#' comments, blank
 * lines and a header line "id"/"site_id" skipped): hub candidates.
 * *ids: n strings, each and the array freed with gn_free(ctx, ...).
 * Errors naming file and line: GN_EIO, GN_EFORMAT (an empty id, a line
 * over 255 bytes, no id at all). Since 0.5. */
GN_API gn_status gn_io_read_ids(gn_ctx *ctx, const char *path, char ***ids,
                                size_t *n);

/* Append the point features of a vector file to plan as sites
 * (node = GN_NONE, status GN_SITE_CONNECTED until planned).
 * id: the id field, else the feature id; name: name/nom/"Facility name"
 * (or the first of a "names" list); category: the "category" field if it
 * names one, else keywords in amenity/healthcare/tag/type/"Facility
 * type" fields (hospital, clinic, santé... -> health; school, college,
 * university, école... -> education; townhall, police, courthouse,
 * post_office, public_building, ministère, mairie... -> admin), else
 * other; priority: integer "priority" field, else 0. CSV files need
 * lon/lat, longitude/latitude, lng/lat or x/y columns (any case).
 * Reprojected to WGS84 when the layer has another CRS. opts may be NULL.
 * Errors (naming file and feature/line): GN_EIO (cannot open),
 * GN_EFORMAT (no point geometries, CSV without coordinate columns, zero
 * features, duplicate id), GN_EGEOM (coordinates out of range).
 * On error plan keeps the sites it had before the call. Since 0.1. */
GN_API gn_status gn_io_read_sites(gn_ctx *ctx, const char *path,
                                  const gn_sites_opts *opts, gn_plan *plan);

/* Name of a site status ("connected", "too_far", "unreachable",
 * "invalid"); static storage. Since 0.1. */
GN_API const char *gn_site_status_name(gn_site_status s);

/* ---- tracks (as-built surveys) ---------------------------------------- */

typedef struct gn_track {
  char *name;       /* the feature's name/nom ("" if none) */
  int64_t trench;   /* "trench" field, or "trench N" / "N" as the name;
                       0 when the track does not say */
  double *lonlat;   /* npts interleaved lon/lat (WGS84) */
  size_t npts;
} gn_track;

/* Read the line features of a GPX file (its tracks and routes; waypoints
 * and track points are skipped) or of any OGR line file (GeoJSON, GPKG,
 * SHP...) as polylines; each part of a multi-line is a track of its own.
 * Reprojected to WGS84. Errors name the file and feature: GN_EIO (cannot
 * open), GN_EFORMAT (no line feature), GN_EGEOM (a part with fewer than
 * 2 points or coordinates out of range), GN_ELIMIT (over 100,000 tracks
 * or 1,000,000 points). Caller frees with gn_tracks_free. Since 0.1. */
GN_API gn_status gn_io_read_tracks(gn_ctx *ctx, const char *path,
                                   gn_track **out, size_t *n);
GN_API void gn_tracks_free(gn_ctx *ctx, gn_track *t, size_t n);

/* ---- tables (CSV spreadsheets) ----------------------------------------- */

/* One data row: the header's column names and the row's values (both
 * ncols long, values "" when empty), its line number in the file. Return
 * GN_OK to go on; any other status stops the read and is returned. */
typedef gn_status (*gn_row_fn)(void *ud, size_t line,
                               const char *const *names,
                               const char *const *values, size_t ncols);

/* Read a CSV file (comma, semicolon or tab, detected; quoted fields;
 * UTF-8) row by row through GDAL, all values as text. Errors: GN_EIO
 * (cannot open), GN_EFORMAT (no header, no column), GN_ELIMIT (over 256
 * columns or 1,000,000 rows), or the callback's status. Since 0.1. */
GN_API gn_status gn_io_read_rows(gn_ctx *ctx, const char *path, gn_row_fn fn,
                                 void *ud);

/* ---- plan files ------------------------------------------------------ */

/* Write plan as a GeoPackage with layers sites, pops, trenches, drops,
 * nodes (all EPSG:4326) and the attribute table plan_meta (key, value);
 * the OSM attribution goes into plan_meta and the dataset metadata.
 * Overwrites path atomically (temp file + rename). Errors: GN_EIO.
 * Since 0.1. */
GN_API gn_status gn_plan_write_gpkg(const gn_plan *plan, const char *path);

/* Read a GeoPackage written by gn_plan_write_gpkg. Caller frees *out
 * with gn_plan_free(). Errors: GN_EIO, GN_EFORMAT (missing layer or
 * field, node index gap). Since 0.1. */
GN_API gn_status gn_plan_read_gpkg(gn_ctx *ctx, const char *path,
                                   gn_plan **out);

/* Write plan as one GeoJSON FeatureCollection: features with "layer" =
 * site, pop, trench or drop; members "attribution" and "metadata" at
 * the top. Coordinates are written exactly (17 significant digits), so
 * trenches share end coordinates bit for bit. Since 0.1. */
GN_API gn_status gn_plan_write_geojson(const gn_plan *plan,
                                       const char *path);

/* ---- summary ---------------------------------------------------------- */

/* A plan summary: an ordered JSON object that passes (cost, resilience,
 * phases) may extend before it is written. Opaque. */
typedef struct gn_summary gn_summary;

/* Compute the base summary of plan: sites_total, sites_connected,
 * sites_dropped [{id, status, reason}], pops, trenches, trench_m,
 * drop_m, km_by_road_class {class: km}, attribution, meta. Caller frees
 * with gn_summary_free(). Since 0.1. */
GN_API gn_status gn_summary_create(const gn_plan *plan, gn_summary **out);
GN_API void gn_summary_free(gn_summary *s);

/* Add or replace a top-level key. set_json parses json_text (an object,
 * array or scalar); GN_EFORMAT if it is not valid JSON. Since 0.1. */
GN_API gn_status gn_summary_set_number(gn_summary *s, const char *key,
                                       double value);
GN_API gn_status gn_summary_set_string(gn_summary *s, const char *key,
                                       const char *value);
GN_API gn_status gn_summary_set_json(gn_summary *s, const char *key,
                                     const char *json_text);

/* The summary as indented JSON text. Caller frees *out with gn_free().
 * Since 0.1. */
GN_API gn_status gn_summary_json(const gn_summary *s, char **out);

/* The summary as a readable text table (one key per line, road classes
 * and dropped sites listed; extra scalar keys appended). Caller frees
 * *out with gn_free(). Since 0.1. */
GN_API gn_status gn_summary_table(const gn_summary *s, char **out);

/* Write the JSON to path (temp file + rename). Since 0.1. */
GN_API gn_status gn_summary_write_json(const gn_summary *s, const char *path);

/* ---- price book files (the struct and its use: design.h) ---------- */

/* Fill pb with the documented defaults (docs/pricebook.md). */
GN_API void gn_pricebook_init(gn_pricebook *pb);

/* Read a price book (key = value lines, '#' comments; see
 * docs/pricebook.md) into pb. The file must give every key unless it
 * contains "base = defaults" (then pb starts from the defaults). Errors
 * name the file and line: GN_EIO (cannot open), GN_EFORMAT (unknown key,
 * unknown category or road class, missing or non-numeric value, negative
 * price, detour <= 1, missing key). pb is unchanged on failure. */
GN_API gn_status gn_pricebook_read(gn_ctx *ctx, const char *path,
                                   gn_pricebook *pb);

/* Write pb as a complete price book file (every key, with a comment
 * line per group), e.g. as a template to edit. Errors: GN_EIO naming the
 * path. Since 0.1. */
GN_API gn_status gn_pricebook_write(gn_ctx *ctx, const char *path,
                                    const gn_pricebook *pb);

/* The cable-layout options a plan was designed with: its meta "optics"
 * (ACCESS,PROTECT classes) and "layout_spare" (spare share), applied over
 * o (e.g. the defaults or a price book's). A plan without them keeps o.
 * Errors: GN_EFORMAT naming the meta key and its value. Since 0.6. */
GN_API gn_status gn_layout_opts_from_plan(gn_ctx *ctx, const gn_plan *p,
                                          gn_layout_opts *o);

/* ------------------------------------------------------------------ */
/* Towns (phase selection by region) and the plan summary              */

typedef struct gn_town {
  char name[64];   /* UTF-8, as in the file */
  double lon, lat;
} gn_town;

/* Read a GeoNames-style town list: a JSON array (or an object with a
 * "geonames" array) of {"name", "lat", "lng"} with numbers or numeric
 * strings. Caller frees *out with gn_free(ctx, ...). Errors name the
 * file and entry: GN_EIO, GN_EFORMAT. Since 0.1. */
GN_API gn_status gn_towns_read(gn_ctx *ctx, const char *path, gn_town **out,
                               size_t *n);

/* One attribute of every feature of a sites file, keyed by the site id
 * gn_io_read_sites gives (the "id" field, else the feature id): lets a
 * phase select sites by a property value. value is NULL when unset.
 * Errors: GN_EIO (cannot open), GN_EFORMAT (no such field, naming it).
 * Caller frees with gn_site_values_free(). Since 0.1. */
typedef struct gn_site_value {
  char *id, *value;
} gn_site_value;

GN_API gn_status gn_io_site_values(gn_ctx *ctx, const char *path,
                                   const char *field, gn_site_value **out,
                                   size_t *n);
GN_API void gn_site_values_free(gn_ctx *ctx, gn_site_value *v, size_t n);

/* The design figures added to a plan summary (io.h's gn_summary). */
typedef struct gn_design_info {
  const char *mode;                      /* "points" or "streets" */
  double detour;                         /* points mode */
  const gn_points_stats *points;         /* NULL in street mode */
  size_t npoints;                        /* one per phase */
  const char *resilience_mode;           /* "none", "critical", "all" */
  const gn_resilience_report *const *resilience; /* per phase run */
  size_t nresilience;
  const gn_cut_summary *cut;             /* whole final network */
  const gn_bom *bom;
  double spare;
  const gn_layout *layout;               /* NULL: no circuit figures */
  const gn_hub_set *hubs;                /* NULL: no hubs placed */
  const gn_layout_opts *optics;          /* classes the layout used */
} gn_design_info;

struct gn_summary;

/* Add to summary: cost_fcfa, cost_per_building_fcfa, critical_sites,
 * critical_surviving_single_cut (count) and _share, sites_surviving_
 * single_cut and _share, worst_cut, resilience_extra_m,
 * resilience_cost_fcfa, resilience_links, resilience_failures [{id,
 * reason}], steiner, phases [...], bom [...], reference_phase1 (the
 * real network's published figures). Since 0.1. */
GN_API gn_status gn_summary_add_design(struct gn_summary *summary,
                                       const gn_plan *p,
                                       const gn_design_info *d);

/* Write a GeoJSON FeatureCollection (text) as a CSV table at path: one
 * row per feature, one column per property, then lon,lat (all points) or
 * wkt. *rows (may be NULL) gets the row count. GN_EFORMAT (not a
 * FeatureCollection), GN_EIO (cannot write; no partial file is left).
 * Since 0.2. */
GN_API gn_status gn_io_write_csv(gn_ctx *ctx, const char *geojson,
                                 const char *path, size_t *rows /* OUT */);

/* Build an offline basemap: vector tiles (MBTiles, zoom 10-14, gzip) of
 * the streets (class, name), waterways, water and building areas and
 * place names of an OSM extract (.osm.pbf, or XML .osm converted with
 * osmium-tool), rendered by tilemaker with threads threads (0 = 2).
 * out_path must end in .mbtiles; it is replaced only on success.
 * GN_ENOTFOUND (no such input), GN_EINVAL (bad output name), GN_EIO
 * (osmium or tilemaker missing, temporary files), GN_EFORMAT (a tool
 * failed: its last message is quoted). Since 0.2. */
GN_API gn_status gn_io_basemap_build(gn_ctx *ctx, const char *osm_path,
                                     const char *out_path, unsigned threads);

#endif
