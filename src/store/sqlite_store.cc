// The embedded store: one SQLite file in WAL mode, synchronous commits, schema
// versioned by PRAGMA user_version with forward migrations. Events are stored once
// (their encoded body) with the columns the EPCIS queries filter on, plus index tables
// filled in the capture's transaction: identifiers by role (MATCH_), exact terms
// (persistent dispositions, typed references, classes, error and sensor terms), numbers
// (quantities, error declaration times, sensor values) and extension/ILMD fields; master
// data gives the location hierarchy WD_ follows. Every query is answered through an index.
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <variant>

#include "epcis/time.h"
#include "store/event_codec.h"
#include "store/sqlite_capture_jobs.h"
#include "store/sqlite_readers.h"
#include "store/sqlite_wal.h"
#include "store/store.h"

namespace serialtrack::store {
namespace {

// Before SQLite's first use (static initialisation, one thread): no global memory
// statistics, which take a process-wide mutex for every allocation of every connection.
[[maybe_unused]] const bool kSqliteConfigured =
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;

// Roles of an identifier in an event (EPCIS 2.0 §8.2.7.1 MATCH_ parameters).
enum Role : int { kEpc = 0, kParent = 1, kInput = 2, kOutput = 3 };

// Schema migrations: entry i brings user_version i to i + 1.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE events(
      seq               INTEGER PRIMARY KEY,
      event_id          TEXT    NOT NULL UNIQUE,
      type              INTEGER NOT NULL,
      event_time        INTEGER NOT NULL,
      record_time       INTEGER NOT NULL,
      action            INTEGER NOT NULL,
      biz_step          TEXT,
      disposition       TEXT,
      read_point        TEXT,
      biz_location      TEXT,
      transformation_id TEXT,
      error_declared    INTEGER NOT NULL,
      body              BLOB    NOT NULL);
    CREATE INDEX events_by_time         ON events(event_time);
    CREATE INDEX events_by_record_time  ON events(record_time);
    CREATE INDEX events_by_biz_step     ON events(biz_step)     WHERE biz_step IS NOT NULL;
    CREATE INDEX events_by_disposition  ON events(disposition)  WHERE disposition IS NOT NULL;
    CREATE INDEX events_by_read_point   ON events(read_point)   WHERE read_point IS NOT NULL;
    CREATE INDEX events_by_biz_location ON events(biz_location) WHERE biz_location IS NOT NULL;
    CREATE INDEX events_by_transformation ON events(transformation_id)
      WHERE transformation_id IS NOT NULL;
    CREATE TABLE event_ids_index(
      id   TEXT    NOT NULL,
      role INTEGER NOT NULL,
      seq  INTEGER NOT NULL,
      PRIMARY KEY (id, role, seq)) WITHOUT ROWID;
    )sql",
    R"sql(
    CREATE TABLE items(
      key    BLOB PRIMARY KEY,
      id     TEXT NOT NULL,
      parent BLOB,
      record BLOB NOT NULL) WITHOUT ROWID;
    CREATE INDEX items_by_parent ON items(parent) WHERE parent IS NOT NULL;
    CREATE TABLE alerts(
      seq      INTEGER PRIMARY KEY,
      kind     TEXT NOT NULL,
      item_key BLOB NOT NULL,
      item     TEXT NOT NULL,
      event_id TEXT NOT NULL,
      reason   TEXT NOT NULL);
    CREATE INDEX alerts_by_item ON alerts(item_key);
    )sql",
    // The rest of the EPCIS 2.0 §8.2.7.1 query language on indexes. Existing events get
    // their index rows from backfill_query_indexes in the same transaction.
    R"sql(
    -- eventType and EQ_action on one index: EQ_action alone names every type.
    CREATE INDEX events_by_type_action ON events(type, action);
    CREATE INDEX events_with_error_declaration ON events(error_declared) WHERE error_declared = 1;
    CREATE TABLE event_terms(
      kind INTEGER NOT NULL,
      term BLOB    NOT NULL,
      seq  INTEGER NOT NULL,
      PRIMARY KEY (kind, term, seq)) WITHOUT ROWID;
    CREATE TABLE event_numbers(
      kind      INTEGER NOT NULL,
      qualifier TEXT    NOT NULL,
      value             NOT NULL,
      seq       INTEGER NOT NULL,
      PRIMARY KEY (kind, qualifier, value, seq)) WITHOUT ROWID;
    CREATE TABLE event_fields(
      scope INTEGER NOT NULL,
      path  TEXT    NOT NULL,
      value TEXT    NOT NULL,
      seq   INTEGER NOT NULL,
      PRIMARY KEY (scope, path, value, seq)) WITHOUT ROWID;
    CREATE TABLE field_prefixes(
      prefix TEXT NOT NULL,
      ns     TEXT NOT NULL,
      PRIMARY KEY (prefix, ns)) WITHOUT ROWID;
    CREATE TABLE vocabulary(
      type       TEXT NOT NULL,
      id         TEXT NOT NULL,
      attributes BLOB NOT NULL,
      PRIMARY KEY (type, id)) WITHOUT ROWID;
    CREATE TABLE locations(
      parent TEXT NOT NULL,
      child  TEXT NOT NULL,
      PRIMARY KEY (parent, child)) WITHOUT ROWID;
    )sql",
    // 4: master data looked up by id alone (human-readable names in item reports).
    R"sql(
    CREATE INDEX vocabulary_by_id ON vocabulary(id);
    )sql",
    // 5: access control: the capturing party of each event; who may see an event is
    // indexed in event_terms (kVisibleTo), existing events by backfill_visibility.
    R"sql(
    ALTER TABLE events ADD COLUMN captured_by TEXT;
    )sql",
    // 6: inventory (stock.h): each item's facets in an indexed per-item table, and stock
    // counts per facet combination kept by triggers in the writing transaction, so that
    // counting stock reads a few rows whatever the number of items. IF NOT EXISTS: a file
    // taken back to an older version by hand keeps these tables.
    R"sql(
    CREATE TABLE IF NOT EXISTS item_stock(
      key         BLOB    PRIMARY KEY,
      id          TEXT    NOT NULL,
      stock       INTEGER NOT NULL,
      gtin        TEXT    NOT NULL,
      lot         TEXT    NOT NULL,
      location    TEXT    NOT NULL,
      custodian   TEXT    NOT NULL,
      disposition TEXT    NOT NULL,
      expiry      TEXT    NOT NULL,
      last_time   INTEGER NOT NULL) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS item_stock_by_last_time ON item_stock(last_time) WHERE stock = 1;
    CREATE INDEX IF NOT EXISTS item_stock_by_expiry ON item_stock(expiry)
      WHERE stock = 1 AND expiry <> '';
    CREATE TABLE IF NOT EXISTS stock_counts(
      gtin        TEXT    NOT NULL,
      lot         TEXT    NOT NULL,
      location    TEXT    NOT NULL,
      custodian   TEXT    NOT NULL,
      disposition TEXT    NOT NULL,
      n           INTEGER NOT NULL,
      PRIMARY KEY (gtin, lot, location, custodian, disposition)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS stock_counts_by_location ON stock_counts(location);
    CREATE TRIGGER IF NOT EXISTS item_stock_insert AFTER INSERT ON item_stock
      WHEN new.stock = 1 BEGIN
      INSERT INTO stock_counts VALUES
        (new.gtin, new.lot, new.location, new.custodian, new.disposition, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER IF NOT EXISTS item_stock_delete AFTER DELETE ON item_stock
      WHEN old.stock = 1 BEGIN
      UPDATE stock_counts SET n = n - 1 WHERE gtin = old.gtin AND lot = old.lot AND
        location = old.location AND custodian = old.custodian AND disposition = old.disposition;
    END;
    CREATE TRIGGER IF NOT EXISTS item_stock_update
      AFTER UPDATE OF stock, gtin, lot, location, custodian, disposition ON item_stock
      WHEN old.stock <> new.stock OR old.gtin <> new.gtin OR old.lot <> new.lot OR
           old.location <> new.location OR old.custodian <> new.custodian OR
           old.disposition <> new.disposition BEGIN
      UPDATE stock_counts SET n = n - 1 WHERE old.stock = 1 AND gtin = old.gtin AND
        lot = old.lot AND location = old.location AND custodian = old.custodian AND
        disposition = old.disposition;
      INSERT INTO stock_counts
        SELECT new.gtin, new.lot, new.location, new.custodian, new.disposition, 1
        WHERE new.stock = 1
        ON CONFLICT DO UPDATE SET n = n + 1;
    END;
    -- An item whose record goes (an error declaration's rebuild) leaves stock with it.
    CREATE TRIGGER IF NOT EXISTS items_delete_stock AFTER DELETE ON items BEGIN
      DELETE FROM item_stock WHERE key = old.key;
    END;
    )sql",
    // 7: a capture moves the stock counts once per facet combination before it commits
    // (SqliteItemTable), not a trigger per item write; deletions keep their trigger. IF
    // NOT EXISTS as in 6.
    R"sql(
    DROP TRIGGER IF EXISTS item_stock_insert;
    DROP TRIGGER IF EXISTS item_stock_update;
    -- Items of a GTIN and lot by index (a recall of a lot reads only its items), exact
    -- while every item record has its facets: store_flags says when one has none (an
    -- item stored before version 6, or written without facets).
    CREATE INDEX IF NOT EXISTS item_stock_by_lot ON item_stock(gtin, lot);
    CREATE TABLE IF NOT EXISTS store_flags(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    INSERT OR REPLACE INTO store_flags
      SELECT 'items_without_facets', 1 WHERE EXISTS
        (SELECT 1 FROM items i WHERE NOT EXISTS (SELECT 1 FROM item_stock s WHERE s.key = i.key));
    )sql",
    // 8: an item's stock facets move into its items row (merge_item_stock): a capture
    // then reads and writes one row per item and event, not two.
    "-- merge_item_stock",
};
constexpr int kQueryIndexesVersion = 3;  // the version migration 3 brings
constexpr int kVisibilityVersion = 5;    // the version migration 5 brings
constexpr int kItemRowVersion = 8;       // the version migration 8 brings

// event_terms.kind: exact-match terms of an event (EPCIS 2.0 §8.2.7.1).
enum TermKind : int {
  kPersistentSet = 1,  // EQ_persistentDisposition_set
  kPersistentUnset,    // EQ_persistentDisposition_unset
  kBizTransaction,     // EQ_bizTransaction_<type>: type \x1f index_key(value)
  kSource,             // EQ_source_<type>
  kDestination,        // EQ_destination_<type>
  kErrorReason,        // EQ_errorReason
  kCorrectiveEventId,  // EQ_correctiveEventID
  kEpcClass,           // MATCH_epcClass: class_key of quantityList / childQuantityList
  kInputEpcClass,      // MATCH_inputEPCClass
  kOutputEpcClass,     // MATCH_outputEPCClass
  kSensorType,         // EQ_type
  kDeviceId,           // EQ_deviceID (metadata or report)
  kHasSensors,         // EXISTS_sensorElementList (empty term)
  kSensorAttribute,    // EQ_dataProcessingMethod...: attribute \x1f value
  kVisibleTo,          // EventQuery::visible_to_party: the capturer's and named parties' GLNs
};

// event_numbers.kind: numeric values, compared by range.
enum NumberKind : int {
  kQuantity = 1,          // EQ_/GT_/GE_/LT_/LE_quantity
  kErrorDeclarationTime,  // GE_/LT_errorDeclarationTime (unix nanos, qualifier "")
  kSensorNumber,          // EQ_/GT_/.._value_<uom>...: qualifier attribute \x1f uom
  kSensorTime,            // GE_/LT_time, startTime, endTime: qualifier the attribute
  kFieldValue,            // GT_/.._<field>: qualifier scope \x1f path; a number or time
};

// The value of an extension field or a query bound as a number (EPCIS 2.0 §8.2.7.1
// GT_fieldname on Int/Float) or a time in unix nanos (on Time; an xsd:date is its
// midnight UTC); nullopt for anything else.
std::optional<std::variant<double, int64_t>> field_value(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (end == text.c_str() + text.size() && std::isfinite(d)) return d;
  auto t = epcis::parse_timestamp(text);
  if (!t && text.size() == 10 && text[4] == '-' && text[7] == '-')
    t = epcis::parse_timestamp(text + "T00:00:00Z");
  if (t) return t->unix_nanos;
  return std::nullopt;
}

int64_t now_nanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Error io_error(sqlite3* db, const std::string& what) {
  return Error{Error::Kind::kIo, what + ": " + (db ? sqlite3_errmsg(db) : "no database"), -1};
}

// A prepared statement, finalised on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) {
    rc_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &s_, nullptr);
  }
  ~Statement() { sqlite3_finalize(s_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return s_; }
  void bind(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }
  void bind(int i, const std::string& v) {
    if (v.empty())
      sqlite3_bind_null(s_, i);
    else
      sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind_text(int i, const std::string& v) {  // never NULL, even when empty
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind_blob(int i, const std::string& v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  int step() { return sqlite3_step(s_); }
  void reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

// Prepared statements of one connection, kept for its life: compiling the 256-row INSERT
// of the identifier index was about a tenth of each bulk capture.
class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}
  // The statement of sql, or nullptr when it does not compile (not kept).
  Statement* get(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      auto s = std::make_unique<Statement>(db_, sql);
      if (!s->ok()) return nullptr;
      it = cache_.emplace(sql, std::move(s)).first;
    }
    return it->second.get();
  }

 private:
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

bool is_location_vocabulary(const std::string& type) {
  // EPCIS 2.0 §7.5: BusinessLocation and ReadPoint vocabularies carry the hierarchy.
  return type.find("Location") != std::string::npos || type.find("ReadPoint") != std::string::npos;
}

// The index rows of the events of one capture (or one backfill batch), inserted in key
// order at its end: sorted inserts touch each B-tree page once.
struct IndexRows {
  using Scope = EventQuery::FieldFilter::Scope;
  static int scope(Scope s) { return static_cast<int>(s); }
  // event_ids_index rows: keys back to back in id_keys, rows of plain numbers, so that
  // sorting moves no strings (it was 30% of a bulk capture's instructions).
  struct IdRow {
    uint32_t offset, size;
    int role;
    int64_t seq;
  };
  std::string id_keys;
  std::vector<IdRow> ids;
  std::string_view key_of(const IdRow& r) const { return {id_keys.data() + r.offset, r.size}; }
  void add_id(const std::string& id, int role, int64_t seq) {
    size_t offset = id_keys.size();
    append_index_key(id, id_keys);
    ids.push_back(
        {static_cast<uint32_t>(offset), static_cast<uint32_t>(id_keys.size() - offset), role, seq});
  }
  void sort_ids() {
    std::sort(ids.begin(), ids.end(), [this](const IdRow& a, const IdRow& b) {
      if (int c = key_of(a).compare(key_of(b))) return c < 0;
      return std::tie(a.role, a.seq) < std::tie(b.role, b.seq);
    });
  }
  std::vector<std::tuple<int, std::string, int64_t>> terms;  // event_terms
  // event_numbers: kind, qualifier, value (a number, or a time in unix nanos), seq.
  std::vector<std::tuple<int, std::string, std::variant<double, int64_t>, int64_t>> numbers;
  std::vector<std::tuple<int, std::string, std::string, int64_t>> fields;  // event_fields
  std::set<std::pair<std::string, std::string>> prefixes;                  // prefix, ns

  void add(const epcis::Event& ev, int64_t seq, const std::string& captured_by = "") {
    visibility(ev, seq, captured_by);
    for (const auto& e : ev.epc_list) add_id(e, kEpc, seq);
    if (!ev.parent_id.empty()) add_id(ev.parent_id, kParent, seq);
    for (const auto& e : ev.input_epc_list) add_id(e, kInput, seq);
    for (const auto& e : ev.output_epc_list) add_id(e, kOutput, seq);
    for (const auto& d : ev.persistent_disposition.set) terms.emplace_back(kPersistentSet, d, seq);
    for (const auto& d : ev.persistent_disposition.unset)
      terms.emplace_back(kPersistentUnset, d, seq);
    typed(kBizTransaction, ev.biz_transactions, seq);
    typed(kSource, ev.sources, seq);
    typed(kDestination, ev.destinations, seq);
    quantities(kEpcClass, ev.quantity_list, seq);
    quantities(kInputEpcClass, ev.input_quantity_list, seq);
    quantities(kOutputEpcClass, ev.output_quantity_list, seq);
    if (ev.error_declaration) {
      const auto& d = *ev.error_declaration;
      if (!d.reason.empty()) terms.emplace_back(kErrorReason, d.reason, seq);
      for (const auto& id : d.corrective_event_ids) terms.emplace_back(kCorrectiveEventId, id, seq);
      numbers.emplace_back(kErrorDeclarationTime, "", d.declaration_time.unix_nanos, seq);
      extensions(scope(Scope::kErrorDeclaration), d.extensions, true, seq);
    }
    if (!ev.sensor_elements.empty()) terms.emplace_back(kHasSensors, "", seq);
    for (const auto& se : ev.sensor_elements) {
      if (se.metadata) {
        const auto& m = *se.metadata;
        if (!m.device_id.empty()) terms.emplace_back(kDeviceId, index_key(m.device_id), seq);
        sensor_time("time", m.time, seq);
        sensor_time("startTime", m.start_time, seq);
        sensor_time("endTime", m.end_time, seq);
        sensor_text("dataProcessingMethod", m.data_processing_method, seq);
        sensor_text("bizRules", m.biz_rules, seq);
      }
      for (const auto& r : se.reports) {
        if (!r.type.empty()) terms.emplace_back(kSensorType, r.type, seq);
        if (!r.device_id.empty()) terms.emplace_back(kDeviceId, index_key(r.device_id), seq);
        sensor_time("time", r.time, seq);
        sensor_text("dataProcessingMethod", r.data_processing_method, seq);
        sensor_text("bizRules", r.biz_rules, seq);
        sensor_text("microorganism", r.microorganism, seq);
        sensor_text("chemicalSubstance", r.chemical_substance, seq);
        sensor_text("stringValue", r.string_value, seq);
        sensor_text("hexBinaryValue", r.hex_binary_value, seq);
        sensor_text("uriValue", r.uri_value, seq);
        if (r.boolean_value) sensor_text("booleanValue", *r.boolean_value ? "true" : "false", seq);
        sensor_number("value", r.uom, r.value, seq);
        sensor_number("minValue", r.uom, r.min_value, seq);
        sensor_number("maxValue", r.uom, r.max_value, seq);
        sensor_number("meanValue", r.uom, r.mean_value, seq);
        sensor_number("sDev", r.uom, r.s_dev, seq);
        sensor_number("percValue", r.uom, r.perc_value, seq);
        sensor_number("percRank", "", r.perc_rank, seq);
      }
    }
    extensions(scope(Scope::kEvent), ev.extensions, true, seq);
    if (ev.ilmd) extensions(scope(Scope::kIlmd), *ev.ilmd, true, seq);
  }

  // The parties that may see the event (access control, server/auth.h).
  void visibility(const epcis::Event& ev, int64_t seq, const std::string& captured_by) {
    std::vector<std::string> parties = named_parties(ev);
    if (!captured_by.empty() && !std::binary_search(parties.begin(), parties.end(), captured_by))
      parties.push_back(captured_by);
    for (auto& p : parties) terms.emplace_back(kVisibleTo, std::move(p), seq);
  }

  void sensor_text(const char* attribute, const std::string& value, int64_t seq) {
    if (!value.empty()) terms.emplace_back(kSensorAttribute, attribute_term(attribute, value), seq);
  }
  void sensor_time(const char* attribute, const std::optional<epcis::Timestamp>& t, int64_t seq) {
    if (t) numbers.emplace_back(kSensorTime, attribute, t->unix_nanos, seq);
  }
  void sensor_number(const char* attribute, const std::string& uom, const std::optional<double>& v,
                     int64_t seq) {
    // NaN (xsd:double allows it) would bind as NULL: not indexed.
    if (v && std::isfinite(*v))
      numbers.emplace_back(kSensorNumber, attribute_term(attribute, uom), *v, seq);
  }
  static std::string attribute_term(const std::string& attribute, const std::string& value) {
    return attribute + '\x1f' + value;
  }

  void typed(int kind, const std::vector<epcis::TypedRef>& refs, int64_t seq) {
    for (const auto& r : refs)
      if (!r.type.empty()) terms.emplace_back(kind, typed_term(r.type, r.value), seq);
  }
  void quantities(int kind, const std::vector<epcis::QuantityElement>& list, int64_t seq) {
    for (const auto& q : list) {
      terms.emplace_back(kind, class_key(q.epc_class), seq);
      if (!q.quantity || !std::isfinite(*q.quantity)) continue;
      // Qualifier "" for EQ_quantity, and the uom for EQ_quantity_<uom>.
      numbers.emplace_back(kQuantity, "", *q.quantity, seq);
      if (!q.uom.empty()) numbers.emplace_back(kQuantity, q.uom, *q.quantity, seq);
    }
  }
  // scope: FieldFilter::Scope of a top-level field; the nested ones are scope + 1.
  void extensions(int scope, const std::vector<epcis::Extension>& xs, bool top, int64_t seq) {
    for (const auto& x : xs) {
      if (!x.ns.empty() && !x.prefix.empty()) prefixes.emplace(x.prefix, x.ns);
      bool text =
          x.kind != epcis::Extension::Kind::kObject && x.kind != epcis::Extension::Kind::kNull;
      int field_scope = top ? scope : scope + 1;
      std::string path = field_path(x.ns, x.prefix, x.name);
      if (text) {
        if (auto v = field_value(x.value))
          numbers.emplace_back(kFieldValue, field_qualifier(field_scope, path), *v, seq);
      }
      fields.emplace_back(field_scope, std::move(path), text ? x.value : std::string(), seq);
      extensions(scope, x.children, false, seq);
    }
  }

  static std::string field_qualifier(int scope, const std::string& path) {
    return std::to_string(scope) + '\x1f' + path;
  }
  static std::string typed_term(const std::string& type, const std::string& value) {
    return type + '\x1f' + index_key(value);
  }
  // EPCIS 1.2 §8.2.7.1: a field's qualified name is its namespace URI, '#', its name.
  static std::string field_path(const std::string& ns, const std::string& prefix,
                                const std::string& name) {
    return ns.empty() ? prefix + ":" + name : ns + "#" + name;
  }

  bool empty() const { return ids.empty() && terms.empty() && numbers.empty() && fields.empty(); }
  void clear() { *this = IndexRows(); }
};

// Writes rows (sorted first) through the open transaction; false on an SQLite error.
bool write_index_rows(StatementCache& statements, IndexRows& rows) {
  rows.sort_ids();
  std::sort(rows.terms.begin(), rows.terms.end());
  std::sort(rows.numbers.begin(), rows.numbers.end());
  std::sort(rows.fields.begin(), rows.fields.end());
  // Identifiers: many rows per statement (a statement's step costs more than a row's
  // insert), 256 at a time, then 16, then one; keys bound without a copy.
  static constexpr std::array<size_t, 3> kRowsPerStatement = {256, 16, 1};
  static const std::array<std::string, 3> kInsertIds = [] {
    std::array<std::string, 3> sql;
    for (size_t c = 0; c < sql.size(); ++c) {
      sql[c] = "INSERT OR IGNORE INTO event_ids_index(id, role, seq) VALUES (?,?,?)";
      for (size_t k = 1; k < kRowsPerStatement[c]; ++k) sql[c] += ",(?,?,?)";
    }
    return sql;
  }();
  for (size_t i = 0; i < rows.ids.size();) {
    size_t c = 0;
    while (kRowsPerStatement[c] > rows.ids.size() - i) ++c;
    const size_t n = kRowsPerStatement[c];
    Statement* s = statements.get(kInsertIds[c]);
    if (s == nullptr) return false;
    for (size_t k = 0; k < n; ++k, ++i) {
      const auto& row = rows.ids[i];
      int p = static_cast<int>(3 * k);
      std::string_view key = rows.key_of(row);
      sqlite3_bind_blob(s->get(), p + 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
      s->bind(p + 2, static_cast<int64_t>(row.role));
      s->bind(p + 3, row.seq);
    }
    bool ok = s->step() == SQLITE_DONE;
    s->reset();
    if (!ok) return false;
  }
  if (!rows.terms.empty()) {
    Statement* found =
        statements.get("INSERT OR IGNORE INTO event_terms(kind, term, seq) VALUES (?1,?2,?3)");
    if (found == nullptr) return false;
    Statement& s = *found;
    for (const auto& row : rows.terms) {
      s.bind(1, static_cast<int64_t>(std::get<0>(row)));
      s.bind_blob(2, std::get<1>(row));
      s.bind(3, std::get<2>(row));
      bool ok = s.step() == SQLITE_DONE;
      s.reset();
      if (!ok) return false;
    }
  }
  if (!rows.numbers.empty()) {
    Statement* found = statements.get(
        "INSERT OR IGNORE INTO event_numbers(kind, qualifier, value, seq) VALUES (?1,?2,?3,?4)");
    if (found == nullptr) return false;
    Statement& s = *found;
    for (const auto& row : rows.numbers) {
      s.bind(1, static_cast<int64_t>(std::get<0>(row)));
      s.bind_text(2, std::get<1>(row));
      if (const auto* real = std::get_if<double>(&std::get<2>(row)))
        sqlite3_bind_double(s.get(), 3, *real);
      else
        s.bind(3, std::get<int64_t>(std::get<2>(row)));
      s.bind(4, std::get<3>(row));
      bool ok = s.step() == SQLITE_DONE;
      s.reset();
      if (!ok) return false;
    }
  }
  if (!rows.fields.empty()) {
    Statement* found = statements.get(
        "INSERT OR IGNORE INTO event_fields(scope, path, value, seq) VALUES (?1,?2,?3,?4)");
    if (found == nullptr) return false;
    Statement& s = *found;
    for (const auto& row : rows.fields) {
      s.bind(1, static_cast<int64_t>(std::get<0>(row)));
      s.bind_text(2, std::get<1>(row));
      s.bind_text(3, std::get<2>(row));
      s.bind(4, std::get<3>(row));
      bool ok = s.step() == SQLITE_DONE;
      s.reset();
      if (!ok) return false;
    }
  }
  if (!rows.prefixes.empty()) {
    Statement* found =
        statements.get("INSERT OR IGNORE INTO field_prefixes(prefix, ns) VALUES (?1,?2)");
    if (found == nullptr) return false;
    Statement& s = *found;
    for (const auto& row : rows.prefixes) {
      s.bind_text(1, row.first);
      s.bind_text(2, row.second);
      bool ok = s.step() == SQLITE_DONE;
      s.reset();
      if (!ok) return false;
    }
  }
  return true;
}

// Writes master data through the open transaction; false on an SQLite error.
bool write_master_data(sqlite3* db, const std::vector<epcis::Vocabulary>& vocabularies) {
  Statement element(db,
                    "INSERT INTO vocabulary(type, id, attributes) VALUES (?1,?2,?3) "
                    "ON CONFLICT(type, id) DO UPDATE SET attributes = excluded.attributes");
  Statement child(db, "INSERT OR IGNORE INTO locations(parent, child) VALUES (?1,?2)");
  if (!element.ok() || !child.ok()) return false;
  for (const auto& v : vocabularies) {
    for (const auto& e : v.elements) {
      std::string attributes;  // length-prefixed name and value of each attribute
      for (const auto& a : e.attributes)
        attributes += std::to_string(a.first.size()) + ":" + a.first +
                      std::to_string(a.second.size()) + ":" + a.second;
      element.bind_text(1, v.type);
      element.bind_text(2, e.id);
      element.bind_blob(3, attributes);
      bool ok = element.step() == SQLITE_DONE;
      element.reset();
      if (!ok) return false;
      if (!is_location_vocabulary(v.type)) continue;
      for (const auto& c : e.children) {
        child.bind_text(1, e.id);
        child.bind_text(2, c);
        ok = child.step() == SQLITE_DONE;
        child.reset();
        if (!ok) return false;
      }
    }
  }
  return true;
}

// A query's SQL and its arguments, bound in order.
class QueryBuilder {
 public:
  std::string sql;
  void arg(int64_t v) { args_.push_back(Arg{Arg::kInt, v, 0, {}}); }
  void arg_real(double v) { args_.push_back(Arg{Arg::kReal, 0, v, {}}); }
  void arg_text(std::string v) { args_.push_back(Arg{Arg::kText, 0, 0, std::move(v)}); }
  void arg_blob(std::string v) { args_.push_back(Arg{Arg::kBlob, 0, 0, std::move(v)}); }
  // "?,?,?" for n arguments.
  static std::string marks(size_t n) {
    std::string m;
    for (size_t i = 0; i < n; ++i) m += i ? ",?" : "?";
    return m;
  }
  void bind(Statement& s) const {
    for (size_t i = 0; i < args_.size(); ++i) {
      int p = static_cast<int>(i + 1);
      const Arg& a = args_[i];
      switch (a.kind) {
        case Arg::kInt:
          s.bind(p, a.i);
          break;
        case Arg::kReal:
          sqlite3_bind_double(s.get(), p, a.d);
          break;
        case Arg::kText:
          s.bind_text(p, a.s);
          break;
        case Arg::kBlob:
          s.bind_blob(p, a.s);
          break;
      }
    }
  }

 private:
  struct Arg {
    enum Kind { kInt, kReal, kText, kBlob } kind;
    int64_t i;
    double d;
    std::string s;
  };
  std::vector<Arg> args_;
};

// " AND seq IN (events whose field f, a number or time, lies within f.bounds)".
std::optional<Error> field_bounds(const EventQuery::FieldFilter& f, QueryBuilder& b) {
  std::string scope = std::to_string(static_cast<int>(f.scope)) + '\x1f';
  b.sql += " AND seq IN (SELECT seq FROM event_numbers WHERE kind = ? AND qualifier IN (";
  b.arg(kFieldValue);
  if (f.field.find('#') != std::string::npos) {
    b.sql += "?";
    b.arg_text(scope + f.field);
  } else {
    size_t colon = f.field.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == f.field.size())
      return Error{Error::Kind::kInvalidQuery,
                   "field '" + f.field + "' is neither namespaceURI#name nor prefix:name", -1};
    b.sql += "SELECT ? || ns || '#' || ? FROM field_prefixes WHERE prefix = ? UNION ALL SELECT ?";
    b.arg_text(scope);
    b.arg_text(f.field.substr(colon + 1));
    b.arg_text(f.field.substr(0, colon));
    b.arg_text(scope + f.field);
  }
  b.sql += ")";
  using Op = EventQuery::FieldFilter::Bound::Op;
  for (const auto& bound : f.bounds) {
    auto v = field_value(bound.value);
    if (!v)
      return Error{Error::Kind::kInvalidQuery,
                   "'" + bound.value + "' is neither a number nor a dateTime", -1};
    b.sql += bound.op == Op::kGt   ? " AND value > ?"
             : bound.op == Op::kGe ? " AND value >= ?"
             : bound.op == Op::kLt ? " AND value < ?"
                                   : " AND value <= ?";
    if (const auto* real = std::get_if<double>(&*v))
      b.arg_real(*real);
    else
      b.arg(std::get<int64_t>(*v));
  }
  b.sql += ")";
  return std::nullopt;
}

enum class SqlFor { kPage, kCount };

// The SQL of q: for kPage its page (seq, body, sort key), for kCount the number of
// matching events up to max_event_count + 1. Every filter is a term on an indexed column
// or "seq IN (subquery on an index table)" (EPCIS 2.0 §8.2.7.1 on indexes).
std::optional<Error> build_event_query(const EventQuery& q, SqlFor what, QueryBuilder& b) {
  using OrderBy = EventQuery::OrderBy;
  const std::string time_col = q.order_by == OrderBy::kEventTime    ? "event_time"
                               : q.order_by == OrderBy::kRecordTime ? "record_time"
                                                                    : "";
  if (what == SqlFor::kCount)
    b.sql = "SELECT count(*) FROM (SELECT 1 FROM events WHERE ";
  else
    b.sql = "SELECT seq, body, " + (time_col.empty() ? std::string("0") : time_col) +
            ", captured_by FROM events WHERE ";
  // The cursor: after the last row's sort key and sequence.
  if (time_col.empty()) {
    b.sql += "seq > ?";
    b.arg(q.after_sequence);
  } else if (q.after_key) {
    b.sql += "(" + time_col + ", seq) " + (q.descending ? "<" : ">") + " (?, ?)";
    b.arg(*q.after_key);
    b.arg(q.after_sequence);
  } else {
    b.sql += "1";
  }
  auto in_int = [&](const char* column, const std::vector<int64_t>& values) {
    if (values.empty()) return;
    b.sql += std::string(" AND ") + column + " IN (" + QueryBuilder::marks(values.size()) + ")";
    for (auto v : values) b.arg(v);
  };
  auto in_text = [&](const char* column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    b.sql += std::string(" AND ") + column + " IN (" + QueryBuilder::marks(values.size()) + ")";
    for (const auto& v : values) b.arg_text(v);
  };
  auto cmp = [&](const char* column, const char* op, const std::optional<int64_t>& v) {
    if (!v) return;
    // A time range is taken as selective (likelihood 1%): without it SQLite prefers a
    // walk of all events in sequence order to the time index (no statistics, §8.2.7.1
    // queries name recent windows).
    b.sql += std::string(" AND likelihood(") + column + " " + op + " ?, 0.01)";
    b.arg(*v);
  };
  // EPCIS 2.0 §8.2.7.1 WD_: the locations given and their descendants in master data.
  auto with_descendants = [&](const char* column, const std::vector<std::string>& ids) {
    if (ids.empty()) return;
    b.sql += std::string(" AND ") + column + " IN (WITH RECURSIVE under(id) AS (VALUES (?)";
    for (size_t i = 1; i < ids.size(); ++i) b.sql += ",(?)";
    b.sql +=
        " UNION SELECT l.child FROM locations l JOIN under ON l.parent = under.id) "
        "SELECT id FROM under)";
    for (const auto& id : ids) b.arg_text(id);
  };
  // seq IN (rows of table whose key is one of exact or in one of ranges, of a category).
  auto keyed = [&](const char* table, const char* key_col, const char* cat_col,
                   const std::vector<int64_t>& cats, const std::vector<std::string>& exact,
                   const std::vector<KeyRange>& ranges) {
    if (exact.empty() && ranges.empty()) return;
    b.sql += " AND seq IN (";
    bool first = true;
    auto cat = [&] {
      b.sql += std::string(" AND ") + cat_col + " IN (" + QueryBuilder::marks(cats.size()) + ")";
      for (auto c : cats) b.arg(c);
    };
    if (!exact.empty()) {
      b.sql += std::string("SELECT seq FROM ") + table + " WHERE " + key_col + " IN (" +
               QueryBuilder::marks(exact.size()) + ")";
      for (const auto& k : exact) b.arg_blob(k);
      cat();
      first = false;
    }
    for (const auto& r : ranges) {
      if (!first) b.sql += " UNION ALL ";
      first = false;
      b.sql += std::string("SELECT seq FROM ") + table + " WHERE " + key_col + " >= ? AND " +
               key_col + " < ?";
      b.arg_blob(r.lo);
      b.arg_blob(r.hi);
      cat();
    }
    b.sql += ")";
  };
  // MATCH_ on instance identifiers (§8.2.7.1.1): exact keys, GTIN patterns as ranges.
  auto match = [&](const std::vector<std::string>& ids, const std::vector<int64_t>& roles) {
    std::vector<std::string> exact;
    std::vector<KeyRange> ranges;
    for (const auto& id : ids) {
      if (auto r = gtin_range(id, false))
        ranges.push_back(std::move(*r));
      else
        exact.push_back(index_key(id));
    }
    keyed("event_ids_index", "id", "role", roles, exact, ranges);
  };
  auto match_class = [&](const std::vector<std::string>& ids, const std::vector<int64_t>& kinds) {
    std::vector<std::string> exact;
    std::vector<KeyRange> ranges;
    for (const auto& id : ids) {
      if (auto r = gtin_range(id, true))
        ranges.push_back(std::move(*r));
      else
        exact.push_back(class_key(id));
    }
    keyed("event_terms", "term", "kind", kinds, exact, ranges);
  };
  auto terms = [&](int64_t kind, const std::vector<std::string>& values) {
    keyed("event_terms", "term", "kind", {kind}, values, {});
  };
  auto number = [&](int64_t kind, const std::string& qualifier, const EventQuery::NumberFilter& f) {
    if (f.empty()) return;
    b.sql += " AND seq IN (SELECT seq FROM event_numbers WHERE kind = ? AND qualifier = ?";
    b.arg(kind);
    b.arg_text(qualifier);
    if (!f.eq.empty()) {
      b.sql += " AND value IN (" + QueryBuilder::marks(f.eq.size()) + ")";
      for (double v : f.eq) b.arg_real(v);
    }
    auto bound = [&](const char* op, const std::optional<double>& v) {
      if (!v) return;
      b.sql += std::string(" AND value ") + op + " ?";
      b.arg_real(*v);
    };
    bound(">", f.gt);
    bound(">=", f.ge);
    bound("<", f.lt);
    bound("<=", f.le);
    b.sql += ")";
  };

  // Times in event_numbers (unix nanos), [ge, lt).
  auto time_range = [&](int64_t kind, const std::string& qualifier,
                        const std::optional<int64_t>& ge, const std::optional<int64_t>& lt) {
    if (!ge && !lt) return;
    b.sql += " AND seq IN (SELECT seq FROM event_numbers WHERE kind = ? AND qualifier = ?";
    b.arg(kind);
    b.arg_text(qualifier);
    if (ge) {
      b.sql += " AND value >= ?";
      b.arg(*ge);
    }
    if (lt) {
      b.sql += " AND value < ?";
      b.arg(*lt);
    }
    b.sql += ")";
  };

  std::vector<int64_t> types, actions;
  for (auto t : q.event_types) types.push_back(static_cast<int64_t>(t));
  for (auto a : q.actions) actions.push_back(static_cast<int64_t>(a));
  // EQ_action without eventType: every type, so that events_by_type_action serves it.
  if (types.empty() && !actions.empty()) {
    for (auto t :
         {epcis::EventType::kObject, epcis::EventType::kAggregation, epcis::EventType::kTransaction,
          epcis::EventType::kTransformation, epcis::EventType::kAssociation})
      types.push_back(static_cast<int64_t>(t));
  }
  in_int("type", types);
  in_int("action", actions);
  cmp("event_time", ">=", q.ge_event_time);
  cmp("event_time", "<", q.lt_event_time);
  cmp("record_time", ">=", q.ge_record_time);
  cmp("record_time", "<", q.lt_record_time);
  in_text("biz_step", q.biz_steps);
  in_text("disposition", q.dispositions);
  in_text("read_point", q.read_points);
  in_text("biz_location", q.biz_locations);
  with_descendants("read_point", q.wd_read_points);
  with_descendants("biz_location", q.wd_biz_locations);
  in_text("event_id", q.event_ids);
  in_text("transformation_id", q.transformation_ids);
  if (q.exists_error_declaration)
    b.sql += *q.exists_error_declaration ? " AND error_declared = 1" : " AND error_declared = 0";
  match(q.match_epc, {kEpc});
  match(q.match_parent_id, {kParent});
  match(q.match_input_epc, {kInput});
  match(q.match_output_epc, {kOutput});
  match(q.match_any_epc, {kEpc, kParent, kInput, kOutput});
  match_class(q.match_epc_class, {kEpcClass});
  match_class(q.match_input_epc_class, {kInputEpcClass});
  match_class(q.match_output_epc_class, {kOutputEpcClass});
  match_class(q.match_any_epc_class, {kEpcClass, kInputEpcClass, kOutputEpcClass});
  terms(kPersistentSet, q.persistent_disposition_set);
  terms(kPersistentUnset, q.persistent_disposition_unset);
  auto typed = [&](int64_t kind, const std::vector<EventQuery::TypedFilter>& filters) {
    for (const auto& f : filters) {
      std::vector<std::string> keys;
      for (const auto& v : f.values) keys.push_back(IndexRows::typed_term(f.type, v));
      terms(kind, keys);
    }
  };
  typed(kBizTransaction, q.biz_transactions);
  typed(kSource, q.sources);
  typed(kDestination, q.destinations);
  if (!q.visible_to_party.empty()) terms(kVisibleTo, {q.visible_to_party});
  terms(kErrorReason, q.error_reasons);
  terms(kCorrectiveEventId, q.corrective_event_ids);
  time_range(kErrorDeclarationTime, "", q.ge_error_declaration_time, q.lt_error_declaration_time);
  number(kQuantity, "", q.quantity);
  for (const auto& qu : q.quantity_by_uom) number(kQuantity, qu.first, qu.second);
  terms(kSensorType, q.sensor_types);
  std::vector<std::string> devices;
  for (const auto& d : q.device_ids) devices.push_back(index_key(d));
  terms(kDeviceId, devices);
  for (const auto& sn : q.sensor_numbers)
    number(kSensorNumber, IndexRows::attribute_term(sn.attribute, sn.uom), sn.filter);
  for (const auto& sa : q.sensor_attributes) {
    std::vector<std::string> keys;
    for (const auto& v : sa.second) keys.push_back(IndexRows::attribute_term(sa.first, v));
    terms(kSensorAttribute, keys);
  }
  for (const auto& st : q.sensor_times)
    time_range(kSensorTime, st.first, st.second.ge, st.second.lt);
  if (q.exists_sensor_element_list) terms(kHasSensors, {std::string()});
  for (const auto& f : q.fields) {
    if (!f.bounds.empty()) {
      if (auto e = field_bounds(f, b)) return e;
      continue;
    }
    b.sql += " AND seq IN (SELECT seq FROM event_fields WHERE scope = ? AND path IN (";
    b.arg(static_cast<int64_t>(f.scope));
    if (f.field.find('#') != std::string::npos) {
      b.sql += "?";
      b.arg_text(f.field);
    } else {
      size_t colon = f.field.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == f.field.size())
        return Error{Error::Kind::kInvalidQuery,
                     "field '" + f.field + "' is neither namespaceURI#name nor prefix:name", -1};
      // A prefix as the captured documents declared it (§8.2.7.1, JSON-LD CURIE form).
      b.sql += "SELECT ns || '#' || ? FROM field_prefixes WHERE prefix = ? UNION ALL SELECT ?";
      b.arg_text(f.field.substr(colon + 1));
      b.arg_text(f.field.substr(0, colon));
      b.arg_text(f.field);
    }
    b.sql += ")";
    if (!f.values.empty()) {
      b.sql += " AND value IN (" + QueryBuilder::marks(f.values.size()) + ")";
      for (const auto& v : f.values) b.arg_text(v);
    }
    b.sql += ")";
  }
  if (what == SqlFor::kCount) {
    b.sql += " LIMIT ?)";
    b.arg(static_cast<int64_t>(std::min<size_t>(*q.max_event_count, INT64_MAX - 1)) + 1);
    return std::nullopt;
  }
  if (time_col.empty()) {
    b.sql += " ORDER BY seq";
  } else {
    const char* dir = q.descending ? " DESC" : "";
    b.sql += " ORDER BY " + time_col + dir + ", seq" + dir;
  }
  b.sql += " LIMIT ?";
  b.arg(static_cast<int64_t>(std::min<size_t>(q.limit, INT64_MAX - 1)) + 1);
  return std::nullopt;
}

// The item records of one capture, read and written through the capture's transaction.
// Stock counts move in memory as items' facets change and are written once per facet
// combination by flush_stock_counts, before the transaction commits (schema 7: no
// per-item trigger).
class SqliteItemTable final : public ItemTable {
 public:
  // Every write takes the same parameters (write): ?1 key, ?2 id, ?3 parent key,
  // ?4 record, ?5 stock, ?6 gtin, ?7 lot, ?8 location, ?9 custodian, ?10 disposition,
  // ?11 expiry, ?12 last time; a statement uses those it needs, and says whether it
  // takes the parent (Write::parent) and the facets (Write::facets).
  explicit SqliteItemTable(sqlite3* db)
      : db_(db),
        // The record and, in the same step, the facets that put_with_facets compares.
        get_(db,
             "SELECT record, parent, stock IS NOT NULL, stock, gtin, lot, location, custodian, "
             "disposition, expiry, last_time FROM items WHERE key = ?1"),
        put_{{db,
              "INSERT INTO items(key, id, parent, record) VALUES (?1,?2,?3,?4) ON CONFLICT(key) "
              "DO UPDATE SET parent = excluded.parent, record = excluded.record"},
             true,
             false},
        put_record_only_{{db, "UPDATE items SET record = ?4 WHERE key = ?1"}, false, false},
        get_facets_(db,
                    "SELECT stock, gtin, lot, location, custodian, disposition, expiry, "
                    "last_time FROM items WHERE key = ?1 AND stock IS NOT NULL"),
        // Same container, same stock class: the record and the facets that move.
        move_{{db,
               "UPDATE items SET record = ?4, location = ?8, custodian = ?9, "
               "disposition = ?10, last_time = ?12 WHERE key = ?1"},
              false,
              true},
        put_all_{{db,
                  "INSERT INTO items(key, id, parent, record, stock, gtin, lot, location, "
                  "custodian, disposition, expiry, last_time) "
                  "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12) "
                  "ON CONFLICT(key) DO UPDATE SET parent = excluded.parent, "
                  "record = excluded.record, stock = excluded.stock, gtin = excluded.gtin, "
                  "lot = excluded.lot, location = excluded.location, "
                  "custodian = excluded.custodian, disposition = excluded.disposition, "
                  "expiry = excluded.expiry, last_time = excluded.last_time"},
                 true,
                 true},
        children_(db, "SELECT id FROM items WHERE parent = ?1 ORDER BY key") {}
  bool ok() const {
    return get_.ok() && put_.s.ok() && put_record_only_.s.ok() && get_facets_.ok() &&
           move_.s.ok() && put_all_.s.ok() && children_.ok();
  }
  bool failed() const { return failed_; }

  std::optional<std::string> get(const std::string& id) override {
    get_.bind_blob(1, key_of(id));
    std::optional<std::string> out;
    got_.reset();
    int rc = get_.step();
    if (rc == SQLITE_ROW) {
      sqlite3_stmt* g = get_.get();
      out = column_text(g, 0);
      got_ = Got{id, sqlite3_column_type(g, 1) != SQLITE_NULL, column_text(g, 1), true, {}};
      if (sqlite3_column_int64(g, 2) == 1) got_->facets = read_facets(g, 3);
    } else if (rc != SQLITE_DONE) {
      failed_ = true;
    }
    get_.reset();
    return out;
  }
  // A record without facets: items_of_gtin_lots can no longer answer from the facets.
  void put(const std::string& id, const std::string& parent, const std::string& record) override {
    write(in_place(id, parent) ? put_record_only_ : put_, id, parent, record, nullptr);
    if (!marked_without_facets_) {
      marked_without_facets_ = true;
      if (sqlite3_exec(db_, "INSERT OR REPLACE INTO store_flags VALUES ('items_without_facets', 1)",
                       nullptr, nullptr, nullptr) != SQLITE_OK)
        failed_ = true;
    }
  }
  // As put, with the item's facets in the same row; the stock counts move by the change.
  void put_with_facets(const std::string& id, const std::string& parent, const std::string& record,
                       const ItemFacets& f) override {
    // The facets as stored: read by get when it just read this item, else here.
    std::optional<StoredFacets> stored;
    if (got_ && got_->id == id && got_->facets_read) {
      stored = std::move(got_->facets);
      got_->facets_read = false;
    } else {
      get_facets_.bind_blob(1, key_of(id));
      int rc = get_facets_.step();
      if (rc == SQLITE_ROW)
        stored = read_facets(get_facets_.get(), 0);
      else if (rc != SQLITE_DONE)
        failed_ = true;
      get_facets_.reset();
    }
    // In the same container, with stock, GTIN, lot and expiry as stored: only the
    // columns that move are written, and the lot and expiry indexes are left alone.
    const bool in_place_item = in_place(id, parent);
    bool same_class = false, unchanged = false;
    if (stored) {
      StockKey& old = stored->key;
      same_class = stored->in_stock == f.in_stock && old[0] == f.gtin && old[1] == f.lot &&
                   stored->expiry == f.expiry;
      unchanged = same_class && old[2] == f.location && old[3] == f.custodian &&
                  old[4] == f.disposition && stored->last_time == f.last_event_time;
      if (!unchanged && stored->in_stock) --stock_deltas_[std::move(old)];
    }
    if (!unchanged && f.in_stock)
      ++stock_deltas_[{f.gtin, f.lot, f.location, f.custodian, f.disposition}];
    Write& w = !in_place_item || !same_class ? put_all_ : unchanged ? put_record_only_ : move_;
    write(w, id, parent, record, &f);
  }
  std::vector<std::string> children_of(const std::string& parent) override {
    std::vector<std::string> out;
    children_.bind_blob(1, index_key(parent));
    int rc;
    while ((rc = children_.step()) == SQLITE_ROW) out.push_back(column_text(children_.get(), 0));
    if (rc != SQLITE_DONE) failed_ = true;
    children_.reset();
    return out;
  }
  // Adds the stock moves of the puts so far to stock_counts; false on an SQLite error.
  bool flush_stock_counts() {
    Statement add(db_,
                  "INSERT INTO stock_counts(gtin, lot, location, custodian, disposition, n) "
                  "VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT DO UPDATE SET n = n + excluded.n");
    if (!add.ok()) return false;
    for (const auto& [k, delta] : stock_deltas_) {
      if (delta == 0) continue;
      for (int c = 0; c < 5; ++c) add.bind_text(c + 1, k[c]);
      add.bind(6, delta);
      bool ok = add.step() == SQLITE_DONE;
      add.reset();
      if (!ok) return false;
    }
    stock_deltas_.clear();
    return true;
  }
  static std::string column_text(sqlite3_stmt* s, int col) {
    const void* p = sqlite3_column_blob(s, col);
    return p ? std::string(static_cast<const char*>(p),
                           static_cast<size_t>(sqlite3_column_bytes(s, col)))
             : std::string();
  }

 private:
  // Whether id is the item get just read, in the same container: then only its record
  // and facets change, and the upsert (and its parent index update) is not needed.
  bool in_place(const std::string& id, const std::string& parent) {
    bool same = got_ && got_->id == id && got_->has_parent == !parent.empty() &&
                (parent.empty() || got_->parent == index_key(parent));
    if (!same) got_.reset();
    return same;
  }
  // A write statement, and which of the shared parameters (see the constructor) it takes
  // besides key, id and record.
  struct Write {
    Statement s;
    bool parent, facets;
  };
  // Binds w's parameters (f: the facets, for a statement that takes them) and steps it.
  void write(Write& w, const std::string& id, const std::string& parent, const std::string& record,
             const ItemFacets* f) {
    sqlite3_stmt* st = w.s.get();
    auto text = [&](int i, const std::string& v) {  // no copy: v outlives the step
      sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    };
    const std::string& key = key_of(id);
    sqlite3_bind_blob(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    text(2, id);
    if (w.parent) {
      if (parent.empty()) {
        sqlite3_bind_null(st, 3);
      } else {
        parent_key_ = index_key(parent);
        sqlite3_bind_blob(st, 3, parent_key_.data(), static_cast<int>(parent_key_.size()),
                          SQLITE_STATIC);
      }
    }
    sqlite3_bind_blob(st, 4, record.data(), static_cast<int>(record.size()), SQLITE_STATIC);
    if (w.facets && f != nullptr) {
      sqlite3_bind_int64(st, 5, f->in_stock ? 1 : 0);
      text(6, f->gtin);
      text(7, f->lot);
      text(8, f->location);
      text(9, f->custodian);
      text(10, f->disposition);
      text(11, f->expiry);
      sqlite3_bind_int64(st, 12, f->last_event_time);
    }
    if (w.s.step() != SQLITE_DONE) failed_ = true;
    w.s.reset();
  }
  // The index key of id, computed once for the get and puts of one item in a row.
  const std::string& key_of(const std::string& id) {
    if (id != memo_id_ || memo_key_.empty()) {
      memo_key_ = index_key(id);
      memo_id_ = id;
    }
    return memo_key_;
  }

  using StockKey = std::array<std::string, 5>;  // gtin, lot, location, custodian, disposition
  // An item's facets as read: in stock, its StockKey, expiry and last time.
  struct StoredFacets {
    bool in_stock;
    StockKey key;
    std::string expiry;
    int64_t last_time;
  };
  // The columns stock, gtin, lot, location, custodian, disposition, expiry, last_time of
  // s from column first on.
  static StoredFacets read_facets(sqlite3_stmt* s, int first) {
    StoredFacets f{sqlite3_column_int64(s, first) == 1, {}, {}, 0};
    for (int c = 0; c < 5; ++c) f.key[c] = column_text(s, first + 1 + c);
    f.expiry = column_text(s, first + 6);
    f.last_time = sqlite3_column_int64(s, first + 7);
    return f;
  }
  // The item last read by get (its id, and its parent key as stored).
  struct Got {
    std::string id;
    bool has_parent;
    std::string parent;
    bool facets_read;                    // facets is as stored (no put since get)
    std::optional<StoredFacets> facets;  // none: the item has no facets
  };
  sqlite3* db_;
  // (In the constructor's order.)
  Statement get_;
  Write put_, put_record_only_;
  Statement get_facets_;
  Write move_, put_all_;
  Statement children_;
  std::optional<Got> got_;
  std::string parent_key_;  // bound to ?3 until the step
  std::map<StockKey, int64_t> stock_deltas_;
  std::string memo_id_, memo_key_;
  bool marked_without_facets_ = false;
  bool failed_ = false;
};

// Master data by id as last read, kept a second: a verification reads its product's
// name, and a detector the places it is told of, known or not. A write of master data
// through the store drops it all; one by another process is seen within the second.
class MasterDataCache {
 public:
  using Attributes = std::vector<std::pair<std::string, std::string>>;
  static constexpr auto kLifetime = std::chrono::seconds(1);
  static constexpr size_t kMaxEntries = 4096;

  // The attributes read for id within the lifetime (nullopt inside: none stored).
  std::optional<std::optional<Attributes>> get(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end() || Clock::now() - it->second.read > kLifetime) return std::nullopt;
    return it->second.attributes;
  }
  // The generation to give put for a read that starts now.
  uint64_t generation() {
    std::lock_guard lock(mutex_);
    return generation_;
  }
  // Keeps what a read begun at generation g found, unless master data was written since.
  void put(const std::string& id, const std::optional<Attributes>& attributes, uint64_t g) {
    std::lock_guard lock(mutex_);
    if (g != generation_) return;
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_[id] = Entry{attributes, Clock::now()};
  }
  // After a commit that wrote master data.
  void written() {
    std::lock_guard lock(mutex_);
    ++generation_;
    entries_.clear();
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::optional<Attributes> attributes;
    Clock::time_point read;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  uint64_t generation_ = 0;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(sqlite3* db, const std::string& path)
      : db_(db), path_(path), statements_(db), readers_(path) {}
  ~SqliteStore() override {
    checkpointer_.reset();  // before the writer connection closes
    sqlite3_close_v2(db_);
  }

  Result<void*> migrate(bool durable) {
    // Wait for other connections (other processes may be opening the same file).
    if (use_wal(db_, durable, std::chrono::seconds(10)) != SQLITE_OK)
      return unexpected(io_error(db_, "setting WAL mode"));
    // 64 MiB of page cache: index pages of random keys stay in memory between captures.
    sqlite3_exec(db_, "PRAGMA cache_size=-65536;", nullptr, nullptr, nullptr);
    constexpr int kLatest = static_cast<int>(std::size(kMigrations));
    // One migration per transaction, the version read inside it: two processes opening
    // a new file at once migrate it once.
    for (;;) {
      if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
        return unexpected(io_error(db_, "starting a schema migration"));
      int v = 0;
      {
        Statement s(db_, "PRAGMA user_version");
        if (!s.ok() || s.step() != SQLITE_ROW) {
          Error e = io_error(db_, "reading schema version");
          sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
          return unexpected(e);
        }
        v = sqlite3_column_int(s.get(), 0);
      }
      if (v >= kLatest) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        if (v > kLatest)
          return unexpected(Error{Error::Kind::kCorrupt,
                                  "database schema version " + std::to_string(v) +
                                      " is newer than this program's (" + std::to_string(kLatest) +
                                      ")",
                                  -1});
        break;
      }
      std::string commit = "PRAGMA user_version=" + std::to_string(v + 1) + "; COMMIT;";
      bool ok = sqlite3_exec(db_, kMigrations[v], nullptr, nullptr, nullptr) == SQLITE_OK &&
                (v + 1 != kQueryIndexesVersion || backfill_query_indexes()) &&
                (v + 1 != kVisibilityVersion || backfill_visibility()) &&
                (v + 1 != kItemRowVersion || merge_item_stock()) &&
                sqlite3_exec(db_, commit.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
      if (!ok) {
        Error e = io_error(db_, "migrating schema to version " + std::to_string(v + 1));
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return unexpected(e);
      }
    }
    // A capture may store its job (CaptureOptions::job): the tables of capture_jobs.h.
    if (!create_capture_job_tables(db_))
      return unexpected(io_error(db_, "making the capture job tables"));
    checkpointer_ = std::make_unique<WalCheckpointer>(db_, path_, durable);
    return nullptr;
  }

  // Migration 3: the index rows of the events stored before it, in batches.
  bool backfill_query_indexes() {
    Statement s(db_, "SELECT seq, body FROM events ORDER BY seq");
    if (!s.ok()) return false;
    IndexRows rows;
    int rc;
    size_t batch = 0;
    while ((rc = s.step()) == SQLITE_ROW) {
      auto ev = row_event(s.get());
      if (!ev) return false;
      IndexRows event_rows;
      event_rows.add(ev->event, ev->sequence);
      // event_ids_index is already filled by migration 1's captures.
      rows.terms.insert(rows.terms.end(), event_rows.terms.begin(), event_rows.terms.end());
      rows.numbers.insert(rows.numbers.end(), event_rows.numbers.begin(), event_rows.numbers.end());
      rows.fields.insert(rows.fields.end(), event_rows.fields.begin(), event_rows.fields.end());
      rows.prefixes.insert(event_rows.prefixes.begin(), event_rows.prefixes.end());
      if (++batch == 50'000) {
        if (!write_index_rows(statements_, rows)) return false;
        rows.clear();
        batch = 0;
      }
    }
    return rc == SQLITE_DONE && write_index_rows(statements_, rows);
  }

  // Migration 8: item_stock's columns join items (NULL for an item without facets),
  // item_stock's rows are copied into them and the table goes; its indexes are made
  // again on items. Safe on a file taken back to an older version by hand: the columns
  // are added only when missing, and only item_stock's rows overwrite facets.
  bool merge_item_stock() {
    std::set<std::string> columns;
    {
      Statement info(db_, "SELECT name FROM pragma_table_info('items')");
      if (!info.ok()) return false;
      while (info.step() == SQLITE_ROW) columns.insert(SqliteItemTable::column_text(info.get(), 0));
    }
    for (const char* c :
         {"stock INTEGER", "gtin TEXT", "lot TEXT", "location TEXT", "custodian TEXT",
          "disposition TEXT", "expiry TEXT", "last_time INTEGER"}) {
      std::string name(c, std::strchr(c, ' '));
      if (columns.count(name)) continue;
      std::string add = "ALTER TABLE items ADD COLUMN " + std::string(c);
      if (sqlite3_exec(db_, add.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) return false;
    }
    return sqlite3_exec(db_, R"sql(
      UPDATE items SET (stock, gtin, lot, location, custodian, disposition, expiry, last_time) =
        (SELECT stock, gtin, lot, location, custodian, disposition, expiry, last_time
           FROM item_stock s WHERE s.key = items.key)
        WHERE key IN (SELECT key FROM item_stock);
      DROP TABLE item_stock;
      DROP TRIGGER IF EXISTS items_delete_stock;
      CREATE INDEX IF NOT EXISTS items_in_stock_by_last_time ON items(last_time) WHERE stock = 1;
      CREATE INDEX IF NOT EXISTS items_in_stock_by_expiry ON items(expiry)
        WHERE stock = 1 AND expiry <> '';
      CREATE INDEX IF NOT EXISTS items_by_lot ON items(gtin, lot);
      -- An item whose record goes (an error declaration's rebuild) leaves stock with it.
      CREATE TRIGGER IF NOT EXISTS items_leave_stock AFTER DELETE ON items WHEN old.stock = 1
      BEGIN
        UPDATE stock_counts SET n = n - 1 WHERE gtin = old.gtin AND lot = old.lot AND
          location = old.location AND custodian = old.custodian AND
          disposition = old.disposition;
      END;
      INSERT OR REPLACE INTO store_flags
        SELECT 'items_without_facets', EXISTS (SELECT 1 FROM items WHERE stock IS NULL);
    )sql",
                        nullptr, nullptr, nullptr) == SQLITE_OK;
  }

  // Migration 5: who may see the events stored before it (their named parties; none
  // has a recorded capturer).
  bool backfill_visibility() {
    Statement s(db_, "SELECT seq, body FROM events ORDER BY seq");
    if (!s.ok()) return false;
    IndexRows rows;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      auto ev = row_event(s.get());
      if (!ev) return false;
      rows.visibility(ev->event, ev->sequence, "");
      if (rows.terms.size() >= 50'000) {
        if (!write_index_rows(statements_, rows)) return false;
        rows.clear();
      }
    }
    return rc == SQLITE_DONE && write_index_rows(statements_, rows);
  }

  Result<CaptureOutcome> capture(std::span<const epcis::Event> events, Projection* projection,
                                 const CaptureOptions& options) override {
    return capture_with(events, nullptr, projection, options);
  }

  Result<CaptureOutcome> capture(std::span<const epcis::Event> events,
                                 const std::vector<epcis::Vocabulary>& master_data,
                                 Projection* projection, const CaptureOptions& options) override {
    return capture_with(events, &master_data, projection, options);
  }

  Result<void*> put_master_data(const std::vector<epcis::Vocabulary>& master_data) override {
    std::lock_guard lock(write_mutex_);
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
      return unexpected(io_error(db_, "starting to store master data"));
    if (!write_master_data(db_, master_data) ||
        sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      Error e = io_error(db_, "storing master data");
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return unexpected(std::move(e));
    }
    master_data_.written();
    return nullptr;
  }

  Result<CaptureOutcome> capture_with(std::span<const epcis::Event> events,
                                      const std::vector<epcis::Vocabulary>* master_data,
                                      Projection* projection, const CaptureOptions& options) {
    std::lock_guard lock(write_mutex_);
    CaptureOutcome out;
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
      return unexpected(io_error(db_, "starting a capture"));
    auto fail = [&](Error e) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return unexpected(std::move(e));
    };
    if (master_data != nullptr && !write_master_data(db_, *master_data))
      return fail(io_error(db_, "storing master data"));
    Statement* found = statements_.get("SELECT seq FROM events WHERE event_id = ?1");
    Statement* inserting = statements_.get(
        "INSERT INTO events(event_id, type, event_time, record_time, action, "
        "biz_step, disposition, read_point, biz_location, transformation_id, "
        "error_declared, body, captured_by) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13) "
        "ON CONFLICT(event_id) DO NOTHING");
    if (found == nullptr || inserting == nullptr) return fail(io_error(db_, "preparing a capture"));
    Statement &find = *found, &insert = *inserting;
    struct ResetOnExit {  // a failed step leaves a kept statement mid-run
      Statement &a, &b;
      ~ResetOnExit() {
        a.reset();
        b.reset();
      }
    } reset_on_exit{find, insert};
    std::optional<SqliteItemTable> items;
    Statement alert(
        db_, "INSERT INTO alerts(kind, item_key, item, event_id, reason) VALUES (?1,?2,?3,?4,?5)");
    if (projection != nullptr) {
      items.emplace(db_);
      if (!items->ok() || !alert.ok()) return fail(io_error(db_, "preparing item state"));
    }
    std::vector<AlertRecord> raised;
    const int64_t record_time = now_nanos();
    IndexRows rows;
    for (size_t i = 0; i < events.size(); ++i) {
      const epcis::Event& ev = events[i];
      if (ev.event_id.empty())
        return fail(
            Error{Error::Kind::kInvalidEvent, "event has no eventID", static_cast<long>(i)});
      const std::optional<epcis::Timestamp> recorded =
          ev.record_time ? ev.record_time : epcis::Timestamp{record_time, 0};
      insert.bind(1, ev.event_id);
      insert.bind(2, static_cast<int64_t>(ev.type));
      insert.bind(3, ev.event_time.unix_nanos);
      insert.bind(4, recorded->unix_nanos);
      insert.bind(5, static_cast<int64_t>(ev.action));
      insert.bind(6, ev.biz_step);
      insert.bind(7, ev.disposition);
      insert.bind(8, ev.read_point);
      insert.bind(9, ev.biz_location);
      insert.bind(10, ev.transformation_id);
      insert.bind(11, ev.error_declaration ? 1 : 0);
      insert.bind_blob(12, encode_stored_event(ev, recorded));
      insert.bind(13, options.captured_by);  // "" binds NULL
      if (insert.step() != SQLITE_DONE) return fail(io_error(db_, "storing an event"));
      insert.reset();
      if (sqlite3_changes(db_) == 0) {  // EPCIS 2.0 §8.2.7: a duplicate is never stored twice
        find.bind(1, ev.event_id);
        if (find.step() != SQLITE_ROW) return fail(io_error(db_, "reading a duplicate"));
        out.sequence.push_back(sqlite3_column_int64(find.get(), 0));
        find.reset();
        ++out.duplicates;
        continue;
      }
      int64_t seq = sqlite3_last_insert_rowid(db_);
      out.sequence.push_back(seq);
      ++out.accepted;
      if (projection != nullptr) {
        projection->apply(ev, *items, raised);  // as captured: recordTime is the store's
        if (items->failed()) return fail(io_error(db_, "updating item state"));
      }
      rows.add(ev, seq, options.captured_by);
    }
    for (const auto& a : raised) {
      alert.bind_text(1, a.kind);
      alert.bind_blob(2, index_key(a.item));
      alert.bind_text(3, a.item);
      alert.bind_text(4, a.event_id);
      alert.bind_text(5, a.reason);
      bool ok = alert.step() == SQLITE_DONE;
      alert.reset();
      if (!ok) return fail(io_error(db_, "storing an alert"));
    }
    // The index rows, in key order: each B-tree page is touched once.
    if (!write_index_rows(statements_, rows)) return fail(io_error(db_, "indexing an event"));
    if (items && !items->flush_stock_counts()) return fail(io_error(db_, "counting stock"));
    if (options.job != nullptr) {
      CaptureJob& job = *options.job;
      job.accepted = static_cast<int64_t>(out.accepted);
      job.duplicates = static_cast<int64_t>(out.duplicates);
      job.finished = now_nanos() / 1'000'000;
      job.running = false;
      if (auto stored = insert_capture_job(db_, job); !stored)
        return fail(std::move(stored).error());
      out.job_stored = true;
    }
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
      return fail(io_error(db_, "committing a capture"));
    if (master_data != nullptr && !master_data->empty()) master_data_.written();
    return out;
  }

  Result<bool> declare_error(const std::string& event_id,
                             const epcis::ErrorDeclaration& declaration,
                             Projection* projection) override {
    std::lock_guard lock(write_mutex_);
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
      return unexpected(io_error(db_, "starting an error declaration"));
    auto fail = [&](Error e) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return unexpected(std::move(e));
    };
    epcis::Event ev;
    {
      Statement find(db_, "SELECT seq, body FROM events WHERE event_id = ?1");
      if (!find.ok()) return fail(io_error(db_, "reading an event"));
      find.bind(1, event_id);
      int rc = find.step();
      if (rc == SQLITE_DONE) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return false;
      }
      if (rc != SQLITE_ROW) return fail(io_error(db_, "reading an event"));
      auto stored = row_event(find.get());
      if (!stored) return fail(std::move(stored).error());
      ev = std::move(stored->event);
    }
    ev.error_declaration = declaration;
    {
      Statement update(db_, "UPDATE events SET error_declared = 1, body = ?2 WHERE event_id = ?1");
      if (!update.ok()) return fail(io_error(db_, "marking an event erroneous"));
      update.bind(1, event_id);
      update.bind_blob(2, encode_stored_event(ev));
      if (update.step() != SQLITE_DONE) return fail(io_error(db_, "marking an event erroneous"));
    }
    if (projection == nullptr) {
      if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail(io_error(db_, "committing an error declaration"));
      return true;
    }
    // The items the erroneous event named are rebuilt from their other events.
    std::vector<std::string> affected = ev.epc_list;
    if (!ev.parent_id.empty()) affected.push_back(ev.parent_id);
    affected.insert(affected.end(), ev.input_epc_list.begin(), ev.input_epc_list.end());
    affected.insert(affected.end(), ev.output_epc_list.begin(), ev.output_epc_list.end());
    std::set<std::string> keys;
    for (const auto& id : affected) keys.insert(index_key(id));
    {
      Statement erase(db_, "DELETE FROM items WHERE key = ?1");
      if (!erase.ok()) return fail(io_error(db_, "resetting item state"));
      for (const auto& k : keys) {
        erase.bind_blob(1, k);
        if (erase.step() != SQLITE_DONE) return fail(io_error(db_, "resetting item state"));
        erase.reset();
      }
    }
    std::string sql =
        "SELECT seq, body FROM events WHERE error_declared = 0 AND seq IN "
        "(SELECT seq FROM event_ids_index WHERE id IN (";
    for (size_t i = 0; i < keys.size(); ++i) sql += i ? ",?" : "?";
    sql += ")) ORDER BY event_time, seq";
    Statement replay(db_, sql);
    if (!replay.ok()) return fail(io_error(db_, "reading events to replay"));
    int p = 1;
    for (const auto& k : keys) replay.bind_blob(p++, k);
    SqliteItemTable table(db_);
    if (!table.ok()) return fail(io_error(db_, "preparing item state"));
    // Only the affected items are rewritten; the replayed events' other items keep
    // the state they have, and alerts are not raised a second time.
    class Restricted final : public ItemTable {
     public:
      Restricted(ItemTable& t, const std::set<std::string>& keys) : t_(t), keys_(keys) {}
      std::optional<std::string> get(const std::string& id) override { return t_.get(id); }
      void put(const std::string& id, const std::string& parent, const std::string& rec) override {
        if (keys_.count(index_key(id))) t_.put(id, parent, rec);
      }
      void put_with_facets(const std::string& id, const std::string& parent, const std::string& rec,
                           const ItemFacets& facets) override {
        if (keys_.count(index_key(id))) t_.put_with_facets(id, parent, rec, facets);
      }
      std::vector<std::string> children_of(const std::string& parent) override {
        return t_.children_of(parent);
      }

     private:
      ItemTable& t_;
      const std::set<std::string>& keys_;
    } restricted(table, keys);
    std::vector<AlertRecord> discarded;
    int rc;
    while ((rc = replay.step()) == SQLITE_ROW) {
      auto stored = row_event(replay.get());
      if (!stored) return fail(std::move(stored).error());
      projection->apply(stored->event, restricted, discarded);
      if (table.failed()) return fail(io_error(db_, "rebuilding item state"));
    }
    if (rc != SQLITE_DONE) return fail(io_error(db_, "replaying events"));
    if (!table.flush_stock_counts()) return fail(io_error(db_, "counting stock"));
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
      return fail(io_error(db_, "committing an error declaration"));
    return true;
  }

  Result<std::optional<StoredEvent>> event(const std::string& event_id) override {
    auto reader = readers_.lend();
    if (!reader) return unexpected(std::move(reader).error());
    sqlite3* db = (*reader)->db();
    Statement s(db, "SELECT seq, body, captured_by FROM events WHERE event_id = ?1");
    if (!s.ok()) return unexpected(io_error(db, "reading an event"));
    s.bind(1, event_id);
    int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<StoredEvent>();
    if (rc != SQLITE_ROW) return unexpected(io_error(db, "reading an event"));
    auto ev = row_event(s.get(), 2);
    if (!ev) return unexpected(std::move(ev).error());
    return std::optional<StoredEvent>(std::move(*ev));
  }

  Result<QueryPage> query(const EventQuery& q) override {
    auto reader = readers_.lend();
    if (!reader) return unexpected(std::move(reader).error());
    sqlite3* db = (*reader)->db();
    sqlite::ReadTransaction snapshot(db);  // the count and the page see the same events
    if (!snapshot.open()) return unexpected(io_error(db, "starting a query"));
    if (q.max_event_count) {  // EPCIS 2.0 §8.2.7.1 maxEventCount: too many is an error
      QueryBuilder count;
      if (auto e = build_event_query(q, SqlFor::kCount, count)) return unexpected(std::move(*e));
      Statement s(db, count.sql);
      if (!s.ok()) return unexpected(io_error(db, "preparing a query"));
      count.bind(s);
      if (s.step() != SQLITE_ROW) return unexpected(io_error(db, "counting a query's events"));
      if (static_cast<uint64_t>(sqlite3_column_int64(s.get(), 0)) > *q.max_event_count)
        return unexpected(Error{
            Error::Kind::kQueryTooLarge,
            "more than maxEventCount=" + std::to_string(*q.max_event_count) + " events match", -1});
    }
    QueryBuilder b;
    if (auto e = build_event_query(q, SqlFor::kPage, b)) return unexpected(std::move(*e));
    Statement s(db, b.sql);
    if (!s.ok()) return unexpected(io_error(db, "preparing a query"));
    b.bind(s);
    QueryPage page;
    int64_t last_key = 0;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      if (page.events.size() == q.limit) {
        page.next_after = page.events.back().sequence;
        if (q.order_by != EventQuery::OrderBy::kSequence) page.next_after_key = last_key;
        break;
      }
      auto ev = row_event(s.get(), 3);
      if (!ev) return unexpected(std::move(ev).error());
      last_key = sqlite3_column_int64(s.get(), 2);
      page.events.push_back(std::move(*ev));
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return unexpected(io_error(db, "running a query"));
    return page;
  }

  Result<std::vector<std::string>> query_plan(const EventQuery& q) override {
    QueryBuilder b;
    if (auto e = build_event_query(q, SqlFor::kPage, b)) return unexpected(std::move(*e));
    auto reader = readers_.lend();
    if (!reader) return unexpected(std::move(reader).error());
    sqlite3* db = (*reader)->db();
    Statement s(db, "EXPLAIN QUERY PLAN " + b.sql);
    if (!s.ok()) return unexpected(io_error(db, "preparing a query plan"));
    b.bind(s);
    std::vector<std::string> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
      out.push_back(reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 3)));
    if (rc != SQLITE_DONE) return unexpected(io_error(db, "explaining a query"));
    return out;
  }

  Result<std::optional<std::string>> item(const std::string& id) override {
    auto reader = readers_.lend();
    if (!reader) return unexpected(std::move(reader).error());
    sqlite3_stmt* s = (*reader)->statement("SELECT record FROM items WHERE key = ?1");
    if (!s) return unexpected(io_error((*reader)->db(), "reading an item"));
    std::string key = index_key(id);
    sqlite3_bind_blob(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) return std::optional<std::string>();
    if (rc != SQLITE_ROW) return unexpected(io_error((*reader)->db(), "reading an item"));
    auto record = std::optional<std::string>(SqliteItemTable::column_text(s, 0));
    sqlite3_reset(s);  // ends the read transaction
    return record;
  }

  Result<size_t> items_of_gtin(
      const std::string& gtin14,
      const std::function<void(std::string_view, std::string_view)>& f) override {
    KeyRange range = sgtin_keys_of_gtin(gtin14);
    auto reader = readers_.lend();
    if (!reader) return unexpected(std::move(reader).error());
    sqlite3* db = (*reader)->db();
    Statement s(db, "SELECT key, record FROM items WHERE key >= ?1 AND key < ?2 ORDER BY key");
    if (!s.ok()) return unexpected(io_error(db, "reading items"));
    s.bind_blob(1, range.lo);
    s.bind_blob(2, range.hi);
    size_t n = 0;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      std::string key = SqliteItemTable::column_text(s.get(), 0);
      std::string record = SqliteItemTable::column_text(s.get(), 1);
      f(std::string_view(key).substr(kSgtinSerialOffset), record);
      ++n;
    }
    if (rc != SQLITE_DONE) return unexpected(io_error(db, "reading items"));
    return n;
  }

  Result<std::optional<size_t>> items_of_gtin_lots(
      const std::string& gtin14, const std::vector<std::string>& lots,
      const std::function<void(std::string_view, std::string_view)>& f) override {
    KeyRange range = sgtin_keys_of_gtin(gtin14);
    std::vector<std::string> sorted = lots;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    // On a read connection, in one read transaction: one snapshot of committed items (the
    // flag read in it too), and no transaction per statement (a recall reads a million
    // records here).
    auto reader = readers_.lend();
    if (!reader) return unexpected(std::move(reader).error());
    sqlite3* db = (*reader)->db();
    sqlite::ReadTransaction transaction(db);
    if (!transaction.open()) return unexpected(io_error(db, "reading items"));
    {
      Statement flag(db, "SELECT 1 FROM store_flags WHERE name = 'items_without_facets' AND value");
      if (!flag.ok()) return unexpected(io_error(db, "reading items"));
      int rc = flag.step();
      if (rc == SQLITE_ROW) return std::optional<size_t>();  // facets incomplete
      if (rc != SQLITE_DONE) return unexpected(io_error(db, "reading items"));
    }
    // Keys from the lot index, then the records in key order (serial order, as
    // items_of_gtin), each leaf page of items read once.
    Statement keys(db,
                   "SELECT key FROM items WHERE gtin = ?1 AND lot = ?2 AND key >= ?3 AND "
                   "key < ?4");
    Statement record(db, "SELECT record FROM items WHERE key = ?1");
    if (!keys.ok() || !record.ok()) return unexpected(io_error(db, "reading items"));
    std::vector<std::string> found;
    for (const auto& lot : sorted) {
      keys.bind_text(1, gtin14);
      keys.bind_text(2, lot);
      keys.bind_blob(3, range.lo);
      keys.bind_blob(4, range.hi);
      int rc;
      while ((rc = keys.step()) == SQLITE_ROW)
        found.push_back(SqliteItemTable::column_text(keys.get(), 0));
      keys.reset();
      if (rc != SQLITE_DONE) return unexpected(io_error(db, "reading items"));
    }
    std::sort(found.begin(), found.end());
    size_t n = 0;
    for (const auto& key : found) {
      record.bind_blob(1, key);
      int rc = record.step();
      if (rc == SQLITE_ROW) {
        f(std::string_view(key).substr(kSgtinSerialOffset),
          SqliteItemTable::column_text(record.get(), 0));
        ++n;
      } else if (rc != SQLITE_DONE) {
        return unexpected(io_error(db, "reading items"));
      }
      record.reset();
    }
    return std::optional<size_t>(n);
  }

  Result<bool> any_item_of_gtin(const std::string& gtin14) override {
    KeyRange range = sgtin_keys_of_gtin(gtin14);
    auto reader = readers_.lend();
    if (!reader) return unexpected(std::move(reader).error());
    sqlite3_stmt* s =
        (*reader)->statement("SELECT 1 FROM items WHERE key >= ?1 AND key < ?2 LIMIT 1");
    if (!s) return unexpected(io_error((*reader)->db(), "reading items"));
    sqlite3_bind_blob(s, 1, range.lo.data(), static_cast<int>(range.lo.size()), SQLITE_STATIC);
    sqlite3_bind_blob(s, 2, range.hi.data(), static_cast<int>(range.hi.size()), SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      return unexpected(io_error((*reader)->db(), "reading items"));
    return rc == SQLITE_ROW;
  }

  Result<std::optional<std::vector<std::pair<std::string, std::string>>>> master_data(
      const std::string& id) override {
    if (auto cached = master_data_.get(id)) return std::move(*cached);
    const uint64_t generation = master_data_.generation();
    auto read = read_master_data(id);
    if (read) master_data_.put(id, *read, generation);
    return read;
  }

  Result<std::optional<std::vector<std::pair<std::string, std::string>>>> read_master_data(
      const std::string& id) {
    auto reader = readers_.lend();
    if (!reader) return unexpected(std::move(reader).error());
    sqlite3_stmt* s =
        (*reader)->statement("SELECT attributes FROM vocabulary WHERE id = ?1 LIMIT 1");
    if (!s) return unexpected(io_error((*reader)->db(), "reading master data"));
    sqlite3_bind_text(s, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    int rc = sqlite3_step(s);
    using Attributes = std::vector<std::pair<std::string, std::string>>;
    if (rc == SQLITE_DONE) return std::optional<Attributes>();
    if (rc != SQLITE_ROW) return unexpected(io_error((*reader)->db(), "reading master data"));
    // The stored form: "<len>:<name><len>:<value>" for each attribute (write_master_data).
    std::string blob = SqliteItemTable::column_text(s, 0);
    sqlite3_reset(s);
    Attributes out;
    auto take = [&](size_t& p, std::string& v) {
      size_t colon = blob.find(':', p);
      if (colon == std::string::npos) return false;
      size_t n = std::strtoull(blob.c_str() + p, nullptr, 10);
      if (colon + 1 + n > blob.size()) return false;
      v = blob.substr(colon + 1, n);
      p = colon + 1 + n;
      return true;
    };
    for (size_t p = 0; p < blob.size();) {
      std::pair<std::string, std::string> a;
      if (!take(p, a.first) || !take(p, a.second))
        return unexpected(
            Error{Error::Kind::kCorrupt, "master data of " + id + " cannot be read", -1});
      out.push_back(std::move(a));
    }
    return std::optional<Attributes>(std::move(out));
  }

  Result<std::vector<std::string>> children(const std::string& parent) override {
    auto reader = readers_.lend();
    if (!reader) return unexpected(std::move(reader).error());
    sqlite3* db = (*reader)->db();
    Statement s(db, "SELECT id FROM items WHERE parent = ?1 ORDER BY key");
    if (!s.ok()) return unexpected(io_error(db, "reading children"));
    s.bind_blob(1, index_key(parent));
    std::vector<std::string> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(SqliteItemTable::column_text(s.get(), 0));
    if (rc != SQLITE_DONE) return unexpected(io_error(db, "reading children"));
    return out;
  }

  Result<int64_t> raise_alert(const AlertRecord& a) override {
    std::lock_guard lock(write_mutex_);
    Statement s(db_,
                "INSERT INTO alerts(kind, item_key, item, event_id, reason) "
                "VALUES (?1,?2,?3,?4,?5)");
    if (!s.ok()) return unexpected(io_error(db_, "preparing an alert"));
    s.bind_text(1, a.kind);
    s.bind_blob(2, index_key(a.item));
    s.bind_text(3, a.item);
    s.bind_text(4, a.event_id);
    s.bind_text(5, a.reason);
    if (s.step() != SQLITE_DONE) return unexpected(io_error(db_, "storing an alert"));
    return sqlite3_last_insert_rowid(db_);
  }

  Result<std::vector<AlertRecord>> alerts(const std::string& id, size_t limit) override {
    auto reader = readers_.lend();
    if (!reader) return unexpected(std::move(reader).error());
    sqlite3* db = (*reader)->db();
    Statement s(db,
                id.empty()
                    ? "SELECT seq, kind, item, event_id, reason FROM alerts ORDER BY seq LIMIT ?1"
                    : "SELECT seq, kind, item, event_id, reason FROM alerts WHERE item_key = ?2 "
                      "ORDER BY seq LIMIT ?1");
    if (!s.ok()) return unexpected(io_error(db, "reading alerts"));
    s.bind(1, static_cast<int64_t>(limit));
    if (!id.empty()) s.bind_blob(2, index_key(id));
    std::vector<AlertRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      AlertRecord a;
      a.sequence = sqlite3_column_int64(s.get(), 0);
      a.kind = SqliteItemTable::column_text(s.get(), 1);
      a.item = SqliteItemTable::column_text(s.get(), 2);
      a.event_id = SqliteItemTable::column_text(s.get(), 3);
      a.reason = SqliteItemTable::column_text(s.get(), 4);
      out.push_back(std::move(a));
    }
    if (rc != SQLITE_DONE) return unexpected(io_error(db, "reading alerts"));
    return out;
  }

  Result<int64_t> event_count() override {
    auto reader = readers_.lend();
    if (!reader) return unexpected(std::move(reader).error());
    sqlite3* db = (*reader)->db();
    Statement s(db, "SELECT count(*) FROM events");
    if (!s.ok() || s.step() != SQLITE_ROW) return unexpected(io_error(db, "counting events"));
    return sqlite3_column_int64(s.get(), 0);
  }

 private:
  // An event from a row (seq, body[, …]); captured_by from column captured_by_col when >= 0.
  Result<StoredEvent> row_event(sqlite3_stmt* s, int captured_by_col = -1) {
    StoredEvent out;
    out.sequence = sqlite3_column_int64(s, 0);
    if (captured_by_col >= 0) out.captured_by = SqliteItemTable::column_text(s, captured_by_col);
    std::string_view body(static_cast<const char*>(sqlite3_column_blob(s, 1)),
                          static_cast<size_t>(sqlite3_column_bytes(s, 1)));
    auto ev = decode_stored_event(body);
    if (!ev)
      return unexpected(Error{Error::Kind::kCorrupt,
                              "stored event " + std::to_string(out.sequence) + " cannot be read",
                              -1});
    out.event = std::move(*ev);
    return out;
  }

  sqlite3* db_;
  std::string path_;
  std::mutex write_mutex_;
  StatementCache statements_;  // db_'s, used under write_mutex_
  // Every read outside a write transaction: it sees committed data only, never a
  // capture in flight on db_ (which only the writer, under write_mutex_, uses).
  sqlite::ReadConnections readers_;
  MasterDataCache master_data_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // from the end of migrate
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite(const std::string& path, const SqliteOptions& options) {
  sqlite3* db = nullptr;
  // No connection mutex: the writer connection is used only under write_mutex_ (and by
  // migrate, before the store is shared); reads have connections of their own.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    Error e = io_error(db, "opening " + path);
    sqlite3_close_v2(db);
    return unexpected(std::move(e));
  }
  auto store = std::make_unique<SqliteStore>(db, path);
  if (auto m = store->migrate(options.durable); !m) return unexpected(std::move(m).error());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace serialtrack::store
