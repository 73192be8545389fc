// The values captured events use, listed for the EPCIS 2.0 REST binding's top-level
// resources (§12.7: /epcs, /bizSteps, /bizLocations, /readPoints, /dispositions): each
// distinct value once, in a stable order, page by page. Reads the event store's tables
// (and their indexes) on its own connection to the same file.
//
// Thread-safety: an EventVocabulary is safe for concurrent use from many threads without
// external synchronisation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace serialtrack::store {

enum class VocabularyKind : uint8_t { kEpc, kBizStep, kBizLocation, kReadPoint, kDisposition };

struct VocabularyPage {
  std::vector<std::string> values;  // bizSteps/dispositions as CBV URIs; EPCs as first captured
  std::optional<std::string> next_after;  // opaque cursor for the next page, when there is one
};

class EventVocabulary {
 public:
  virtual ~EventVocabulary() = default;
  // Up to limit distinct values of kind that captured events use, after the cursor
  // (empty: from the start). An EPC is any identifier in epcList, parentID, childEPCs,
  // inputEPCList or outputEPCList, listed once whatever forms it was captured in.
  virtual Result<VocabularyPage> values(VocabularyKind kind, const std::string& after,
                                        size_t limit) = 0;
};

// Opens the event store's database at path for listing (it must exist: open_sqlite first).
Result<std::unique_ptr<EventVocabulary>> open_sqlite_event_vocabulary(const std::string& path);

}  // namespace serialtrack::store
