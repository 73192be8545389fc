// Linter iban: International Bank Account Number (AI 8007).
#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {
namespace {

constexpr size_t kIbanMaxLength = 34;  // ISO 13616-1: at most 34 characters.
// Anything this short cannot hold country, check digits and an account; the standard sets
// no shorter bound (as GS1's reference linter).
constexpr size_t kIbanMinLength = 11;

// Value of an IBAN character for the mod-97 check: 0-9, then A=10 ... Z=35; -1 otherwise.
int iban_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return -1;
}

}  // namespace

// ISO 13616-1: country code (ISO 3166-1 alpha-2), two check digits, then the account; the
// whole, rotated by four and read as a number, is 1 modulo 97 (ISO 7064 MOD 97-10).
Outcome iban(std::string_view data) {
  if (data.size() < 4) return fail(Lint::IBAN_TOO_SHORT, 0, data.size());
  if (!iso3166alpha2(data.substr(0, 2)).ok()) return fail(Lint::ILLEGAL_IBAN_COUNTRY_CODE, 0, 2);
  if (data.size() > kIbanMaxLength) return fail(Lint::IBAN_TOO_LONG, 0, data.size());
  if (data.size() < kIbanMinLength) return fail(Lint::IBAN_TOO_SHORT, 0, data.size());
  unsigned remainder = 0;
  for (size_t k = 0; k < data.size(); ++k) {
    size_t i = (k + 4) % data.size();  // the four leading characters are moved to the end
    int v = iban_value(data[i]);
    if (v < 0) return fail(Lint::INVALID_IBAN_CHARACTER, i, 1);
    remainder = (remainder * (v < 10 ? 10 : 100) + static_cast<unsigned>(v)) % 97;
  }
  if (remainder != 1) return fail(Lint::INCORRECT_IBAN_CHECKSUM, 2, 2);
  return pass();
}

}  // namespace serialtrack::gs1::lint
