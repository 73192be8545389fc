// `serialtrack serve`: the EPCIS 2.0 REST interface over HTTP. Settings: the config
// file (--config), then SERIALTRACK_* environment variables, then flags, each
// overriding the one before (server/config.h). Prints "listening on URL" once bound.
#include <cstdlib>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "server/application.h"

namespace serialtrack::cli {
namespace {

struct ServeFlags {
  std::string config_file;
  std::optional<std::string> db, listen, threads, write_threads, log_level, tls_cert, tls_key;
  bool open = false;
};

int run_serve(const ServeFlags& f) {
  server::ServeConfig config;
  if (!f.config_file.empty())
    if (auto r = server::apply_config_file(config, f.config_file); !r) {
      std::cerr << "serialtrack: " << r.error() << "\n";
      return 2;
    }
  if (auto r = server::apply_environment(config, [](const char* n) { return std::getenv(n); });
      !r) {
    std::cerr << "serialtrack: " << r.error() << "\n";
    return 2;
  }
  for (const auto& [key, value] :
       {std::pair{"db", &f.db}, std::pair{"listen", &f.listen}, std::pair{"threads", &f.threads},
        std::pair{"write_threads", &f.write_threads}, std::pair{"log_level", &f.log_level},
        std::pair{"tls_cert", &f.tls_cert}, std::pair{"tls_key", &f.tls_key}})
    if (*value)
      if (auto r = server::set_config(config, key, **value); !r) {
        std::cerr << "serialtrack: --" << r.error() << "\n";
        return 2;
      }
  if (f.open) config.open = true;
  auto app = server::Application::open(config);
  if (!app) {
    std::cerr << "serialtrack: " << app.error() << "\n";
    return 2;
  }
  (*app)->server().stop_on_signals();
  if (auto r = (*app)->start(); !r) {
    std::cerr << "serialtrack: " << r.error() << "\n";
    return 2;
  }
  std::cout << "listening on " << (*app)->url() << std::endl;
  (*app)->server().wait();  // until SIGTERM / SIGINT: in-flight requests finish first
  app->reset();             // then the stores close
  std::cerr << "serialtrack: stopped\n";
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  static ServeFlags f;
  auto* serve = app.add_subcommand("serve", "serve the EPCIS 2.0 REST interface over HTTP");
  serve->add_option("--config", f.config_file,
                    "a key = value settings file (src/server/README.md)");
  serve->add_option("--db", f.db, "database file (default ./serialtrack.db or $SERIALTRACK_DB)");
  serve->add_option("--listen", f.listen,
                    "host:port (default 127.0.0.1:8080; port 0 picks a free one)");
  serve->add_option("--threads", f.threads, "server threads (default: one per core)");
  serve->add_option("--write-threads", f.write_threads,
                    "threads for captures and other writes, off the io threads (default 2; "
                    "0: on the io threads)");
  serve->add_option("--log-level", f.log_level, "trace|debug|info|warn|error|off (default info)");
  serve->add_option("--tls-cert", f.tls_cert,
                    "PEM certificate (chain): serve HTTPS and WSS (with --tls-key)");
  serve->add_option("--tls-key", f.tls_key, "PEM private key of --tls-cert");
  serve->add_flag("--open", f.open,
                  "no access control: every request is an admin (local development only)");
  serve->callback([&] { exit_code = run_serve(f); });
}

}  // namespace serialtrack::cli
