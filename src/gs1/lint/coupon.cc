// North American coupon linters: couponcode (AI 8110), couponposoffer (AI 8112).
#include <optional>

#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {
namespace {

// Reads the fields of an all-digit coupon value left to right. Every check answers the
// failure, or nullopt to go on.
class CouponFields {
 public:
  explicit CouponFields(std::string_view data) : data_(data) {}

  bool at_end() const { return pos_ == data_.size(); }
  char peek() const { return data_[pos_]; }
  size_t pos() const { return pos_; }
  std::string_view next(size_t n) const { return data_.substr(pos_, n); }
  void skip(size_t n) { pos_ += n; }
  // The next digit's value, consumed.
  int take_digit() { return data_[pos_++] - '0'; }

  // A field that should start here is absent: the whole value is highlighted.
  std::optional<Outcome> missing(Lint code) const {
    if (!at_end()) return std::nullopt;
    return fail(code, 0, data_.size());
  }
  // The single character here is not a permitted value.
  Outcome invalid(Lint code) const { return fail(code, pos_, 1); }
  // A field of n digits is cut short: highlight what is left of it, or the whole value
  // when nothing is.
  std::optional<Outcome> truncated(size_t n, Lint code) const {
    size_t left = data_.size() - pos_;
    if (left >= n) return std::nullopt;
    return left == 0 ? fail(code, 0, data_.size()) : fail(code, pos_, left);
  }
  // The n characters here must start with a GS1 Company Prefix.
  std::optional<Outcome> company_prefix(size_t n) const {
    Outcome gcp = gcppos1(next(n));
    if (gcp.ok()) return std::nullopt;
    return fail(gcp.code, pos_, n);
  }
  // Data left over after the last field.
  Outcome end() const {
    if (at_end()) return pass();
    return fail(Lint::COUPON_EXCESS_DATA, pos_, data_.size() - pos_);
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

bool in_range(char c, char lo, char hi) {
  return c >= lo && c <= hi;
}

// A value-length indicator in [lo, hi] followed by that many digits plus `extra`.
std::optional<Outcome> vli_field(CouponFields& f, char lo, char hi, size_t extra, Lint missing,
                                 Lint invalid, Lint truncated) {
  if (auto o = f.missing(missing)) return o;
  if (!in_range(f.peek(), lo, hi)) return f.invalid(invalid);
  size_t n = static_cast<size_t>(f.take_digit()) + extra;
  if (auto o = f.truncated(n, truncated)) return o;
  f.skip(n);
  return std::nullopt;
}

struct PurchaseCodes {
  Lint req_missing_vli, req_invalid_length, req_truncated;
  Lint code_missing, code_invalid, family_truncated;
};

// NACAG: purchase requirement (VLI 1-5 and value), requirement code (0-4 or 9) and the
// three-digit family code.
std::optional<Outcome> purchase(CouponFields& f, const PurchaseCodes& c) {
  if (auto o = vli_field(f, '1', '5', 0, c.req_missing_vli, c.req_invalid_length, c.req_truncated))
    return o;
  if (auto o = f.missing(c.code_missing)) return o;
  if (f.peek() > '4' && f.peek() != '9') return f.invalid(c.code_invalid);
  f.skip(1);
  if (auto o = f.truncated(3, c.family_truncated)) return o;
  f.skip(3);
  return std::nullopt;
}

// NACAG: a further purchase's GCP, VLI 0-6 (6 to 12 digits) or 9 (none: same as primary).
std::optional<Outcome> purchase_gcp(CouponFields& f, Lint missing, Lint invalid, Lint truncated) {
  if (auto o = f.missing(missing)) return o;
  if (f.peek() > '6' && f.peek() != '9') return f.invalid(invalid);
  int vli = f.take_digit();
  size_t n = vli == 9 ? 0 : static_cast<size_t>(vli) + 6;
  if (auto o = f.truncated(n, truncated)) return o;
  if (n == 0) return std::nullopt;
  if (auto o = f.company_prefix(n)) return o;
  f.skip(n);
  return std::nullopt;
}

// NACAG: a YYMMDD date of an optional field.
std::optional<Outcome> coupon_date(CouponFields& f, Lint too_short, Lint invalid) {
  if (auto o = f.truncated(6, too_short)) return o;
  if (!yymmdd(f.next(6)).ok()) return fail(invalid, f.pos(), 6);
  return std::nullopt;
}

Outcome coupon_body(CouponFields& f) {
  // Primary GCP: VLI 0-6 gives 6 to 12 digits.
  if (auto o = f.missing(Lint::COUPON_MISSING_GCP_VLI)) return *o;
  if (f.peek() > '6') return f.invalid(Lint::COUPON_INVALID_GCP_LENGTH);
  size_t gcp_len = static_cast<size_t>(f.take_digit()) + 6;
  if (auto o = f.truncated(gcp_len, Lint::COUPON_TRUNCATED_GCP)) return *o;
  if (auto o = f.company_prefix(gcp_len)) return *o;
  f.skip(gcp_len);
  // Offer code: six digits.
  if (auto o = f.truncated(6, Lint::COUPON_TRUNCATED_OFFER_CODE)) return *o;
  f.skip(6);
  // Save value: VLI 1-5.
  if (auto o = vli_field(f, '1', '5', 0, Lint::COUPON_MISSING_SAVE_VALUE_VLI,
                         Lint::COUPON_INVALID_SAVE_VALUE_LENGTH, Lint::COUPON_TRUNCATED_SAVE_VALUE))
    return *o;
  if (auto o = purchase(f, {Lint::COUPON_MISSING_1ST_PURCHASE_REQUIREMENT_VLI,
                            Lint::COUPON_INVALID_1ST_PURCHASE_REQUIREMENT_LENGTH,
                            Lint::COUPON_TRUNCATED_1ST_PURCHASE_REQUIREMENT,
                            Lint::COUPON_MISSING_1ST_PURCHASE_REQUIREMENT_CODE,
                            Lint::COUPON_INVALID_1ST_PURCHASE_REQUIREMENT_CODE,
                            Lint::COUPON_TRUNCATED_1ST_PURCHASE_FAMILY_CODE}))
    return *o;

  // Optional field 1: additional purchase rules code (0-3) and a second purchase.
  if (!f.at_end() && f.peek() == '1') {
    f.skip(1);
    if (auto o = f.missing(Lint::COUPON_MISSING_ADDITIONAL_PURCHASE_RULES_CODE)) return *o;
    if (f.peek() > '3') return f.invalid(Lint::COUPON_INVALID_ADDITIONAL_PURCHASE_RULES_CODE);
    f.skip(1);
    if (auto o = purchase(f, {Lint::COUPON_MISSING_2ND_PURCHASE_REQUIREMENT_VLI,
                              Lint::COUPON_INVALID_2ND_PURCHASE_REQUIREMENT_LENGTH,
                              Lint::COUPON_TRUNCATED_2ND_PURCHASE_REQUIREMENT,
                              Lint::COUPON_MISSING_2ND_PURCHASE_REQUIREMENT_CODE,
                              Lint::COUPON_INVALID_2ND_PURCHASE_REQUIREMENT_CODE,
                              Lint::COUPON_TRUNCATED_2ND_PURCHASE_FAMILY_CODE}))
      return *o;
    if (auto o = purchase_gcp(f, Lint::COUPON_MISSING_2ND_PURCHASE_GCP_VLI,
                              Lint::COUPON_INVALID_2ND_PURCHASE_GCP_LENGTH,
                              Lint::COUPON_TRUNCATED_2ND_PURCHASE_GCP))
      return *o;
  }
  // Optional field 2: a third purchase.
  if (!f.at_end() && f.peek() == '2') {
    f.skip(1);
    if (auto o = purchase(f, {Lint::COUPON_MISSING_3RD_PURCHASE_REQUIREMENT_VLI,
                              Lint::COUPON_INVALID_3RD_PURCHASE_REQUIREMENT_LENGTH,
                              Lint::COUPON_TRUNCATED_3RD_PURCHASE_REQUIREMENT,
                              Lint::COUPON_MISSING_3RD_PURCHASE_REQUIREMENT_CODE,
                              Lint::COUPON_INVALID_3RD_PURCHASE_REQUIREMENT_CODE,
                              Lint::COUPON_TRUNCATED_3RD_PURCHASE_FAMILY_CODE}))
      return *o;
    if (auto o = purchase_gcp(f, Lint::COUPON_MISSING_3RD_PURCHASE_GCP_VLI,
                              Lint::COUPON_INVALID_3RD_PURCHASE_GCP_LENGTH,
                              Lint::COUPON_TRUNCATED_3RD_PURCHASE_GCP))
      return *o;
  }
  // Optional field 3: expiration date.
  std::string_view expiry;
  if (!f.at_end() && f.peek() == '3') {
    f.skip(1);
    if (auto o = coupon_date(f, Lint::COUPON_TOO_SHORT_FOR_EXPIRATION_DATE,
                             Lint::COUPON_INVALID_EXIPIRATION_DATE))
      return *o;
    expiry = f.next(6);
    f.skip(6);
  }
  // Optional field 4: start date, not after the expiration date.
  if (!f.at_end() && f.peek() == '4') {
    f.skip(1);
    if (auto o =
            coupon_date(f, Lint::COUPON_TOO_SHORT_FOR_START_DATE, Lint::COUPON_INVALID_START_DATE))
      return *o;
    // YYMMDD strings compare as dates (within one century). Field 4 directly follows
    // field 3, so "3" + expiry + "4" + start is highlighted: 14 digits.
    if (!expiry.empty() && f.next(6) > expiry)
      return fail(Lint::COUPON_EXPIRATION_BEFORE_START, f.pos() - 8, 14);
    f.skip(6);
  }
  // Optional field 5: serial number, VLI 0-9 gives 6 to 15 digits.
  if (!f.at_end() && f.peek() == '5') {
    f.skip(1);
    if (auto o =
            vli_field(f, '0', '9', 6, Lint::COUPON_MISSING_SERIAL_NUMBER_VLI,
                      Lint::COUPON_MISSING_SERIAL_NUMBER_VLI, Lint::COUPON_TRUNCATED_SERIAL_NUMBER))
      return *o;
  }
  // Optional field 6: retailer GCP or GLN, VLI 1-7 gives 7 to 13 digits.
  if (!f.at_end() && f.peek() == '6') {
    f.skip(1);
    if (auto o = f.missing(Lint::COUPON_MISSING_RETAILER_GCP_OR_GLN_VLI)) return *o;
    if (!in_range(f.peek(), '1', '7'))
      return f.invalid(Lint::COUPON_INVALID_RETAILER_GCP_OR_GLN_LENGTH);
    size_t n = static_cast<size_t>(f.take_digit()) + 6;
    if (auto o = f.truncated(n, Lint::COUPON_TRUNCATED_RETAILER_GCP_OR_GLN)) return *o;
    if (auto o = f.company_prefix(n)) return *o;
    f.skip(n);
  }
  // Optional field 9: save value code (0-2, 5, 6), applies-to item (0-2), store coupon
  // flag, don't-multiply flag (0-1).
  if (!f.at_end() && f.peek() == '9') {
    f.skip(1);
    if (auto o = f.missing(Lint::COUPON_MISSING_SAVE_VALUE_CODE)) return *o;
    char code = f.peek();
    if (!in_range(code, '0', '2') && code != '5' && code != '6')
      return f.invalid(Lint::COUPON_INVALID_SAVE_VALUE_CODE);
    f.skip(1);
    if (auto o = f.missing(Lint::COUPON_MISSING_SAVE_VALUE_APPLIES_TO_ITEM)) return *o;
    if (f.peek() > '2') return f.invalid(Lint::COUPON_INVALID_SAVE_VALUE_APPLIES_TO_ITEM);
    f.skip(1);
    if (auto o = f.missing(Lint::COUPON_MISSING_STORE_COUPON_FLAG)) return *o;
    f.skip(1);
    if (auto o = f.missing(Lint::COUPON_MISSING_DONT_MULTIPLY_FLAG)) return *o;
    if (f.peek() > '1') return f.invalid(Lint::COUPON_INVALID_DONT_MULTIPLY_FLAG);
    f.skip(1);
  }
  return f.end();
}

}  // namespace

// GS1 US "North American Coupon Application Guideline Using GS1 DataBar Expanded Symbols"
// (NACAG), AI 8110: mandatory fields, then optional fields 1-6 and 9 in that order.
Outcome couponcode(std::string_view data) {
  if (auto bad = csetnumeric(data); !bad.ok()) return bad;
  CouponFields f(data);
  return coupon_body(f);
}

// GS1 "AI (8112) Coupon Data Specification": format code (0-1), funder ID (VLI 0-6 gives 6
// to 12 digits), offer code (6 digits), serial number (VLI 0-9 gives 6 to 15 digits).
Outcome couponposoffer(std::string_view data) {
  if (auto bad = csetnumeric(data); !bad.ok()) return bad;
  CouponFields f(data);
  if (auto o = f.missing(Lint::COUPON_MISSING_FORMAT_CODE)) return *o;
  if (f.peek() > '1') return f.invalid(Lint::COUPON_INVALID_FORMAT_CODE);
  f.skip(1);
  if (auto o = vli_field(f, '0', '6', 6, Lint::COUPON_MISSING_FUNDER_VLI,
                         Lint::COUPON_INVALID_FUNDER_LENGTH, Lint::COUPON_TRUNCATED_FUNDER))
    return *o;
  if (auto o = f.truncated(6, Lint::COUPON_TRUNCATED_OFFER_CODE)) return *o;
  f.skip(6);
  if (auto o =
          vli_field(f, '0', '9', 6, Lint::COUPON_MISSING_SERIAL_NUMBER_VLI,
                    Lint::COUPON_MISSING_SERIAL_NUMBER_VLI, Lint::COUPON_TRUNCATED_SERIAL_NUMBER))
    return *o;
  return f.end();
}

}  // namespace serialtrack::gs1::lint
