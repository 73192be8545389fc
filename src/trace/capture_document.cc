#include "trace/capture_document.h"

#include <boost/json.hpp>

#include "epcis/event_hash.h"
#include "epcis/json_codec.h"
#include "epcis/xml_codec.h"
#include "trace/capture.h"
#include "trace/detection.h"

namespace serialtrack::trace {
namespace {

namespace json = boost::json;

// The eventList of a JSON EPCIS document (or null for a bare event / no list).
json::array* event_list(json::value& doc) {
  auto* obj = doc.if_object();
  if (!obj) return nullptr;
  auto* body = obj->if_contains("epcisBody");
  if (!body || !body->is_object()) return nullptr;
  auto* list = body->as_object().if_contains("eventList");
  return list ? list->if_array() : nullptr;
}

std::string event_id_at(json::array& list, size_t i) {
  if (i >= list.size() || !list[i].is_object()) return {};
  auto* id = list[i].as_object().if_contains("eventID");
  return id && id->is_string() ? std::string(id->as_string()) : std::string();
}

epcis::Error implementation_error(const store::Error& e) {
  return epcis::Error{epcis::ErrorKind::kImplementation, e.message, e.event_index, {}, 0, 0};
}

// trace::capture, or Detector::capture when options name a detector (its alerts go to
// alerts).
store::Result<store::CaptureOutcome> capture_step(store::Store& store, const epcis::Document& doc,
                                                  const DocumentCaptureOptions& options,
                                                  const store::CaptureOptions& store_options,
                                                  std::vector<int64_t>& alerts) {
  if (!options.detector) return capture(store, doc.events, doc.master_data, store_options);
  auto detected = options.detector->capture(store, doc.events, doc.master_data, store_options);
  if (!detected) return unexpected(std::move(detected).error());
  alerts = std::move(detected->alerts);
  return std::move(detected->outcome);
}

}  // namespace

void record_job(store::CaptureJob& job, const DocumentCapture& capture) {
  job.running = false;
  job.events = static_cast<int64_t>(capture.events);
  job.accepted = static_cast<int64_t>(capture.outcome.accepted);
  job.duplicates = static_cast<int64_t>(capture.outcome.duplicates);
  job.success = capture.rejected.empty();
  job.errors.clear();
  for (const auto& r : capture.rejected)
    job.errors.push_back({r.event_index, r.event_id, r.message});
}

DocumentSyntax sniff_syntax(std::string_view text) {
  size_t p = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return p != std::string_view::npos && text[p] == '<' ? DocumentSyntax::kXml
                                                       : DocumentSyntax::kJsonLd;
}

std::string describe(const epcis::Error& e) {
  std::string s;
  if (!e.field.empty()) s += e.field + ": ";
  s += e.message;
  if (e.line) s += " (line " + std::to_string(e.line) + ")";
  return s;
}

epcis::Result<epcis::Document> decode_capture_document(std::string_view text,
                                                       DocumentSyntax syntax) {
  auto doc = syntax == DocumentSyntax::kXml ? epcis::decode_xml(text) : epcis::decode_json(text);
  if (!doc) return doc;
  // CBV 2.0 §8.9: an event captured without an eventID is identified by its hash.
  epcis::HashContext hash{syntax == DocumentSyntax::kXml ? epcis::HashContext::Syntax::kXml
                                                         : epcis::HashContext::Syntax::kJsonLd,
                          doc->namespaces,
                          {}};
  for (auto& ev : doc->events)
    if (ev.event_id.empty()) ev.event_id = epcis::event_hash_id(ev, hash);
  return doc;
}

epcis::Result<DocumentCapture> capture_document(store::Store& store, std::string_view text,
                                                DocumentSyntax syntax,
                                                CaptureErrorBehaviour behaviour,
                                                size_t max_events) {
  DocumentCaptureOptions options;
  options.max_events = max_events;
  return capture_document(store, text, syntax, behaviour, options);
}

epcis::Result<DocumentCapture> capture_document(store::Store& store, std::string_view text,
                                                DocumentSyntax syntax,
                                                CaptureErrorBehaviour behaviour,
                                                const DocumentCaptureOptions& options) {
  const size_t max_events = options.max_events;
  DocumentCapture result;
  bool proceed = behaviour == CaptureErrorBehaviour::kProceed;
  auto doc = decode_capture_document(text, syntax);
  if (!doc && doc.error().kind == epcis::ErrorKind::kUnsupportedFormat)
    return unexpected(doc.error());

  // original[i]: the index in the received eventList of the i-th event still in play.
  std::vector<long> original;
  if (!doc) {
    const epcis::Error& first = doc.error();
    json::value parsed;
    json::array* list = nullptr;
    if (syntax == DocumentSyntax::kJsonLd) {
      boost::system::error_code ec;
      parsed = json::parse(text, ec);
      if (!ec) list = event_list(parsed);
    }
    result.events = list ? list->size() : 0;
    if (max_events > 0 && result.events > max_events) {
      result.over_limit = true;
      return result;
    }
    if (!proceed || !list || first.event_index < 0) {
      std::string id = list ? event_id_at(*list, static_cast<size_t>(first.event_index)) : "";
      result.rejected.push_back({first.event_index, id, describe(first)});
      return result;
    }
    // Proceed: drop each invalid event from the document and decode the rest again.
    for (size_t i = 0; i < list->size(); ++i) original.push_back(static_cast<long>(i));
    epcis::Error error = first;
    while (true) {
      auto at = static_cast<size_t>(error.event_index);
      if (error.event_index < 0 || at >= original.size()) {
        result.rejected.push_back({error.event_index, "", describe(error)});
        return result;
      }
      result.rejected.push_back({original[at], event_id_at(*list, at), describe(error)});
      list->erase(list->begin() + static_cast<std::ptrdiff_t>(at));
      original.erase(original.begin() + static_cast<std::ptrdiff_t>(at));
      doc = decode_capture_document(json::serialize(parsed), syntax);
      if (doc) break;
      error = doc.error();
    }
  } else {
    result.events = doc->events.size();
    if (max_events > 0 && result.events > max_events) {
      result.over_limit = true;
      return result;
    }
    for (size_t i = 0; i < doc->events.size(); ++i) original.push_back(static_cast<long>(i));
  }
  if (!proceed && !result.rejected.empty()) return result;
  if (options.refuse)
    for (const auto& event : doc->events)
      if (auto reason = options.refuse(event)) {
        result.refused = std::move(reason);
        return result;
      }

  while (true) {
    std::vector<int64_t> alerts;
    // The job as it would stand after this attempt (the store adds its counts).
    store::CaptureJob job;
    store::CaptureOptions store_options = options.store;
    if (options.job) {
      job = *options.job;
      record_job(job, result);
      store_options.job = &job;
    }
    auto stored = capture_step(store, *doc, options, store_options, alerts);
    if (stored) {
      if (options.job) *options.job = std::move(job);
      result.outcome = std::move(*stored);
      result.alerts = std::move(alerts);
      result.stored = std::move(doc->events);
      return result;
    }
    const store::Error& e = stored.error();
    auto at = static_cast<size_t>(e.event_index);
    if (e.kind != store::Error::Kind::kInvalidEvent || e.event_index < 0 ||
        at >= doc->events.size())
      return unexpected(implementation_error(e));
    result.rejected.push_back({original[at], doc->events[at].event_id, e.message});
    if (!proceed) return result;
    doc->events.erase(doc->events.begin() + static_cast<std::ptrdiff_t>(at));
    original.erase(original.begin() + static_cast<std::ptrdiff_t>(at));
    if (doc->events.empty()) return result;
  }
}

}  // namespace serialtrack::trace
