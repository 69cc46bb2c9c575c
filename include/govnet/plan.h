/*
 * plan.h - A fiber network plan: the in-memory model shared by the
 * planner, the resilience and sizing passes, the exporters, the report
 * and the store's import.
 *
 * Shape: a plan is a small graph. Nodes are points (junctions, Steiner
 * points, the network end of each building's drop). Trenches join two
 * nodes and carry a polyline that starts exactly at node a and ends
 * exactly at node b, so the network can be rebuilt from the geometry.
 * Sites (buildings) attach to one node through a straight drop; POPs sit
 * on a node.
 * Ownership: the plan owns every string and array in it; records are
 * returned as pointers to internal storage, valid until the next add.
 * Threads: not thread-safe; one thread at a time.
 */
#ifndef GOVNET_PLAN_H
#define GOVNET_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "govnet/ctx.h"
#include "govnet/export.h"
#include "govnet/graph.h"

#define GN_CATEGORY_MAP(X) \
  X(ADMIN, "admin")        \
  X(HEALTH, "health")      \
  X(EDUCATION, "education") \
  X(OTHER, "other")

typedef enum {
#define GN__CAT_ENUM(name, str) GN_CAT_##name,
  GN_CATEGORY_MAP(GN__CAT_ENUM)
#undef GN__CAT_ENUM
  GN_CAT_COUNT
} gn_category;

GN_API const char *gn_category_name(gn_category c);
/* Exact names above (case-insensitive); GN_CAT_COUNT if unknown. */
GN_API gn_category gn_category_parse(const char *name);

typedef enum {
  GN_SITE_CONNECTED = 0,
  GN_SITE_TOO_FAR,      /* farther than the snap threshold from a street */
  GN_SITE_UNREACHABLE,  /* its street component does not reach a POP */
  GN_SITE_INVALID       /* bad coordinates or attributes */
} gn_site_status;

typedef struct gn_plan_node {
  double lon, lat;
} gn_plan_node;

typedef struct gn_plan_site {
  char *id, *name;
  gn_category category;
  int priority;          /* higher = more important; 0 default */
  int critical;          /* 1: must survive any single cut */
  double lon, lat;       /* building position as given */
  gn_id node;            /* network node the drop reaches, GN_NONE if not */
  double drop_m;         /* building lead-in length */
  gn_site_status status;
  char *reason;          /* why not connected (NULL if connected) */
  char *phase;           /* phase label, NULL if none */
  double snap_dist_m;    /* distance from the site to the street */
} gn_plan_site;

typedef struct gn_plan_pop {
  char *id, *name;
  double lon, lat;
  gn_id node;
} gn_plan_pop;

typedef struct gn_plan_trench {
  int64_t id;            /* stable id, unique in the plan */
  gn_id a, b;            /* plan nodes at each end */
  double *coords;        /* ncoords lon/lat pairs; first = a, last = b */
  size_t ncoords;
  double length_m;       /* physical trench length (detour included) */
  uint8_t road_class;    /* gn_road_class */
  int sites_downstream;  /* sites served through this trench (tree part) */
  int fibers;            /* fibers needed incl. spare (0 until sized) */
  int cable_size;        /* standard cable size (0 until sized) */
  int redundant;         /* 1: added for resilience (ring closure) */
  char *phase;           /* phase label, NULL if none */
  double cost_fcfa;      /* civil + cable cost (0 until priced) */
} gn_plan_trench;

typedef struct gn_plan gn_plan;

/* Create an empty plan. Caller frees with gn_plan_free(). Since 0.1. */
GN_API gn_status gn_plan_create(gn_ctx *ctx, gn_plan **out);
GN_API void gn_plan_free(gn_plan *p);
GN_API gn_ctx *gn_plan_ctx(const gn_plan *p);

/* Adders copy every string and array of the record. *idx_out may be
 * NULL. The record's id strings must be non-NULL for sites and POPs. */
GN_API gn_status gn_plan_add_node(gn_plan *p, double lon, double lat,
                                  gn_id *idx_out);
GN_API gn_status gn_plan_add_site(gn_plan *p, const gn_plan_site *s,
                                  size_t *idx_out);
GN_API gn_status gn_plan_add_pop(gn_plan *p, const gn_plan_pop *pop,
                                 size_t *idx_out);
GN_API gn_status gn_plan_add_trench(gn_plan *p, const gn_plan_trench *t,
                                    size_t *idx_out);

GN_API size_t gn_plan_node_count(const gn_plan *p);
GN_API size_t gn_plan_site_count(const gn_plan *p);
GN_API size_t gn_plan_pop_count(const gn_plan *p);
GN_API size_t gn_plan_trench_count(const gn_plan *p);

/* Borrowed records (valid until the next add). The non-const variants
 * let passes (sizing, pricing, resilience) update fields in place; to
 * change a string field use gn_plan_set_str(). */
GN_API const gn_plan_node *gn_plan_node_get(const gn_plan *p, gn_id i);
GN_API const gn_plan_site *gn_plan_site_get(const gn_plan *p, size_t i);
GN_API const gn_plan_pop *gn_plan_pop_get(const gn_plan *p, size_t i);
GN_API const gn_plan_trench *gn_plan_trench_get(const gn_plan *p, size_t i);
GN_API gn_plan_site *gn_plan_site_mut(gn_plan *p, size_t i);
GN_API gn_plan_trench *gn_plan_trench_mut(gn_plan *p, size_t i);
GN_API gn_plan_pop *gn_plan_pop_mut(gn_plan *p, size_t i);

/* Replace *field (a string member of a record of p) by a copy of value
 * (NULL allowed). */
GN_API gn_status gn_plan_set_str(gn_plan *p, char **field, const char *value);

/* Plan-wide metadata as key/value strings (mode, detour factor, source
 * files, attribution...). Copied. Since 0.1. */
GN_API gn_status gn_plan_set_meta(gn_plan *p, const char *key,
                                  const char *value);
/* Borrowed value, NULL if unset. */
GN_API const char *gn_plan_get_meta(const gn_plan *p, const char *key);
GN_API size_t gn_plan_meta_count(const gn_plan *p);
GN_API void gn_plan_meta_at(const gn_plan *p, size_t i, const char **key,
                            const char **value);

/* Version of the plan file format, written as plan_meta "plan_version";
 * readers (the store's import) refuse other versions. */
#define GN_PLAN_FORMAT_VERSION "1"

/* The attribution every export carries. */
#define GN_OSM_ATTRIBUTION "\xc2\xa9 OpenStreetMap contributors, ODbL 1.0"

#endif
