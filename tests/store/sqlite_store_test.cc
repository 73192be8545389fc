// The embedded SQLite store: durable, idempotent, all-or-nothing capture; queries on
// indexes with stable cursors; schema versioning.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "store/capture_jobs.h"
#include "store/store.h"

namespace serialtrack::store {
namespace {

using epcis::Action;
using epcis::Event;
using epcis::EventType;

std::string temp_db(const std::string& name) {
  auto p = std::filesystem::path(::testing::TempDir()) / (name + ".db");
  std::filesystem::remove(p);
  std::filesystem::remove(p.string() + "-wal");
  std::filesystem::remove(p.string() + "-shm");
  return p.string();
}

Event object_event(const std::string& id, int64_t second, std::vector<std::string> epcs,
                   const std::string& biz_step = "urn:epcglobal:cbv:bizstep:commissioning") {
  Event e;
  e.type = EventType::kObject;
  e.event_id = id;
  e.event_time = {second * 1'000'000'000, 60};
  e.action = Action::kAdd;
  e.biz_step = biz_step;
  e.epc_list = std::move(epcs);
  e.read_point = "urn:epc:id:sgln:9520123.00001.0";
  return e;
}

std::unique_ptr<Store> open(const std::string& path) {
  auto s = open_sqlite(path);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return std::move(*s);
}

// The eventIDs of the first page that q answers, in order.
std::vector<std::string> event_ids(Store& store, const EventQuery& q) {
  std::vector<std::string> v;
  auto page = store.query(q);
  EXPECT_TRUE(page) << (page ? "" : page.error().message);
  if (page)
    for (auto& e : page->events) v.push_back(e.event.event_id);
  return v;
}

TEST(SqliteStore, CapturedEventsReadBackEqual) {
  auto store = open(temp_db("read_back"));
  Event e = object_event("urn:uuid:1", 1000, {"urn:epc:id:sgtin:9520123.045678.1"});
  auto r = store->capture(std::span(&e, 1));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->accepted, 1u);
  auto got = store->event("urn:uuid:1");
  ASSERT_TRUE(got && *got);
  Event expected = e;
  expected.record_time = (*got)->event.record_time;  // set by the store at capture
  EXPECT_TRUE((*got)->event.record_time.has_value());
  EXPECT_EQ((*got)->event, expected);
  EXPECT_FALSE(*store->event("urn:uuid:absent"));  // not found is no error
}

TEST(SqliteStore, ACaptureIsIdempotent) {
  auto store = open(temp_db("idempotent"));
  std::vector<Event> events = {object_event("urn:uuid:1", 1, {"a"}),
                               object_event("urn:uuid:2", 2, {"b"})};
  ASSERT_EQ(store->capture(events)->accepted, 2u);
  auto again = store->capture(events);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->accepted, 0u);
  EXPECT_EQ(again->duplicates, 2u);
  EXPECT_EQ(*store->event_count(), 2);
}

TEST(SqliteStore, ARejectedCaptureStoresNothing) {
  auto store = open(temp_db("rollback"));
  std::vector<Event> events = {object_event("urn:uuid:1", 1, {"a"}), object_event("", 2, {"b"})};
  auto r = store->capture(events);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Error::Kind::kInvalidEvent);
  EXPECT_EQ(r.error().event_index, 1);
  EXPECT_EQ(*store->event_count(), 0);
}

// Reads see committed events only: while a capture's transaction is open (here, from
// inside it, where its projection runs), the events it has stored so far are not
// visible to event, query or event_count, and a rolled-back capture never was.
TEST(SqliteStore, ReadsNeverSeeACaptureInFlight) {
  auto store = open(temp_db("in_flight"));
  Event first = object_event("urn:uuid:committed", 1, {"a"});
  ASSERT_TRUE(store->capture(std::span(&first, 1)));
  struct Peek final : Projection {
    Store* store = nullptr;
    std::vector<bool> seen;
    std::vector<int64_t> counts;
    void apply(const Event& e, ItemTable&, std::vector<AlertRecord>&) override {
      auto got = store->event(e.event_id);
      seen.push_back(got && *got);
      EventQuery q;
      q.event_ids = {e.event_id};
      auto page = store->query(q);
      seen.push_back(page && !page->events.empty());
      counts.push_back(*store->event_count());
    }
  } peek;
  peek.store = store.get();
  std::vector<Event> events = {object_event("urn:uuid:in-flight", 2, {"b"}),
                               object_event("", 3, {"c"})};  // no eventID: rolled back
  EXPECT_FALSE(store->capture(events, &peek));
  EXPECT_EQ(peek.seen, (std::vector<bool>{false, false}));
  EXPECT_EQ(peek.counts, std::vector<int64_t>{1});
  EXPECT_FALSE(*store->event("urn:uuid:in-flight"));
  EXPECT_EQ(*store->event_count(), 1);
}

TEST(SqliteStore, CapturesSurviveReopening) {
  std::string path = temp_db("reopen");
  {
    auto store = open(path);
    Event e = object_event("urn:uuid:1", 1, {"a"});
    ASSERT_TRUE(store->capture(std::span(&e, 1)));
  }
  auto store = open(path);
  EXPECT_EQ(*store->event_count(), 1);
}

TEST(SqliteStore, QueriesFilterByTheStandardsParameters) {
  auto store = open(temp_db("query"));
  std::vector<Event> events = {
      object_event("urn:uuid:1", 10, {"urn:epc:id:sgtin:9520123.045678.1"}),
      object_event("urn:uuid:2", 20, {"urn:epc:id:sgtin:9520123.045678.2"},
                   "urn:epcglobal:cbv:bizstep:shipping"),
      object_event("urn:uuid:3", 30, {"urn:epc:id:sgtin:9520123.045678.1"},
                   "urn:epcglobal:cbv:bizstep:receiving"),
  };
  events[2].type = EventType::kTransaction;
  events[2].action = Action::kObserve;
  ASSERT_TRUE(store->capture(events));
  auto ids = [&](const EventQuery& q) { return event_ids(*store, q); };
  using V = std::vector<std::string>;
  EventQuery q;
  q.match_epc = {"urn:epc:id:sgtin:9520123.045678.1"};
  EXPECT_EQ(ids(q), (V{"urn:uuid:1", "urn:uuid:3"}));
  q = {};
  q.biz_steps = {"urn:epcglobal:cbv:bizstep:shipping"};
  EXPECT_EQ(ids(q), (V{"urn:uuid:2"}));
  q = {};
  q.ge_event_time = 15'000'000'000;
  q.lt_event_time = 30'000'000'000;
  EXPECT_EQ(ids(q), (V{"urn:uuid:2"}));
  q = {};
  q.event_types = {EventType::kTransaction};
  EXPECT_EQ(ids(q), (V{"urn:uuid:3"}));
  q = {};
  q.actions = {Action::kAdd};
  q.match_any_epc = {"urn:epc:id:sgtin:9520123.045678.1"};
  EXPECT_EQ(ids(q), (V{"urn:uuid:1"}));
  q = {};
  q.event_ids = {"urn:uuid:2", "urn:uuid:3"};
  EXPECT_EQ(ids(q), (V{"urn:uuid:2", "urn:uuid:3"}));
}

// The identifier index is written many rows per statement (256, 16, then one at a time)
// with statements kept between captures: every identifier of a capture of any size is
// found, an identifier listed twice is indexed once, and a capture rejected halfway
// leaves the next one whole.
TEST(SqliteStore, EveryIdentifierOfACaptureIsIndexedWhateverItsSize) {
  auto store = open(temp_db("index_sizes"));
  auto sgtin = [](int serial) {
    return "urn:epc:id:sgtin:9520123.045678." + std::to_string(serial);
  };
  std::vector<std::string> epcs;
  for (int s = 0; s < 300; ++s) epcs.push_back(sgtin(s));  // 256 + 2 x 16 + 12 x 1
  epcs.push_back(sgtin(7));                                // listed twice
  std::vector<Event> rejected = {object_event("urn:uuid:ok", 1, epcs), object_event("", 2, {"x"})};
  ASSERT_FALSE(store->capture(rejected));
  std::vector<Event> events = {object_event("urn:uuid:big", 3, epcs),
                               object_event("urn:uuid:small", 4, {sgtin(1000), sgtin(299)})};
  ASSERT_TRUE(store->capture(events));
  auto ids = [&](const std::string& epc) {
    EventQuery q;
    q.match_epc = {epc};
    return event_ids(*store, q);
  };
  using V = std::vector<std::string>;
  for (int s : {0, 7, 255, 256, 271, 272, 287, 288, 298})
    EXPECT_EQ(ids(sgtin(s)), (V{"urn:uuid:big"})) << s;
  EXPECT_EQ(ids(sgtin(299)), (V{"urn:uuid:big", "urn:uuid:small"}));
  EXPECT_EQ(ids(sgtin(1000)), (V{"urn:uuid:small"}));
  EXPECT_EQ(ids(sgtin(300)), V{});
  EXPECT_EQ(*store->event_count(), 2);
}
TEST(SqliteStore, CursorPagesAreStableUnderConcurrentInserts) {
  auto store = open(temp_db("cursor"));
  std::vector<Event> events;
  for (int i = 0; i < 25; ++i)
    events.push_back(object_event("urn:uuid:" + std::to_string(i), i, {"x"}));
  ASSERT_TRUE(store->capture(events));
  EventQuery q;
  q.limit = 10;
  auto first = store->query(q);
  ASSERT_TRUE(first && first->next_after);
  EXPECT_EQ(first->events.size(), 10u);
  Event late = object_event("urn:uuid:late", 0, {"x"});  // an earlier eventTime, captured later
  ASSERT_TRUE(store->capture(std::span(&late, 1)));
  std::vector<std::string> rest;
  q.after_sequence = *first->next_after;
  for (;;) {
    auto page = store->query(q);
    ASSERT_TRUE(page);
    for (auto& e : page->events) rest.push_back(e.event.event_id);
    if (!page->next_after) break;
    q.after_sequence = *page->next_after;
  }
  ASSERT_EQ(rest.size(), 16u);  // 15 remaining + the late one, nothing repeated or lost
  EXPECT_EQ(rest.front(), "urn:uuid:10");
  EXPECT_EQ(rest.back(), "urn:uuid:late");
}

TEST(SqliteStore, AnEpcMatchesWhetherWrittenAsUrnOrDigitalLink) {
  auto store = open(temp_db("forms"));
  Event e = object_event("urn:uuid:1", 1, {"urn:epc:id:sgtin:9520123.045678.7"});
  ASSERT_TRUE(store->capture(std::span(&e, 1)));
  EventQuery q;
  q.match_epc = {"https://id.gs1.org/01/09520123456788/21/7"};
  auto page = store->query(q);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].event.event_id, "urn:uuid:1");
}

TEST(SqliteStore, EveryFieldOfAnEventIsKeptExactly) {
  auto store = open(temp_db("fields"));
  Event e = object_event("urn:uuid:full", 5, {"urn:epc:id:sgtin:9520123.045678.1"});
  e.error_declaration =
      epcis::ErrorDeclaration{{7, -120}, "urn:epcglobal:cbv:er:incorrect_data", {"urn:uuid:x"}, {}};
  e.quantity_list = {{"urn:epc:class:lgtin:9520123.045678.L1", 2.5, "KGM"}};
  e.persistent_disposition.set = {"urn:epcglobal:cbv:disp:completeness_verified"};
  e.biz_transactions = {{"urn:epcglobal:cbv:btt:po", "urn:epc:id:gdti:9520123.00000.1"}};
  e.sources = {{"urn:epcglobal:cbv:sdt:owning_party", "urn:epc:id:pgln:9520123.00000"}};
  epcis::SensorElement se;
  se.metadata = epcis::SensorMetadata{};
  se.metadata->time = epcis::Timestamp{9, 0};
  se.metadata->device_id = "urn:epc:id:giai:9520123.1";
  epcis::SensorReport rep;
  rep.type = "https://gs1.org/voc/Temperature";
  rep.value = 3.25;
  rep.uom = "CEL";
  rep.boolean_value = false;
  se.reports = {rep};
  e.sensor_elements = {se};
  epcis::Extension child{
      "https://ns.example.com/", "ex", "inner", epcis::Extension::Kind::kNumber, "4", {}, true, {}};
  epcis::Extension outer{"https://ns.example.com/",
                         "ex",
                         "outer",
                         epcis::Extension::Kind::kObject,
                         "",
                         {child, child},
                         false,
                         {{"https://ns.example.com/", "ex", "unit", "m"}}};
  e.extensions = {outer};
  e.ilmd = std::vector<epcis::Extension>{};
  e.certification_info = {"https://example.com/cert/1"};
  ASSERT_TRUE(store->capture(std::span(&e, 1)));
  auto got = store->event("urn:uuid:full");
  ASSERT_TRUE(got && *got);
  e.record_time = (*got)->event.record_time;
  EXPECT_EQ((*got)->event, e);
}

TEST(SqliteStore, AnOlderDatabaseGetsItsQueryIndexesOnUpgrade) {
  std::string path = temp_db("upgrade");
  {
    auto store = open(path);
    Event e = object_event("urn:uuid:old", 1, {"urn:epc:id:sgtin:9520123.045678.1"});
    e.persistent_disposition.set = {"urn:epcglobal:cbv:disp:completeness_verified"};
    e.quantity_list = {{"urn:epc:class:lgtin:9520123.045678.L1", 4, ""}};
    ASSERT_TRUE(store->capture(std::span(&e, 1)));
  }
  // Turn the file back into a version-2 database (before migration 3's query indexes).
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db,
                   "DROP TABLE event_terms; DROP TABLE event_numbers; DROP TABLE event_fields;"
                   "DROP TABLE field_prefixes; DROP TABLE vocabulary; DROP TABLE locations;"
                   "DROP INDEX events_by_type_action;"
                   "DROP INDEX events_with_error_declaration;"
                   "ALTER TABLE events DROP COLUMN captured_by; PRAGMA user_version=2;",
                   nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  auto store = open(path);  // migrates, filling the new indexes from the stored events
  EventQuery q;
  q.persistent_disposition_set = {"urn:epcglobal:cbv:disp:completeness_verified"};
  q.match_epc_class = {"urn:epc:idpat:sgtin:9520123.045678.*"};
  q.quantity.eq = {4};
  auto page = store->query(q);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].event.event_id, "urn:uuid:old");
}

TEST(SqliteStore, AnOlderDatabaseGetsItsVisibilityIndexOnUpgrade) {
  std::string path = temp_db("upgrade_visibility");
  const std::string party = "9520123000004";  // urn:epc:id:pgln:9520123.00000
  {
    auto store = open(path);
    Event e = object_event("urn:uuid:old", 1, {"urn:epc:id:sgtin:9520123.045678.1"});
    e.sources = {{"urn:epcglobal:cbv:sdt:owning_party", "urn:epc:id:pgln:9520123.00000"}};
    ASSERT_TRUE(store->capture(std::span(&e, 1)));
  }
  // Turn the file back into a version-4 database: no capturer column, no visibility rows
  // (all event_terms rows go: only visibility is queried below).
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DELETE FROM event_terms; ALTER TABLE events DROP COLUMN captured_by;"
                         "PRAGMA user_version=4;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = open(path);  // migration 5 indexes the parties the stored events name
  EventQuery q;
  q.visible_to_party = party;
  auto page = store->query(q);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].event.event_id, "urn:uuid:old");
  EXPECT_EQ(page->events[0].captured_by, "");  // not recorded before version 5
  Event later = object_event("urn:uuid:new", 2, {"urn:epc:id:sgtin:9520123.045678.2"});
  ASSERT_TRUE(store->capture(std::span(&later, 1), nullptr, CaptureOptions{party}));
  EXPECT_EQ(store->query(q)->events.size(), 2u);
  EXPECT_EQ((*store->event("urn:uuid:new"))->captured_by, party);
}

TEST(SqliteStore, MasterDataIsPartOfTheCaptureTransaction) {
  auto store = open(temp_db("master_data"));
  epcis::Vocabulary v;
  v.type = "urn:epcglobal:epcis:vtype:BusinessLocation";
  v.elements = {{"urn:epc:id:sgln:9520123.00001.0", {}, {"urn:epc:id:sgln:9520123.00001.1"}}};
  std::vector<Event> rejected = {object_event("", 1, {"a"})};  // no eventID: rolled back
  ASSERT_FALSE(store->capture(rejected, std::vector<epcis::Vocabulary>{v}));
  Event e = object_event("urn:uuid:1", 1, {"a"});
  e.biz_location = "urn:epc:id:sgln:9520123.00001.1";
  ASSERT_TRUE(store->capture(std::span(&e, 1)));
  EventQuery q;
  q.wd_biz_locations = {"urn:epc:id:sgln:9520123.00001.0"};
  EXPECT_TRUE(store->query(q)->events.empty());  // the hierarchy was not stored
  ASSERT_TRUE(store->put_master_data({v}));
  EXPECT_EQ(store->query(q)->events.size(), 1u);
}

// master_data answers from a cache of a second (a verification reads its product's
// name): what this store writes is read back at once, known or not before.
TEST(SqliteStore, MasterDataWrittenIsReadBackAtOnce) {
  auto store = open(temp_db("master_data_cache"));
  const std::string product = "https://id.gs1.org/01/09520123456788";
  ASSERT_TRUE(store->master_data(product));
  EXPECT_FALSE(*store->master_data(product));  // none yet (and remembered so)
  epcis::Vocabulary v;
  v.type = "urn:epcglobal:epcis:vtype:EPCClass";
  v.elements = {{product, {{"urn:epcglobal:cbv:mda#tradeItemDescription", "Aspirin"}}, {}}};
  ASSERT_TRUE(store->put_master_data({v}));
  auto read = store->master_data(product);
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((**read)[0].second, "Aspirin");
  v.elements[0].attributes[0].second = "Aspirin 500";  // and in a capture's document
  Event e = object_event("urn:uuid:md", 1, {"urn:epc:id:sgtin:9520123.045678.1"});
  ASSERT_TRUE(store->capture(std::span(&e, 1), std::vector<epcis::Vocabulary>{v}));
  EXPECT_EQ((**store->master_data(product))[0].second, "Aspirin 500");
}

// Master data another process writes (here another store on the file) is read within
// the cache's second.
TEST(SqliteStore, MasterDataWrittenElsewhereIsReadWithinASecond) {
  std::string path = temp_db("master_data_elsewhere");
  auto reader = open(path);
  auto writer = open(path);
  const std::string product = "https://id.gs1.org/01/09520123456788";
  EXPECT_FALSE(*reader->master_data(product));
  epcis::Vocabulary v;
  v.type = "urn:epcglobal:epcis:vtype:EPCClass";
  v.elements = {{product, {{"urn:epcglobal:cbv:mda#tradeItemDescription", "Aspirin"}}, {}}};
  ASSERT_TRUE(writer->put_master_data({v}));
  auto t0 = std::chrono::steady_clock::now();
  std::optional<std::vector<std::pair<std::string, std::string>>> read;
  while (!read && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3)) {
    read = *reader->master_data(product);
    if (!read) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(read);
  EXPECT_EQ((*read)[0].second, "Aspirin");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1500));
}

// POST /capture's job is written in the capture's transaction (one commit): stored with
// the capture's counts when the events are, not at all when the capture fails.
TEST(SqliteStore, ACaptureJobCommitsWithItsEventsOrNotAtAll) {
  std::string path = temp_db("capture_job");
  auto store = open(path);
  auto jobs = std::move(*open_sqlite_capture_jobs(path));
  Event before = object_event("urn:uuid:j0", 1, {"urn:epc:id:sgtin:9520123.045678.1"});
  ASSERT_TRUE(store->capture(std::span(&before, 1)));
  CaptureJob job;
  job.id = "job-1";
  job.created = 1;
  job.error_behaviour = "rollback";
  job.events = 2;
  CaptureOptions options;
  options.job = &job;
  std::vector<Event> doc = {before,
                            object_event("urn:uuid:j1", 2, {"urn:epc:id:sgtin:9520123.045678.2"})};
  auto outcome = store->capture(doc, nullptr, options);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->job_stored);
  EXPECT_EQ(job.accepted, 1);
  EXPECT_EQ(job.duplicates, 1);
  EXPECT_FALSE(job.running);
  EXPECT_GT(job.finished, 0);
  auto stored = jobs->job("job-1");
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->accepted, 1);
  EXPECT_EQ((*stored)->duplicates, 1);
  EXPECT_EQ((*stored)->finished, job.finished);
  EXPECT_EQ((*stored)->events, 2);

  CaptureJob failed;
  failed.id = "job-2";
  options.job = &failed;
  std::vector<Event> bad = {object_event("urn:uuid:j2", 3, {"a"}), object_event("", 4, {"b"})};
  EXPECT_FALSE(store->capture(bad, nullptr, options));  // no eventID: rolled back
  EXPECT_FALSE(*jobs->job("job-2"));
  EXPECT_FALSE(*store->event("urn:uuid:j2"));
}

// Writes each EPC of an event as an item of lot "A", with its facets or (plain) without.
class LotProjection final : public Projection {
 public:
  explicit LotProjection(bool with_facets) : with_facets_(with_facets) {}
  void apply(const Event& e, ItemTable& items, std::vector<AlertRecord>&) override {
    ItemFacets f;
    f.gtin = "09520123456788";
    f.lot = "A";
    for (const auto& id : e.epc_list) {
      if (with_facets_)
        items.put_with_facets(id, "", "record of " + id, f);
      else
        items.put(id, "", "record of " + id);
    }
  }

 private:
  bool with_facets_;
};

TEST(SqliteStore, ItemsOfALotAreReadByIndexOnlyWhileEveryItemHasItsFacets) {
  auto store = open(temp_db("items_of_lots"));
  LotProjection facets(true), plain(false);
  Event e = object_event(
      "urn:uuid:1", 1, {"urn:epc:id:sgtin:9520123.045678.2", "urn:epc:id:sgtin:9520123.045678.1"});
  ASSERT_TRUE(store->capture(std::span(&e, 1), &facets));
  std::vector<std::string> seen;
  auto collect = [&](std::string_view serial, std::string_view record) {
    seen.push_back(std::string(serial) + "=" + std::string(record));
  };
  auto r = store->items_of_gtin_lots("09520123456788", {"A", "B"}, collect);
  ASSERT_TRUE(r && *r);
  EXPECT_EQ(**r, 2u);
  EXPECT_EQ(seen, (std::vector<std::string>{"1=record of urn:epc:id:sgtin:9520123.045678.1",
                                            "2=record of urn:epc:id:sgtin:9520123.045678.2"}));
  seen.clear();
  r = store->items_of_gtin_lots("09520123456788", {"B"}, collect);
  ASSERT_TRUE(r && *r);
  EXPECT_EQ(**r, 0u);
  // An item without facets: the lot index no longer names every item of the lot.
  Event more = object_event("urn:uuid:2", 2, {"urn:epc:id:sgtin:9520123.045678.3"});
  ASSERT_TRUE(store->capture(std::span(&more, 1), &plain));
  r = store->items_of_gtin_lots("09520123456788", {"A"}, collect);
  ASSERT_TRUE(r);
  EXPECT_FALSE(*r);
  EXPECT_TRUE(seen.empty());
}

TEST(SqliteStore, RefusesADatabaseFromANewerVersion) {
  std::string path = temp_db("newer");
  { open(path); }
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "PRAGMA user_version=999", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto s = open_sqlite(path);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, Error::Kind::kCorrupt);
}

}  // namespace
}  // namespace serialtrack::store

namespace serialtrack::store {
namespace {

TEST(SqliteStoreOpening, ProcessesOpeningANewFileAtOnceMigrateItOnce) {
  auto path = (std::filesystem::path(::testing::TempDir()) / "concurrent_open.db").string();
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  constexpr int kProcesses = 4;
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      auto s = open_sqlite(path);
      if (!s) std::fprintf(stderr, "child %d: %s\n", i, s.error().message.c_str());
      _exit(s ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto s = open_sqlite(path);
  ASSERT_TRUE(s);
  EXPECT_EQ(*(*s)->event_count(), 0);
}

}  // namespace
}  // namespace serialtrack::store
