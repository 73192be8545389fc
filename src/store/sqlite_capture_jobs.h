// Capture job rows written on a given connection: by SqliteCaptureJobs, and by the event
// store inside a capture's transaction (CaptureOptions::job), so that a POST /capture
// commits its events and its job at once. Internal to store/.
#pragma once

#include <sqlite3.h>

#include "store/capture_jobs.h"

namespace serialtrack::store {

// CREATE TABLE IF NOT EXISTS of capture_jobs and capture_job_errors; false on an error.
bool create_capture_job_tables(sqlite3* db);

// Inserts job and its errors (in the connection's open transaction, if any). Error
// kInvalidEvent when the id is taken, kIo otherwise.
Result<void*> insert_capture_job(sqlite3* db, const CaptureJob& job);

}  // namespace serialtrack::store
