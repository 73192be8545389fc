// Where a simulation goes. The simulator produces; a Sink consumes: the CLI writes
// EPCIS JSON files, captures into a store through trace::capture, or (later) posts to
// a server; tests collect. The simulator never does I/O itself.
//
// Order: calls arrive in the simulation's order, lot after lot. Events are batched into
// documents, so a verification arrives after the document holding the events emitted
// before it — possibly with events that happened after it: compare times, not arrival
// order. A lot's item truths arrive before any of its events; its labels after them.
// Not required to be thread-safe: the simulator calls it from one thread.
#pragma once

#include <optional>
#include <string>

#include "epcis/event.h"
#include "sim/records.h"

namespace serialtrack::sim {

// A sink's refusal (a write that failed): the simulation stops and reports it.
struct SinkError {
  std::string message;
};

class Sink {
 public:
  virtual ~Sink() = default;
  // An EPCIS document: up to Config::events_per_document events, with the master data
  // of every location and product they name in its header. nullopt to go on.
  virtual std::optional<SinkError> document(const epcis::Document& doc) = 0;
  // A verification request.
  virtual std::optional<SinkError> verification(const Verification& v) = 0;
  // The label of one injected anomaly.
  virtual std::optional<SinkError> label(const AnomalyLabel& label) = 0;
  // The ground truth of one item; ignored unless a sink wants it.
  virtual std::optional<SinkError> truth(const ItemTruth&) { return std::nullopt; }
};

}  // namespace serialtrack::sim
