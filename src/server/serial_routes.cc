#include "server/serial_routes.h"

#include <boost/json.hpp>
#include <charconv>
#include <memory>

#include "epcis/time.h"
#include "gs1/check_digit.h"
#include "server/auth.h"
#include "server/epcis_http.h"
#include "trace/capture.h"

namespace serialtrack::server {
namespace {

namespace json = boost::json;
using Kind = store::RangeError::Kind;

Problem conflict(std::string detail) {
  return Problem{http::status::conflict, "about:blank", "Conflict", std::move(detail)};
}

Problem range_problem(const store::RangeError& e) {
  switch (e.kind) {
    case Kind::kInvalidArgument:
    case Kind::kGuessable:
      return validation_exception(e.message);
    case Kind::kNotFound:
      return no_such_resource_exception(e.message);
    case Kind::kConflict:
      return resource_already_exists_exception(e.message);
    case Kind::kExhausted:
    case Kind::kAlreadyReturned:
      return conflict(e.message);
    case Kind::kIo:
    case Kind::kCorrupt:
    case Kind::kKeyFile:
      break;
  }
  return implementation_exception(e.message);
}

std::string iso_seconds(std::int64_t seconds) {
  return epcis::format_timestamp_utc(epcis::Timestamp{seconds * 1'000'000'000, 0});
}

json::object format_json(const store::SerialFormatRecord& f) {
  return json::object{{"name", f.name},
                      {"alphabet", f.alphabet},
                      {"length", f.free_length},
                      {"prefix", f.prefix},
                      {"check", serial::check_name(f.check)},
                      {"createdAt", iso_seconds(f.created)}};
}

json::object assignment_json(const store::GtinFormat& a) {
  json::object o{{"gtin", a.gtin}, {"format", a.format}};
  if (!a.market.empty()) o["market"] = a.market;
  return o;
}

json::object summary_json(const store::AllocationSummary& a) {
  json::object o{{"allocationID", a.allocation_id},
                 {"rangeID", a.range_id},
                 {"requestID", a.request_id},
                 {"gtin", a.gtin},
                 {"format", a.format},
                 {"scheme", serial::scheme_name(a.scheme)},
                 {"keyID", a.key_id},
                 {"issued", a.issued},
                 {"commissioned", a.commissioned},
                 {"returned", a.returned},
                 {"createdAt", iso_seconds(a.created)}};
  if (!a.lot.empty()) o["lot"] = a.lot;
  if (!a.site.empty()) o["site"] = a.site;
  if (!a.to.empty()) o["to"] = a.to;
  return o;
}

// A request body: a JSON object whose members are all among the route's fields, read by
// type. The first problem found is kept (and the members read after it are ignored).
class Body {
 public:
  Body(const RequestContext& ctx, std::initializer_list<std::string_view> fields) {
    boost::system::error_code ec;
    json::value v = json::parse(ctx.request.body(), ec);
    if (ec || !v.is_object()) {
      fail("the body is not a JSON object");
      return;
    }
    object_ = std::move(v.as_object());
    for (const auto& member : object_)
      if (std::find(fields.begin(), fields.end(), member.key()) == fields.end()) {
        std::string known;
        for (auto f : fields) known += (known.empty() ? "" : ", ") + std::string(f);
        fail(std::string(member.key()) + ": not a field of this request (fields: " + known + ")");
        return;
      }
  }
  const std::optional<Problem>& problem() const { return problem_; }

  // The string member name ("" when absent); required: absent or empty is a problem.
  std::string text(std::string_view name, bool required = false) {
    const json::value* v = problem_ ? nullptr : object_.if_contains(name);
    if (v && !v->is_string()) return fail(std::string(name) + ": a string is required"), "";
    std::string out = v ? std::string(v->as_string()) : std::string();
    if (required && out.empty() && !problem_) fail(std::string(name) + ": required");
    return out;
  }
  // A whole number > 0 (required).
  std::uint64_t count(std::string_view name) {
    const json::value* v = problem_ ? nullptr : object_.if_contains(name);
    if (problem_) return 0;
    if (v && v->is_uint64() && v->as_uint64() > 0) return v->as_uint64();
    if (v && v->is_int64() && v->as_int64() > 0) return static_cast<std::uint64_t>(v->as_int64());
    fail(std::string(name) + ": a whole number above 0 is required");
    return 0;
  }
  bool flag(std::string_view name) {
    const json::value* v = problem_ ? nullptr : object_.if_contains(name);
    if (v && !v->is_bool()) return fail(std::string(name) + ": true or false"), false;
    return v && v->as_bool();
  }
  // An array of strings (required, not empty).
  std::vector<std::string> texts(std::string_view name) {
    const json::value* v = problem_ ? nullptr : object_.if_contains(name);
    std::vector<std::string> out;
    if (problem_) return out;
    if (v && v->is_array() && !v->as_array().empty()) {
      for (const auto& item : v->as_array()) {
        if (!item.is_string()) return fail(std::string(name) + ": strings only"), out;
        out.emplace_back(item.as_string());
      }
      return out;
    }
    fail(std::string(name) + ": a non-empty array of strings is required");
    return out;
  }

 private:
  void fail(std::string detail) {
    if (!problem_) problem_ = validation_exception(std::move(detail));
  }
  json::object object_;
  std::optional<Problem> problem_;
};

// The route's query parameters must be among names (400 QueryParameterException).
std::optional<Problem> unknown_parameter(const RequestContext& ctx,
                                         std::initializer_list<std::string_view> names) {
  for (const auto& [k, v] : ctx.query)
    if (std::find(names.begin(), names.end(), k) == names.end())
      return query_parameter_exception(k + ": not a parameter of " + ctx.route.path);
  return std::nullopt;
}

class SerialApi {
 public:
  SerialApi(const SerialServices& services, const SerialLimits& limits)
      : s_(services), limits_(limits) {}

  // GET /serials/formats
  Response formats(RequestContext& ctx) {
    if (auto p = unknown_parameter(ctx, {})) return problem(ctx, *p);
    auto all = s_.ranges.formats();
    if (!all) return problem(ctx, range_problem(all.error()));
    json::array out;
    for (const auto& f : *all) out.push_back(format_json(f));
    return json_response(ctx, http::status::ok, out, "application/json");
  }

  // POST /serials/formats {name, alphabet, length, prefix?, check?}: 201 when new, 200 when
  // the same definition was stored already, 409 when the name has another.
  Response add_format(RequestContext& ctx) {
    Body body(ctx, {"name", "alphabet", "length", "prefix", "check"});
    store::SerialFormatRecord rec;
    rec.name = body.text("name", true);
    std::string alphabet = body.text("alphabet", true);
    std::uint64_t length = body.count("length");
    rec.prefix = body.text("prefix");
    std::string check = body.text("check");
    if (body.problem()) return problem(ctx, *body.problem());
    auto check_character = serial::check_from_name(check.empty() ? "none" : check);
    if (!check_character)
      return problem(ctx, validation_exception("check: none, mod37-2 or gs1-pair"));
    // A preset's name (serial::preset_name) or the symbols themselves.
    auto preset = serial::preset_from_name(alphabet);
    rec.alphabet = preset ? std::string(serial::alphabet_symbols(*preset)) : alphabet;
    if (length > serial::kMaxSerialLength)
      return problem(
          ctx, validation_exception("length: at most " + std::to_string(serial::kMaxSerialLength)));
    rec.free_length = static_cast<std::uint32_t>(length);
    rec.check = *check_character;
    auto before = s_.ranges.format(rec.name);
    bool existed = before.ok();
    if (!before && before.error().kind != Kind::kNotFound)
      return problem(ctx, range_problem(before.error()));
    auto added = s_.ranges.add_format(rec);
    if (!added) return problem(ctx, range_problem(added.error()));
    return json_response(ctx, existed ? http::status::ok : http::status::created,
                         format_json(*added), "application/json");
  }

  // GET /serials/gtins/{gtin}: the GTIN's assigned format (404 when none).
  Response assignment(RequestContext& ctx) {
    auto gtin = owned_gtin(ctx, ctx.param("gtin"));
    if (!gtin) return problem(ctx, gtin.error());
    auto a = s_.ranges.assigned_format(*gtin);
    if (!a) return problem(ctx, range_problem(a.error()));
    return json_response(ctx, http::status::ok, assignment_json(*a), "application/json");
  }

  // PUT /serials/gtins/{gtin} {format?, market?}: no format is the market's preset.
  Response assign(RequestContext& ctx) {
    auto gtin = owned_gtin(ctx, ctx.param("gtin"));
    if (!gtin) return problem(ctx, gtin.error());
    Body body(ctx, {"format", "market"});
    store::GtinFormat a{*gtin, body.text("format"), body.text("market")};
    if (body.problem()) return problem(ctx, *body.problem());
    auto assigned = s_.ranges.assign_format(a);
    if (!assigned) return problem(ctx, range_problem(assigned.error()));
    return json_response(ctx, http::status::ok, assignment_json(*assigned), "application/json");
  }

  // POST /serials/allocations: 201 with the serials; a retried requestID 200 with the same.
  Response allocate(RequestContext& ctx) {
    Body body(ctx, {"gtin", "count", "requestID", "format", "scheme", "lot", "site", "to",
                    "allowGuessable", "reissueReturned"});
    store::AllocationRequest req;
    std::string gtin_text = body.text("gtin", true);
    req.count = body.count("count");
    req.request_id = body.text("requestID");
    req.format = body.text("format");
    std::string scheme = body.text("scheme");
    req.lot = body.text("lot");
    req.site = body.text("site");
    req.to = body.text("to");
    req.allow_guessable = body.flag("allowGuessable");
    req.reissue_returned = body.flag("reissueReturned");
    if (body.problem()) return problem(ctx, *body.problem());
    auto parsed_scheme = serial::scheme_from_name(scheme.empty() ? "ff1" : scheme);
    if (!parsed_scheme)
      return problem(ctx, validation_exception("scheme: ff1, ff3-1, sequential or random"));
    req.scheme = *parsed_scheme;
    if (req.count > limits_.allocation)
      return problem(ctx, payload_too_large("count " + std::to_string(req.count) +
                                            " is above the allocation limit of " +
                                            std::to_string(limits_.allocation) +
                                            " serials per request: allocate in parts"));
    auto gtin = owned_gtin(ctx, gtin_text);
    if (!gtin) return problem(ctx, gtin.error());
    req.gtin = *gtin;
    json::array serials;
    serials.reserve(req.count);
    auto allocation =
        s_.ranges.allocate(req, [&](std::string_view serial) { serials.emplace_back(serial); });
    if (!allocation) return problem(ctx, range_problem(allocation.error()));
    json::object out{{"allocationID", allocation->allocation_id},
                     {"rangeID", allocation->range_id},
                     {"requestID", allocation->request_id},
                     {"gtin", req.gtin},
                     {"keyID", allocation->key_id},
                     {"count", allocation->count},
                     {"guessProbability", allocation->guess_probability},
                     {"replayed", allocation->replayed},
                     {"serials", std::move(serials)}};
    if (!req.lot.empty()) out["lot"] = req.lot;
    return json_response(ctx, allocation->replayed ? http::status::ok : http::status::created, out,
                         "application/json");
  }

  // GET /serials/allocations[?gtin=]: a manufacturer sees those of its own GTINs.
  Response allocations(RequestContext& ctx) {
    if (auto p = unknown_parameter(ctx, {"gtin"})) return problem(ctx, *p);
    std::string gtin;
    if (auto g = ctx.query_value("gtin")) {
      auto owned = owned_gtin(ctx, *g, true);
      if (!owned) return problem(ctx, owned.error());
      gtin = *owned;
    }
    auto all = s_.ranges.allocations(gtin, trace::commissioned_counter(s_.events));
    if (!all) return problem(ctx, range_problem(all.error()));
    json::array out;
    for (const auto& a : *all)
      if (!ctx.principal || within_own_prefix(*ctx.principal, a.gtin))
        out.push_back(summary_json(a));
    return json_response(ctx, http::status::ok, out, "application/json");
  }

  // POST /serials/ranges/{rangeID}/returns {serials}: all recorded or none.
  Response return_unused(RequestContext& ctx) {
    const std::string& id_text = ctx.param("rangeID");
    std::int64_t range_id = 0;
    auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), range_id);
    if (ec != std::errc() || end != id_text.data() + id_text.size() || range_id <= 0)
      return problem(ctx, no_such_resource_exception("no range " + id_text));
    Body body(ctx, {"serials"});
    auto serials = body.texts("serials");
    if (body.problem()) return problem(ctx, *body.problem());
    if (serials.size() > limits_.allocation)
      return problem(ctx, payload_too_large(std::to_string(serials.size()) +
                                            " serials are above the limit of " +
                                            std::to_string(limits_.allocation) + " per request"));
    if (ctx.principal && ctx.principal->role == Role::kManufacturer) {
      auto all = s_.ranges.allocations("");
      if (!all) return problem(ctx, range_problem(all.error()));
      for (const auto& a : *all)
        if (a.range_id == range_id && !within_own_prefix(*ctx.principal, a.gtin))
          return problem(ctx, outside_prefix(a.gtin));
    }
    auto returned = s_.ranges.return_unused(range_id, serials);
    if (!returned) return problem(ctx, range_problem(returned.error()));
    return json_response(ctx, http::status::ok,
                         json::object{{"rangeID", range_id}, {"returned", *returned}},
                         "application/json");
  }

  // GET /serials/guess-probability?format=&count=
  Response guess_probability(RequestContext& ctx) {
    if (auto p = unknown_parameter(ctx, {"format", "count"})) return problem(ctx, *p);
    auto format = ctx.query_value("format");
    auto count_text = ctx.query_value("count");
    if (!format || format->empty())
      return problem(ctx, query_parameter_exception("format: required"));
    std::uint64_t count = 0;
    if (!count_text || count_text->empty() ||
        std::from_chars(count_text->data(), count_text->data() + count_text->size(), count).ptr !=
            count_text->data() + count_text->size())
      return problem(ctx, query_parameter_exception("count: a whole number is required"));
    auto guess = store::format_guess_probability(s_.ranges, *format, count);
    if (!guess) return problem(ctx, range_problem(guess.error()));
    json::object out{{"format", *format},
                     {"count", count},
                     {"probability", guess->probability},
                     {"withinEuFmdLimit", guess->within_limit}};
    return json_response(ctx, http::status::ok, out, "application/json");
  }

 private:
  static Problem outside_prefix(const std::string& gtin) {
    return forbidden_exception("GTIN " + gtin + " is outside the company prefix of this key");
  }

  // The GTIN as 14 digits when it is one and the caller may act on it: 400 otherwise
  // (QueryParameterException when it came in the query), 403 outside a manufacturer's
  // company prefix.
  serialtrack::Result<std::string, Problem> owned_gtin(const RequestContext& ctx,
                                                       const std::string& text,
                                                       bool from_query = false) {
    auto gtin = gs1::gtin14(text);
    if (!gtin) {
      std::string detail = "gtin: '" + text + "' is not a GTIN with a valid check digit";
      return unexpected(from_query ? query_parameter_exception(detail)
                                   : validation_exception(detail));
    }
    if (ctx.principal && !within_own_prefix(*ctx.principal, *gtin))
      return unexpected(outside_prefix(*gtin));
    return std::move(*gtin);
  }

  SerialServices s_;
  SerialLimits limits_;
};

}  // namespace

void add_serial_routes(Router& router, const SerialServices& services, const SerialLimits& limits) {
  auto api = std::make_shared<SerialApi>(services, limits);
  using V = http::verb;
  router.add(V::get, "/serials/formats", "Named serial formats",
             member_handler(api, &SerialApi::formats));
  router.add(V::post, "/serials/formats",
             "Store a serial format {name, alphabet (numeric, upper-alphanumeric, "
             "upper-alphanumeric-unambiguous, cset82 or the symbols), length, prefix?, check? "
             "(none, mod37-2, gs1-pair)}",
             member_handler(api, &SerialApi::add_format));
  router.add(V::get, "/serials/gtins/{gtin}", "The serial format (and market) assigned to a GTIN",
             member_handler(api, &SerialApi::assignment));
  router.add(V::put, "/serials/gtins/{gtin}",
             "Assign a serial format {format?, market? (eu-fmd)} to a GTIN; no format: the "
             "market's preset",
             member_handler(api, &SerialApi::assign));
  router.add(V::post, "/serials/allocations",
             "Allocate serials {gtin, count, requestID?, format?, scheme?, lot?, site?, to?, "
             "allowGuessable?, reissueReturned?}; 201, or 200 with the same serials for a "
             "requestID seen before; 413 beyond the allocation limit",
             member_handler(api, &SerialApi::allocate));
  router.add(V::get, "/serials/allocations",
             "Allocations (gtin: of one GTIN) with issued, commissioned and returned counts",
             member_handler(api, &SerialApi::allocations));
  router.add(V::post, "/serials/ranges/{rangeID}/returns",
             "Record serials {serials} of a range as returned unused (all or none)",
             member_handler(api, &SerialApi::return_unused));
  router.add(V::get, "/serials/guess-probability",
             "EU FMD guess probability of a format once a GTIN has count serials (format, count)",
             member_handler(api, &SerialApi::guess_probability));
}

}  // namespace serialtrack::server
