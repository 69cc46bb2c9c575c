/* cmd_report.c - 'govnet report' (being built; see the open issue). */
#include "cli.h"

int cmd_report(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return cli_error(CLI_ERR, "report: not built yet");
}
