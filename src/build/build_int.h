/*
 * build_int.h - Internals shared by src/build/ (not API). The build
 * module runs its SQL through the store's helpers (store/store_int.h):
 * one connection, one transaction discipline, one audit hook.
 */
#ifndef GOVNET_BUILD_INT_H
#define GOVNET_BUILD_INT_H

#include "govnet/build.h"
#include "store/store_int.h"

/* Create or migrate the build tables (idempotent, cheap when current).
 * Read-only stores without the tables get GN_EINVAL naming the module. */
gn_status gn__build_ready(gn_store *st);

#endif
