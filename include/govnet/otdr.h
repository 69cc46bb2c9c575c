/*
 * otdr.h - Telcordia SR-4731 "SOR" OTDR files (versions 1 and 2).
 *
 * Design: a SOR file is a map block (v2 starts with "Map\0") listing the
 * blocks that follow it, each with a name, a version and a byte size;
 * blocks are laid end to end after the map in the listed order. We decode
 * the standard blocks (GenParams, SupParams, FxdParams, KeyEvents,
 * DataPts, Cksum) and skip every other (vendor) block by its size.
 * Strict on bounds: every read is checked against the file and the block,
 * a count that does not fit its block is an error (GN_EFORMAT naming the
 * block and the byte offset), and files over GN_SOR_MAX_BYTES are refused
 * (GN_ELIMIT). Lenient on content: unknown blocks are skipped, text is
 * taken as UTF-8 when valid and as Latin-1 otherwise, a damaged GenParams
 * or SupParams block leaves its strings empty, a missing KeyEvents block
 * gives no events and unknown losses (NaN).
 *
 * Units: distances are one-way fibre distances in km, computed from the
 * time of travel (units of 100 ps) and the group index of FxdParams:
 * d = t * 1e-4 us * c / n. The acquisition range is sample spacing times
 * the number of points, converted the same way.
 *
 * Ownership: a gn_sor owns all its strings and arrays; pointers returned
 * by the getters point to internal storage, do not free, valid until
 * gn_sor_free(). Threads: a gn_sor is immutable once read.
 */
#ifndef GOVNET_OTDR_H
#define GOVNET_OTDR_H

#include <stddef.h>

#include "govnet/ctx.h"
#include "govnet/export.h"

#define GN_SOR_MAX_BYTES (64u * 1024u * 1024u)

typedef struct gn_sor gn_sor;

/* One key event of the KeyEvents block, in file order. */
typedef struct gn_sor_event {
  double distance_km;    /* from the time of travel */
  double splice_loss_db; /* positive = loss, negative = apparent gain */
  double reflectance_db; /* as stored (0 when the instrument gave none) */
  double slope_db_km;
  char type[9];          /* the 8-character code, e.g. "1F9999LS" */
  const char *comment;   /* UTF-8, trimmed, never NULL */
} gn_sor_event;

/* Header values of a trace. Strings are UTF-8, trimmed, never NULL. */
typedef struct gn_sor_info {
  double version;        /* map block version, e.g. 1.0, 2.0 */
  int format;            /* 1 or 2: layout of the blocks */
  double wavelength_nm;  /* FxdParams (GenParams when FxdParams has none) */
  double index;          /* group index of refraction */
  double range_km;       /* sample spacing x points (NaN without points) */
  double spacing_km;     /* one sample, in km (NaN when unknown) */
  double pulse_ns;       /* first pulse width */
  double total_loss_db;  /* KeyEvents summary (NaN when absent) */
  double orl_db;         /* optical return loss (NaN when absent) */
  size_t points;         /* data points of the first trace */
  int checksum_ok;       /* 1 match, 0 mismatch, -1 no Cksum block */
  const char *supplier, *otdr, *otdr_sn, *module, *software;
  const char *cable_id, *fiber_id, *location_a, *location_b, *op;
} gn_sor_info;

/* Decode the n bytes at data. `name` labels error messages (file name).
 * On success *out is a new trace; caller is responsible for freeing with
 * gn_sor_free(). Errors: GN_EFORMAT (not a SOR file, or a field outside
 * its block: the message names the block, field and byte offset),
 * GN_ELIMIT (over GN_SOR_MAX_BYTES or absurd counts), GN_ENOMEM; *out is
 * then NULL. Since 0.1. */
GN_API gn_status gn_sor_read_mem(gn_ctx *ctx, const void *data, size_t n,
                                 const char *name, gn_sor **out);

/* Read and decode the file at path (GN_EIO if it cannot be read). */
GN_API gn_status gn_sor_read_file(gn_ctx *ctx, const char *path,
                                  gn_sor **out);

/* Free a trace (NULL is a no-op). */
GN_API void gn_sor_free(gn_sor *sor);

/* Header values; pointer to internal storage, do not free. */
GN_API const gn_sor_info *gn_sor_get_info(const gn_sor *sor);
GN_API size_t gn_sor_event_count(const gn_sor *sor);
/* Event i (0-based, i < gn_sor_event_count); internal storage. */
GN_API const gn_sor_event *gn_sor_get_event(const gn_sor *sor, size_t i);
/* The first trace's samples in dB, *n of them; internal storage. NULL
 * (and *n = 0) when the file has no DataPts block, in which case
 * info->points is the count FxdParams declares. */
GN_API const float *gn_sor_get_samples(const gn_sor *sor, size_t *n);

/* The trace as JSON text: { "version", "wavelength_nm", "supplier",
 * "range_km", "total_loss_db", "orl_db", "events": [ { "distance_km",
 * "splice_loss_db", "reflectance_db", "type" } ], "points" } with the
 * events in file order; unknown numbers are null. *out is allocated with
 * the ctx allocator; caller frees it with gn_free(ctx, p). */
GN_API gn_status gn_sor_json(gn_ctx *ctx, const gn_sor *sor, char **out);

#endif
