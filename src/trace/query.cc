#include "trace/query.h"

#include <charconv>

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

}  // namespace

serialtrack::Result<store::EventQuery, QueryError> parse_query(
    const std::vector<std::pair<std::string, std::string>>& parameters) {
  store::EventQuery q;
  for (const auto& parameter : parameters) {
    // Named references, not a structured binding: clang 14 cannot capture those.
    const std::string& name = parameter.first;
    const std::string& value = parameter.second;
    auto error = [&](std::string why) {
      return serialtrack::unexpected(QueryError{name, std::move(why)});
    };
    if (value.empty()) return error("has no value");
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
    } else if (name == "EQ_readPoint") {
      q.read_points = values;
    } else if (name == "EQ_bizLocation") {
      q.biz_locations = values;
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
    } else if (name == "EXISTS_errorDeclaration") {
      q.exists_error_declaration = value != "false";
    } else if (name == "eventCountLimit" || name == "perPage" || name == "maxEventCount") {
      size_t n = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || p != value.data() + value.size() || n == 0)
        return error("is not a positive integer");
      q.limit = n;
    } else {
      return error("is not a query parameter this repository supports");
    }
  }
  return q;
}

}  // namespace serialtrack::trace
