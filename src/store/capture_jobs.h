// Capture jobs (EPCIS 2.0 §12.4, the REST binding's CaptureJob resource): what became
// of each document POSTed to /capture — running or finished, success, how many events
// were stored, and the error of every event that was not. Kept in the store's file in
// its own table (capture_jobs), on its own connection.
//
// Thread-safety: a CaptureJobs is safe for concurrent use from many threads without
// external synchronisation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace serialtrack::store {

// One event of a capture that was not stored, and why.
struct CaptureJobError {
  long event_index = -1;  // index in the document's eventList; -1 for the document
  std::string event_id;   // when known
  std::string message;
};

struct CaptureJob {
  std::string id;        // the captureID (opaque, URL-safe)
  int64_t created = 0;   // unix millis
  int64_t finished = 0;  // unix millis; 0 while running
  bool running = true;
  bool success = true;          // false once any event failed
  std::string error_behaviour;  // "rollback" or "proceed" (GS1-Capture-Error-Behaviour)
  int64_t events = 0;           // events in the document
  int64_t accepted = 0;         // newly stored
  int64_t duplicates = 0;       // already stored (idempotent capture)
  std::vector<CaptureJobError> errors;
};

class CaptureJobs {
 public:
  virtual ~CaptureJobs() = default;
  // Stores a new job (its id must be new). Error kInvalidEvent when the id is taken.
  virtual Result<void*> create(const CaptureJob& job) = 0;
  // Replaces the stored state of job.id (running, success, counts, errors, finished).
  // Returns false when no such job exists.
  virtual Result<bool> update(const CaptureJob& job) = 0;
  // The job with this id; nullopt when none.
  virtual Result<std::optional<CaptureJob>> job(const std::string& id) = 0;
  // The newest jobs, newest first, at most limit, each with its errors.
  virtual Result<std::vector<CaptureJob>> jobs(size_t limit) = 0;
};

// Opens (creating) the capture_jobs table in the SQLite database at path.
Result<std::unique_ptr<CaptureJobs>> open_sqlite_capture_jobs(const std::string& path);

}  // namespace serialtrack::store
