#include "trace/query.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "epcis/cbv.h"
#include "epcis/time.h"

namespace serialtrack::trace {
namespace {

std::vector<std::string> split(const std::string& v) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t bar = v.find('|', start);
    out.push_back(v.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return out;
}

bool starts_with(const std::string& s, std::string_view p) {
  return s.compare(0, p.size(), p) == 0;
}

// A decimal number (xsd:decimal / double as EPCIS query values are written).
std::optional<double> parse_number(const std::string& v) {
  if (v.empty()) return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (end != v.c_str() + v.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

// Extension-field parameters (EPCIS 2.0 §8.2.7.1): the scope a name's infix selects.
struct ParsedField {
  store::EventQuery::FieldFilter::Scope scope;
  std::string field;
};
struct FieldScope {
  std::string_view infix;
  store::EventQuery::FieldFilter::Scope scope;
};
constexpr FieldScope kFieldScopes[] = {
    // Longest infixes first: "INNER_ILMD_" before "INNER_".
    {"INNER_ERROR_DECLARATION_", store::EventQuery::FieldFilter::Scope::kErrorDeclarationInner},
    {"ERROR_DECLARATION_", store::EventQuery::FieldFilter::Scope::kErrorDeclaration},
    {"INNER_ILMD_", store::EventQuery::FieldFilter::Scope::kIlmdInner},
    {"ILMD_", store::EventQuery::FieldFilter::Scope::kIlmd},
    {"INNER_", store::EventQuery::FieldFilter::Scope::kEventInner},
    {"", store::EventQuery::FieldFilter::Scope::kEvent},
};

// Sensor report attributes compared by text (EQ_<attribute>, EPCIS 2.0 §8.2.7.1).
bool is_sensor_attribute(const std::string& a) {
  for (std::string_view s :
       {"dataProcessingMethod", "microorganism", "chemicalSubstance", "bizRules", "stringValue",
        "booleanValue", "hexBinaryValue", "uriValue"})
    if (a == s) return true;
  return false;
}

// "GT_value_CEL" -> ("value", "CEL"), "GE_percRank" -> ("percRank", ""); nullopt when
// name is no numeric sensor parameter.
std::optional<std::pair<std::string, std::string>> sensor_number_parameter(
    const std::string& name) {
  std::string_view op = std::string_view(name).substr(0, 3);
  if (op != "EQ_" && op != "GT_" && op != "GE_" && op != "LT_" && op != "LE_") return std::nullopt;
  std::string rest = name.substr(3);
  if (rest == "percRank") return std::make_pair(rest, std::string());
  for (std::string_view a : {"value", "minValue", "maxValue", "meanValue", "sDev", "percValue"}) {
    if (rest.size() > a.size() + 1 && starts_with(rest, a) && rest[a.size()] == '_')
      return std::make_pair(std::string(a), rest.substr(a.size() + 1));
  }
  return std::nullopt;
}

// "EQ_ILMD_ex:lot" -> ("EQ_", {kIlmd, "ex:lot"}); nullopt when name is no field
// parameter (a field is "prefix:name" or "namespaceURI#name").
std::optional<std::pair<std::string, ParsedField>> field_parameter(const std::string& name) {
  for (std::string_view op : {"EQ_", "GT_", "GE_", "LT_", "LE_", "EXISTS_"}) {
    if (!starts_with(name, op)) continue;
    std::string rest = name.substr(op.size());
    for (const auto& s : kFieldScopes) {
      if (!starts_with(rest, s.infix)) continue;
      std::string field = rest.substr(s.infix.size());
      if (field.find(':') == std::string::npos && field.find('#') == std::string::npos) continue;
      return std::make_pair(std::string(op), ParsedField{s.scope, field});
    }
  }
  return std::nullopt;
}

}  // namespace

serialtrack::Result<store::EventQuery, QueryError> parse_query(
    const std::vector<std::pair<std::string, std::string>>& parameters) {
  store::EventQuery q;
  std::string direction;     // orderDirection, applied once orderBy is known
  bool count_limit = false;  // eventCountLimit given
  for (const auto& parameter : parameters) {
    // Named references, not a structured binding: clang 14 cannot capture those.
    const std::string& name = parameter.first;
    const std::string& value = parameter.second;
    auto error = [&](std::string why) {
      return serialtrack::unexpected(QueryError{name, std::move(why)});
    };
    // EXISTS_ parameters take no value (Void, EPCIS 2.0 §8.2.7.1).
    if (value.empty() && !starts_with(name, "EXISTS_")) return error("has no value");
    auto values = split(value);
    auto times = [&](std::optional<int64_t>& out) -> bool {
      auto t = epcis::parse_timestamp(value);
      if (!t) return false;
      out = t->unix_nanos;
      return true;
    };
    auto cbv = [&](epcis::CbvKind kind, std::vector<std::string>& out) {
      for (const auto& v : values) out.push_back(epcis::expand_cbv(kind, v));
    };
    // One number into out; false when value is not a number.
    auto number = [&](std::optional<double>& out) -> bool {
      out = parse_number(value);
      return out.has_value();
    };
    auto numbers = [&](std::vector<double>& out) -> bool {
      for (const auto& v : values) {
        auto d = parse_number(v);
        if (!d) return false;
        out.push_back(*d);
      }
      return true;
    };
    // EQ_/GT_/GE_/LT_/LE_ of a numeric field into filter; false when not a number.
    auto number_filter = [&](std::string_view op, store::EventQuery::NumberFilter& f) -> bool {
      if (op == "EQ_") return numbers(f.eq);
      if (op == "GT_") return number(f.gt);
      if (op == "GE_") return number(f.ge);
      if (op == "LT_") return number(f.lt);
      return number(f.le);
    };
    auto typed = [&](std::string_view prefix, epcis::CbvKind kind,
                     std::vector<store::EventQuery::TypedFilter>& out) {
      out.push_back({epcis::expand_cbv(kind, name.substr(prefix.size())), values});
    };
    std::string_view op = std::string_view(name).substr(0, std::min<size_t>(3, name.size()));
    bool comparison = op == "EQ_" || op == "GT_" || op == "GE_" || op == "LT_" || op == "LE_";
    if (name == "eventType") {
      for (const auto& v : values) {
        auto t = epcis::event_type_from_name(v);
        if (!t) return error("'" + v + "' is not an EPCIS event type");
        q.event_types.push_back(*t);
      }
    } else if (name == "GE_eventTime") {
      if (!times(q.ge_event_time)) return error("is not a dateTime with a time zone");
    } else if (name == "LT_eventTime") {
      if (!times(q.lt_event_time)) return error("is not a dateTime with a time zone");
    } else if (name == "GE_recordTime") {
      if (!times(q.ge_record_time)) return error("is not a dateTime with a time zone");
    } else if (name == "LT_recordTime") {
      if (!times(q.lt_record_time)) return error("is not a dateTime with a time zone");
    } else if (name == "EQ_action") {
      for (const auto& v : values) {
        auto a = epcis::action_from_name(v);
        if (!a) return error("'" + v + "' is not ADD, OBSERVE or DELETE");
        q.actions.push_back(*a);
      }
    } else if (name == "EQ_bizStep") {
      cbv(epcis::CbvKind::kBizStep, q.biz_steps);
    } else if (name == "EQ_disposition") {
      cbv(epcis::CbvKind::kDisposition, q.dispositions);
    } else if (name == "EQ_persistentDisposition_set") {
      cbv(epcis::CbvKind::kDisposition, q.persistent_disposition_set);
    } else if (name == "EQ_persistentDisposition_unset") {
      cbv(epcis::CbvKind::kDisposition, q.persistent_disposition_unset);
    } else if (name == "EQ_readPoint") {
      q.read_points = values;
    } else if (name == "EQ_bizLocation") {
      q.biz_locations = values;
    } else if (name == "WD_readPoint") {
      q.wd_read_points = values;
    } else if (name == "WD_bizLocation") {
      q.wd_biz_locations = values;
    } else if (name == "EQ_eventID") {
      q.event_ids = values;
    } else if (name == "EQ_transformationID") {
      q.transformation_ids = values;
    } else if (name == "MATCH_epc") {
      q.match_epc = values;
    } else if (name == "MATCH_parentID") {
      q.match_parent_id = values;
    } else if (name == "MATCH_inputEPC") {
      q.match_input_epc = values;
    } else if (name == "MATCH_outputEPC") {
      q.match_output_epc = values;
    } else if (name == "MATCH_anyEPC") {
      q.match_any_epc = values;
    } else if (name == "MATCH_epcClass") {
      q.match_epc_class = values;
    } else if (name == "MATCH_inputEPCClass") {
      q.match_input_epc_class = values;
    } else if (name == "MATCH_outputEPCClass") {
      q.match_output_epc_class = values;
    } else if (name == "MATCH_anyEPCClass") {
      q.match_any_epc_class = values;
    } else if (comparison && name.substr(3) == "quantity") {
      if (!number_filter(op, q.quantity)) return error("is not a number");
    } else if (starts_with(name, "EQ_bizTransaction_") && name.size() > 18) {
      typed("EQ_bizTransaction_", epcis::CbvKind::kBizTransactionType, q.biz_transactions);
    } else if (starts_with(name, "EQ_source_") && name.size() > 10) {
      typed("EQ_source_", epcis::CbvKind::kSourceDestType, q.sources);
    } else if (starts_with(name, "EQ_destination_") && name.size() > 15) {
      typed("EQ_destination_", epcis::CbvKind::kSourceDestType, q.destinations);
    } else if (name == "EXISTS_errorDeclaration") {
      q.exists_error_declaration = value != "false";
    } else if (name == "EQ_errorReason") {
      cbv(epcis::CbvKind::kErrorReason, q.error_reasons);
    } else if (name == "EQ_correctiveEventID") {
      q.corrective_event_ids = values;
    } else if (name == "GE_errorDeclarationTime" || name == "GE_errorDeclaration_Time") {
      // The query schema spells it GE_errorDeclaration_Time; §8.2.7.1 GE_errorDeclarationTime.
      if (!times(q.ge_error_declaration_time)) return error("is not a dateTime with a time zone");
    } else if (name == "LT_errorDeclarationTime" || name == "LT_errorDeclaration_Time") {
      if (!times(q.lt_error_declaration_time)) return error("is not a dateTime with a time zone");
    } else if (name == "EQ_type") {
      cbv(epcis::CbvKind::kMeasurementType, q.sensor_types);
    } else if (name == "EQ_deviceID") {
      q.device_ids = values;
    } else if (name == "EXISTS_sensorElementList") {
      q.exists_sensor_element_list = true;
    } else if (auto sensor = sensor_number_parameter(name)) {
      // EQ_value_<uom> ... LE_percRank (§8.2.7.1): one sensor report's attribute in uom.
      auto it = std::find_if(q.sensor_numbers.begin(), q.sensor_numbers.end(), [&](const auto& sn) {
        return sn.attribute == sensor->first && sn.uom == sensor->second;
      });
      if (it == q.sensor_numbers.end())
        it = q.sensor_numbers.insert(it, {sensor->first, sensor->second, {}});
      if (!number_filter(op, it->filter)) return error("is not a number");
    } else if (starts_with(name, "EQ_") && is_sensor_attribute(name.substr(3))) {
      if (name == "EQ_booleanValue" && value != "true" && value != "false")
        return error("is neither true nor false");
      q.sensor_attributes.emplace_back(name.substr(3), values);
    } else if ((starts_with(name, "GE_") || starts_with(name, "LT_")) &&
               (name.substr(3) == "time" || name.substr(3) == "startTime" ||
                name.substr(3) == "endTime")) {
      std::string attribute = name.substr(3);
      auto it = std::find_if(q.sensor_times.begin(), q.sensor_times.end(),
                             [&](const auto& st) { return st.first == attribute; });
      if (it == q.sensor_times.end()) it = q.sensor_times.insert(it, {attribute, {}});
      if (!times(op == "GE_" ? it->second.ge : it->second.lt))
        return error("is not a dateTime with a time zone");
    } else if (comparison && starts_with(name.substr(3), "quantity_") && name.size() > 12) {
      std::string uom = name.substr(12);  // EQ_quantity_<uom> (EPCIS 2.0 query schema)
      auto it = std::find_if(q.quantity_by_uom.begin(), q.quantity_by_uom.end(),
                             [&](const auto& qu) { return qu.first == uom; });
      if (it == q.quantity_by_uom.end()) it = q.quantity_by_uom.insert(it, {uom, {}});
      if (!number_filter(op, it->second)) return error("is not a number");
    } else if (name == "orderBy") {
      if (value == "eventTime")
        q.order_by = store::EventQuery::OrderBy::kEventTime;
      else if (value == "recordTime")
        q.order_by = store::EventQuery::OrderBy::kRecordTime;
      else
        return error("'" + value +
                     "' is not an order this repository supports (eventTime, recordTime)");
    } else if (name == "orderDirection") {
      if (value != "ASC" && value != "DESC") return error("is neither ASC nor DESC");
      direction = value;
    } else if (name == "eventCountLimit" || name == "perPage" || name == "maxEventCount") {
      size_t n = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || p != value.data() + value.size() || n == 0)
        return error("is not a positive integer");
      if (name == "maxEventCount")
        q.max_event_count = n;
      else
        q.limit = n;
      if (name == "eventCountLimit") count_limit = true;
      // EPCIS 2.0 §8.2.7.1: the two are mutually exclusive.
      if (count_limit && q.max_event_count)
        return error("eventCountLimit and maxEventCount are mutually exclusive");
    } else if (auto field = field_parameter(name)) {
      if (field->first == "EXISTS_") {
        q.fields.push_back({field->second.scope, field->second.field, {}, {}});
      } else if (field->first == "EQ_") {
        q.fields.push_back({field->second.scope, field->second.field, values, {}});
      } else {
        // GT_/GE_/LT_/LE_fieldname: a number, or a dateTime / date (§8.2.7.1).
        bool is_date = value.size() == 10 && value[4] == '-' && value[7] == '-' &&
                       epcis::parse_timestamp(value + "T00:00:00Z");
        if (!parse_number(value) && !epcis::parse_timestamp(value) && !is_date)
          return error("is neither a number nor a dateTime");
        using Bound = store::EventQuery::FieldFilter::Bound;
        Bound::Op bound_op = field->first == "GT_"   ? Bound::Op::kGt
                             : field->first == "GE_" ? Bound::Op::kGe
                             : field->first == "LT_" ? Bound::Op::kLt
                                                     : Bound::Op::kLe;
        auto it = std::find_if(q.fields.begin(), q.fields.end(), [&](const auto& f) {
          return !f.bounds.empty() && f.scope == field->second.scope &&
                 f.field == field->second.field;
        });
        if (it == q.fields.end())
          it = q.fields.insert(it, {field->second.scope, field->second.field, {}, {}});
        it->bounds.push_back({bound_op, value});
      }
    } else {
      return error("is not a query parameter this repository supports");
    }
  }
  // §8.2.7.1: orderDirection defaults to DESC, and only means something with orderBy.
  if (q.order_by != store::EventQuery::OrderBy::kSequence) q.descending = direction != "ASC";
  return q;
}

}  // namespace serialtrack::trace
