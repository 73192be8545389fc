// Recalls kept in the store (issue 6): each recall's definition (opaque to the store:
// trace/recall.h decides its form) with an id and creation time, and its members, the
// items found to match it or to be made from one. On a second connection to the event
// store's file, in tables prefixed recall_.
//
// Thread-safety: a Recalls is safe for concurrent use from many threads without
// external synchronisation; writes are serialised by the database (BEGIN IMMEDIATE).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace serialtrack::store {

struct RecallRecord {
  int64_t id = 0;
  int64_t created = 0;     // unix nanos
  std::string definition;  // as given to create
};

// An item a recall affects, and why.
struct RecallMember {
  std::string id;    // the item's identifier, canonical (epcis::canonical_key)
  std::string role;  // "matched" or "derived"
  std::string via;   // for derived: the item it was made from
  bool operator==(const RecallMember&) const = default;
};

class Recalls {
 public:
  virtual ~Recalls() = default;

  // Stores a new recall; returns it with its id (1, 2, ...).
  virtual Result<RecallRecord> create(const std::string& definition, int64_t created) = 0;

  // The recall with this id; nullopt when there is none.
  virtual Result<std::optional<RecallRecord>> get(int64_t id) = 0;

  // Every recall, by id.
  virtual Result<std::vector<RecallRecord>> list() = 0;

  // Adds members to a recall (one transaction); members already there are kept as they
  // are. Returns how many were new.
  virtual Result<size_t> add_members(int64_t recall_id,
                                     const std::vector<RecallMember>& members) = 0;

  // A recall's members, in the order they were added.
  virtual Result<std::vector<RecallMember>> members(int64_t recall_id) = 0;
};

// Opens (creating its tables when absent) the recalls of the database at path.
Result<std::unique_ptr<Recalls>> open_sqlite_recalls(const std::string& path);

}  // namespace serialtrack::store
