// serialtrack: the command-line front end. Thin: parse arguments, call the library,
// print the answer.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"serialtrack: serial numbers and traceability (GS1, EPCIS 2.0)"};
  app.set_version_flag("--version", "serialtrack 0.1.0");
  app.require_subcommand(1);
  int exit_code = 0;
  serialtrack::cli::add_gs1_commands(app, exit_code);
  serialtrack::cli::add_epcis_commands(app, exit_code);
  serialtrack::cli::add_serials_commands(app, exit_code);
  serialtrack::cli::add_keys_commands(app, exit_code);
  serialtrack::cli::add_verify_commands(app, exit_code);
  serialtrack::cli::add_warranty_commands(app, exit_code);
  serialtrack::cli::add_serve_command(app, exit_code);
  serialtrack::cli::add_recall_commands(app, exit_code);
  serialtrack::cli::add_inventory_commands(app, exit_code);
  serialtrack::cli::add_audit_commands(app, exit_code);
  serialtrack::cli::add_simulate_commands(app, exit_code);
  serialtrack::cli::add_alerts_commands(app, exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
