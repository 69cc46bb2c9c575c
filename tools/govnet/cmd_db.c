/* cmd_db.c - 'govnet db' (being built; see the open issue). */
#include "cli.h"

int cmd_db(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return cli_error(CLI_ERR, "db: not built yet");
}
