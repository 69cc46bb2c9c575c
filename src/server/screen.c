/*
 * screen.c - Checks of a request's raw parts before any route runs:
 * the request target as sent (before libmicrohttpd decodes it), the Host
 * header, Transfer-Encoding and the configured token. Pure functions
 * over strings, so the fuzz target drives them directly.
 *
 * Rules (docs/server.md "Hostile requests"):
 * - target: origin-form only ("/path?query"); at most max_url bytes;
 *   every %XX well formed; no control character (raw or %-encoded,
 *   NUL included) anywhere; at most GN__MAX_PARAMS query parameters.
 * - Host: an IP literal (v4 or [v6]), "localhost", or one of the
 *   configured names, each with an optional :port. Any other name is
 *   what DNS rebinding sends, so it is refused.
 * - Transfer-Encoding: only "chunked" (RFC 9112 6.1: others are 501).
 * - The server's own token: a token68 (the Authorization header itself is
 *   parsed by gn__auth_bearer in h_auth.c).
 */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "server/srv.h"
#include "util/internal.h"

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

gn_status gn__screen_target(gn_ctx *ctx, const char *uri, size_t max_url) {
  size_t n = strlen(uri);
  if (n > max_url)
    return gn__fail(ctx, GN_ELIMIT, "URL longer than %zu bytes", max_url);
  if (uri[0] != '/')
    return gn__fail(ctx, GN_EINVAL, "request target must be a path starting "
                    "with '/' (absolute-form is for proxies)");
  size_t params = 0;
  int in_query = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)uri[i];
    if (c == '%') {
      int hi = i + 2 < n ? hexval(uri[i + 1]) : -1;
      int lo = hi >= 0 ? hexval(uri[i + 2]) : -1;
      if (hi < 0 || lo < 0)
        return gn__fail(ctx, GN_EINVAL, "malformed %%-escape at URL byte %zu",
                        i + 1);
      c = (unsigned char)(hi * 16 + lo);
      i += 2;
      if (c < 0x20 || c == 0x7F)
        return gn__fail(ctx, GN_EINVAL, "control character %%%02X in the URL "
                        "(byte %zu)", c, i - 1);
      continue;
    }
    if (c <= 0x20 || c == 0x7F)
      return gn__fail(ctx, GN_EINVAL, "control character or space in the URL "
                      "(byte %zu)", i + 1);
    if (c == '?' && !in_query) {
      in_query = 1;
      params = 1;
    } else if (in_query && c == '&') {
      params++;
    }
  }
  if (params > GN__MAX_PARAMS)
    return gn__fail(ctx, GN_ELIMIT, "more than %d query parameters",
                    GN__MAX_PARAMS);
  return GN_OK;
}

/* 1 if s[0..n) is an IPv4 literal or a bracketed IPv6 literal. */
static int ip_literal(const char *s, size_t n) {
  char buf[64];
  unsigned char addr[16];
  if (n == 0 || n >= sizeof(buf)) return 0;
  if (s[0] == '[') {
    if (n < 3 || s[n - 1] != ']') return 0;
    memcpy(buf, s + 1, n - 2);
    buf[n - 2] = '\0';
    return inet_pton(AF_INET6, buf, addr) == 1;
  }
  memcpy(buf, s, n);
  buf[n] = '\0';
  return inet_pton(AF_INET, buf, addr) == 1;
}

/* 1 if names (comma-separated, may be NULL) lists s[0..n), any case. */
static int name_listed(const char *names, const char *s, size_t n) {
  for (const char *p = names; p && *p;) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len == n && strncasecmp(p, s, n) == 0) return 1;
    if (!e) break;
    p = e + 1;
  }
  return 0;
}

/* 1 if s is "" or ":" followed by 1..5 digits. */
static int port_suffix(const char *s) {
  if (!*s) return 1;
  size_t d = strspn(s + 1, "0123456789");
  return s[0] == ':' && d >= 1 && d <= 5 && s[1 + d] == '\0';
}

int gn__host_allowed(const char *host, const char *names) {
  if (!host) return 1; /* HTTP/1.0: libmicrohttpd refuses 1.1 without Host */
  size_t n;
  if (host[0] == '[') {
    const char *rb = strchr(host, ']');
    if (!rb || !port_suffix(rb + 1)) return 0;
    n = (size_t)(rb - host) + 1;
  } else {
    const char *colon = strchr(host, ':');
    if (colon && !port_suffix(colon)) return 0;
    n = colon ? (size_t)(colon - host) : strlen(host);
  }
  if (n > 1 && host[n - 1] == '.') n--; /* "localhost." is the same name */
  if (n == 0) return 0;
  if (ip_literal(host, n)) return 1;
  if (n == 9 && strncasecmp(host, "localhost", 9) == 0) return 1;
  return name_listed(names, host, n);
}

gn_status gn__screen_te(gn_ctx *ctx, const char *te) {
  if (!te || strcasecmp(te, "chunked") == 0) return GN_OK;
  return gn__fail(ctx, GN_ENOTIMPL, "Transfer-Encoding '%.40s' is not "
                  "supported (only chunked)", te);
}

static int token68_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || strchr("-._~+/", c) != NULL;
}

/* Length of the token68 at s (0 if none): 1*tchar *"=". */
static size_t token68_len(const char *s) {
  size_t i = 0;
  while (s[i] && token68_char(s[i])) i++;
  if (i == 0) return 0;
  while (s[i] == '=') i++;
  return i;
}

int gn__token_valid(const char *token) {
  size_t n = token ? strlen(token) : 0;
  return n >= GN__TOKEN_MIN && n <= GN__TOKEN_MAX && token68_len(token) == n;
}
