#include "server/recall_routes.h"

#include <memory>

#include "epcis/json_codec.h"
#include "server/access.h"
#include "server/auth.h"
#include "server/business_http.h"
#include "server/epcis_http.h"
#include "trace/recall.h"

namespace serialtrack::server {
namespace {

// Whether the principal's company prefix holds what the recall takes back: its GTIN, else
// every serial it lists (a recall by query alone belongs to no manufacturer).
bool owns_recall(const Principal& p, const trace::RecallDefinition& d) {
  if (!d.gtin.empty()) return owns_identifier(p, d.gtin);
  if (d.serials.empty()) return false;
  for (const auto& s : d.serials)
    if (!owns_identifier(p, s)) return false;
  return true;
}

// Whether the caller sees the whole of a recall: admin and auditor (no visibility party),
// or the manufacturer that owns it.
bool sees_whole(const RequestContext& ctx, const trace::RecallDefinition& d) {
  return visible_party(ctx).empty() || (ctx.principal && owns_recall(*ctx.principal, d));
}

// For a manufacturer: 403 unless the recall is of its own products; nullopt otherwise.
std::optional<Problem> manufacturer_refusal(const RequestContext& ctx,
                                            const trace::RecallDefinition& d) {
  if (!ctx.principal || ctx.principal->role != Role::kManufacturer ||
      owns_recall(*ctx.principal, d))
    return std::nullopt;
  // No item source at all: create_recall refuses the definition itself (400).
  if (d.gtin.empty() && d.serials.empty() && d.query.empty()) return std::nullopt;
  return forbidden_exception("a manufacturer recalls only products of its company prefix " +
                             ctx.principal->company_prefix +
                             " (give a gtin, or serials, of its own)");
}

class RecallApi {
 public:
  explicit RecallApi(const RecallServices& s) : s_(s) {}

  Response list(RequestContext& ctx) {
    auto all = trace::list_recalls(s_.recalls);
    if (!all) return problem(ctx, service_problem(all.error()));
    return json_text_response(ctx, http::status::ok, trace::recalls_json(*all));
  }

  Response create(RequestContext& ctx) {
    auto d = trace::recall_definition_from_json(ctx.request.body());
    if (!d) return problem(ctx, service_problem(d.error()));
    if (auto refused = manufacturer_refusal(ctx, *d)) return problem(ctx, *refused);
    auto r = trace::create_recall(s_.events, s_.recalls, *d);
    if (!r) return problem(ctx, service_problem(r.error()));
    Response res = json_text_response(ctx, http::status::created,
                                      "{\"recall\":" + trace::recall_json(r->first) +
                                          ",\"run\":" + trace::recall_run_json(r->second) + "}");
    res.set(http::field::location, "/recalls/" + std::to_string(r->first.id));
    return res;
  }

  Response show(RequestContext& ctx) {
    auto id = record_id(ctx, "recallID", "recall");
    if (!id) return problem(ctx, id.error());
    auto format = answer_format(ctx, {"json", "csv", "epcis"});
    if (!format) return problem(ctx, format.error());
    auto recall = trace::find_recall(s_.recalls, *id);
    if (!recall) return problem(ctx, service_problem(recall.error()));
    bool whole = sees_whole(ctx, recall->definition);
    if (*format == "epcis") {
      if (!whole)
        return problem(
            ctx, forbidden_exception("the recall's EPCIS document names every custodian's items: "
                                     "for the manufacturer, auditors and admin"));
      auto doc = trace::recall_document(s_.events, s_.recalls, *id);
      if (!doc) return problem(ctx, service_problem(doc.error()));
      return epcis_response(ctx, http::status::ok, epcis::encode_json(*doc), "application/ld+json");
    }
    auto report = trace::recall_report(s_.events, s_.recalls, s_.warranty, *id);
    if (!report) return problem(ctx, service_problem(report.error()));
    if (!whole) *report = trace::custodian_view(std::move(*report), ctx.principal->party);
    if (*format == "csv")
      return epcis_response(ctx, http::status::ok, trace::recall_report_csv(*report),
                            "text/csv; charset=utf-8");
    return json_text_response(ctx, http::status::ok, trace::recall_report_json(*report));
  }

  Response run(RequestContext& ctx) {
    auto id = record_id(ctx, "recallID", "recall");
    if (!id) return problem(ctx, id.error());
    auto recall = trace::find_recall(s_.recalls, *id);
    if (!recall) return problem(ctx, service_problem(recall.error()));
    if (auto refused = manufacturer_refusal(ctx, recall->definition)) return problem(ctx, *refused);
    auto r = trace::run_recall(s_.events, s_.recalls, *id);
    if (!r) return problem(ctx, service_problem(r.error()));
    return json_text_response(ctx, http::status::ok, trace::recall_run_json(*r));
  }

 private:
  RecallServices s_;
};

}  // namespace

void add_recall_routes(Router& router, const RecallServices& services) {
  auto api = std::make_shared<RecallApi>(services);
  using V = http::verb;
  router.add(V::get, "/recalls", "Every recall", member_handler(api, &RecallApi::list));
  router.add(V::post, "/recalls",
             "Define a recall (gtin, lots, serials, serialRanges, expiryFrom/To, query, reason, "
             "severity, instructions) and mark its items RECALLED",
             member_handler(api, &RecallApi::create));
  router.add(V::get, "/recalls/{recallID}",
             "A recall's affected items and progress: JSON, CSV (text/csv, format=csv) or its "
             "EPCIS events (application/ld+json, format=epcis)",
             member_handler(api, &RecallApi::show));
  router.add(V::post, "/recalls/{recallID}/run",
             "Find new affected items of a recall and mark them RECALLED (idempotent)",
             member_handler(api, &RecallApi::run));
}

}  // namespace serialtrack::server
