/*
 * main.c - The govnet command: dispatches to one subcommand per file.
 * The command links libgovnet through its public headers only.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct cli_cmd {
  const char *name;
  cli_cmd_fn fn;
  const char *help;
} cli_cmd;

static const cli_cmd commands[] = {
    {"plan", cmd_plan, "design the cheapest trench network for a set of sites"},
    {"steiner", cmd_steiner, "solve an STP Steiner tree instance (PACE output)"},
    {"report", cmd_report, "render a plan as an HTML/PDF report"},
    {"db", cmd_db, "system of record: init, import-plan, check, edits, export"},
    {"trace", cmd_trace, "trace a fiber end to end with its loss budget"},
    {"impact", cmd_impact, "what is cut if a trench, cable or fiber breaks"},
    {"monitor", cmd_monitor, "operate: root cause of an outage on the fiber"},
    {"build", cmd_build, "work packages, field progress, segment status"},
    {"otdr", cmd_otdr, "read an OTDR trace (SOR), check it against a fiber"},
    {"serve", cmd_serve, "HTTP API and web map over a store"},
    {"user", cmd_user, "accounts: add, token, list, disable, passwd"},
    {"org", cmd_org, "organisations: government, subcontractors, operators"},
    {"basemap", cmd_basemap, "offline street basemap (MBTiles) from an OSM extract"},
    {"lease", cmd_lease, "dark-fiber quotes, reservations, leases, invoices"},
    {"hotspot", cmd_hotspot, "campus WiFi: FreeRADIUS config, users, vouchers, usage"},
};

static void usage(FILE *f) {
  gn_lang l = cli_lang();
  fputs(gn_tr(l, "usage: govnet [--lang fr|en] <command> [options]\n\ncommands:\n"), f);
  for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
    fprintf(f, "  %-8s %s\n", commands[i].name, gn_tr(l, commands[i].help));
  fputs(gn_tr(l, "\n'govnet <command> --help' describes a command's options.\n"), f);
}

/* Commands with a --lang option of their own (the language of what they
 * write); for the others main takes `--lang X` out of the arguments. */
static int takes_lang(const char *cmd) {
  static const char *const own[] = {"report", "lease", "build", "monitor",
                                    "hotspot" /* hotspot report */};
  for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
    if (strcmp(cmd, own[i]) == 0) return 1;
  return 0;
}

/* `--lang fr|en` anywhere: messages in that language for the rest of
 * the process (GOVNET_LANG, which cli_lang() reads). Before the command
 * or for a command without --lang of its own, it is taken out of argv. */
static int take_lang(int *argc, char **argv) {
  int cmd = *argc >= 2 && strcmp(argv[1], "--lang") == 0 ? 3 : 1;
  for (int i = 1; i < *argc; i++) {
    if (strcmp(argv[i], "--lang") != 0) continue;
    gn_lang l;
    int ok = i + 1 < *argc && gn_lang_parse(argv[i + 1], &l) == 0;
    if (ok) setenv("GOVNET_LANG", l == GN_LANG_FR ? "fr" : "en", 1);
    if (i > cmd && cmd < *argc && takes_lang(argv[cmd]))
      continue; /* the command's own option: it checks the value */
    if (!ok) return cli_error(CLI_USAGE, "--lang takes fr or en");
    memmove(&argv[i], &argv[i + 2], (size_t)(*argc - i - 1) * sizeof(char *));
    *argc -= 2;
    if (i < cmd) cmd -= 2;
    i--;
  }
  return CLI_OK;
}

int main(int argc, char **argv) {
  if (take_lang(&argc, argv) != CLI_OK) return CLI_USAGE;
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_USAGE : CLI_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("govnet %s\n", GN_VERSION_STRING);
    return CLI_OK;
  }
  for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
    if (strcmp(argv[1], commands[i].name) == 0)
      return commands[i].fn(argc - 1, argv + 1);
  }
  const char *names[sizeof(commands) / sizeof(commands[0]) + 1];
  for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) names[i] = commands[i].name;
  names[sizeof(commands) / sizeof(commands[0])] = NULL;
  if (cli_suggest(argv[1], names)) return cli_unknown("unknown command", argv[1], names);
  cli_error(CLI_USAGE, "unknown command '%s'", argv[1]);
  usage(stderr);
  return CLI_USAGE;
}
