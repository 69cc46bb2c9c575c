/* cmd_impact.c - 'govnet impact' (being built; see the open issue). */
#include "cli.h"

int cmd_impact(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return cli_error(CLI_ERR, "impact: not built yet");
}
