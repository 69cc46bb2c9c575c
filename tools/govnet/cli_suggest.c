/*
 * cli_suggest.c - "did you mean ...": the nearest known command or option
 * to a mistyped one (Damerau-Levenshtein distance, transpositions count
 * once: "plna" -> "plan"), and hints for options other tools spell
 * differently ("--port" -> "--listen ADDR:PORT").
 */
#include <string.h>

#include "cli.h"

/* Options of other tools, and what govnet calls them. */
static const struct {
  const char *word, *hint;
} aliases[] = {
    {"--port", "--listen ADDR:PORT (e.g. --listen 127.0.0.1:8080)"},
    {"--host", "--listen ADDR:PORT"},
    {"--bind", "--listen ADDR:PORT"},
    {"--address", "--listen ADDR:PORT"},
    {"--output", "--out"},
    {"-o", "--out"},
    {"--language", "--lang"},
    {"--database", "--db"},
    {"--token", "--token-file F (or env GOVNET_TOKEN)"},
};

/* Optimal string alignment distance, capped at 9 for long words. */
static int distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  if (n > 40 || m > 40) return 9;
  int d[41][41];
  for (size_t i = 0; i <= n; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= m; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= n; i++) {
    for (size_t j = 1; j <= m; j++) {
      int cost = a[i - 1] != b[j - 1];
      int v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
    }
  }
  return d[n][m];
}

const char *cli_suggest(const char *word, const char *const *cands) {
  for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
    if (strcmp(word, aliases[i].word) != 0) continue;
    for (const char *const *c = cands; *c; c++) /* only if this command has it */
      if (strncmp(aliases[i].hint, *c, strlen(*c)) == 0 &&
          (aliases[i].hint[strlen(*c)] == ' ' || aliases[i].hint[strlen(*c)] == '\0'))
        return aliases[i].hint;
  }
  const char *best = NULL;
  size_t len = strlen(word);
  int bd = len <= 4 ? 1 : len <= 8 ? 2 : 3;
  for (const char *const *c = cands; *c; c++) {
    int d = distance(word, *c);
    if (d <= bd && (!best || d < distance(word, best))) best = *c;
    /* a unique prefix ("--res" for "--resilience") is a good guess too */
    if (!best && len >= 3 && strncmp(*c, word, len) == 0) best = *c;
  }
  return best;
}

int cli_unknown(const char *what, const char *word, const char *const *cands) {
  const char *s = cli_suggest(word, cands);
  gn_lang l = cli_lang();
  what = gn_tr(l, what);
  if (s) s = gn_tr(l, s);
  if (s) return cli_error(CLI_USAGE, "%s '%s'; did you mean %s?", what, word, s);
  return cli_error(CLI_USAGE, "%s '%s' (see --help)", what, word);
}
