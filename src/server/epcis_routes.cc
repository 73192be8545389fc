#include "server/epcis_routes.h"

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <chrono>
#include <memory>

#include "epcis/cbv.h"
#include "epcis/json_codec.h"
#include "epcis/time.h"
#include "server/access.h"
#include "server/auth.h"
#include "server/epcis_http.h"
#include "server/subscriptions.h"
#include "trace/capture_document.h"
#include "trace/query.h"

namespace serialtrack::server {
namespace {

namespace json = boost::json;
using Params = std::vector<std::pair<std::string, std::string>>;

int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string iso_time(int64_t millis) {
  return epcis::format_timestamp_utc(epcis::Timestamp{millis * 1'000'000, 0});
}

std::string encode_segment(const std::string& s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

json::value context() {
  return json::value(epcis::kEpcisContextUrl);
}

json::object collection(json::array members) {
  return json::object{
      {"@context", context()}, {"type", "Collection"}, {"member", std::move(members)}};
}

// A top-level resource (§12.7): its path, the query parameter /{id}/events adds, the
// listing in the store, and how its values are shown.
struct TopLevel {
  const char* path;       // "/bizSteps"
  const char* parameter;  // "EQ_bizStep"
  const char* id_name;    // "bizStep" (the template's {param})
  store::VocabularyKind kind;
  bool cbv;  // values shown as CBV bare words
  epcis::CbvKind cbv_kind = epcis::CbvKind::kBizStep;
};

constexpr TopLevel kTopLevels[] = {
    {"/epcs", "MATCH_anyEPC", "epc", store::VocabularyKind::kEpc, false},
    {"/bizSteps", "EQ_bizStep", "bizStep", store::VocabularyKind::kBizStep, true,
     epcis::CbvKind::kBizStep},
    {"/bizLocations", "EQ_bizLocation", "bizLocation", store::VocabularyKind::kBizLocation, false},
    {"/readPoints", "EQ_readPoint", "readPoint", store::VocabularyKind::kReadPoint, false},
    {"/dispositions", "EQ_disposition", "disposition", store::VocabularyKind::kDisposition, true,
     epcis::CbvKind::kDisposition},
};

json::object job_json(const store::CaptureJob& j) {
  json::array errors;
  for (const auto& e : j.errors) {
    json::object o{{"eventIndex", e.event_index}, {"message", e.message}};
    if (!e.event_id.empty()) o["eventID"] = e.event_id;
    errors.push_back(std::move(o));
  }
  json::object o{{"captureID", j.id},
                 {"createdAt", iso_time(j.created)},
                 {"running", j.running},
                 {"success", j.success},
                 {"captureErrorBehaviour", j.error_behaviour},
                 {"eventCount", j.events},
                 {"accepted", j.accepted},
                 {"duplicates", j.duplicates},
                 {"errors", std::move(errors)}};
  if (j.finished) o["finishedAt"] = iso_time(j.finished);
  return o;
}

json::object query_json(const store::NamedQuery& q) {
  json::object params;
  for (const auto& [k, v] : q.parameters) params[k] = v;
  return json::object{
      {"name", q.name}, {"query", std::move(params)}, {"createdAt", iso_time(q.created)}};
}

// The body's syntax from Content-Type; nullopt when the route cannot read it.
std::optional<trace::DocumentSyntax> body_syntax(const RequestContext& ctx) {
  std::string type = ctx.header("Content-Type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type == "application/json" || type == "application/ld+json")
    return trace::DocumentSyntax::kJsonLd;
  if (type == "application/xml" || type == "text/xml") return trace::DocumentSyntax::kXml;
  return std::nullopt;
}

// Who captures (recorded with each event) and what the caller may not capture: a
// manufacturer only its own company prefix's identifiers (auth.h identifier_outside_prefix).
trace::DocumentCaptureOptions capture_options(const RequestContext& ctx, size_t max_events,
                                              trace::Detector* detector) {
  trace::DocumentCaptureOptions options;
  options.max_events = max_events;
  options.detector = detector;
  if (!ctx.principal) return options;
  options.store.captured_by = ctx.principal->party;
  options.refuse = [principal = ctx.principal](const epcis::Event& event) {
    auto id = identifier_outside_prefix(*principal, event);
    if (!id) return std::optional<std::string>();
    return std::optional<std::string>(*id + " is outside the company prefix " +
                                      principal->company_prefix + " of this key");
  };
  return options;
}

class EpcisApi {
 public:
  EpcisApi(const EpcisStores& stores, Metrics& metrics, const EpcisLimits& limits,
           Subscriptions* subscriptions, trace::Detector* detector)
      : stores_(stores),
        metrics_(metrics),
        limits_(limits),
        subscriptions_(subscriptions),
        detector_(detector) {}

  // ---- capture ---------------------------------------------------------------------

  // POST /capture (§12.4): the document is stored before the answer; the job says how.
  Response capture(RequestContext& ctx) {
    auto syntax = body_syntax(ctx);
    if (!syntax)
      return problem(ctx, unsupported_media_type_exception(
                              "POST /capture takes application/ld+json, application/json or "
                              "application/xml, not '" +
                              ctx.header("Content-Type") + "'"));
    if (ctx.request.body().size() > limits_.capture_bytes)
      return limit_problem(ctx, "the document is " + std::to_string(ctx.request.body().size()) +
                                    " bytes; GS1-EPCIS-Capture-File-Size-Limit is " +
                                    std::to_string(limits_.capture_bytes));
    std::string behaviour_name = ctx.header("GS1-Capture-Error-Behaviour");
    if (behaviour_name.empty()) behaviour_name = "rollback";
    trace::CaptureErrorBehaviour behaviour;
    if (behaviour_name == "rollback")
      behaviour = trace::CaptureErrorBehaviour::kRollback;
    else if (behaviour_name == "proceed")
      behaviour = trace::CaptureErrorBehaviour::kProceed;
    else
      return problem(ctx, validation_exception("GS1-Capture-Error-Behaviour: '" + behaviour_name +
                                               "' is neither rollback nor proceed"));
    store::CaptureJob job;
    job.created = now_millis();
    auto id = new_resource_id();
    if (!id) return problem(ctx, implementation_exception("the random generator failed"));
    job.id = *id;
    job.error_behaviour = behaviour_name;

    auto options = capture_options(ctx, limits_.capture_events, detector_);
    options.job = &job;  // stored with the events: one commit
    auto result =
        trace::capture_document(stores_.events, ctx.request.body(), *syntax, behaviour, options);
    if (!result) {
      if (result.error().kind == epcis::ErrorKind::kImplementation)
        return problem(ctx, implementation_exception(result.error().message));
      return problem(ctx, validation_exception(trace::describe(result.error())));
    }
    if (result->refused) return problem(ctx, forbidden_exception(*result->refused));
    if (result->over_limit)
      return limit_problem(ctx, "the document holds " + std::to_string(result->events) +
                                    " events; GS1-EPCIS-Capture-Limit is " +
                                    std::to_string(limits_.capture_events));
    // Stored with the events, or here when nothing was captured (every event rejected).
    if (!result->outcome.job_stored) {
      trace::record_job(job, *result);
      job.finished = now_millis();
      if (auto created = stores_.jobs.create(job); !created)
        return problem(ctx, implementation_exception(created.error().message));
    }
    stored(*result);
    Response res = json_response(ctx, http::status::accepted, job_json(job), "application/json");
    res.set(http::field::location, "/capture/" + job.id);
    return res;
  }

  // GET /capture: the newest jobs first.
  Response capture_jobs(RequestContext& ctx) {
    auto n = per_page(ctx, limits_.default_page, limits_.max_page);
    if (!n) return problem(ctx, n.error());
    auto jobs = stores_.jobs.jobs(*n);
    if (!jobs) return problem(ctx, store_problem(jobs.error()));
    json::array out;
    for (const auto& j : *jobs) out.push_back(job_json(j));
    return json_response(ctx, http::status::ok, out, "application/json");
  }

  // GET /capture/{captureID}
  Response capture_job(RequestContext& ctx) {
    auto job = stores_.jobs.job(ctx.param("captureID"));
    if (!job) return problem(ctx, store_problem(job.error()));
    if (!*job)
      return problem(ctx, no_such_resource_exception("no capture job " + ctx.param("captureID")));
    return json_response(ctx, http::status::ok, job_json(**job), "application/json");
  }

  // POST /events: one event, stored at once (201), never twice (409).
  Response capture_event(RequestContext& ctx) {
    auto syntax = body_syntax(ctx);
    if (!syntax || *syntax != trace::DocumentSyntax::kJsonLd)
      return problem(ctx, unsupported_media_type_exception(
                              "POST /events takes one event as application/ld+json or "
                              "application/json, not '" +
                              ctx.header("Content-Type") + "'"));
    auto doc = trace::decode_capture_document(ctx.request.body(), *syntax);
    if (!doc) return problem(ctx, validation_exception(trace::describe(doc.error())));
    if (doc->events.size() != 1)
      return problem(ctx, validation_exception("POST /events takes exactly one event, not " +
                                               std::to_string(doc->events.size())));
    const std::string event_id = doc->events[0].event_id;
    auto existing = stores_.events.event(event_id);
    if (!existing) return problem(ctx, store_problem(existing.error()));
    if (*existing)
      return problem(ctx, resource_already_exists_exception("event " + event_id + " exists"));
    auto result = trace::capture_document(stores_.events, ctx.request.body(), *syntax,
                                          trace::CaptureErrorBehaviour::kRollback,
                                          capture_options(ctx, 1, detector_));
    if (!result) return problem(ctx, implementation_exception(result.error().message));
    if (result->refused) return problem(ctx, forbidden_exception(*result->refused));
    if (!result->rejected.empty())
      return problem(ctx, validation_exception(result->rejected[0].message));
    if (result->outcome.accepted == 0)  // stored meanwhile by a concurrent request
      return problem(ctx, resource_already_exists_exception("event " + event_id + " exists"));
    stored(*result);
    Response res = epcis_response(ctx, http::status::created, "", "");
    res.set(http::field::location, "/events/" + encode_segment(event_id));
    return res;
  }

  // ---- events ----------------------------------------------------------------------

  // GET /events and every /{...}/events: the query of params plus the request's own.
  Response events(RequestContext& ctx, Params params, const std::string& query_name) {
    auto format = negotiate(ctx, true);
    if (!format) return problem(ctx, format.error());
    auto page_size = per_page(ctx, limits_.default_page, limits_.max_page);
    if (!page_size) return problem(ctx, page_size.error());
    bool count_limit = false;
    std::optional<std::string> token;
    for (const auto& [k, v] : ctx.query) {
      if (k == "nextPageToken")
        token = v;
      else if (k == "perPage" || k == "stream")
        continue;
      else {
        if (k == "eventCountLimit") count_limit = true;
        params.emplace_back(k, v);
      }
    }
    auto q = trace::parse_query(params);
    if (!q)
      return problem(ctx,
                     query_parameter_exception(q.error().parameter + ": " + q.error().message));
    if (!count_limit || ctx.query_value("perPage")) q->limit = *page_size;
    q->visible_to_party = visible_party(ctx);  // access control: the caller's events only
    if (token) {
      auto cursor = parse_page_token(*token);
      if (!cursor)
        return problem(ctx, query_parameter_exception("nextPageToken: '" + *token +
                                                      "' is not a token this server issued"));
      q->after_sequence = cursor->first;
      q->after_key = cursor->second;
    }
    auto page = stores_.events.query(*q);
    if (!page) return problem(ctx, store_problem(page.error()));
    std::vector<epcis::Event> events;
    events.reserve(page->events.size());
    for (auto& e : page->events) events.push_back(std::move(e.event));
    bool xml = format->media == ResponseFormat::Media::kXml;
    Response res = epcis_response(
        ctx, http::status::ok, query_document(std::move(events), *format, query_name),
        xml                                             ? "application/xml"
        : format->media == ResponseFormat::Media::kJson ? "application/json"
                                                        : "application/ld+json");
    if (page->next_after)
      res.set(http::field::link,
              next_link(ctx, page_token(*page->next_after, page->next_after_key)));
    return res;
  }

  // GET /events/{eventID}
  Response event(RequestContext& ctx) {
    auto format = negotiate(ctx, true);
    if (!format) return problem(ctx, format.error());
    auto e = stores_.events.event(ctx.param("eventID"));
    if (!e) return problem(ctx, store_problem(e.error()));
    // An event the caller may not see is answered as absent (its existence is not told).
    if (!*e || (ctx.principal && !can_see(*ctx.principal, **e)))
      return problem(ctx, no_such_resource_exception("no event " + ctx.param("eventID")));
    std::vector<epcis::Event> one{std::move((*e)->event)};
    bool xml = format->media == ResponseFormat::Media::kXml;
    return epcis_response(ctx, http::status::ok,
                          query_document(std::move(one), *format, "SimpleEventQuery"),
                          xml ? "application/xml" : "application/ld+json");
  }

  // ---- top-level resources (§12.7) ---------------------------------------------------

  Response root(RequestContext& ctx) {
    if (auto f = negotiate(ctx, false); !f) return problem(ctx, f.error());
    json::array members{"capture",      "events",     "eventTypes",   "epcs",   "bizSteps",
                        "bizLocations", "readPoints", "dispositions", "queries"};
    return json_response(ctx, http::status::ok, collection(std::move(members)));
  }

  Response event_types(RequestContext& ctx) {
    if (auto f = negotiate(ctx, false); !f) return problem(ctx, f.error());
    json::array members;
    for (auto t :
         {epcis::EventType::kObject, epcis::EventType::kAggregation, epcis::EventType::kTransaction,
          epcis::EventType::kTransformation, epcis::EventType::kAssociation})
      members.emplace_back(epcis::event_type_name(t));
    return json_response(ctx, http::status::ok, collection(std::move(members)));
  }

  Response event_type(RequestContext& ctx) {
    if (auto f = negotiate(ctx, false); !f) return problem(ctx, f.error());
    if (!epcis::event_type_from_name(ctx.param("eventType")))
      return problem(ctx, no_such_resource_exception("no event type " + ctx.param("eventType")));
    return json_response(ctx, http::status::ok, collection(json::array{"events"}));
  }

  Response event_type_events(RequestContext& ctx) {
    if (!epcis::event_type_from_name(ctx.param("eventType")))
      return problem(ctx, no_such_resource_exception("no event type " + ctx.param("eventType")));
    return events(ctx, {{"eventType", ctx.param("eventType")}}, "SimpleEventQuery");
  }

  // GET /epcs, /bizSteps...: the values events use, page by page.
  Response values(RequestContext& ctx, const TopLevel& top) {
    auto format = negotiate(ctx, false);
    if (!format) return problem(ctx, format.error());
    auto n = per_page(ctx, limits_.default_page, limits_.max_page);
    if (!n) return problem(ctx, n.error());
    std::string after;
    if (auto token = ctx.query_value("nextPageToken")) {
      auto cursor = parse_text_token(*token);
      if (!cursor)
        return problem(ctx, query_parameter_exception("nextPageToken: '" + *token +
                                                      "' is not a token this server issued"));
      after = *cursor;
    }
    for (const auto& [k, v] : ctx.query)
      if (k != "perPage" && k != "nextPageToken")
        return problem(
            ctx, query_parameter_exception(k + ": not a parameter of " + std::string(top.path)));
    auto page = stores_.vocabulary.values(top.kind, after, *n);
    if (!page) return problem(ctx, store_problem(page.error()));
    json::array members;
    for (const auto& v : page->values) {
      if (top.cbv) {
        members.emplace_back(epcis::compact_cbv(top.cbv_kind, v));
      } else if (top.kind == store::VocabularyKind::kEpc) {
        auto converted = epcis::convert_identifier(v, format->epc_format);  // §12.5
        members.emplace_back(converted ? *converted : v);
      } else {
        members.emplace_back(v);
      }
    }
    Response res = json_response(ctx, http::status::ok, collection(std::move(members)));
    if (page->next_after) res.set(http::field::link, next_link(ctx, text_token(*page->next_after)));
    return res;
  }

  // GET /epcs/{epc}...: a value's sub-resources, when some event uses it.
  Response value(RequestContext& ctx, const TopLevel& top) {
    if (auto f = negotiate(ctx, false); !f) return problem(ctx, f.error());
    const std::string& id = ctx.param(top.id_name);
    auto q = trace::parse_query({{top.parameter, id}, {"eventCountLimit", "1"}});
    if (!q)
      return problem(ctx,
                     query_parameter_exception(q.error().parameter + ": " + q.error().message));
    q->visible_to_party = visible_party(ctx);
    auto page = stores_.events.query(*q);
    if (!page) return problem(ctx, store_problem(page.error()));
    if (page->events.empty())
      return problem(
          ctx, no_such_resource_exception("no event has " + std::string(top.id_name) + " " + id));
    return json_response(ctx, http::status::ok, collection(json::array{"events"}));
  }

  // ---- named queries (§12.6) ---------------------------------------------------------

  // POST /queries {"name": ..., "query": {param: value or [values]}}
  Response create_query(RequestContext& ctx) {
    boost::system::error_code ec;
    json::value body = json::parse(ctx.request.body(), ec);
    if (ec || !body.is_object())
      return problem(ctx,
                     validation_exception("the body is not a JSON object {\"name\", \"query\"}"));
    auto& o = body.as_object();
    auto* name = o.if_contains("name");
    auto* query = o.if_contains("query");
    if (!name || !name->is_string() || name->as_string().empty())
      return problem(ctx, validation_exception("name: a non-empty string is required"));
    if (!query || !query->is_object())
      return problem(ctx, validation_exception("query: an object of query parameters is required"));
    // The query belongs to the caller's party: others are told it does not exist.
    store::NamedQuery q{std::string(name->as_string()),
                        {},
                        now_millis(),
                        ctx.principal ? ctx.principal->party : std::string()};
    for (const auto& [k, v] : query->as_object()) {
      auto text = [](const json::value& x) -> std::optional<std::string> {
        if (x.is_string()) return std::string(x.as_string());
        if (x.is_number() || x.is_bool()) return json::serialize(x);
        return std::nullopt;
      };
      std::string joined;
      if (v.is_array()) {
        for (const auto& item : v.as_array()) {
          auto t = text(item);
          if (!t)
            return problem(ctx, query_parameter_exception(std::string(k) + ": values are strings"));
          joined += (joined.empty() ? "" : "|") + *t;
        }
      } else if (auto t = text(v)) {
        joined = *t;
      } else {
        return problem(ctx, query_parameter_exception(std::string(k) + ": values are strings"));
      }
      q.parameters.emplace_back(std::string(k), std::move(joined));
    }
    if (auto parsed = trace::parse_query(q.parameters); !parsed)
      return problem(
          ctx, query_parameter_exception(parsed.error().parameter + ": " + parsed.error().message));
    auto created = stores_.queries.create(q);
    if (!created) return problem(ctx, store_problem(created.error()));
    if (!*created)
      return problem(ctx, resource_already_exists_exception("a query named " + q.name + " exists"));
    Response res = json_response(ctx, http::status::created, query_json(q), "application/json");
    res.set(http::field::location, "/queries/" + encode_segment(q.name));
    return res;
  }

  Response list_queries(RequestContext& ctx) {
    auto all = stores_.queries.queries();
    if (!all) return problem(ctx, store_problem(all.error()));
    json::array out;
    for (const auto& q : *all)
      if (caller_owns(ctx, q.owner)) out.push_back(query_json(q));
    return json_response(ctx, http::status::ok, out, "application/json");
  }

  Response get_query(RequestContext& ctx) {
    auto q = find_query(ctx);
    if (!q) return std::move(q).error();
    return json_response(ctx, http::status::ok, query_json(*q), "application/json");
  }

  Response delete_query(RequestContext& ctx) {
    if (auto q = find_query(ctx); !q) return std::move(q).error();
    auto removed = stores_.queries.remove(ctx.param("queryName"));
    if (!removed) return problem(ctx, store_problem(removed.error()));
    if (!*removed)
      return problem(ctx, no_such_resource_exception("no query named " + ctx.param("queryName")));
    if (subscriptions_) subscriptions_->query_deleted(ctx.param("queryName"));
    return epcis_response(ctx, http::status::no_content, "", "");
  }

  Response query_events(RequestContext& ctx) {
    auto q = find_query(ctx);
    if (!q) return std::move(q).error();
    if (ctx.query_value("stream") == "true") {
      if (!subscriptions_)
        return problem(ctx, subscription_controls_exception("streams are not offered"));
      return subscriptions_->open_stream(ctx, *q);  // pushes carry the caller's visibility
    }
    return events(ctx, q->parameters, q->name);
  }

  // The named query of the path, or the 404 / 500 answer (404 too for another party's).
  serialtrack::Result<store::NamedQuery, Response> find_query(RequestContext& ctx) {
    auto q = find_owned_query(stores_.queries, ctx);
    if (!q) return unexpected(problem(ctx, q.error()));
    return std::move(*q);
  }

 private:
  Response limit_problem(RequestContext& ctx, std::string detail) {
    return problem(ctx, capture_limit_exceeded_exception(std::move(detail)));
  }

  void stored(const trace::DocumentCapture& result) {
    metrics_.record_capture(result.outcome.accepted);
    if (subscriptions_ && result.outcome.accepted > 0) subscriptions_->captured();
  }

  EpcisStores stores_;
  Metrics& metrics_;
  EpcisLimits limits_;
  Subscriptions* subscriptions_;
  trace::Detector* detector_;
};

}  // namespace

void add_epcis_routes(Router& router, const EpcisStores& stores, Metrics& metrics,
                      const EpcisLimits& limits, Subscriptions* subscriptions,
                      trace::Detector* detector) {
  auto api = std::make_shared<EpcisApi>(stores, metrics, limits, subscriptions, detector);
  using V = http::verb;
  router.add(V::get, "/", "EPCIS 2.0 top-level resources", member_handler(api, &EpcisApi::root));
  router.add(V::post, "/capture",
             "Capture an EPCISDocument (JSON-LD or XML); 202 with the capture job's Location",
             member_handler(api, &EpcisApi::capture));
  router.add(V::get, "/capture", "List capture jobs, newest first",
             member_handler(api, &EpcisApi::capture_jobs));
  router.add(V::get, "/capture/{captureID}", "A capture job: running, success, errors per event",
             member_handler(api, &EpcisApi::capture_job));
  router.add(V::post, "/events", "Capture one event; 201 with its Location, 409 if it exists",
             member_handler(api, &EpcisApi::capture_event));
  router.add(V::get, "/events", "Query events with the EPCIS query parameters (paged)",
             [api](RequestContext& ctx) { return api->events(ctx, {}, "SimpleEventQuery"); });
  router.add(V::get, "/events/{eventID}", "One event by its eventID",
             member_handler(api, &EpcisApi::event));
  router.add(V::get, "/eventTypes", "The event types", member_handler(api, &EpcisApi::event_types));
  router.add(V::get, "/eventTypes/{eventType}", "An event type's sub-resources",
             member_handler(api, &EpcisApi::event_type));
  router.add(V::get, "/eventTypes/{eventType}/events", "Events of one type (paged)",
             member_handler(api, &EpcisApi::event_type_events));
  for (const auto& top : kTopLevels) {
    std::string path = top.path;
    std::string id = std::string("/{") + top.id_name + "}";
    const TopLevel* t = &top;
    router.add(V::get, path, std::string("The ") + top.id_name + " values captured events use",
               [api, t](RequestContext& ctx) { return api->values(ctx, *t); });
    router.add(V::get, path + id, std::string("A ") + top.id_name + "'s sub-resources",
               [api, t](RequestContext& ctx) { return api->value(ctx, *t); });
    router.add(
        V::get, path + id + "/events",
        std::string("Events with this ") + top.id_name + " (" + top.parameter + ", paged)",
        [api, t](RequestContext& ctx) {
          return api->events(ctx, {{t->parameter, ctx.param(t->id_name)}}, "SimpleEventQuery");
        });
  }
  router.add(V::post, "/queries", "Create a named query {name, query}; 409 if the name exists",
             member_handler(api, &EpcisApi::create_query));
  router.add(V::get, "/queries", "List named queries",
             member_handler(api, &EpcisApi::list_queries));
  router.add(V::get, "/queries/{queryName}", "A named query's definition",
             member_handler(api, &EpcisApi::get_query));
  router.add(V::delete_, "/queries/{queryName}", "Delete a named query",
             member_handler(api, &EpcisApi::delete_query));
  router.add(V::get, "/queries/{queryName}/events",
             "The events a named query matches (paged); stream=true with a WebSocket Upgrade "
             "pushes new ones",
             member_handler(api, &EpcisApi::query_events));
}

}  // namespace serialtrack::server
