// Everything `serialtrack serve` runs, wired together: the stores opened on one
// database file (events, capture jobs, named queries, the event vocabulary, the alert
// book), the detector every capture and verification goes through, the routes, the dispatcher with
// the headers every answer carries, and the server. The stores close when the Application is
// destroyed, after the server has stopped.
//
// Thread-safety: as Server (start once; request_stop from any thread).
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "server/config.h"
#include "server/dispatcher.h"
#include "server/metrics.h"
#include "server/rate_limit.h"
#include "server/router.h"
#include "server/server.h"
#include "server/subscriptions.h"
#include "store/alert_book.h"
#include "store/api_keys.h"
#include "store/audits.h"
#include "store/capture_jobs.h"
#include "store/event_vocabulary.h"
#include "store/named_queries.h"
#include "store/recalls.h"
#include "store/serial_ranges.h"
#include "store/stock.h"
#include "store/store.h"
#include "store/verification_log.h"
#include "store/warranty_records.h"
#include "trace/detection.h"

namespace serialtrack::server {

class Application {
 public:
  // Opens the stores of config.db (events, capture jobs, named queries, API keys, the
  // verification log, warranty records, recalls, stock counts, audits, serial ranges with their key file) and builds the routes behind
  // the access guard (nothing listens yet). Error: a sentence (cannot open the database, bad listen
  // address, no API key exists and config.open is false: the sentence says how to create an admin
  // key).
  static serialtrack::Result<std::unique_ptr<Application>, std::string> open(
      const ServeConfig& config);
  ~Application();

  // Listens and serves; error when the address cannot be bound or the TLS files cannot
  // be used.
  serialtrack::Result<void*, std::string> start();
  Server& server() { return *server_; }
  Router& router() { return router_; }
  Dispatcher& dispatcher() { return *dispatcher_; }
  Metrics& metrics() { return metrics_; }
  store::Store& events() { return *events_; }
  store::ApiKeys& keys() { return *keys_; }
  store::VerificationLog& verification_log() { return *verification_log_; }
  store::AlertBook& alert_book() { return *alert_book_; }
  trace::Detector& detector() { return *detector_; }
  store::SerialRanges& serial_ranges() { return *serial_ranges_; }

  // "http://127.0.0.1:8080" once started ("https://…" with TLS).
  std::string url() const;

 private:
  Application() = default;

  ServeConfig config_;
  std::unique_ptr<store::Store> events_;
  std::unique_ptr<store::CaptureJobs> jobs_;
  std::unique_ptr<store::NamedQueries> queries_;
  std::unique_ptr<store::EventVocabulary> vocabulary_;
  std::unique_ptr<store::ApiKeys> keys_;
  std::unique_ptr<store::VerificationLog> verification_log_;
  std::unique_ptr<store::WarrantyRecords> warranty_;
  std::unique_ptr<store::Recalls> recalls_;
  std::unique_ptr<store::StockCounts> stock_;
  std::unique_ptr<store::Audits> audits_;
  std::unique_ptr<VerificationLimiter> limiter_;
  std::unique_ptr<store::AlertBook> alert_book_;
  std::unique_ptr<trace::Detector> detector_;  // over alert_book_; used by every capture and
                                               // verification route (thread-safe itself)
  std::unique_ptr<Subscriptions> subscriptions_;
  std::unique_ptr<store::SerialRanges> serial_ranges_;
  Metrics metrics_;
  Router router_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<Server> server_;
};

}  // namespace serialtrack::server
