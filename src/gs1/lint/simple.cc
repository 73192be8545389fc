// Small value rules: hasnondigit, nozeroprefix, nonzero, zero, yesno, hyphen, winding,
// iso5218, importeridx.
#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {
namespace {

bool all_of(std::string_view data, char c) {
  for (char d : data)
    if (d != c) return false;
  return true;
}

// The whole value, failed with code, unless it is one of the single characters allowed.
Outcome one_of(std::string_view data, std::string_view allowed, Lint code) {
  if (data.size() == 1 && allowed.find(data[0]) != std::string_view::npos) return pass();
  return fail(code, 0, data.size());
}

}  // namespace

// GS1 GenSpecs (AI 7040 and others): a value that must not be all digits, so that it
// cannot be confused with a numeric key.
Outcome hasnondigit(std::string_view data) {
  for (char c : data)
    if (c < '0' || c > '9') return pass();
  return fail(Lint::REQUIRES_NON_DIGIT_CHARACTER, 0, data.size());
}

// GS1 GenSpecs: a number written without leading zeros (e.g. the counts of AI 7258).
Outcome nozeroprefix(std::string_view data) {
  if (auto bad = csetnumeric(data); !bad.ok()) return bad;
  if (!data.empty() && data[0] == '0') return fail(Lint::ILLEGAL_ZERO_PREFIX, 0, 1);
  return pass();
}

// GS1 GenSpecs: a number that must not be zero (e.g. AI 7011 quantities, AI 8111 points).
Outcome nonzero(std::string_view data) {
  if (auto bad = csetnumeric(data); !bad.ok()) return bad;
  if (all_of(data, '0')) return fail(Lint::ILLEGAL_ZERO_VALUE, 0, data.size());
  return pass();
}

// GS1 GenSpecs: a field reserved as zero (e.g. the first digit of AI 8007 extensions).
Outcome zero(std::string_view data) {
  if (data.empty() || !all_of(data, '0')) return fail(Lint::NOT_ZERO, 0, data.size());
  return pass();
}

// GS1 GenSpecs: a flag, "0" (no) or "1" (yes), e.g. AI 4318 signature required.
Outcome yesno(std::string_view data) {
  return one_of(data, "01", Lint::NOT_ZERO_OR_ONE);
}

// GS1 GenSpecs: a placeholder made of hyphens only (AI 7241... components left empty).
Outcome hyphen(std::string_view data) {
  if (data.empty() || !all_of(data, '-')) return fail(Lint::NOT_HYPHEN, 0, data.size());
  return pass();
}

// GS1 GenSpecs AI 8001: winding direction 0 (face out), 1 (face in) or 9 (undefined).
Outcome winding(std::string_view data) {
  return one_of(data, "019", Lint::INVALID_WINDING_DIRECTION);
}

// ISO/IEC 5218: sex code 0 (not known), 1 (male), 2 (female) or 9 (not applicable).
Outcome iso5218(std::string_view data) {
  return one_of(data, "0129", Lint::INVALID_BIOLOGICAL_SEX_CODE);
}

// GS1 GenSpecs AI 7040: the importer index is one character of the URI-safe set
// 0-9 A-Z a-z "-" "_".
Outcome importeridx(std::string_view data) {
  if (data.size() != 1) return fail(Lint::IMPORTER_IDX_MUST_BE_ONE_CHARACTER, 0, data.size());
  char c = data[0];
  bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            c == '-' || c == '_';
  return ok ? pass() : fail(Lint::INVALID_IMPORT_IDX_CHARACTER, 0, 1);
}

}  // namespace serialtrack::gs1::lint
