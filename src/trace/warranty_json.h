// JSON forms of the warranty service's answers (trace/warranty.h), shared by the CLI's
// --json output and the HTTP API, so both say the same thing in the same words.
// Times are RFC 3339 (UTC), coverage and states are lower-case words. Pure functions.
#pragma once

#include <boost/json.hpp>

#include "trace/warranty.h"

namespace serialtrack::trace {

// "open", "approved", "rejected", "closed".
std::string_view claim_state_name(store::ClaimState state);
// "sale", "registration", "manufacture", and back (nullopt when unknown).
std::string_view warranty_start_name(store::WarrantyStart start);
std::optional<store::WarrantyStart> warranty_start_from_name(std::string_view name);

// {"item","owner","plan","registered_at","start","end","state","moved_to"?,"replaces"?}
boost::json::object to_json(const store::Registration& r);
// {"product","duration_days","start","requires_sale","coverage","claim_limit","plans":[{"name","extra_days"}]}
boost::json::object to_json(const store::WarrantyTerms& t);
// The terms in an object of to_json's fields: "product" required, the others as
// WarrantyTerms defaults when absent ("coverage" and "plans" empty). kInvalidInput naming
// the first field that is unknown or of the wrong type, or a start that is no start name.
WarrantyOutcome<store::WarrantyTerms> terms_from_json(const boost::json::object& o);
// {"id","item","owner","opened_at","description","state","flags":[…],"resolution","replacement"?}
boost::json::object to_json(const store::Claim& c);
// {"item","coverage","reason","registration"?,"terms"?,"claims":[…]}
boost::json::object to_json(const WarrantyStatus& s);
// {"kind","event_id","event_time","biz_step","location"?,"parts_removed"|"parts_installed"?}
boost::json::object to_json(const ServiceEntry& e);

}  // namespace serialtrack::trace
