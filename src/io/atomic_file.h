/*
 * atomic_file.h - Write-then-rename helpers so a failed export never
 * leaves a partial file (internal to src/io).
 */
#ifndef GOVNET_IO_ATOMIC_FILE_H
#define GOVNET_IO_ATOMIC_FILE_H

#include "govnet/ctx.h"

/* Temporary name next to path, keeping its suffix (GDAL picks drivers
 * and checks extensions by suffix): "dir/.name.tmp-<pid>.ext". Caller
 * frees *tmp with gn_free(). */
gn_status gn__tmp_path(gn_ctx *ctx, const char *path, char **tmp);

/* ok: rename tmp over path (GN_EIO naming path on failure);
 * !ok: remove tmp. Frees tmp in both cases. */
gn_status gn__tmp_commit(gn_ctx *ctx, char *tmp, const char *path, int ok);

#endif
