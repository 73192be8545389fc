// The event store: where captured EPCIS events live, durably, with the indexes the
// EPCIS query language needs. One interface, two implementations: SQLite (embedded,
// the default, open_sqlite) and PostgreSQL (later). Capture is a write of events;
// everything derived from them (item state, inventory, alerts) is written in the same
// transaction by the caller's projection (see trace/), so a reader never sees an event
// without its effects.
//
// Thread-safety: a Store is safe for concurrent use from many threads without external
// synchronisation; concurrent captures are serialised by the store.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "epcis/event.h"

namespace serialtrack::store {

struct Error {
  enum class Kind : uint8_t {
    kIo,             // the database could not be opened, read or written
    kCorrupt,        // the file is not a serialtrack database, or is damaged
    kInvalidQuery,   // a query parameter the store cannot answer (QueryParameterException)
    kInvalidEvent,   // an event the store cannot store (e.g. no eventID)
    kQueryTooLarge,  // more events match than maxEventCount (QueryTooLargeException)
  };
  Kind kind = Kind::kIo;
  std::string message;
  long event_index = -1;  // for kInvalidEvent: the event of the capture
};

template <typename T>
using Result = serialtrack::Result<T, Error>;

// What a capture did. Events already stored (same eventID) are duplicates: reported,
// never stored twice (idempotent capture, EPCIS 2.0 §8.2.7).
struct CaptureOutcome {
  size_t accepted = 0;
  size_t duplicates = 0;
  std::vector<int64_t> sequence;  // per event of the capture: its store sequence number
  bool job_stored = false;        // CaptureOptions::job was stored with the events
};

// An event as stored: the store's sequence number orders captures (recordTime order)
// and makes cursors stable under concurrent inserts.
struct StoredEvent {
  int64_t sequence = 0;
  epcis::Event event;
  std::string captured_by;  // the GLN of the party that captured it ("" when not recorded)
};

// Who is capturing (recorded with each event in the capture's transaction).
struct CaptureJob;  // capture_jobs.h

struct CaptureOptions {
  std::string captured_by;  // a party GLN (13 digits), or "" when not known
  // When set (it must outlive the call): this capture job is stored in the capture's
  // transaction, so that the events and their job commit together
  // (CaptureOutcome::job_stored). Its accepted, duplicates, finished (now) and running
  // (false) are set, here and as stored. A capture that fails stores no job.
  CaptureJob* job = nullptr;
};

// The parties (13-digit GLNs) an event names as source or destination values (EPCIS 2.0
// §7.3.5.4), in URN (urn:epc:id:sgln:…, urn:epc:id:pgln:…) or Digital Link (…/414/…,
// …/417/…) form; an SGLN's extension is ignored. What EventQuery::visible_to_party
// matches besides the capturing party. Sorted, without duplicates.
std::vector<std::string> named_parties(const epcis::Event& event);

// The 13-digit GLN a party or location identifier names (SGLN / PGLN URN, or a Digital
// Link URI with AI 414 or 417; an SGLN's extension ignored), or nullopt for anything else:
// how a custodian in item state is matched to an API key's party.
std::optional<std::string> party_gln(const std::string& id);

struct QueryPage;

// The EPCIS 2.0 query language (§8.2.7.1, SimpleEventQuery) answered on indexes.
// Empty fields do not constrain; all given constraints must hold. Times are [ge, lt).
// Identifiers (EPCs, classes, transaction/party ids, device ids) match in either form
// (EPC URN or GS1 Digital Link URI); CBV values are in their full URI form (cbv.h).
struct EventQuery {
  std::vector<epcis::EventType> event_types;
  std::optional<int64_t> ge_event_time, lt_event_time;  // unix nanos
  std::optional<int64_t> ge_record_time, lt_record_time;
  std::vector<epcis::Action> actions;
  std::vector<std::string> biz_steps, dispositions, read_points, biz_locations;
  std::vector<std::string> event_ids;
  // MATCH_ (§8.2.7.1.1): an EPC URI, or a GTIN pattern "urn:epc:idpat:sgtin:CP.IR.*"
  // matching every SGTIN of that GTIN.
  std::vector<std::string> match_epc;  // epcList / childEPCs
  std::vector<std::string> match_parent_id;
  std::vector<std::string> match_input_epc, match_output_epc;
  std::vector<std::string> match_any_epc;  // any of the above roles
  std::vector<std::string> transformation_ids;
  std::optional<bool> exists_error_declaration;

  // EQ_persistentDisposition_set / _unset.
  std::vector<std::string> persistent_disposition_set, persistent_disposition_unset;
  // WD_readPoint / WD_bizLocation: the location or any descendant in the location
  // hierarchy stored by Store::put_master_data (the location itself when it has none).
  std::vector<std::string> wd_read_points, wd_biz_locations;
  // MATCH_epcClass (quantityList / childQuantityList), MATCH_inputEPCClass,
  // MATCH_outputEPCClass, MATCH_anyEPCClass: a class URI (LGTIN URN, GTIN pattern,
  // Digital Link); a GTIN-level value (idpat or DL without lot) matches every lot.
  std::vector<std::string> match_epc_class, match_input_epc_class, match_output_epc_class;
  std::vector<std::string> match_any_epc_class;

  // A numeric condition: every bound given must hold for one and the same value.
  struct NumberFilter {
    std::vector<double> eq;  // one of
    std::optional<double> gt, ge, lt, le;
    bool empty() const { return eq.empty() && !gt && !ge && !lt && !le; }
  };
  NumberFilter quantity;  // EQ_/GT_/GE_/LT_/LE_quantity: any quantity element's quantity
  // EQ_quantity_<uom> ... LE_quantity_<uom>: a quantity element in that uom.
  std::vector<std::pair<std::string, NumberFilter>> quantity_by_uom;

  // EQ_bizTransaction_<type>, EQ_source_<type>, EQ_destination_<type>: a reference of
  // this type (full CBV URI or custom URI) whose value is one of values.
  struct TypedFilter {
    std::string type;
    std::vector<std::string> values;
  };
  std::vector<TypedFilter> biz_transactions, sources, destinations;

  // Access control (not an EPCIS parameter): "" does not restrict; a party GLN (13 digits)
  // keeps the events that party captured (CaptureOptions::captured_by) or names as a
  // source or destination (named_parties).
  std::string visible_to_party;

  std::vector<std::string> error_reasons;         // EQ_errorReason (CBV URIs)
  std::vector<std::string> corrective_event_ids;  // EQ_correctiveEventID
  std::optional<int64_t> ge_error_declaration_time, lt_error_declaration_time;  // unix nanos

  // EQ_/GT_/GE_/LT_/LE_/EXISTS_ on user extension fields (§8.2.7.1: EQ_fieldname,
  // EQ_ILMD_fieldname, EQ_INNER_..., EQ_ERROR_DECLARATION_...). field is "namespaceURI#name" or
  // "prefix:name" (the prefix as the captured documents declared it).
  struct FieldFilter {
    enum class Scope : uint8_t {
      kEvent,                  // a top-level event extension field
      kEventInner,             // a field nested inside an event extension field
      kIlmd,                   // a top-level ILMD field
      kIlmdInner,              // nested inside an ILMD field
      kErrorDeclaration,       // a top-level errorDeclaration extension field
      kErrorDeclarationInner,  // nested inside one
    };
    Scope scope = Scope::kEvent;
    std::string field;
    // EQ_: the field's text is one of these; empty (and no bounds): EXISTS_.
    std::vector<std::string> values;
    // GT_/GE_/LT_/LE_: the field's value (a number, or a dateTime / date) compared with
    // each bound's (number, or dateTime / date, as text); all must hold. With bounds,
    // values are ignored.
    struct Bound {
      enum class Op : uint8_t { kGt, kGe, kLt, kLe };
      Op op = Op::kGt;
      std::string value;
    };
    std::vector<Bound> bounds;
  };
  std::vector<FieldFilter> fields;

  // Sensor filters (§8.2.7.1): EQ_type (measurement type URIs), EQ_deviceID (sensor
  // metadata or report deviceID), EXISTS_sensorElementList, and:
  std::vector<std::string> sensor_types, device_ids;
  // EQ_dataProcessingMethod, EQ_microorganism, EQ_chemicalSubstance, EQ_bizRules,
  // EQ_stringValue, EQ_booleanValue, EQ_hexBinaryValue, EQ_uriValue: attribute -> values.
  std::vector<std::pair<std::string, std::vector<std::string>>> sensor_attributes;
  // EQ_/GT_/GE_/LT_/LE_ on value, minValue, maxValue, meanValue, sDev, percValue (each
  // "_<uom>") and percRank (uom ""): one report's attribute in that uom.
  struct SensorNumber {
    std::string attribute;  // "value", "minValue"... "percRank"
    std::string uom;        // UN/CEFACT Rec 20 code ("CEL")
    NumberFilter filter;
  };
  std::vector<SensorNumber> sensor_numbers;
  // GE_/LT_time, GE_/LT_startTime, GE_/LT_endTime (sensor metadata or report times).
  struct TimeRange {
    std::optional<int64_t> ge, lt;  // unix nanos
  };
  std::vector<std::pair<std::string, TimeRange>> sensor_times;  // "time", "startTime"...
  bool exists_sensor_element_list = false;

  // orderBy / orderDirection. kSequence (the default) is capture order, ascending.
  enum class OrderBy : uint8_t { kSequence, kEventTime, kRecordTime };
  OrderBy order_by = OrderBy::kSequence;
  bool descending = false;  // orderDirection=DESC (the standard's default with orderBy)

  size_t limit = 1000;  // page size (eventCountLimit / perPage)
  // maxEventCount: when more events match (from the cursor on), the query fails with
  // Error::Kind::kQueryTooLarge instead of answering (QueryTooLargeException).
  std::optional<size_t> max_event_count;
  // Cursor: only events after the one with this sequence (and, when order_by is a
  // time, this sort key). Set both from a page with continue_after.
  int64_t after_sequence = 0;
  std::optional<int64_t> after_key;

  // Makes this query continue after the last event of page (which must have next_after).
  void continue_after(const QueryPage& page);
};

struct QueryPage {
  std::vector<StoredEvent> events;        // in the query's order
  std::optional<int64_t> next_after;      // cursor for the next page, when there is one
  std::optional<int64_t> next_after_key;  // with order_by a time: the cursor's sort key
};

inline void EventQuery::continue_after(const QueryPage& page) {
  after_sequence = page.next_after.value_or(0);
  after_key = page.next_after_key;
}

// What inventory counts of an item, kept by the store in an indexed per-item table and
// in stock counts per (gtin, lot, location, custodian, disposition), maintained in the
// same transaction as the item's record (trace/ decides the values; see stock.h).
struct ItemFacets {
  bool in_stock = false;  // counted in the stock counts
  std::string gtin;       // 14 digits; "" for items that are not trade items
  std::string lot, location, custodian, disposition;
  std::string expiry;           // "YYYY-MM-DD" or ""
  int64_t last_event_time = 0;  // unix nanos of the item's latest event
};

// Per-item records a capture's projection reads and writes inside the capture's
// transaction (trace/ decides what the record holds; the store only keeps it). Ids
// are matched in any form (URN or Digital Link), like queries.
class ItemTable {
 public:
  virtual ~ItemTable() = default;
  // The record of an item, or nullopt when it has none.
  virtual std::optional<std::string> get(const std::string& id) = 0;
  // Writes an item's record and its container ("" for none).
  virtual void put(const std::string& id, const std::string& parent, const std::string& record) = 0;
  // As put, and also the item's inventory facets (a table that keeps none ignores them).
  virtual void put_with_facets(const std::string& id, const std::string& parent,
                               const std::string& record, const ItemFacets& facets) {
    (void)facets;
    put(id, parent, record);
  }
  // The ids of the items whose container is parent.
  virtual std::vector<std::string> children_of(const std::string& parent) = 0;
};

// Something a projection found wrong with an event (a lifecycle rule broken).
struct AlertRecord {
  std::string kind, item, event_id, reason;
  int64_t sequence = 0;  // assigned by the store
};

// Runs once per newly stored event, in order, inside the capture's transaction: if the
// capture rolls back, so does everything the projection wrote.
class Projection {
 public:
  virtual ~Projection() = default;
  virtual void apply(const epcis::Event& event, ItemTable& items,
                     std::vector<AlertRecord>& alerts) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Stores the events in one transaction: all of them or, on error, none. Each event
  // must carry its eventID (a capture service assigns the CBV 2.0 §8.9 hash to those
  // without one). The transaction is durable when this returns (synchronous commit).
  // With a projection, each stored event is also applied to the item records and the
  // alerts it raises are stored, all in the same transaction.
  virtual Result<CaptureOutcome> capture(std::span<const epcis::Event> events,
                                         Projection* projection = nullptr,
                                         const CaptureOptions& options = {}) = 0;

  // As capture above, and also stores the capture document's master data (its header's
  // vocabularyList, EPCIS 2.0 §7.5) in the same transaction, as put_master_data does.
  // Callers capturing a Document pass doc.master_data here, so that WD_readPoint /
  // WD_bizLocation see the location hierarchy the document declares. options.captured_by
  // is stored with each newly stored event (a duplicate keeps its first capturer).
  virtual Result<CaptureOutcome> capture(std::span<const epcis::Event> events,
                                         const std::vector<epcis::Vocabulary>& master_data,
                                         Projection* projection = nullptr,
                                         const CaptureOptions& options = {}) = 0;

  // Stores master data (an EPCISMasterDataDocument's or a header's vocabularies):
  // each element's attributes replace those stored for it; the children of location
  // elements (BusinessLocation, ReadPoint) are added to the location hierarchy that
  // WD_ queries follow (never removed). One durable transaction.
  virtual Result<void*> put_master_data(const std::vector<epcis::Vocabulary>& master_data) = 0;

  // The attributes of a master-data element (a location, party, product) of any
  // vocabulary type, by id; nullopt when none was captured. Attribute URI -> value.
  virtual Result<std::optional<std::vector<std::pair<std::string, std::string>>>> master_data(
      const std::string& id) = 0;

  // The record of an item (any identifier form), or nullopt when it has none.
  virtual Result<std::optional<std::string>> item(const std::string& id) = 0;

  // Calls f(serial, record) for the record of every SGTIN item of this GTIN (14 digits),
  // in serial order; a range scan of the compact keys. Returns how many there were.
  virtual Result<size_t> items_of_gtin(
      const std::string& gtin14,
      const std::function<void(std::string_view serial, std::string_view record)>& f) = 0;

  // As items_of_gtin for the items whose lot (their inventory facet) is one of lots, read
  // through an index of GTIN and lot rather than every item of the GTIN. Returns how many
  // there were, or nullopt (f never called) when some item record has no facets (stored
  // before schema version 6, or put without facets): then only items_of_gtin is exact.
  virtual Result<std::optional<size_t>> items_of_gtin_lots(
      const std::string& gtin14, const std::vector<std::string>& lots,
      const std::function<void(std::string_view serial, std::string_view record)>& f) = 0;

  // True when the store holds the record of at least one SGTIN item of this GTIN (14
  // digits): one step of the range scan items_of_gtin makes ("is this product known?").
  virtual Result<bool> any_item_of_gtin(const std::string& gtin14) = 0;

  // The ids of the items directly inside a container.
  virtual Result<std::vector<std::string>> children(const std::string& parent) = 0;

  // Alerts raised about an item (any form), oldest first; all alerts when id is empty.
  virtual Result<std::vector<AlertRecord>> alerts(const std::string& id, size_t limit = 1000) = 0;

  // Stores an alert that no capture raised (e.g. repeated unknown-serial verifications from
  // one client, server/rate_limit.h); alert.item may be any id (a client's). One durable
  // transaction. Returns the alert's sequence number.
  virtual Result<int64_t> raise_alert(const AlertRecord& alert) = 0;

  // Records an error declaration (EPCIS 2.0 §7.4.1.2) for an event already stored: the
  // event is kept (events are facts) but marked erroneous, and with a projection the
  // records of the items it named are rebuilt from their remaining events in eventTime
  // order (alerts from the rebuild are not raised again). One transaction. Returns false
  // when no event with that eventID is stored.
  virtual Result<bool> declare_error(const std::string& event_id,
                                     const epcis::ErrorDeclaration& declaration,
                                     Projection* projection) = 0;

  // The event with this eventID; nullopt when there is none ("not found" is no error).
  virtual Result<std::optional<StoredEvent>> event(const std::string& event_id) = 0;

  // Events matching query, in its order (sequence order by default), at most
  // query.limit. Error kInvalidQuery for a query the store cannot answer, and
  // kQueryTooLarge when query.max_event_count is exceeded.
  virtual Result<QueryPage> query(const EventQuery& query) = 0;

  // The plan SQLite chose for query (EXPLAIN QUERY PLAN, one line per step): for tests
  // and operators proving that a query runs on indexes.
  virtual Result<std::vector<std::string>> query_plan(const EventQuery& query) = 0;

  // Number of events stored.
  virtual Result<int64_t> event_count() = 0;
};

struct SqliteOptions {
  bool durable = true;  // synchronous=FULL: an acknowledged capture survives power loss
};

// Opens (creating when absent) the SQLite database at path and migrates its schema to
// the current version. The caller owns the Store.
Result<std::unique_ptr<Store>> open_sqlite(const std::string& path,
                                           const SqliteOptions& options = {});

}  // namespace serialtrack::store
