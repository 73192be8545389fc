// GS1 Digital Link URIs (GS1 Digital Link URI Syntax 1.x): parsing an uncompressed
// DL URI ("https://example.com/01/09520123456788/10/ABC?17=251231") into AI data,
// generating the canonical URI from AI data, and the percent-escaping of path and
// query components. Parsing validates like an element string: the DL rules (key
// qualifier order, attributes that belong in the path, duplicates...), then each
// value (check_ai_value) and the associations between AIs (validate_associations).
// Compressed DL URIs (DL 1.1 compression) are not supported.
// Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gs1/ai_data.h"
#include "gs1/error.h"

namespace serialtrack::gs1 {

// The stem of canonical GS1 Digital Link URIs (GS1 DL URI Syntax 1.x §4.4).
inline constexpr std::string_view kCanonicalDlStem = "https://id.gs1.org";

// What a DL URI holds besides its AIs. Every view points into the parsed URI and
// is valid as long as the caller's URI text is.
struct DigitalLinkParts {
  std::string_view stem;      // scheme, domain and custom path before the primary key
  std::string_view fragment;  // after '#' (without it); empty when absent
  // Query parameters that are not AIs ("linkType=all", "singleton"), raw (still
  // percent-encoded), in URI order; value empty when there is no '='.
  std::vector<std::pair<std::string_view, std::string_view>> other_query_params;
  size_t path_ai_count = 0;  // the first path_ai_count elements came from the path

  void clear() {
    stem = fragment = {};
    other_query_params.clear();
    path_ai_count = 0;
  }
};

// A parsed DL URI owning its text: the AIs (path first, then query, in URI order)
// and the other parts.
struct DigitalLink {
  AiData data;
  std::string stem;
  std::string fragment;
  std::vector<std::pair<std::string, std::string>> other_query_params;
  size_t path_ai_count = 0;
};

// Parses and fully validates a DL URI. The scheme must be http:// or https:// (all
// lower or all upper case). On error the Error names the rule (NOT_A_DL_URI,
// NO_GS1_DL_KEYS_FOUND_IN_PATH_INFO, INVALID_KEY_QUALIFIER_SEQUENCE, AI_LINTER_ERROR...)
// and points at the offending part of the URI.
Result<DigitalLink> parse_digital_link(std::string_view uri, const Options& options = {});

// The same without allocating in steady state: writes into out (cleared first) and,
// when parts is not null, into *parts (cleared first). nullopt on success; on error
// out and parts hold what was read before the failure.
std::optional<Error> parse_digital_link_into(std::string_view uri, AiData& out,
                                             DigitalLinkParts* parts = nullptr,
                                             const Options& options = {});

// The canonical DL URI for AI data (GS1 DL URI Syntax 1.x §4.4, §4.8): the first AI
// that is a DL primary key, then the longest of its qualifier lists that the data holds
// in full (ties: the first in lexicographic order, as GS1's reference does), then
// every other AI as a query attribute (fixed-length AIs first, then in data order;
// repeated AIs once). stem replaces "https://id.gs1.org" (a trailing '/' is dropped;
// empty gives a relative "/01/..."). Errors: CANNOT_CREATE_DL_URI_WITHOUT_PRIMARY_KEY_AI,
// AI_IS_NOT_VALID_DATA_ATTRIBUTE (an AI that may not be a DL attribute; unknown AIs
// are accepted only with options.unknown_ai_dl_attr). The data is not re-validated.
Result<std::string> to_digital_link(const AiData& data, std::string_view stem = kCanonicalDlStem,
                                    const Options& options = {});

// The same for a parsed DL URI, keeping its path as it came (GS1 DL URI Syntax 1.x §4.5
// allows a choice between qualifier lists); the URI's own stem is replaced by stem.
Result<std::string> to_digital_link(const DigitalLink& dl, std::string_view stem = kCanonicalDlStem,
                                    const Options& options = {});

// Which URI component a value is escaped for: '+' means a space only in a query.
enum class UriComponent { kPath, kQuery };

// Percent-encodes every byte but the RFC 3986 unreserved ones (A-Z a-z 0-9 - . _ ~),
// with upper-case hex; a space becomes '+' in a query component. Appends to out.
void append_uri_escaped(std::string& out, std::string_view value, UriComponent component);
std::string uri_escape(std::string_view value, UriComponent component);

// Decodes %HH (either case); a '%' not followed by two hex digits stays as is; '+'
// becomes a space in a query component. Appends to out and returns true, or returns
// false when a %00 (NUL) is met, which no AI value may hold.
bool append_uri_unescaped(std::string& out, std::string_view text, UriComponent component);
// The decoded text, or nullopt for a %00.
std::optional<std::string> uri_unescape(std::string_view text, UriComponent component);

}  // namespace serialtrack::gs1
