// Distinct values of captured events, read from the event store's indexes: events'
// biz_step / disposition / read_point / biz_location columns (each with its partial
// index) and event_ids_index for EPCs (keyed by index_key, so that an EPC captured as a
// URN and as a Digital Link URI is listed once: in the form of its first event).
#include <mutex>

#include "store/event_codec.h"
#include "store/event_vocabulary.h"
#include "store/sqlite_connection.h"

namespace serialtrack::store {
namespace {

const char* column_of(VocabularyKind kind) {
  switch (kind) {
    case VocabularyKind::kBizStep:
      return "biz_step";
    case VocabularyKind::kDisposition:
      return "disposition";
    case VocabularyKind::kReadPoint:
      return "read_point";
    case VocabularyKind::kBizLocation:
      return "biz_location";
    case VocabularyKind::kEpc:
      break;
  }
  return nullptr;
}

// The identifier of event whose index key is key.
std::string identifier_with_key(const epcis::Event& event, const std::string& key) {
  for (const auto* list : {&event.epc_list, &event.input_epc_list, &event.output_epc_list})
    for (const auto& e : *list)
      if (index_key(e) == key) return e;
  if (!event.parent_id.empty() && index_key(event.parent_id) == key) return event.parent_id;
  return key;
}

class SqliteEventVocabulary final : public EventVocabulary {
 public:
  explicit SqliteEventVocabulary(sqlite::Connection db) : db_(std::move(db)) {}

  Result<VocabularyPage> values(VocabularyKind kind, const std::string& after,
                                size_t limit) override {
    std::lock_guard lock(mu_);
    VocabularyPage page;
    const char* column = column_of(kind);
    std::string sql =
        column ? std::string("SELECT DISTINCT ") + column + ", 0 FROM events WHERE " + column +
                     " > ?1 ORDER BY 1 LIMIT ?2"
               : "SELECT id, MIN(seq) FROM event_ids_index WHERE id > ?1 GROUP BY id ORDER BY id "
                 "LIMIT ?2";
    sqlite::Statement s(db_.get(), sql);
    // event_ids_index keys are blobs; the event columns hold text (and blobs sort after text).
    if (column)
      s.bind(1, after);
    else
      s.bind_blob(1, after);
    s.bind(2, static_cast<int64_t>(limit + 1));
    std::vector<std::pair<std::string, int64_t>> rows;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) rows.emplace_back(s.text(0), s.i64(1));
    if (rc != SQLITE_DONE) return unexpected(sqlite::io_error(db_.get(), "listing event values"));
    if (rows.size() > limit) {
      rows.resize(limit);
      page.next_after = rows.back().first;
    }
    for (auto& [value, seq] : rows) {
      if (column) {
        page.values.push_back(std::move(value));
        continue;
      }
      sqlite::Statement body(db_.get(), "SELECT body FROM events WHERE seq = ?");
      body.bind(1, seq);
      std::optional<epcis::Event> event;
      if (body.step() == SQLITE_ROW) event = decode_stored_event(body.text(0));
      page.values.push_back(event ? identifier_with_key(*event, value) : value);
    }
    return page;
  }

 private:
  std::mutex mu_;
  sqlite::Connection db_;
};

}  // namespace

Result<std::unique_ptr<EventVocabulary>> open_sqlite_event_vocabulary(const std::string& path) {
  return sqlite::open_side_table<EventVocabulary, SqliteEventVocabulary>(path, "");
}

}  // namespace serialtrack::store
