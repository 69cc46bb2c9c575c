/* cmd_plan.c - 'govnet plan' (being built; see the open issue). */
#include "cli.h"

int cmd_plan(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return cli_error(CLI_ERR, "plan: not built yet");
}
