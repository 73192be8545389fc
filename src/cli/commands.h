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

// `serialtrack keys create|list|revoke`.
void add_keys_commands(CLI::App& app, int& exit_code);
// `serialtrack verify` and `serialtrack pack supply|destroy|stolen|sample|free-sample|
// export|lock|checkout|undo`.
void add_verify_commands(CLI::App& app, int& exit_code);

// `serialtrack warranty terms|register|transfer|status|claim` and `serialtrack service`.
void add_warranty_commands(CLI::App& app, int& exit_code);
// `serialtrack serve`.
void add_serve_command(CLI::App& app, int& exit_code);
// `serialtrack recall create|run|show|list|export`.
void add_recall_commands(CLI::App& app, int& exit_code);

// `serialtrack inventory [ageing|expiring|minimum set|check]`.
void add_inventory_commands(CLI::App& app, int& exit_code);
// `serialtrack audit count|schedule set|overdue|list|show`: physical audits (cycle counts).
void add_audit_commands(CLI::App& app, int& exit_code);
// `serialtrack alerts [list|show ID|investigate ID|close ID --reason R]`: detection alerts.
void add_alerts_commands(CLI::App& app, int& exit_code);
// `serialtrack simulate`: a synthetic supply chain with labelled anomalies.
void add_simulate_commands(CLI::App& app, int& exit_code);

}  // namespace serialtrack::cli
