// `serialtrack keys create|list|revoke`: the API keys the HTTP server accepts
// (store/api_keys.h, server/auth.h). create prints the key alone on stdout (scripts
// capture it; it is never shown again); everything else a person reads goes to stderr,
// except listings.
#include <boost/json.hpp>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/database.h"
#include "gs1/gcp_length.h"
#include "server/auth.h"
#include "store/api_keys.h"

namespace serialtrack::cli {
namespace {

struct KeysFlags {
  std::string db;
  std::string role, party, gcp_file, key_id;
  std::optional<size_t> gcp_length;
  bool json = false;
};

std::unique_ptr<store::ApiKeys> open_keys(const std::string& path) {
  auto r = store::open_sqlite_api_keys(database_path(path));
  if (!r) {
    std::cerr << "serialtrack: " << r.error().message << "\n";
    return nullptr;
  }
  return std::move(*r);
}

// ISO 8601 UTC of unix seconds.
std::string utc(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The party's company prefix from --gcp-length or the --gcp-file table; "" when neither
// is given; nullopt (after saying why) when they cannot give one.
std::optional<std::string> company_prefix(const KeysFlags& f) {
  if (f.gcp_length) {
    if (*f.gcp_length < 6 || *f.gcp_length > 12) {
      std::cerr << "serialtrack: --gcp-length is 6 to 12 (GS1 GenSpecs 1.4.4)\n";
      return std::nullopt;
    }
    return f.party.substr(0, std::min(*f.gcp_length, f.party.size()));
  }
  if (f.gcp_file.empty()) return std::string();
  auto table = gs1::GcpLengthTable::load(f.gcp_file);
  if (!table) {
    std::cerr << "serialtrack: cannot load GCP length table " << f.gcp_file << ": "
              << table.error().message << "\n";
    return std::nullopt;
  }
  auto length = table->lookup(f.party);
  if (!length) {
    std::cerr << "serialtrack: " << f.gcp_file << " has no company prefix length for GLN "
              << f.party << "\n";
    return std::nullopt;
  }
  return f.party.substr(0, *length);
}

int run_create(const KeysFlags& f) {
  auto role = server::role_from_name(f.role);
  if (!role) {
    std::cerr << "serialtrack: unknown role '" << f.role
              << "' (admin, manufacturer, distributor, dispenser, auditor or public)\n";
    return 2;
  }
  store::ApiKeyRequest request{f.role, f.party, ""};
  if (auto invalid = store::check_api_key_request(request)) {
    std::cerr << "serialtrack: " << invalid->message << "\n";
    return 2;
  }
  auto cp = company_prefix(f);
  if (!cp) return 2;
  request.company_prefix = *cp;
  if (*role == server::Role::kManufacturer && request.company_prefix.empty()) {
    std::cerr << "serialtrack: a manufacturer's key needs its company prefix: give --gcp-length "
                 "or --gcp-file\n";
    return 2;
  }
  auto keys = open_keys(f.db);
  if (!keys) return 2;
  auto created = keys->create(request);
  if (!created) {
    std::cerr << "serialtrack: " << created.error().message << "\n";
    return 2;
  }
  std::cout << created->key << "\n";
  std::cerr << "key " << created->record.key_id << " (" << f.role << ", party " << f.party
            << ") created; the key above is shown only this once\n";
  return 0;
}

int run_list(const KeysFlags& f) {
  auto keys = open_keys(f.db);
  if (!keys) return 2;
  auto all = keys->list();
  if (!all) {
    std::cerr << "serialtrack: " << all.error().message << "\n";
    return 2;
  }
  if (f.json) {
    boost::json::array out;
    for (const auto& k : *all) {
      boost::json::object o;
      o["keyId"] = k.key_id;
      o["role"] = k.role;
      o["party"] = k.party;
      if (!k.company_prefix.empty()) o["companyPrefix"] = k.company_prefix;
      o["created"] = utc(k.created);
      o["revoked"] = k.revoked;
      if (k.revoked) o["revokedAt"] = utc(k.revoked_at);
      out.push_back(std::move(o));
    }
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  for (const auto& k : *all)
    std::cout << k.key_id << "\t" << k.role << "\t" << k.party << "\t"
              << (k.company_prefix.empty() ? "-" : k.company_prefix) << "\t" << utc(k.created)
              << "\t" << (k.revoked ? "revoked " + utc(k.revoked_at) : std::string("active"))
              << "\n";
  return 0;
}

int run_revoke(const KeysFlags& f) {
  auto keys = open_keys(f.db);
  if (!keys) return 2;
  auto r = keys->revoke(f.key_id);
  if (!r) {
    std::cerr << "serialtrack: " << r.error().message << "\n";
    return 2;
  }
  if (!*r) {
    std::cerr << "serialtrack: no key " << f.key_id << "\n";
    return 1;
  }
  std::cerr << "key " << f.key_id << " revoked\n";
  return 0;
}

}  // namespace

void add_keys_commands(CLI::App& app, int& exit_code) {
  static KeysFlags f;
  auto db = [](CLI::App* c) {
    c->add_option("--db", f.db, "database file (default ./serialtrack.db or $SERIALTRACK_DB)");
  };
  auto* keys = app.add_subcommand("keys", "API keys for the HTTP server (Authorization: Bearer)");
  keys->require_subcommand(1);

  auto* create = keys->add_subcommand("create", "create a key; prints it alone, once, on stdout");
  db(create);
  create->add_option("--role", f.role, "admin|manufacturer|distributor|dispenser|auditor|public")
      ->required();
  create->add_option("--party", f.party, "the party's GLN (13 digits)")->required();
  create->add_option("--gcp-length", f.gcp_length,
                     "length of the party's GS1 Company Prefix (manufacturers need it)");
  create->add_option("--gcp-file", f.gcp_file,
                     "GCP length table to look the prefix length up in (gs1/gcp_length.h format)");
  create->callback([&] { exit_code = run_create(f); });

  auto* list = keys->add_subcommand("list", "list keys (never their secrets)");
  db(list);
  list->add_flag("--json", f.json, "a JSON array");
  list->callback([&] { exit_code = run_list(f); });

  auto* revoke = keys->add_subcommand("revoke", "revoke a key: it is refused from then on");
  db(revoke);
  revoke->add_option("KEY_ID", f.key_id, "the key's id (keys list)")->required();
  revoke->callback([&] { exit_code = run_revoke(f); });
}

}  // namespace serialtrack::cli
