// `serialtrack gs1 ...`: parse any identifier to JSON lines, compute or verify check
// digits, convert between forms. Input comes from the arguments, or line by line
// from standard input (streamed: a million lines never sit in memory at once).
#include <boost/json.hpp>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "gs1/check_digit.h"
#include "gs1/digital_link.h"
#include "gs1/element_string.h"
#include "gs1/epc.h"
#include "gs1/gcp_length.h"
#include "gs1/identify.h"
#include "gs1/scan_data.h"

namespace serialtrack::cli {
namespace {

namespace json = boost::json;
using gs1::Error;

struct Gs1Flags {
  std::vector<std::string> inputs;
  std::optional<size_t> gcp_length;
  std::string gcp_file;
  std::string stem{gs1::kCanonicalDlStem};
  bool permit_unknown_ais = false;
  bool lax_requisites = false;
  // convert
  std::string to;
  std::string scheme = "auto";
  int filter = 0;
  std::string symbology = "datamatrix";
  bool complete = false;  // check-digit
};

// Calls f(line) for each argument, or for each line of standard input when none.
template <typename F>
void for_each_input(const std::vector<std::string>& args, F&& f) {
  if (!args.empty()) {
    for (const auto& a : args) f(a);
    return;
  }
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    f(line);
  }
}

json::object error_json(const Error& e) {
  json::object o;
  o["code"] = std::string(e.name());
  o["message"] = e.message;
  if (!e.ai.empty()) o["ai"] = e.ai;
  o["position"] = e.position;
  o["length"] = e.length;
  return o;
}

struct Context {
  gs1::IdentifyOptions options;
  std::optional<gs1::GcpLengthTable> table;
};

bool make_context(const Gs1Flags& flags, Context& ctx) {
  ctx.options.gs1.permit_unknown_ais = flags.permit_unknown_ais;
  ctx.options.gs1.check_requisites = !flags.lax_requisites;
  ctx.options.gcp_length = flags.gcp_length;
  if (!flags.gcp_file.empty()) {
    auto t = gs1::GcpLengthTable::load(flags.gcp_file);
    if (!t) {
      std::cerr << "serialtrack: cannot load GCP length table " << flags.gcp_file << ": "
                << t.error().message << "\n";
      return false;
    }
    ctx.table = std::move(*t);
    ctx.options.gcp_table = &*ctx.table;
  }
  return true;
}

json::object parse_result(const std::string& input, const Context& ctx) {
  json::object o;
  o["input"] = input;
  auto r = gs1::identify(input, ctx.options);
  if (!r) {
    o["valid"] = false;
    o["error"] = error_json(r.error());
    return o;
  }
  const gs1::Identified& id = *r;
  o["valid"] = true;
  o["form"] = std::string(gs1::input_form_name(id.form));
  json::object ais;
  for (gs1::AiElement el : id.ais)
    if (!ais.contains(el.ai)) ais[el.ai] = el.value;
  o["ais"] = std::move(ais);
  if (!id.ais.empty()) o["bracketed"] = gs1::to_bracketed(id.ais);
  if (auto dl = gs1::to_digital_link(id.ais)) o["digital_link"] = *dl;
  if (id.epc) o["epc"] = gs1::to_epc_uri(*id.epc);
  if (id.tag) {
    o["epc_tag_uri"] = gs1::to_tag_uri(*id.tag);
    if (auto hex = gs1::encode_epc_hex(*id.tag)) o["epc_hex"] = *hex;
  }
  if (!id.other_query_params.empty()) {
    json::object extra;
    for (const auto& [k, v] : id.other_query_params) extra[k] = v;
    o["other_query_params"] = std::move(extra);
  }
  json::array hri;
  for (auto& line : gs1::to_hri(id.ais)) hri.emplace_back(line);
  if (!hri.empty()) o["hri"] = std::move(hri);
  return o;
}

int run_parse(const Gs1Flags& flags) {
  Context ctx;
  if (!make_context(flags, ctx)) return 2;
  int status = 0;
  for_each_input(flags.inputs, [&](const std::string& input) {
    json::object o = parse_result(input, ctx);
    if (!o["valid"].as_bool()) status = 1;
    std::cout << json::serialize(o) << '\n';
  });
  std::cout.flush();
  return status;
}

// One key: verify its check digit (or pair), or with --complete append it.
json::object check_digit_result(const std::string& key, bool complete) {
  json::object o;
  o["input"] = key;
  bool numeric = !key.empty() && key.find_first_not_of("0123456789") == std::string::npos;
  if (complete) {
    std::optional<std::string> add;
    if (numeric) {
      if (auto cd = gs1::mod10_check_digit(key)) add = std::string(1, *cd);
    } else {
      add = gs1::check_character_pair(key);
    }
    if (!add) {
      o["valid"] = false;
      o["error"] =
          numeric || key.empty() ? "empty key" : "character outside CSET 82 or longer than 23";
      return o;
    }
    o["valid"] = true;
    o["check"] = *add;
    o["complete"] = key + *add;
    return o;
  }
  if (numeric) {
    auto cd = gs1::mod10_check_digit(std::string_view(key).substr(0, key.size() - 1));
    bool ok = key.size() >= 2 && cd && *cd == key.back();
    o["valid"] = ok;
    if (!ok && cd && key.size() >= 2) o["expected"] = std::string(1, *cd);
    return o;
  }
  bool ok = gs1::check_character_pair_valid(key);
  o["valid"] = ok;
  if (!ok && key.size() > 2)
    if (auto pair = gs1::check_character_pair(std::string_view(key).substr(0, key.size() - 2)))
      o["expected"] = *pair;
  return o;
}

int run_check_digit(const Gs1Flags& flags) {
  int status = 0;
  for_each_input(flags.inputs, [&](const std::string& key) {
    json::object o = check_digit_result(key, flags.complete);
    if (!o["valid"].as_bool()) status = 1;
    std::cout << json::serialize(o) << '\n';
  });
  return status;
}

// A symbology by a friendly name ("datamatrix") or GS1's name ("DM").
std::optional<gs1::Symbology> symbology(const std::string& name) {
  if (name == "datamatrix") return gs1::Symbology::kDataMatrix;
  if (name == "qr") return gs1::Symbology::kQr;
  if (name == "gs1-128") return gs1::Symbology::kGs1_128_CCA;
  if (name == "databar") return gs1::Symbology::kDataBarExpanded;
  if (name == "dotcode") return gs1::Symbology::kDotCode;
  return gs1::symbology_from_name(name);
}

// The converted text, or an error.
gs1::Result<std::string> convert_one(const std::string& input, const Gs1Flags& flags,
                                     const Context& ctx) {
  auto r = gs1::identify(input, ctx.options);
  if (!r) return serialtrack::unexpected(std::move(r).error());
  const gs1::Identified& id = *r;
  const std::string& to = flags.to;
  if (to == "bracketed") return gs1::to_bracketed(id.ais);
  if (to == "unbracketed") return gs1::to_unbracketed(id.ais);
  if (to == "digital-link") return gs1::to_digital_link(id.ais, flags.stem);
  if (to == "hri") {
    std::string s;
    for (auto& line : gs1::to_hri(id.ais)) s += (s.empty() ? "" : "\n") + line;
    return s;
  }
  if (to == "scan") {
    auto sym = symbology(flags.symbology);
    if (!sym)
      return serialtrack::unexpected(
          gs1::make_error(gs1::ErrorCode::UNSUPPORTED_SYMBOLOGY_IDENTIFIER, {}, 0, 0,
                          "unknown symbology " + flags.symbology));
    return gs1::to_scan_data(*sym, gs1::to_unbracketed(id.ais));
  }
  if (to == "epc" || to == "epc-tag" || to == "epc-hex") {
    if (!id.epc)
      return serialtrack::unexpected(gs1::make_error(
          gs1::ErrorCode::UNKNOWN_COMPANY_PREFIX_LENGTH, {}, 0, 0,
          "the GS1 Company Prefix length is unknown: give --gcp-length N or --gcp-file FILE"));
    if (to == "epc") return gs1::to_epc_uri(*id.epc);
    auto scheme = gs1::tag_scheme_from_name(flags.scheme);
    if (!scheme)
      return serialtrack::unexpected(gs1::make_error(gs1::ErrorCode::UNSUPPORTED_SCHEME, {}, 0, 0,
                                                     "unknown tag scheme " + flags.scheme));
    gs1::Result<gs1::EpcTag> tag =
        id.tag && flags.scheme == "auto" && flags.filter == 0
            ? gs1::Result<gs1::EpcTag>(*id.tag)
            : gs1::make_tag(*id.epc, *scheme, static_cast<uint8_t>(flags.filter));
    if (!tag) return serialtrack::unexpected(std::move(tag).error());
    if (to == "epc-tag") return gs1::to_tag_uri(*tag);
    return gs1::encode_epc_hex(*tag);
  }
  return serialtrack::unexpected(
      gs1::make_error(gs1::ErrorCode::UNRECOGNISED_INPUT, {}, 0, 0, "unknown target form " + to));
}

int run_convert(const Gs1Flags& flags) {
  Context ctx;
  if (!make_context(flags, ctx)) return 2;
  int status = 0;
  for_each_input(flags.inputs, [&](const std::string& input) {
    auto out = convert_one(input, flags, ctx);
    if (out) {
      std::cout << *out << '\n';
    } else {
      status = 1;
      std::cout << '\n';  // keep output lines aligned with input lines
      std::cerr << "serialtrack: " << input << ": " << out.error().name() << ": "
                << out.error().message << " (position " << out.error().position << ")\n";
    }
  });
  return status;
}

void add_common(CLI::App* cmd, Gs1Flags& flags) {
  cmd->add_option("INPUT", flags.inputs, "inputs; standard input, one per line, when none");
  cmd->add_option("--gcp-length", flags.gcp_length, "GS1 Company Prefix length (6-12)")
      ->check(CLI::Range(6, 12));
  cmd->add_option("--gcp-file", flags.gcp_file, "GCP length table: lines '<prefix> <length>'");
  cmd->add_flag("--permit-unknown-ais", flags.permit_unknown_ais, "accept AIs not in the table");
  cmd->add_flag("--no-requisite-ais", flags.lax_requisites, "skip mandatory-association checks");
}

}  // namespace

void add_gs1_commands(CLI::App& app, int& exit_code) {
  auto* gs1 = app.add_subcommand("gs1", "GS1 identifiers: parse, check digits, convert");
  gs1->require_subcommand(1);
  static Gs1Flags flags;

  auto* parse = gs1->add_subcommand(
      "parse", "parse and validate any GS1 identifier; one JSON object per input line");
  add_common(parse, flags);
  parse->callback([&] { exit_code = run_parse(flags); });

  auto* check = gs1->add_subcommand(
      "check-digit", "verify the check digit (or GMN check pair) of each key, or --complete it");
  check->add_option("KEY", flags.inputs, "keys; standard input when none");
  check->add_flag("--complete", flags.complete, "the keys lack their check digit: compute it");
  check->callback([&] { exit_code = run_check_digit(flags); });

  auto* convert = gs1->add_subcommand("convert", "convert identifiers between forms");
  add_common(convert, flags);
  convert
      ->add_option("--to", flags.to,
                   "bracketed|unbracketed|digital-link|epc|epc-tag|epc-hex|scan|hri")
      ->required()
      ->check(CLI::IsMember({"bracketed", "unbracketed", "digital-link", "epc", "epc-tag",
                             "epc-hex", "scan", "hri"}));
  convert->add_option("--scheme", flags.scheme,
                      "RFID scheme for epc-tag/epc-hex (sgtin-96...; auto)");
  convert->add_option("--filter", flags.filter, "RFID filter value 0-7")->check(CLI::Range(0, 7));
  convert->add_option("--stem", flags.stem, "Digital Link resolver stem");
  convert->add_option("--symbology", flags.symbology,
                      "scan: datamatrix|qr|gs1-128|databar|dotcode");
  convert->callback([&] { exit_code = run_convert(flags); });
}

}  // namespace serialtrack::cli
