/* cmd_steiner.c - 'govnet steiner' (being built; see the open issue). */
#include "cli.h"

int cmd_steiner(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return cli_error(CLI_ERR, "steiner: not built yet");
}
