#include "server/verification_routes.h"

#include <boost/json.hpp>
#include <chrono>
#include <memory>

#include "server/auth.h"
#include "server/epcis_http.h"
#include "trace/dscsa.h"
#include "trace/pack_operations.h"
#include "trace/pack_status.h"
#include "trace/verify.h"

namespace serialtrack::server {
namespace {

namespace json = boost::json;

int64_t now_nanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Problem input_problem(const trace::VerifyError& e, bool from_query) {
  if (e.kind == trace::VerifyError::Kind::kStore) return implementation_exception(e.message);
  std::string detail = e.field.empty() ? e.message : e.field + ": " + e.message;
  return from_query ? query_parameter_exception(detail) : validation_exception(detail);
}

constexpr const char* kGeoProblem =
    "geo: not a geo URI (RFC 5870) 'geo:latitude,longitude' within range";

// One verification asked for: the pack, and where the scan is (the caller's location: a
// GLN, SGLN URN or Digital Link; a consumer's geo point).
struct Scan {
  trace::PackKey pack;  // resolved once, when the request is checked
  std::string location;
  std::optional<trace::GeoPoint> where;
};

class VerificationApi {
 public:
  explicit VerificationApi(const VerificationServices& services) : s_(services) {}

  // GET /verify?gtin=…&serial=…[&lot=…&expiry=YYMMDD] | ?dl=… | ?scan=…, and where the
  // scan is: [&location=GLN|SGLN] [&geo=geo:lat,lon].
  Response verify_get(RequestContext& ctx) {
    auto query = trace::pack_query_from_params(ctx.query);
    if (!query) return problem(ctx, input_problem(query.error(), true));
    auto key = trace::resolve_pack(*query);
    if (!key) return problem(ctx, input_problem(key.error(), true));
    Scan scan{std::move(*key), ctx.query_value("location").value_or(""), std::nullopt};
    if (auto location = trace::location_uri(scan.location); !location)
      return problem(ctx, input_problem(location.error(), true));
    if (auto geo = ctx.query_value("geo")) {
      scan.where = trace::parse_geo_uri(*geo);
      if (!scan.where) return problem(ctx, query_parameter_exception(kGeoProblem));
    }
    if (auto refused = admit(ctx, 1)) return std::move(*refused);
    auto answer = verify(ctx, scan);
    if (!answer) return problem(ctx, input_problem(answer.error(), true));
    return json_response(ctx, http::status::ok, trace::verify_answer_json(*answer),
                         "application/json");
  }

  // POST /verify: one object, or an array of objects (answered by an array, in order).
  // Every element is checked before any is verified: one bad element verifies none.
  Response verify_post(RequestContext& ctx) {
    boost::system::error_code ec;
    json::value body = json::parse(ctx.request.body(), ec);
    if (ec || !(body.is_object() || body.is_array()))
      return problem(
          ctx, validation_exception("the body is not a JSON object {gtin, serial, lot?, expiry?} "
                                    "(or dl, scan, id) nor an array of them"));
    std::vector<Scan> queries;
    auto read = [&](const json::value& v, const std::string& where) -> std::optional<Problem> {
      if (!v.is_object()) return validation_exception(where + "is not a JSON object");
      auto at = [&](const trace::VerifyError& e) {  // the problem, naming the element
        Problem p = input_problem(e, false);
        p.detail = where + p.detail;
        return p;
      };
      auto q = trace::pack_query_from_json(v.as_object());
      if (!q) return at(q.error());
      auto key = trace::resolve_pack(*q);
      if (!key) return at(key.error());
      Scan scan{std::move(*key), "", std::nullopt};
      if (auto* location = v.as_object().if_contains("location"))
        scan.location = std::string(location->as_string());  // a string: checked above
      if (auto location = trace::location_uri(scan.location); !location)
        return at(location.error());
      if (auto* geo = v.as_object().if_contains("geo")) {
        scan.where = trace::parse_geo_uri(geo->as_string());
        if (!scan.where) return validation_exception(where + kGeoProblem);
      }
      queries.push_back(std::move(scan));
      return std::nullopt;
    };
    if (body.is_object()) {
      if (auto p = read(body, "")) return problem(ctx, *p);
    } else {
      const auto& items = body.as_array();
      if (items.empty()) return problem(ctx, validation_exception("the batch is empty"));
      for (size_t i = 0; i < items.size(); ++i) {
        // (appended, not "[" + ...: GCC 12 warns falsely of an overlapping memcpy there)
        std::string where = std::string("[").append(std::to_string(i)).append("] ");
        if (auto p = read(items[i], where)) return problem(ctx, *p);
      }
    }
    if (auto refused = admit(ctx, queries.size())) return std::move(*refused);
    json::array answers;
    for (const auto& q : queries) {
      auto answer = verify(ctx, q);
      if (!answer) return problem(ctx, input_problem(answer.error(), false));
      answers.push_back(trace::verify_answer_json(*answer));
    }
    if (body.is_object())
      return json_response(ctx, http::status::ok, answers[0], "application/json");
    return json_response(ctx, http::status::ok, answers, "application/json");
  }

  // POST /packs/{operation} {gtin, serial, lot?, expiry? (or dl, scan, id), location?}
  // 200 when done, 409 when refused (the same answer object: refusal and alert say why).
  Response operate(RequestContext& ctx) {
    auto operation = trace::pack_operation_from_name(ctx.param("operation"));
    if (!operation)
      return problem(ctx, no_such_resource_exception(
                              "no pack operation " + ctx.param("operation") +
                              " (supply, destroy, stolen, sample, free-sample, export, lock, "
                              "checkout, undo)"));
    boost::system::error_code ec;
    json::value body = json::parse(ctx.request.body(), ec);
    if (ec || !body.is_object())
      return problem(ctx, validation_exception("the body is not a JSON object {gtin, serial, "
                                               "lot?, expiry?, location?}"));
    auto query = trace::pack_query_from_json(body.as_object());
    if (!query) return problem(ctx, input_problem(query.error(), false));
    trace::PackOperationRequest request;
    request.operation = *operation;
    request.pack = std::move(*query);
    request.caller = caller(ctx);
    if (auto* location = body.as_object().if_contains("location")) {
      if (!location->is_string())
        return problem(ctx, validation_exception("location: a GLN, SGLN URN or Digital Link"));
      request.caller.location = std::string(location->as_string());
    }
    request.now_unix_nanos = now_nanos();
    auto answer = trace::operate_pack(s_.events, s_.log, request, &s_.detector);
    if (!answer) return problem(ctx, input_problem(answer.error(), false));
    return json_response(ctx, answer->done ? http::status::ok : http::status::conflict,
                         trace::pack_operation_answer_json(*answer), "application/json");
  }

  // GET /dscsa/verify?gtin=…&serialNumber=…&lotNumber=…&expirationDate=YYMMDD
  // [&reqGLN=…&corrUUID=…&context=…] (GS1 LMS for DSCSA verification).
  Response dscsa(RequestContext& ctx) {
    auto request = trace::vrs_request_from_params(ctx.query);
    if (!request) return problem(ctx, input_problem(request.error(), true));
    if (auto refused = admit(ctx, 1)) return std::move(*refused);
    request->client = verification_client(ctx);
    if (request->requestor_gln.empty() && ctx.principal)
      request->requestor_gln = ctx.principal->party;
    request->now_unix_nanos = now_nanos();
    auto response = trace::verify_dscsa(s_.events, s_.log, *request, &s_.detector);
    if (!response) return problem(ctx, input_problem(response.error(), true));
    counted(response->answer);
    return json_response(ctx, http::status::ok, trace::vrs_response_json(*response),
                         "application/json");
  }

 private:
  trace::Caller caller(const RequestContext& ctx) const {
    trace::Caller c;
    c.client = verification_client(ctx);
    if (ctx.principal) {
      c.party = ctx.principal->party;
      c.is_public = !permits(*ctx.principal, Permission::kVerifyDetailed);
    } else {
      c.is_public = true;
    }
    return c;
  }

  // nullopt when the client may make n more verifications now; the 429 answer otherwise.
  std::optional<Response> admit(const RequestContext& ctx, size_t n) {
    const std::string client = verification_client(ctx);
    for (size_t i = 0; i < n; ++i) {
      Admission a = s_.limiter.admit(client);
      if (a.allowed) continue;
      Problem p{http::status::too_many_requests, "about:blank", "Too Many Requests",
                "client " + client + " asks for verifications faster than " +
                    std::to_string(s_.limiter.options().rate_per_second) + " per second"};
      Response res = problem(ctx, p);
      auto seconds = (a.retry_after.count() + 999) / 1000;  // RFC 9110 §10.2.3: whole seconds
      res.set(http::field::retry_after, std::to_string(std::max<int64_t>(1, seconds)));
      return res;
    }
    return std::nullopt;
  }

  // One verification through detection (its alerts go to the alert book).
  trace::VerifyResult<trace::VerifyAnswer> verify(const RequestContext& ctx, const Scan& scan) {
    trace::ResolvedVerifyRequest request{scan.pack, caller(ctx), now_nanos()};
    request.caller.location = scan.location;
    auto detected = s_.detector.verify(s_.events, s_.log, request, scan.where);
    if (!detected) return unexpected(std::move(detected).error());
    counted(detected->answer);
    return std::move(detected->answer);
  }

  // The metrics of one answered verification.
  void counted(const trace::VerifyAnswer& answer) {
    s_.metrics.record_verification(trace::pack_status_name(answer.status), answer.verified);
  }

  VerificationServices s_;
};

}  // namespace

std::string verification_client(const RequestContext& ctx) {
  if (!ctx.principal || ctx.principal->key_id.empty()) return "anonymous@" + ctx.remote_address;
  if (ctx.principal->role == Role::kPublic) return ctx.principal->key_id + "@" + ctx.remote_address;
  return ctx.principal->key_id;
}

void add_verification_routes(Router& router, const VerificationServices& services) {
  auto api = std::make_shared<VerificationApi>(services);
  using V = http::verb;
  router.add(V::get, "/verify",
             "Verify a pack: gtin, serial [, lot, expiry YYMMDD], or dl, or scan (EU FMD)",
             member_handler(api, &VerificationApi::verify_get));
  router.add(V::post, "/verify",
             "Verify one pack (JSON object) or a batch (array of objects: array of answers)",
             member_handler(api, &VerificationApi::verify_post));
  router.add(V::get, "/dscsa/verify",
             "DSCSA product identifier verification (GS1 LMS): gtin, serialNumber, lotNumber, "
             "expirationDate",
             member_handler(api, &VerificationApi::dscsa));
  router.add(V::post, "/packs/{operation}",
             "Change a pack's status: supply, destroy, stolen, sample, free-sample, export, "
             "lock, checkout, undo",
             member_handler(api, &VerificationApi::operate));
}

}  // namespace serialtrack::server
