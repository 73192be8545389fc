// The verification log: every pack verification and pack operation, appended as it is
// answered (who asked, where, when, what the answer was), and read back per item,
// latest first. Clone detection reads it: the same pack verified at two places far
// apart within minutes is a copy (EU FMD, Delegated Regulation (EU) 2016/161 Art. 35(1)(g):
// the repositories keep a record of all operations on a unique identifier).
//
// In SQLite it lives in the event store's file, on a connection of its own, in its own
// table (verification_log) with its own schema version (verification_meta).
//
// Durability: records are group-committed by a writer thread of the log, at most
// VerificationLogOptions::max_commit_delay after they were appended (10 ms by default),
// so a verification is answered without waiting for an fsync. A power loss can lose the
// records of the last max_commit_delay; a clean close (the destructor) and flush() lose
// none. With max_commit_delay zero, append returns only once its record is committed.
//
// Thread-safety: a VerificationLog is safe for concurrent use from many threads without
// external synchronisation.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "store/store.h"

namespace serialtrack::store {

// One verification or operation as answered.
struct VerificationRecord {
  int64_t time_unix_nanos = 0;  // when it was answered
  std::string item;             // the pack's canonical key (Digital Link URI)
  std::string client;           // the asking client (API key id, program name...)
  std::string party;            // the asking party (GLN / PGLN URI); "" when anonymous
  std::string location;         // where it was asked (SGLN URI); "" when not given
  std::string action;           // "verify", or the operation ("supply", "undo"...)
  std::string status;           // the answer's pack status ("ACTIVE", "UNKNOWN"...)
  std::string alert;            // the answer's alert code ("A2"...); "" when none
  bool operator==(const VerificationRecord&) const = default;
};

class VerificationLog {
 public:
  virtual ~VerificationLog() = default;

  // Appends one record, committed within the log's commit delay (see Durability above).
  // Returns its sequence number: unique in the file, increasing in one process's appends
  // (1, 2, ... when one process writes at a time). Error kIo when the database cannot be
  // written (a commit failed and has not yet succeeded on retry): the record is not kept.
  virtual Result<int64_t> append(const VerificationRecord& record) = 0;

  // The records of one item (its canonical key), latest (time) first, at most limit,
  // including those appended but not yet committed. An item never verified has none
  // (an empty list, not an error).
  virtual Result<std::vector<VerificationRecord>> of_item(const std::string& item,
                                                          size_t limit = 100) = 0;

  // Returns once every record appended before the call is committed; error kIo when
  // the commit failed (the records stay queued and their commit is retried).
  virtual Result<bool> flush() = 0;
};

struct VerificationLogOptions {
  // The longest an appended record waits for its commit; zero: append waits for it.
  std::chrono::milliseconds max_commit_delay{10};
};

// Opens (creating when absent) the verification log in the SQLite database at path,
// the event store's file, and starts its writer thread. The caller owns it; destroying
// it commits what is queued. Error kIo when the file cannot be opened, kCorrupt when
// its verification schema is newer than this program's.
Result<std::unique_ptr<VerificationLog>> open_sqlite_verification_log(
    const std::string& path, const VerificationLogOptions& options = {});

}  // namespace serialtrack::store
