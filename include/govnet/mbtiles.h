/*
 * mbtiles.h - Read-only access to an MBTiles file (vector or raster tiles
 * in an SQLite database, MBTiles 1.3), for `govnet serve --basemap`.
 *
 * Design: the file is opened read-only and immutable (no journal, no
 * lock: the basemap is built offline by `govnet basemap`, then served),
 * with one prepared statement for the tile lookup. Tiles are addressed
 * in the XYZ scheme of web maps; MBTiles stores TMS rows, so the reader
 * flips y. Lives in src/store/ because the store is the one module that
 * opens SQLite files.
 * Threads: one gn_mbtiles per thread (like a store connection).
 */
#ifndef GOVNET_MBTILES_H
#define GOVNET_MBTILES_H

#include <stddef.h>

#include "govnet/ctx.h"
#include "govnet/export.h"

typedef struct gn_mbtiles gn_mbtiles;

/* Open path. GN_ENOTFOUND (no such file), GN_EFORMAT (not an MBTiles:
 * no tiles table or metadata), GN_ENOMEM; message on ctx. The handle
 * remembers ctx. Caller frees with gn_mbtiles_close(). Since 0.2. */
GN_API gn_status gn_mbtiles_open(gn_ctx *ctx, const char *path, gn_mbtiles **out);

/* Close; NULL is a harmless no-op. Since 0.2. */
GN_API void gn_mbtiles_close(gn_mbtiles *mb);

/* The tile z/x/y (XYZ scheme). GN_OK with a copy in *data (caller frees
 * with gn_free(ctx, *data)) and its size; GN_ENOTFOUND when the file has
 * no such tile; GN_EINVAL when z/x/y are out of range. Since 0.2. */
GN_API gn_status gn_mbtiles_tile(gn_mbtiles *mb, int z, long x, long y,
                                 char **data, size_t *len);

/* A metadata value ("format", "minzoom", "maxzoom", "bounds", "json",
 * ...) copied into buf (truncated to cap-1 bytes); 0 if found, -1 if not.
 * Since 0.2. */
GN_API int gn_mbtiles_meta(gn_mbtiles *mb, const char *name, char *buf, size_t cap);

#endif
