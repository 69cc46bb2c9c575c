/*
 * sor_int.h - Internals of the SOR reader shared by src/otdr/ (not API).
 * A gn_sor keeps its strings in a singly linked list of nodes so one
 * sweep frees them; `oom` latches a failed string copy.
 */
#ifndef GOVNET_SOR_INT_H
#define GOVNET_SOR_INT_H

#include <stdint.h>

#include "govnet/otdr.h"

typedef struct gn__sor_str {
  struct gn__sor_str *next;
  char text[];
} gn__sor_str;

struct gn_sor {
  gn_ctx *ctx;
  gn_sor_info info;
  gn_sor_event *events;
  size_t nevents;
  float *samples;
  size_t nsamples;
  unsigned gen_wavelength_nm;
  gn__sor_str *strs;
  int oom;
};

/* Copy n bytes as trimmed UTF-8 owned by sor ("" on OOM, latched). */
const char *gn__sor_text(gn_sor *sor, const uint8_t *s, size_t n);

#endif
