/*
 * summary_int.h - Helpers shared by the summary's key groups (internal).
 */
#ifndef GOVNET_IO_SUMMARY_INT_H
#define GOVNET_IO_SUMMARY_INT_H

#include <jansson.h>

#include "govnet/io.h"

/* Serialise v (stolen) under key; GN_ENOMEM if v is NULL. */
gn_status gn__summary_set_value(gn_summary *s, const char *key, json_t *v);
/* The layout's keys: hubs, circuits, optics, the "bom" object. */
gn_status gn__summary_add_optics(gn_summary *s, const gn_plan *p,
                                 const gn_design_info *d);

#endif
