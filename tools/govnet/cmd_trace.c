/* cmd_trace.c - 'govnet trace' (being built; see the open issue). */
#include "cli.h"

int cmd_trace(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return cli_error(CLI_ERR, "trace: not built yet");
}
