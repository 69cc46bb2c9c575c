/* cmd_serve.c - 'govnet serve' (being built; see the open issue). */
#include "cli.h"

int cmd_serve(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return cli_error(CLI_ERR, "serve: not built yet");
}
