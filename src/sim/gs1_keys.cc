#include "sim/gs1_keys.h"

#include <cstdio>

#include "gs1/check_digit.h"

namespace serialtrack::sim {
namespace {

// value in decimal, zero-padded to width digits.
std::string digits(uint64_t value, int width) {
  std::string s = std::to_string(value);
  return std::string(s.size() < static_cast<size_t>(width) ? width - s.size() : 0, '0') + s;
}

std::string with_check_digit(std::string body) {
  body += gs1::mod10_check_digit(body).value_or('0');  // bodies here are always digits
  return body;
}

// TDS 7.1 / RFC 3986: characters of a serial that an EPC URI must %-escape.
std::string escape_uri_component(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool plain = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                 std::string_view("-_.*'()!,:;=").find(c) != std::string_view::npos;
    if (plain) {
      out += c;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      out += buf;
    }
  }
  return out;
}

}  // namespace

std::string make_gtin14(char indicator, std::string_view company_prefix, uint32_t item_reference) {
  return with_check_digit(std::string(1, indicator) + std::string(company_prefix) +
                          digits(item_reference, 12 - static_cast<int>(company_prefix.size())));
}

std::string make_gln(std::string_view company_prefix, uint32_t location_reference) {
  return with_check_digit(std::string(company_prefix) +
                          digits(location_reference, 12 - static_cast<int>(company_prefix.size())));
}

std::string make_sscc(char extension, std::string_view company_prefix, uint64_t serial_reference) {
  return with_check_digit(std::string(1, extension) + std::string(company_prefix) +
                          digits(serial_reference, 16 - static_cast<int>(company_prefix.size())));
}

// TDS 6.3.1: the indicator digit moves in front of the item reference.
std::string sgtin_urn(std::string_view gtin14, std::string_view serial) {
  std::string_view cp = gtin14.substr(1, kCompanyPrefixLength);
  std::string_view item = gtin14.substr(1 + kCompanyPrefixLength, 12 - kCompanyPrefixLength);
  std::string out = "urn:epc:id:sgtin:";
  out.append(cp).append(".").append(1, gtin14[0]).append(item).append(".");
  return out + escape_uri_component(serial);
}

std::string gtin_pattern_urn(std::string_view gtin14) {
  std::string_view cp = gtin14.substr(1, kCompanyPrefixLength);
  std::string_view item = gtin14.substr(1 + kCompanyPrefixLength, 12 - kCompanyPrefixLength);
  std::string out = "urn:epc:idpat:sgtin:";
  out.append(cp).append(".").append(1, gtin14[0]).append(item).append(".*");
  return out;
}

// TDS 6.3.2: the extension digit moves in front of the serial reference.
std::string sscc_urn(std::string_view sscc) {
  std::string out = "urn:epc:id:sscc:";
  out.append(sscc.substr(1, kCompanyPrefixLength)).append(".").append(1, sscc[0]);
  return out.append(sscc.substr(1 + kCompanyPrefixLength, 16 - kCompanyPrefixLength));
}

std::string sgln_urn(std::string_view gln, std::string_view extension) {
  std::string out = "urn:epc:id:sgln:";
  out.append(gln.substr(0, kCompanyPrefixLength)).append(".");
  out.append(gln.substr(kCompanyPrefixLength, 12 - kCompanyPrefixLength)).append(".");
  return out.append(extension);
}

std::string pgln_urn(std::string_view gln) {
  std::string out = "urn:epc:id:pgln:";
  out.append(gln.substr(0, kCompanyPrefixLength)).append(".");
  return out.append(gln.substr(kCompanyPrefixLength, 12 - kCompanyPrefixLength));
}

std::string pack_element_string(std::string_view gtin14, std::string_view expiry_yymmdd,
                                std::string_view lot, std::string_view serial) {
  std::string out = "(01)";
  out.append(gtin14).append("(17)").append(expiry_yymmdd).append("(10)").append(lot);
  return out.append("(21)").append(serial);
}

}  // namespace serialtrack::sim
