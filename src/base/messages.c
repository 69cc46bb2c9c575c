/*
 * messages.c - The message catalogue of the library and the command:
 * French for the English printf formats of error messages (gn__fail)
 * and of the command's own errors, looked up by the English text, as
 * gettext does with msgid. A format without an entry stays English.
 * Invariant (tests/unit/test_messages.c): each French format has the
 * English one's conversions in the same order, and no key repeats.
 */
#include <string.h>

#include "base/messages.h"
#include "govnet/ctx.h"

typedef struct msg {
  const char *en, *fr;
} msg;

static const msg catalogue[] = {
#define GN__MSG(en, fr) {en, fr},
#include "base/messages_fr.inc"
#undef GN__MSG
};

const char *gn_tr(gn_lang lang, const char *fmt) {
  if (lang != GN_LANG_FR || !fmt) return fmt;
  /* errors are rare, so a linear scan of a few hundred keys is enough */
  for (size_t i = 0; i < sizeof catalogue / sizeof catalogue[0]; i++)
    if (strcmp(catalogue[i].en, fmt) == 0) return catalogue[i].fr;
  return fmt;
}

/* s starts with the two letters of code (any case), then ends or goes on
 * with a locale's territory, script or encoding ("fr", "fr_FR.UTF-8"). */
static int is_lang(const char *s, const char *code) {
  for (int i = 0; i < 2; i++)
    if ((s[i] | 0x20) != code[i]) return 0;
  return s[2] == '\0' || s[2] == '_' || s[2] == '-' || s[2] == '.';
}

int gn_lang_parse(const char *s, gn_lang *out) {
  if (!s || !*s) return -1;
  if (is_lang(s, "fr")) {
    *out = GN_LANG_FR;
    return 0;
  }
  if (is_lang(s, "en") || strcmp(s, "C") == 0 || strncmp(s, "C.", 2) == 0 ||
      strcmp(s, "POSIX") == 0) {
    *out = GN_LANG_EN;
    return 0;
  }
  return -1;
}

size_t gn__msg_count(void) { return sizeof catalogue / sizeof catalogue[0]; }
const char *gn__msg_at(size_t i, int fr) {
  return fr ? catalogue[i].fr : catalogue[i].en;
}
