// The EPCIS 2.0 REST binding's routes (§12; the GS1 OpenAPI in
// shared/testdata/epcis/openapi): capture (/capture, capture jobs), events (/events,
// /events/{eventID}), the top-level resources (/eventTypes, /epcs, /bizSteps,
// /bizLocations, /readPoints, /dispositions, each with /{id} and /{id}/events) and
// named queries (/queries...). Each handler parses, calls one library service, and
// renders (epcis_http.h).
#pragma once

#include <cstddef>
#include <string>

#include "epcis/event.h"
#include "server/metrics.h"
#include "server/router.h"
#include "store/capture_jobs.h"
#include "store/event_vocabulary.h"
#include "store/named_queries.h"
#include "store/store.h"
#include "trace/detection.h"

namespace serialtrack::server {

struct EpcisLimits {
  size_t capture_events = 10'000;    // GS1-EPCIS-Capture-Limit
  size_t capture_bytes = 32u << 20;  // GS1-EPCIS-Capture-File-Size-Limit
  size_t default_page = 30;          // perPage when a query gives none (§12.8)
  size_t max_page = 1000;            // the largest perPage
};

// What the routes read and write; all must outlive the routes.
struct EpcisStores {
  store::Store& events;
  store::CaptureJobs& jobs;
  store::NamedQueries& queries;
  store::EventVocabulary& vocabulary;
};

class Subscriptions;

// Adds the routes to router. subscriptions (may be null: no stream=true, no pushes) is
// told of every capture that stored new events and opens the WebSocket streams. detector
// (may be null: plain trace::capture): every capture (POST /capture, POST /events) goes
// through Detector::capture, so the detection rules run in its transaction.
void add_epcis_routes(Router& router, const EpcisStores& stores, Metrics& metrics,
                      const EpcisLimits& limits, Subscriptions* subscriptions = nullptr,
                      trace::Detector* detector = nullptr);

}  // namespace serialtrack::server
