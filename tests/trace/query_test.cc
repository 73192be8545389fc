// EPCIS query parameters parse into store queries; bad ones are named.
#include "trace/query.h"

#include <gtest/gtest.h>

namespace serialtrack::trace {
namespace {

TEST(Query, StandardParametersBecomeStoreFilters) {
  auto q = parse_query({{"eventType", "ObjectEvent|AggregationEvent"},
                        {"GE_eventTime", "2024-01-01T00:00:00Z"},
                        {"EQ_bizStep", "shipping"},
                        {"EQ_action", "ADD"},
                        {"MATCH_epc", "urn:epc:id:sgtin:9520123.045678.1"},
                        {"eventCountLimit", "5"}});
  ASSERT_TRUE(q) << q.error().parameter << ": " << q.error().message;
  EXPECT_EQ(q->event_types.size(), 2u);
  EXPECT_EQ(q->ge_event_time, 1704067200LL * 1'000'000'000);
  EXPECT_EQ(q->biz_steps, std::vector<std::string>{"urn:epcglobal:cbv:bizstep:shipping"});
  EXPECT_EQ(q->actions, std::vector<epcis::Action>{epcis::Action::kAdd});
  EXPECT_EQ(q->limit, 5u);
}

TEST(Query, BadParametersAreNamed) {
  auto unknown = parse_query({{"EQ_colour", "red"}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().parameter, "EQ_colour");
  EXPECT_EQ(parse_query({{"GE_eventTime", "yesterday"}}).error().parameter, "GE_eventTime");
  EXPECT_EQ(parse_query({{"eventType", "PhotoEvent"}}).error().parameter, "eventType");
  EXPECT_EQ(parse_query({{"eventCountLimit", "-1"}}).error().parameter, "eventCountLimit");
  EXPECT_EQ(parse_query({{"EQ_action", "ADDED"}}).error().parameter, "EQ_action");
}

TEST(Query, EveryEpcis2ParameterFamilyParses) {
  auto q = parse_query({{"EQ_persistentDisposition_set", "completeness_verified"},
                        {"EQ_persistentDisposition_unset", "urn:epcglobal:cbv:disp:recalled"},
                        {"WD_readPoint", "urn:epc:id:sgln:9520123.00001.0"},
                        {"WD_bizLocation", "urn:epc:id:sgln:9520123.00002.0"},
                        {"MATCH_epcClass", "urn:epc:idpat:sgtin:9520123.045678.*"},
                        {"MATCH_inputEPCClass", "urn:epc:class:lgtin:9520123.045678.L1"},
                        {"MATCH_outputEPCClass", "https://id.gs1.org/01/09520123456788"},
                        {"MATCH_anyEPCClass", "urn:epc:class:lgtin:9520123.045678.L2"},
                        {"GE_quantity", "2.5"},
                        {"LT_quantity", "10"},
                        {"EQ_quantity", "3|4"},
                        {"EQ_bizTransaction_po", "urn:epc:id:gdti:9520123.00000.1"},
                        {"EQ_source_owning_party", "urn:epc:id:pgln:9520123.00000"},
                        {"EQ_destination_https://ns.example.com/t", "urn:example:d"},
                        {"EQ_errorReason", "did_not_occur"},
                        {"EQ_correctiveEventID", "urn:uuid:1"},
                        {"GE_errorDeclarationTime", "2024-01-01T00:00:00Z"},
                        {"LT_errorDeclaration_Time", "2024-02-01T00:00:00Z"},
                        {"EQ_ILMD_ex:lot", "L1|L2"},
                        {"EXISTS_INNER_ex:inner", ""},
                        {"EQ_http://ns.example.com/ex/#temp", "5"},
                        {"EQ_ERROR_DECLARATION_ex:why", "typo"},
                        {"EQ_type", "Temperature"},
                        {"EQ_deviceID", "urn:epc:id:giai:9520123.1"},
                        {"GT_value_CEL", "-5"},
                        {"LE_value_CEL", "8"},
                        {"EXISTS_sensorElementList", ""},
                        {"orderBy", "recordTime"},
                        {"maxEventCount", "100"}});
  ASSERT_TRUE(q) << q.error().parameter << ": " << q.error().message;
  using V = std::vector<std::string>;
  EXPECT_EQ(q->persistent_disposition_set, V{"urn:epcglobal:cbv:disp:completeness_verified"});
  EXPECT_EQ(q->persistent_disposition_unset, V{"urn:epcglobal:cbv:disp:recalled"});
  EXPECT_EQ(q->wd_read_points, V{"urn:epc:id:sgln:9520123.00001.0"});
  EXPECT_EQ(q->wd_biz_locations, V{"urn:epc:id:sgln:9520123.00002.0"});
  EXPECT_EQ(q->match_epc_class.size() + q->match_input_epc_class.size() +
                q->match_output_epc_class.size() + q->match_any_epc_class.size(),
            4u);
  EXPECT_EQ(q->quantity.ge, 2.5);
  EXPECT_EQ(q->quantity.lt, 10.0);
  EXPECT_EQ(q->quantity.eq, (std::vector<double>{3, 4}));
  ASSERT_EQ(q->biz_transactions.size(), 1u);
  EXPECT_EQ(q->biz_transactions[0].type, "urn:epcglobal:cbv:btt:po");
  ASSERT_EQ(q->sources.size(), 1u);
  EXPECT_EQ(q->sources[0].type, "urn:epcglobal:cbv:sdt:owning_party");
  ASSERT_EQ(q->destinations.size(), 1u);
  EXPECT_EQ(q->destinations[0].type, "https://ns.example.com/t");
  EXPECT_EQ(q->error_reasons, V{"urn:epcglobal:cbv:er:did_not_occur"});
  EXPECT_EQ(q->corrective_event_ids, V{"urn:uuid:1"});
  EXPECT_EQ(q->ge_error_declaration_time, 1704067200LL * 1'000'000'000);
  EXPECT_TRUE(q->lt_error_declaration_time.has_value());
  using Scope = store::EventQuery::FieldFilter::Scope;
  ASSERT_EQ(q->fields.size(), 4u);
  EXPECT_EQ(q->fields[0].scope, Scope::kIlmd);
  EXPECT_EQ(q->fields[0].field, "ex:lot");
  EXPECT_EQ(q->fields[0].values, (V{"L1", "L2"}));
  EXPECT_EQ(q->fields[1].scope, Scope::kEventInner);
  EXPECT_TRUE(q->fields[1].values.empty());  // EXISTS_
  EXPECT_EQ(q->fields[2].scope, Scope::kEvent);
  EXPECT_EQ(q->fields[2].field, "http://ns.example.com/ex/#temp");
  EXPECT_EQ(q->fields[3].scope, Scope::kErrorDeclaration);
  EXPECT_EQ(q->sensor_types, V{"https://gs1.org/voc/Temperature"});
  EXPECT_EQ(q->device_ids, V{"urn:epc:id:giai:9520123.1"});
  ASSERT_EQ(q->sensor_numbers.size(), 1u);
  EXPECT_EQ(q->sensor_numbers[0].attribute, "value");
  EXPECT_EQ(q->sensor_numbers[0].uom, "CEL");
  EXPECT_EQ(q->sensor_numbers[0].filter.gt, -5.0);
  EXPECT_EQ(q->sensor_numbers[0].filter.le, 8.0);
  EXPECT_TRUE(q->exists_sensor_element_list);
  EXPECT_EQ(q->order_by, store::EventQuery::OrderBy::kRecordTime);
  EXPECT_TRUE(q->descending);  // EPCIS 2.0 §8.2.7.1: DESC unless orderDirection says ASC
  EXPECT_EQ(q->max_event_count, 100u);
  EXPECT_EQ(q->limit, 1000u);  // maxEventCount does not truncate
}

TEST(Query, BadNewParametersAreNamed) {
  auto named = [](std::vector<std::pair<std::string, std::string>> p) {
    auto q = parse_query(p);
    return q ? std::string("(accepted)") : q.error().parameter;
  };
  EXPECT_EQ(named({{"GT_quantity", "many"}}), "GT_quantity");
  EXPECT_EQ(named({{"EQ_quantity", "1|x"}}), "EQ_quantity");
  EXPECT_EQ(named({{"GE_errorDeclarationTime", "soon"}}), "GE_errorDeclarationTime");
  EXPECT_EQ(named({{"GT_value_CEL", "warm"}}), "GT_value_CEL");
  EXPECT_EQ(named({{"orderBy", "quantity"}}), "orderBy");
  EXPECT_EQ(named({{"orderDirection", "UP"}}), "orderDirection");
  EXPECT_EQ(named({{"eventCountLimit", "5"}, {"maxEventCount", "5"}}), "maxEventCount");
  EXPECT_EQ(named({{"GT_ILMD_ex:weight", "heavy"}}), "GT_ILMD_ex:weight");
  EXPECT_EQ(named({{"EQ_bizTransaction_", "x"}}), "EQ_bizTransaction_");
  EXPECT_EQ(named({{"EQ_ILMD_lot", "L1"}}), "EQ_ILMD_lot");  // no namespace: unknown
  EXPECT_EQ(named({{"EQ_errorReason", ""}}), "EQ_errorReason");
  EXPECT_EQ(named({{"GE_startTime", "dawn"}}), "GE_startTime");
  EXPECT_EQ(named({{"EQ_booleanValue", "yes"}}), "EQ_booleanValue");
  EXPECT_EQ(named({{"LT_quantity_KGM", "heavy"}}), "LT_quantity_KGM");
  EXPECT_EQ(named({{"GT_percRank", "top"}}), "GT_percRank");
  EXPECT_EQ(named({{"EXISTS_errorDeclaration", ""}}), "(accepted)");
}

TEST(Query, SensorAndQuantityUnitParametersParse) {
  auto q = parse_query({{"GE_minValue_CEL", "2"},
                        {"LT_maxValue_CEL", "8"},
                        {"GE_percRank", "50"},
                        {"EQ_microorganism", "https://www.ncbi.nlm.nih.gov/taxonomy/1496"},
                        {"EQ_booleanValue", "true"},
                        {"GE_time", "2024-01-01T00:00:00Z"},
                        {"LT_endTime", "2024-01-02T00:00:00Z"},
                        {"GT_quantity_KGM", "1.5"}});
  ASSERT_TRUE(q) << q.error().parameter << ": " << q.error().message;
  ASSERT_EQ(q->sensor_numbers.size(), 3u);
  EXPECT_EQ(q->sensor_numbers[0].attribute, "minValue");
  EXPECT_EQ(q->sensor_numbers[2].attribute, "percRank");
  EXPECT_EQ(q->sensor_numbers[2].uom, "");
  ASSERT_EQ(q->sensor_attributes.size(), 2u);
  EXPECT_EQ(q->sensor_attributes[1].first, "booleanValue");
  ASSERT_EQ(q->sensor_times.size(), 2u);
  EXPECT_TRUE(q->sensor_times[0].second.ge.has_value());
  EXPECT_TRUE(q->sensor_times[1].second.lt.has_value());
  ASSERT_EQ(q->quantity_by_uom.size(), 1u);
  EXPECT_EQ(q->quantity_by_uom[0].first, "KGM");
  EXPECT_EQ(q->quantity_by_uom[0].second.gt, 1.5);
}

TEST(Query, OrderDirectionAppliesWhateverTheParameterOrder) {
  auto q = parse_query({{"orderDirection", "ASC"}, {"orderBy", "eventTime"}});
  ASSERT_TRUE(q);
  EXPECT_EQ(q->order_by, store::EventQuery::OrderBy::kEventTime);
  EXPECT_FALSE(q->descending);
}

}  // namespace
}  // namespace serialtrack::trace
