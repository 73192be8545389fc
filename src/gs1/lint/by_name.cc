// Linter lookup by the name the GS1 Barcode Syntax Dictionary uses.
#include <algorithm>
#include <iterator>

#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {
namespace {

struct NamedLinter {
  std::string_view name;
  Linter linter;
};

// Every linter, sorted by name for binary search.
constexpr NamedLinter kLinters[] = {
    {"couponcode", couponcode},
    {"couponposoffer", couponposoffer},
    {"cset39", cset39},
    {"cset64", cset64},
    {"cset82", cset82},
    {"csetnumeric", csetnumeric},
    {"csum", csum},
    {"csumalpha", csumalpha},
    {"gcppos1", gcppos1},
    {"gcppos2", gcppos2},
    {"hasnondigit", hasnondigit},
    {"hh", hh},
    {"hhmi", hhmi},
    {"hyphen", hyphen},
    {"iban", iban},
    {"importeridx", importeridx},
    {"iso3166", iso3166},
    {"iso3166999", iso3166999},
    {"iso3166alpha2", iso3166alpha2},
    {"iso4217", iso4217},
    {"iso5218", iso5218},
    {"key", key},
    {"latitude", latitude},
    {"longitude", longitude},
    {"mediatype", mediatype},
    {"mi", mi},
    {"nonzero", nonzero},
    {"nozeroprefix", nozeroprefix},
    {"packagetype", packagetype},
    {"pcenc", pcenc},
    {"pieceoftotal", pieceoftotal},
    {"posinseqslash", posinseqslash},
    {"ss", ss},
    {"winding", winding},
    {"yesno", yesno},
    {"yymmd0", yymmd0},
    {"yymmdd", yymmdd},
    {"yyyymmd0", yyyymmd0},
    {"yyyymmdd", yyyymmdd},
    {"zero", zero},
};

constexpr bool by_name_less(const NamedLinter& a, const NamedLinter& b) {
  return a.name < b.name;
}
static_assert(std::is_sorted(std::begin(kLinters), std::end(kLinters), by_name_less));

}  // namespace

Linter by_name(std::string_view name) {
  auto it =
      std::lower_bound(std::begin(kLinters), std::end(kLinters), name,
                       [](const NamedLinter& entry, std::string_view n) { return entry.name < n; });
  return it != std::end(kLinters) && it->name == name ? it->linter : nullptr;
}

}  // namespace serialtrack::gs1::lint
