#include "cli/commands.h"

namespace serialtrack::cli {

void add_gs1_commands(CLI::App& app, int& exit_code) {
  auto* gs1 = app.add_subcommand("gs1", "GS1 identifiers: parse, check digits, convert");
  gs1->require_subcommand(1);
  (void)exit_code;
}

}  // namespace serialtrack::cli
