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
    {"build", cmd_build, "work packages, field progress, segment status"},
    {"otdr", cmd_otdr, "read an OTDR trace (SOR), check it against a fiber"},
    {"serve", cmd_serve, "HTTP API and web map over a store"},
    {"user", cmd_user, "accounts: add, token, list, disable, passwd"},
    {"org", cmd_org, "organisations: government, subcontractors, operators"},
    {"basemap", cmd_basemap, "offline street basemap (MBTiles) from an OSM extract"},
    {"lease", cmd_lease, "dark-fiber quotes, reservations, leases, invoices"},
};

static void usage(FILE *f) {
  fprintf(f, "usage: govnet <command> [options]\n\ncommands:\n");
  for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
    fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
  fprintf(f, "\n'govnet <command> --help' describes a command's options.\n");
}

int main(int argc, char **argv) {
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
  fprintf(stderr, "govnet: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return CLI_USAGE;
}
