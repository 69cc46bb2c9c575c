/*
 * text.c - Strict text and number checks (see text.h).
 * The number grammar is checked by hand before strtod converts, so
 * strtod's extras (leading spaces, '+', hex floats, inf/nan) never get
 * through.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/text.h"
#include "util/internal.h"

/* Length of the UTF-8 sequence at s (n bytes left) and its code point,
 * or 0 if it is not valid UTF-8. */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned *cp) {
  unsigned c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t len;
  unsigned min;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    min = 0x80;
    *cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    min = 0x800;
    *cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    min = 0x10000;
    *cp = c & 0x07;
  } else {
    return 0;
  }
  if (n < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (s[i] & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
    return 0;
  return len;
}

static int is_control(unsigned cp, int allow_nl) {
  if (allow_nl && (cp == '\n' || cp == '\r' || cp == '\t')) return 0;
  return cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
}

long gn__text_bad_offset(const char *s, size_t n, int allow_nl) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    unsigned cp = 0;
    size_t len = utf8_next(p + i, n - i, &cp);
    if (!len || is_control(cp, allow_nl)) return (long)i;
    i += len;
  }
  return -1;
}

int gn__text_valid_n(const char *s, size_t n, int allow_nl) {
  return gn__text_bad_offset(s, n, allow_nl) < 0;
}

int gn__text_valid(const char *s, int allow_nl) {
  return s && gn__text_valid_n(s, strlen(s), allow_nl);
}

int gn__id_valid(const char *s) {
  if (!s) return 0;
  size_t n = strlen(s);
  if (n == 0 || n > GN__ID_MAX) return 0;
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    unsigned cp = 0;
    size_t len = utf8_next(p + i, n - i, &cp);
    if (!len) return 0;
    int ok = cp >= 0xA0 || (cp >= 'a' && cp <= 'z') ||
             (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
             (cp < 0x80 && strchr("-_.:~@+=,", (int)cp));
    if (!ok) return 0;
    i += len;
  }
  return 1;
}

char *gn__latin1_to_utf8(gn_ctx *ctx, const char *s) {
  if (!s) return NULL;
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    n += *p < 0x80 ? 1 : 2;
  char *out = gn_malloc(ctx, n + 1);
  if (!out) return NULL;
  char *o = out;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x80) {
      *o++ = (char)*p;
    } else {
      *o++ = (char)(0xC0 | (*p >> 6));
      *o++ = (char)(0x80 | (*p & 0x3F));
    }
  }
  *o = '\0';
  return out;
}

static const char *digits(const char *p) {
  while (*p >= '0' && *p <= '9') p++;
  return p;
}

int gn__parse_decimal(const char *s, double *out) {
  if (!s) return -1;
  const char *p = s;
  if (*p == '-') p++;
  const char *d = digits(p);
  int nd = (int)(d - p);
  p = d;
  if (*p == '.') {
    d = digits(p + 1);
    nd += (int)(d - p - 1);
    p = d;
  }
  if (nd == 0) return -1;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-') p++;
    d = digits(p);
    if (d == p) return -1;
    p = d;
  }
  if (*p) return -1;
  errno = 0;
  double v = strtod(s, NULL);
  if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1.0)) return -1;
  *out = v == 0 ? 0.0 : v; /* no -0 */
  return 0;
}

int gn__parse_int(const char *s, long long lo, long long hi, long long *out) {
  if (!s) return -1;
  const char *p = s[0] == '-' ? s + 1 : s;
  if (!*p || *digits(p)) return -1;
  if (strlen(p) > 18) return -1; /* beyond any range we accept */
  long long v = strtoll(s, NULL, 10);
  if (v < lo || v > hi) return -1;
  *out = v;
  return 0;
}
