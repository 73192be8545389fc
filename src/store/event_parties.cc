// The parties an event names (store.h named_parties): what access control's visibility
// rule matches, computed in one place for the index (sqlite_store.cc) and for single
// events (server/auth.cc can_see).
#include <algorithm>

#include "epcis/identifiers.h"
#include "gs1/ai_data.h"
#include "gs1/digital_link.h"
#include "store/store.h"

namespace serialtrack::store {

std::optional<std::string> party_gln(const std::string& id) {
  bool urn = id.starts_with("urn:epc:id:sgln:") || id.starts_with("urn:epc:id:pgln:");
  bool dl = (id.starts_with("http://") || id.starts_with("https://")) &&
            (id.find("/414/") != std::string::npos || id.find("/417/") != std::string::npos);
  if (!urn && !dl) return std::nullopt;
  auto canonical = epcis::canonical_key(id);  // URN -> Digital Link (TDS 7.7, TDS 2.0 §6.3.18)
  if (!canonical) return std::nullopt;
  gs1::AiData ais;
  if (gs1::parse_digital_link_into(*canonical, ais)) return std::nullopt;
  auto gln = ais.get("414");
  if (!gln) gln = ais.get("417");
  if (!gln || gln->size() != 13) return std::nullopt;
  return std::string(*gln);
}

std::vector<std::string> named_parties(const epcis::Event& event) {
  std::vector<std::string> out;
  for (const auto* refs : {&event.sources, &event.destinations})
    for (const auto& r : *refs)
      if (auto gln = party_gln(r.value)) out.push_back(std::move(*gln));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace serialtrack::store
