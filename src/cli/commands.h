// The subcommands of the serialtrack program, one registration function per module.
#pragma once

#include <CLI/CLI.hpp>

namespace serialtrack::cli {

// `serialtrack gs1 parse|check-digit|convert`. exit_code receives the command's exit
// status once it has run.
void add_gs1_commands(CLI::App& app, int& exit_code);

// `serialtrack capture|events|trace`.
void add_epcis_commands(CLI::App& app, int& exit_code);

// `serialtrack serials format|allocate|ranges|return|guess-probability`.
void add_serials_commands(CLI::App& app, int& exit_code);

// `serialtrack simulate`: a synthetic supply chain with labelled anomalies.
void add_simulate_commands(CLI::App& app, int& exit_code);

}  // namespace serialtrack::cli
