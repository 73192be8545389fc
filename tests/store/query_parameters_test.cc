// Every EPCIS 2.0 query parameter (§8.2.7.1) this repository supports, parsed as the CLI
// and HTTP parse it and answered by the SQLite store: expected results for each, and
// proof from EXPLAIN QUERY PLAN that each runs on an index (no scan of all events).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"
#include "trace/query.h"

namespace serialtrack::store {
namespace {

using epcis::Action;
using epcis::Event;
using epcis::EventType;
using epcis::Extension;
using Params = std::vector<std::pair<std::string, std::string>>;
using Ids = std::vector<std::string>;

constexpr const char* kNs = "http://ns.example.com/ex/";
const std::string kA = "urn:epc:id:sgln:9520123.00001.0";   // location A
const std::string kA1 = "urn:epc:id:sgln:9520123.00001.1";  // inside A
const std::string kB = "urn:epc:id:sgln:9520123.00002.0";   // location B
const std::string kB1 = "urn:epc:id:sgln:9520123.00002.1";  // inside B

std::string temp_db(const std::string& name) {
  auto p = std::filesystem::path(::testing::TempDir()) / (name + ".db");
  std::filesystem::remove(p);
  std::filesystem::remove(p.string() + "-wal");
  std::filesystem::remove(p.string() + "-shm");
  return p.string();
}

Extension field(const std::string& name, const std::string& value,
                Extension::Kind kind = Extension::Kind::kString) {
  Extension x;
  x.ns = kNs;
  x.prefix = "ex";
  x.name = name;
  x.kind = kind;
  x.value = value;
  return x;
}

Event event(const std::string& id, EventType type, int64_t second) {
  Event e;
  e.type = type;
  e.event_id = id;
  e.event_time = {second * 1'000'000'000, 0};
  e.action = type == EventType::kTransformation ? Action::kNone : Action::kObserve;
  return e;
}

// Five events, each holding the fields some parameters select.
std::vector<Event> events() {
  Event e1 = event("urn:uuid:e1", EventType::kObject, 10);
  e1.action = Action::kAdd;
  e1.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
  e1.epc_list = {"urn:epc:id:sgtin:9520123.045678.1", "urn:epc:id:sgtin:9520123.045678.2"};
  e1.read_point = kA1;
  e1.persistent_disposition.set = {"urn:epcglobal:cbv:disp:completeness_verified"};
  Extension nested = field("nested", "", Extension::Kind::kObject);
  nested.children = {field("inner", "x")};
  e1.ilmd = std::vector<Extension>{field("lot", "L1"), nested};
  e1.extensions = {field("temp", "5", Extension::Kind::kNumber)};
  e1.ilmd->push_back(field("bestBefore", "2025-03-31"));

  Event e2 = event("urn:uuid:e2", EventType::kObject, 20);
  e2.quantity_list = {{"urn:epc:class:lgtin:9520123.045678.L1", 10, "KGM"}};
  e2.biz_location = kB;
  e2.biz_transactions = {{"urn:epcglobal:cbv:btt:po", "urn:epc:id:gdti:9520123.00000.1"}};
  e2.sources = {{"urn:epcglobal:cbv:sdt:owning_party", "urn:epc:id:pgln:9520123.00000"}};
  epcis::SensorElement se;
  se.metadata = epcis::SensorMetadata{};
  se.metadata->device_id = "urn:epc:id:giai:9520123.1";
  se.metadata->start_time = epcis::Timestamp{15'000'000'000, 0};
  se.metadata->end_time = epcis::Timestamp{17'000'000'000, 0};
  se.metadata->data_processing_method = "https://example.com/method/avg";
  epcis::SensorReport temperature;
  temperature.type = "https://gs1.org/voc/Temperature";
  temperature.value = 3.25;
  temperature.uom = "CEL";
  temperature.min_value = 2.0;
  temperature.max_value = 4.5;
  temperature.perc_rank = 90;
  temperature.boolean_value = true;
  epcis::SensorReport humidity;
  humidity.type = "https://gs1.org/voc/RelativeHumidity";
  humidity.value = 60;
  humidity.uom = "A93";
  humidity.time = epcis::Timestamp{16'000'000'000, 0};
  humidity.mean_value = 59;
  humidity.s_dev = 0.5;
  humidity.perc_value = 61;
  humidity.microorganism = "https://www.ncbi.nlm.nih.gov/taxonomy/1496";
  humidity.chemical_substance = "https://identifiers.org/inchikey:X";
  humidity.biz_rules = "https://example.com/rules";
  humidity.string_value = "ok";
  humidity.hex_binary_value = "00FF";
  humidity.uri_value = "https://example.com/u";
  se.reports = {temperature, humidity};
  e2.sensor_elements = {se};

  Event e3 = event("urn:uuid:e3", EventType::kAggregation, 30);
  e3.action = Action::kAdd;
  e3.parent_id = "urn:epc:id:sscc:9520123.0000000001";
  e3.epc_list = {"urn:epc:id:sgtin:9520123.045678.3"};
  e3.quantity_list = {{"urn:epc:idpat:sgtin:9520124.011111.*", 5, ""}};
  e3.biz_location = kB1;
  e3.persistent_disposition.unset = {"urn:epcglobal:cbv:disp:completeness_verified"};
  e3.error_declaration = epcis::ErrorDeclaration{{40'000'000'000, 0},
                                                 "urn:epcglobal:cbv:er:incorrect_data",
                                                 {"urn:uuid:e4"},
                                                 {field("why", "typo")}};

  Event e4 = event("urn:uuid:e4", EventType::kTransformation, 50);
  e4.input_epc_list = {"urn:epc:id:sgtin:9520123.045678.4"};
  e4.output_epc_list = {"urn:epc:id:sgtin:9520125.022222.1"};
  e4.input_quantity_list = {{"https://id.gs1.org/01/09520123456788/10/L2", 2.5, "KGM"}};
  e4.output_quantity_list = {{"urn:epc:class:lgtin:9520125.022222.L9", 1, ""}};
  e4.transformation_id = "urn:uuid:t1";
  e4.ilmd = std::vector<Extension>{field("lot", "L9"), field("bestBefore", "2025-06-30T12:00:00Z")};

  Event e5 = event("urn:uuid:e5", EventType::kTransaction, 5);
  e5.epc_list = {"urn:epc:id:sgtin:9520126.033333.1"};
  e5.destinations = {{"https://ns.example.com/sdt/broker", "urn:epc:id:pgln:9520126.00000"}};
  return {e1, e2, e3, e4, e5};
}

// The location hierarchy (EPCIS 2.0 §7.5): A contains A1, B contains B1.
std::vector<epcis::Vocabulary> master_data() {
  epcis::Vocabulary v;
  v.type = "urn:epcglobal:epcis:vtype:BusinessLocation";
  v.elements = {{kA, {{"urn:epcglobal:cbv:mda#name", "Plant A"}}, {kA1}}, {kB, {}, {kB1}}};
  return {v};
}

struct Case {
  Params parameters;
  Ids expected;  // event ids, in the query's order
};

// One case per supported parameter (several for some).
const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {{}, {"urn:uuid:e1", "urn:uuid:e2", "urn:uuid:e3", "urn:uuid:e4", "urn:uuid:e5"}},
      {{{"eventType", "AggregationEvent|TransformationEvent"}}, {"urn:uuid:e3", "urn:uuid:e4"}},
      {{{"GE_eventTime", "1970-01-01T00:00:20Z"}, {"LT_eventTime", "1970-01-01T00:00:50Z"}},
       {"urn:uuid:e2", "urn:uuid:e3"}},
      {{{"GE_recordTime", "2000-01-01T00:00:00Z"}},
       {"urn:uuid:e1", "urn:uuid:e2", "urn:uuid:e3", "urn:uuid:e4", "urn:uuid:e5"}},
      {{{"LT_recordTime", "2000-01-01T00:00:00Z"}}, {}},
      {{{"EQ_action", "ADD"}}, {"urn:uuid:e1", "urn:uuid:e3"}},
      {{{"EQ_bizStep", "commissioning"}}, {"urn:uuid:e1"}},
      {{{"EQ_disposition", "in_transit"}}, {}},
      {{{"EQ_persistentDisposition_set", "completeness_verified"}}, {"urn:uuid:e1"}},
      {{{"EQ_persistentDisposition_unset", "urn:epcglobal:cbv:disp:completeness_verified"}},
       {"urn:uuid:e3"}},
      {{{"EQ_readPoint", kA}}, {}},
      {{{"EQ_readPoint", kA1}}, {"urn:uuid:e1"}},
      {{{"WD_readPoint", kA}}, {"urn:uuid:e1"}},
      {{{"EQ_bizLocation", kB}}, {"urn:uuid:e2"}},
      {{{"WD_bizLocation", kB}}, {"urn:uuid:e2", "urn:uuid:e3"}},
      {{{"WD_bizLocation", kB1}}, {"urn:uuid:e3"}},
      {{{"EQ_eventID", "urn:uuid:e2|urn:uuid:e5"}}, {"urn:uuid:e2", "urn:uuid:e5"}},
      {{{"EQ_transformationID", "urn:uuid:t1"}}, {"urn:uuid:e4"}},
      {{{"MATCH_epc", "urn:epc:id:sgtin:9520123.045678.1"}}, {"urn:uuid:e1"}},
      // §8.2.7.1.1: a pattern matches every SGTIN of the GTIN (epcList / childEPCs only).
      {{{"MATCH_epc", "urn:epc:idpat:sgtin:9520123.045678.*"}}, {"urn:uuid:e1", "urn:uuid:e3"}},
      {{{"MATCH_parentID", "urn:epc:id:sscc:9520123.0000000001"}}, {"urn:uuid:e3"}},
      {{{"MATCH_inputEPC", "urn:epc:id:sgtin:9520123.045678.4"}}, {"urn:uuid:e4"}},
      {{{"MATCH_outputEPC", "urn:epc:idpat:sgtin:9520125.022222.*"}}, {"urn:uuid:e4"}},
      {{{"MATCH_anyEPC", "urn:epc:idpat:sgtin:9520123.045678.*|urn:epc:id:sgtin:9520126.033333.1"}},
       {"urn:uuid:e1", "urn:uuid:e3", "urn:uuid:e4", "urn:uuid:e5"}},
      // MATCH_epcClass looks at quantity lists (§8.2.7.1), in any class form.
      {{{"MATCH_epcClass", "urn:epc:idpat:sgtin:9520123.045678.*"}}, {"urn:uuid:e2"}},
      {{{"MATCH_epcClass", "urn:epc:class:lgtin:9520123.045678.L1"}}, {"urn:uuid:e2"}},
      {{{"MATCH_epcClass", "https://id.gs1.org/01/09520123456788/10/L1"}}, {"urn:uuid:e2"}},
      {{{"MATCH_epcClass", "urn:epc:class:lgtin:9520123.045678.L2"}}, {}},
      {{{"MATCH_epcClass", "https://id.gs1.org/01/09520124111112"}}, {"urn:uuid:e3"}},
      {{{"MATCH_inputEPCClass", "urn:epc:idpat:sgtin:9520123.045678.*"}}, {"urn:uuid:e4"}},
      {{{"MATCH_outputEPCClass", "urn:epc:class:lgtin:9520125.022222.L9"}}, {"urn:uuid:e4"}},
      {{{"MATCH_anyEPCClass", "urn:epc:idpat:sgtin:9520123.045678.*"}},
       {"urn:uuid:e2", "urn:uuid:e4"}},
      {{{"EQ_quantity", "10"}}, {"urn:uuid:e2"}},
      {{{"GT_quantity", "5"}}, {"urn:uuid:e2"}},
      {{{"GE_quantity", "5"}}, {"urn:uuid:e2", "urn:uuid:e3"}},
      {{{"LT_quantity", "2.6"}}, {"urn:uuid:e4"}},
      {{{"LE_quantity", "1"}}, {"urn:uuid:e4"}},
      {{{"GT_quantity", "2"}, {"LT_quantity", "6"}}, {"urn:uuid:e3", "urn:uuid:e4"}},
      {{{"EQ_bizTransaction_po", "urn:epc:id:gdti:9520123.00000.1"}}, {"urn:uuid:e2"}},
      {{{"EQ_bizTransaction_urn:epcglobal:cbv:btt:po", "urn:epc:id:gdti:9520123.00000.1"}},
       {"urn:uuid:e2"}},
      {{{"EQ_bizTransaction_inv", "urn:epc:id:gdti:9520123.00000.1"}}, {}},
      // The same GDTI as a Digital Link URI (EPCIS 2.0 §8.3.2: either form).
      {{{"EQ_bizTransaction_po", "https://id.gs1.org/253/95201230000041"}}, {"urn:uuid:e2"}},
      {{{"EQ_source_owning_party", "urn:epc:id:pgln:9520123.00000"}}, {"urn:uuid:e2"}},
      {{{"EQ_destination_https://ns.example.com/sdt/broker", "urn:epc:id:pgln:9520126.00000"}},
       {"urn:uuid:e5"}},
      {{{"EXISTS_errorDeclaration", ""}}, {"urn:uuid:e3"}},
      {{{"EXISTS_errorDeclaration", "false"}},
       {"urn:uuid:e1", "urn:uuid:e2", "urn:uuid:e4", "urn:uuid:e5"}},
      {{{"EQ_errorReason", "incorrect_data"}}, {"urn:uuid:e3"}},
      {{{"EQ_correctiveEventID", "urn:uuid:e4"}}, {"urn:uuid:e3"}},
      {{{"GE_errorDeclarationTime", "1970-01-01T00:00:40Z"}}, {"urn:uuid:e3"}},
      {{{"LT_errorDeclarationTime", "1970-01-01T00:00:40Z"}}, {}},
      {{{"EQ_ILMD_ex:lot", "L9"}}, {"urn:uuid:e4"}},
      {{{"EXISTS_ILMD_ex:lot", ""}}, {"urn:uuid:e1", "urn:uuid:e4"}},
      {{{"EQ_INNER_ILMD_ex:inner", "x"}}, {"urn:uuid:e1"}},
      {{{"EQ_ILMD_ex:inner", "x"}}, {}},  // nested fields need INNER_
      {{{"EQ_ex:temp", "5"}}, {"urn:uuid:e1"}},
      {{{"EXISTS_http://ns.example.com/ex/#temp", ""}}, {"urn:uuid:e1"}},
      {{{"EQ_ERROR_DECLARATION_ex:why", "typo"}}, {"urn:uuid:e3"}},
      {{{"GT_ex:temp", "4.5"}}, {"urn:uuid:e1"}},
      {{{"LE_http://ns.example.com/ex/#temp", "4"}}, {}},
      {{{"GE_ILMD_ex:bestBefore", "2025-04-01"}}, {"urn:uuid:e4"}},
      {{{"GE_ILMD_ex:bestBefore", "2025-01-01"}, {"LT_ILMD_ex:bestBefore", "2025-12-31T00:00:00Z"}},
       {"urn:uuid:e1", "urn:uuid:e4"}},
      {{{"EQ_type", "Temperature"}}, {"urn:uuid:e2"}},
      {{{"EQ_deviceID", "urn:epc:id:giai:9520123.1"}}, {"urn:uuid:e2"}},
      {{{"GT_value_CEL", "3"}}, {"urn:uuid:e2"}},
      {{{"LT_value_CEL", "3"}}, {}},
      {{{"EQ_value_A93", "60"}}, {"urn:uuid:e2"}},
      {{{"GE_value_A93", "50"}, {"LE_value_A93", "70"}}, {"urn:uuid:e2"}},
      {{{"EXISTS_sensorElementList", ""}}, {"urn:uuid:e2"}},
      {{{"GE_minValue_CEL", "2"}, {"LT_maxValue_CEL", "5"}}, {"urn:uuid:e2"}},
      {{{"GT_maxValue_CEL", "5"}}, {}},
      {{{"GE_meanValue_CEL", "0"}}, {}},  // no meanValue in CEL
      {{{"GE_meanValue_A93", "58"}, {"LE_meanValue_A93", "59"}}, {"urn:uuid:e2"}},
      {{{"LT_sDev_A93", "1"}}, {"urn:uuid:e2"}},
      {{{"LE_percValue_A93", "100"}}, {"urn:uuid:e2"}},
      {{{"GT_percRank", "80"}}, {"urn:uuid:e2"}},
      {{{"EQ_booleanValue", "true"}}, {"urn:uuid:e2"}},
      {{{"EQ_dataProcessingMethod", "https://example.com/method/avg"}}, {"urn:uuid:e2"}},
      {{{"EQ_microorganism", "https://www.ncbi.nlm.nih.gov/taxonomy/1496"}}, {"urn:uuid:e2"}},
      {{{"EQ_chemicalSubstance", "https://identifiers.org/inchikey:X"}}, {"urn:uuid:e2"}},
      {{{"EQ_bizRules", "https://example.com/rules"}}, {"urn:uuid:e2"}},
      {{{"EQ_stringValue", "ok"}}, {"urn:uuid:e2"}},
      {{{"EQ_stringValue", "bad"}}, {}},
      {{{"EQ_hexBinaryValue", "00FF"}}, {"urn:uuid:e2"}},
      {{{"EQ_uriValue", "https://example.com/u"}}, {"urn:uuid:e2"}},
      {{{"GE_startTime", "1970-01-01T00:00:15Z"}, {"LT_startTime", "1970-01-01T00:00:16Z"}},
       {"urn:uuid:e2"}},
      {{{"GE_time", "1970-01-01T00:00:16Z"}}, {"urn:uuid:e2"}},
      {{{"GE_time", "1970-01-01T00:00:17Z"}}, {}},
      {{{"LT_endTime", "2100-01-01T00:00:00Z"}}, {"urn:uuid:e2"}},
      {{{"EQ_quantity_KGM", "10|2.5"}}, {"urn:uuid:e2", "urn:uuid:e4"}},
      {{{"GT_quantity_KGM", "3"}}, {"urn:uuid:e2"}},
      {{{"LT_quantity_KGM", "3"}, {"GE_quantity_KGM", "2"}}, {"urn:uuid:e4"}},
      {{{"orderBy", "eventTime"}, {"orderDirection", "ASC"}},
       {"urn:uuid:e5", "urn:uuid:e1", "urn:uuid:e2", "urn:uuid:e3", "urn:uuid:e4"}},
      {{{"orderBy", "eventTime"}},  // DESC by default (§8.2.7.1)
       {"urn:uuid:e4", "urn:uuid:e3", "urn:uuid:e2", "urn:uuid:e1", "urn:uuid:e5"}},
      {{{"orderBy", "recordTime"}, {"orderDirection", "ASC"}, {"EQ_action", "ADD"}},
       {"urn:uuid:e1", "urn:uuid:e3"}},
      {{{"eventCountLimit", "2"}}, {"urn:uuid:e1", "urn:uuid:e2"}},
      {{{"maxEventCount", "5"}},
       {"urn:uuid:e1", "urn:uuid:e2", "urn:uuid:e3", "urn:uuid:e4", "urn:uuid:e5"}},
  };
  return all;
}

class QueryParameters : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = open_sqlite(temp_db(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    auto all = events();
    // e1..e3 with the document's master data in the same transaction, e4..e5 after.
    auto first = store_->capture(std::span(all).first(3), master_data());
    ASSERT_TRUE(first) << first.error().message;
    auto rest = store_->capture(std::span(all).subspan(3));
    ASSERT_TRUE(rest) << rest.error().message;
  }

  EventQuery parse(const Params& p) {
    auto q = trace::parse_query(p);
    EXPECT_TRUE(q) << q.error().parameter << ": " << q.error().message;
    return q ? *q : EventQuery{};
  }

  Ids run(const EventQuery& q) {
    auto page = store_->query(q);
    EXPECT_TRUE(page) << page.error().message;
    Ids ids;
    if (page)
      for (const auto& e : page->events) ids.push_back(e.event.event_id);
    return ids;
  }

  static std::string describe(const Params& p) {
    std::string out;
    for (const auto& kv : p) out += kv.first + "=" + kv.second + "&";
    return out.empty() ? "(no parameters)" : out;
  }

  std::unique_ptr<Store> store_;
};

TEST_F(QueryParameters, EachParameterSelectsTheExpectedEvents) {
  for (const auto& c : cases())
    EXPECT_EQ(run(parse(c.parameters)), c.expected) << describe(c.parameters);
}

TEST_F(QueryParameters, MaxEventCountRefusesTooLargeAResult) {
  auto page = store_->query(parse({{"maxEventCount", "4"}}));
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().kind, Error::Kind::kQueryTooLarge);  // QueryTooLargeException
}

TEST_F(QueryParameters, TimeOrderedCursorsVisitEveryEventOnce) {
  for (const char* direction : {"ASC", "DESC"}) {
    EventQuery q =
        parse({{"orderBy", "eventTime"}, {"orderDirection", direction}, {"perPage", "2"}});
    Ids seen;
    for (int pages = 0; pages < 10; ++pages) {
      auto page = store_->query(q);
      ASSERT_TRUE(page) << page.error().message;
      for (const auto& e : page->events) seen.push_back(e.event.event_id);
      if (!page->next_after) break;
      if (pages == 0) {  // a late event sorting before the cursor is not repeated
        Event late =
            event("urn:uuid:late", EventType::kObject, std::string(direction) == "ASC" ? 1 : 99);
        ASSERT_TRUE(store_->capture(std::span(&late, 1)));
      }
      q.continue_after(*page);
    }
    Ids expected = {"urn:uuid:e5", "urn:uuid:e1", "urn:uuid:e2", "urn:uuid:e3", "urn:uuid:e4"};
    if (std::string(direction) == "DESC") std::reverse(expected.begin(), expected.end());
    EXPECT_EQ(seen, expected) << direction;
    store_ = nullptr;  // a fresh store (without the late event) for the other direction
    SetUp();
  }
}

TEST_F(QueryParameters, MasterDataAloneBuildsTheHierarchy) {
  epcis::Vocabulary v;
  v.type = "urn:epcglobal:epcis:vtype:ReadPoint";
  v.elements = {{kA1, {}, {"urn:epc:id:sgln:9520123.00001.2"}}};
  ASSERT_TRUE(store_->put_master_data({v}));
  Event e = event("urn:uuid:deep", EventType::kObject, 60);
  e.read_point = "urn:epc:id:sgln:9520123.00001.2";
  ASSERT_TRUE(store_->capture(std::span(&e, 1)));
  EXPECT_EQ(run(parse({{"WD_readPoint", kA}})), (Ids{"urn:uuid:e1", "urn:uuid:deep"}));
}

// Access control's visibility (EventQuery::visible_to_party, not an EPCIS parameter):
// the party's GLN named as source or destination in any form (e2's source is the PGLN
// 9520123.00000, e5's destination 9520126.00000).
TEST_F(QueryParameters, VisibilityToAPartyKeepsTheEventsNamingIt) {
  EventQuery q;
  q.visible_to_party = "9520123000004";
  EXPECT_EQ(run(q), (Ids{"urn:uuid:e2"}));
  q.visible_to_party = "9520126000001";
  EXPECT_EQ(run(q), (Ids{"urn:uuid:e5"}));
  q.visible_to_party = "9520125000008";
  EXPECT_EQ(run(q), Ids{});
  q = parse({{"EQ_action", "OBSERVE"}});
  q.visible_to_party = "9520123000004";
  EXPECT_EQ(run(q), (Ids{"urn:uuid:e2"}));
}

// EXPLAIN QUERY PLAN for every case: events are reached through an index, never by
// walking the table. Allowed exceptions, each with its reason:
//  - no filter at all, and EXISTS_errorDeclaration=false (a filter nearly every event
//    passes): a walk in sequence order from the cursor that stops at the page limit;
//  - orderBy alone: a walk of the time index in order that stops at the page limit;
//  - "SCAN under" / "SCAN CONSTANT ROW": the WD_ locations and their descendants.
// Each case runs alone and restricted to a party's events (visible_to_party, as the server
// asks for every role but admin and auditor); restricted, no case may walk all events.
TEST_F(QueryParameters, EveryParameterRunsOnAnIndex) {
  std::vector<std::pair<const Case*, bool>> runs;  // (case, restricted)
  for (const auto& c : cases()) {
    runs.emplace_back(&c, false);
    runs.emplace_back(&c, true);
  }
  for (const auto& [run_case, restricted] : runs) {
    const Case& c = *run_case;
    EventQuery q = parse(c.parameters);
    if (restricted) q.visible_to_party = "9520123000004";
    auto plan = store_->query_plan(q);
    ASSERT_TRUE(plan) << plan.error().message;
    std::string text;
    for (const auto& line : *plan) text += line + "\n";
    bool walk_allowed =
        !restricted &&
        (c.parameters.empty() ||
         (c.parameters.size() == 1 && c.parameters[0].first == "eventCountLimit") ||
         (c.parameters.size() == 1 && c.parameters[0].first == "maxEventCount") ||
         (c.parameters[0].first == "EXISTS_errorDeclaration" && c.parameters[0].second == "false"));
    bool ordered_walk_allowed =
        !c.parameters.empty() && c.parameters[0].first == "orderBy" && c.parameters.size() <= 2;
    for (const auto& line : *plan) {
      if (line.starts_with("SCAN ")) {
        bool ok = line == "SCAN under" || line == "SCAN CONSTANT ROW" ||
                  (ordered_walk_allowed && line.starts_with("SCAN events USING INDEX events_by_"));
        EXPECT_TRUE(ok) << describe(c.parameters) << (restricted ? " (restricted)" : "")
                        << " scans:\n"
                        << text;
      }
      if (line.find("(rowid>?)") != std::string::npos) {
        EXPECT_TRUE(walk_allowed) << describe(c.parameters) << (restricted ? " (restricted)" : "")
                                  << " walks all events:\n"
                                  << text;
      }
    }
  }
}

}  // namespace
}  // namespace serialtrack::store
