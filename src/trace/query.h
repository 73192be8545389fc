// The EPCIS 2.0 query language's parameters (EPCIS 2.0 §8.2.7.1, REST binding §12.8)
// turned into a store query: "eventType=ObjectEvent", "GE_eventTime=2024-01-01T00:00Z",
// "EQ_bizStep=shipping", "MATCH_epc=urn:epc:id:sgtin:…|https://id.gs1.org/01/…".
// Several values of one parameter are separated by '|'; EXISTS_ parameters may have an
// empty value. Every parameter family of §8.2.7.1 store::EventQuery lists is parsed
// (no EQ_ATTR_/HASATTR_ master-data attributes, no orderBy on extension fields).
// Shared by the CLI and HTTP.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "store/store.h"

namespace serialtrack::trace {

struct QueryError {
  std::string parameter;  // the offending parameter ("GE_eventTime")
  std::string message;    // why (QueryParameterException)
};

// Parses name=value pairs; an unknown parameter or a malformed value is an error that
// names it. CBV values are accepted as bare words or URIs.
serialtrack::Result<store::EventQuery, QueryError> parse_query(
    const std::vector<std::pair<std::string, std::string>>& parameters);

}  // namespace serialtrack::trace
