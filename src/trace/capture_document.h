// Capturing a whole EPCIS document as received (a file, stdin, or an HTTP body): decode
// it (JSON-LD or XML), name the events that carry no eventID by their CBV 2.0 §8.9 hash,
// store them with their effects (capture.h), and report what became of each event.
// The GS1-Capture-Error-Behaviour of EPCIS 2.0 §12.4 decides what an invalid event
// does: rollback (nothing of the document is stored) or proceed (the valid events are
// stored, the invalid ones reported). Shared by the CLI and HTTP; the server captures
// through detection (DocumentCaptureOptions::detector). Thread-safe as the Store is.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "epcis/error.h"
#include "epcis/event.h"
#include "store/capture_jobs.h"
#include "store/store.h"

namespace serialtrack::trace {

class Detector;

enum class DocumentSyntax : uint8_t { kJsonLd, kXml };

// JSON(-LD) or XML, told apart by the first non-blank character ('<' is XML).
DocumentSyntax sniff_syntax(std::string_view text);

// "field: message (line L)" — an epcis::Error for a person, without its event index.
std::string describe(const epcis::Error& error);

// Decodes a document and gives every event without an eventID its hash ID (custom
// CURIE values expand differently in JSON-LD and XML: the syntax decides). Errors as
// epcis::decode_json / decode_xml.
epcis::Result<epcis::Document> decode_capture_document(std::string_view text,
                                                       DocumentSyntax syntax);

enum class CaptureErrorBehaviour : uint8_t {
  kRollback,  // "rollback" (the default): one invalid event rejects the whole document
  kProceed,   // "proceed": store the valid events, report the invalid ones
};

// An event of the document that was not stored.
struct EventRejection {
  long event_index = -1;  // in the document's eventList; -1: the document itself
  std::string event_id;   // when the event gave one
  std::string message;    // as describe() writes it
};

struct DocumentCapture {
  size_t events = 0;              // events in the document (valid or not); 0 if undecodable
  store::CaptureOutcome outcome;  // what the store did (empty when nothing was stored)
  std::vector<EventRejection> rejected;
  std::vector<epcis::Event> stored;  // the events passed to the store, with their eventIDs
  bool over_limit = false;           // more than max_events: nothing was stored
  // Set when DocumentCaptureOptions::refuse refused an event: nothing was stored.
  std::optional<std::string> refused;
  std::vector<int64_t> alerts;  // ids in the alert book, when captured through a detector
};

struct DocumentCaptureOptions {
  size_t max_events = 0;        // 0: no limit
  store::CaptureOptions store;  // the capturing party, recorded with each event
  // Asked of every valid event before anything is stored: a reason refuses the whole
  // document (access control: an identifier the caller may not capture). May be empty.
  std::function<std::optional<std::string>(const epcis::Event&)> refuse;
  // When given (it must outlive the call): the events are captured through
  // Detector::capture, so the detection rules run in the capture's transaction and
  // their alerts are in DocumentCapture::alerts.
  Detector* detector = nullptr;
  // When given (it must outlive the call): the capture job of this document (id,
  // created, error behaviour), stored in the capture's transaction with what
  // record_job says of the capture, and left as stored
  // (DocumentCapture::outcome.job_stored). Nothing is stored, and the job is left as it
  // was, when nothing was captured.
  store::CaptureJob* job = nullptr;
};

// What a capture job says of a document's capture: the event count, accepted,
// duplicates, the rejections, success, no longer running (finished is the caller's).
void record_job(store::CaptureJob& job, const DocumentCapture& capture);

// Decodes and captures text. A document that is not JSON or XML at all is an error
// (epcis kUnsupportedFormat); so is a store failure (kImplementation). Otherwise the
// result says what was stored and what was rejected: under kRollback, a rejection
// means nothing was stored; under kProceed (JSON-LD documents only: an invalid event of
// an XML document rejects the document), the valid events were stored. A document of
// more than max_events events (when max_events > 0) stores nothing and sets over_limit.
epcis::Result<DocumentCapture> capture_document(store::Store& store, std::string_view text,
                                                DocumentSyntax syntax,
                                                CaptureErrorBehaviour behaviour,
                                                size_t max_events = 0);
// As above, with the capturing party and a refusal check (DocumentCaptureOptions).
epcis::Result<DocumentCapture> capture_document(store::Store& store, std::string_view text,
                                                DocumentSyntax syntax,
                                                CaptureErrorBehaviour behaviour,
                                                const DocumentCaptureOptions& options);

}  // namespace serialtrack::trace
