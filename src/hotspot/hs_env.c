/*
 * hs_env.c - The RADIUS request as rlm_exec hands it over, and small text
 * helpers.
 *
 * rlm_exec (input_pairs = request, shell_escape = yes) puts each request
 * attribute in the environment as NAME=value: the attribute name upper
 * case with '-' as '_', strings in double quotes with \\ \" \n \r \t and
 * \ooo octal escapes for bytes that are not printable UTF-8 (so a NUL
 * byte arrives as \000). Everything here is hostile input: values are
 * decoded into fixed buffers, a value too long, badly quoted or given
 * twice marks the request bad, and nothing can fail or allocate.
 */
#include <string.h>
#include <time.h>

#include "hotspot/hs_int.h"

static const char *const names[GN__HS_NATTR] = {
    "USER_NAME",           "USER_PASSWORD",      "CHAP_PASSWORD",
    "NAS_IP_ADDRESS",      "NAS_IDENTIFIER",     "CALLING_STATION_ID",
    "CALLED_STATION_ID",   "ACCT_STATUS_TYPE",   "ACCT_SESSION_ID",
    "ACCT_INPUT_OCTETS",   "ACCT_OUTPUT_OCTETS", "ACCT_INPUT_GIGAWORDS",
    "ACCT_OUTPUT_GIGAWORDS", "ACCT_SESSION_TIME", "ACCT_TERMINATE_CAUSE"};

static int octal(char c) { return c >= '0' && c <= '7'; }

/* Decode one escape at s (after the backslash); returns bytes consumed or
 * 0 if malformed. */
static size_t unescape(const char *s, char *out) {
  switch (s[0]) {
  case '\\': case '"': case '\'': *out = s[0]; return 1;
  case 'n': *out = '\n'; return 1;
  case 'r': *out = '\r'; return 1;
  case 't': *out = '\t'; return 1;
  default: break;
  }
  if (octal(s[0]) && octal(s[1]) && octal(s[2])) {
    int v = (s[0] - '0') * 64 + (s[1] - '0') * 8 + (s[2] - '0');
    if (v > 255) return 0;
    *out = (char)v;
    return 3;
  }
  return 0;
}

/* Decode value text into v; returns NULL or the reason it is bad. */
static const char *decode(const char *text, gn__hs_val *v) {
  size_t len = strlen(text), n = 0;
  int quoted = len >= 2 && text[0] == '"' && text[len - 1] == '"';
  if (!quoted) {
    if (len > GN__HS_VAL_MAX) return "attribute too long";
    memcpy(v->s, text, len);
    n = len;
  } else {
    for (size_t i = 1; i + 1 < len; i++) {
      char c = text[i];
      if (c == '\\') {
        size_t k = unescape(text + i + 1, &c);
        if (k == 0 || i + k + 1 >= len) return "malformed escape";
        i += k;
      } else if (c == '"') {
        return "malformed quoting";
      }
      if (n >= GN__HS_VAL_MAX) return "attribute too long";
      v->s[n++] = c;
    }
  }
  v->s[n] = 0;
  v->n = n;
  v->set = 1;
  return NULL;
}

void gn__hs_req_parse(gn__hs_req *req, const char *const *env) {
  memset(req, 0, sizeof(*req));
  for (size_t i = 0; env && env[i]; i++) {
    const char *eq = strchr(env[i], '=');
    if (!eq) continue;
    size_t klen = (size_t)(eq - env[i]);
    for (int a = 0; a < GN__HS_NATTR; a++) {
      if (strlen(names[a]) != klen || memcmp(names[a], env[i], klen) != 0)
        continue;
      const char *why = req->v[a].set ? "attribute given twice"
                                      : decode(eq + 1, &req->v[a]);
      if (why && !req->bad) req->bad = why;
      break;
    }
  }
}

/* Length of the UTF-8 sequence at p (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n) {
  size_t k = p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2
             : (p[0] & 0xF0) == 0xE0 ? 3 : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
  if (k == 0 || k > n) return 0;
  for (size_t i = 1; i < k; i++)
    if ((p[i] & 0xC0) != 0x80) return 0;
  if (k == 2 && p[0] < 0xC2) return 0;                  /* overlong */
  if (k == 3 && p[0] == 0xE0 && p[1] < 0xA0) return 0;  /* overlong */
  if (k == 3 && p[0] == 0xED && p[1] >= 0xA0) return 0; /* surrogate */
  if (k == 4 && ((p[0] == 0xF0 && p[1] < 0x90) || p[0] > 0xF4 ||
                 (p[0] == 0xF4 && p[1] >= 0x90)))
    return 0;
  return k;
}

static int text_ok(const char *s, size_t n, int allow_space) {
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    if (p[i] < 0x20 || p[i] == 0x7F || (!allow_space && p[i] == ' '))
      return 0;
    size_t k = utf8_len(p + i, n - i);
    if (k == 0) return 0;
    i += k;
  }
  return n > 0;
}

int gn__hs_val_text(const gn__hs_val *v) {
  return v->set && text_ok(v->s, v->n, 1);
}

int gn__hs_val_u64(const gn__hs_val *v, uint64_t *out) {
  uint64_t x = 0;
  if (!v->set || v->n == 0 || v->n > 20) return 0;
  for (size_t i = 0; i < v->n; i++) {
    if (v->s[i] < '0' || v->s[i] > '9') return 0;
    uint64_t d = (uint64_t)(v->s[i] - '0');
    if (x > (UINT64_MAX - d) / 10) return 0;
    x = x * 10 + d;
  }
  *out = x;
  return 1;
}

void gn__hs_day(int64_t t, char *out) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
}

int gn__hs_day_valid(const char *s) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  int d = (s[8] - '0') * 10 + (s[9] - '0');
  return m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1];
}

int gn__hs_name_ok(const char *s, size_t max) {
  size_t n = s ? strlen(s) : 0;
  return n > 0 && n <= max && text_ok(s, n, 0);
}
