// Errors of the gs1 module: what failed (an ErrorCode, and for a failed content
// check the linter's Lint code), where (the AI, the character position and length in
// the input), in words. Codes are named as GS1's reference implementation
// (gs1-syntax-engine) and the GS1 Barcode Syntax Tests name them, so a user of
// either recognises them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace serialtrack::gs1 {

// Outcome of a content check ("linter") of the GS1 Barcode Syntax Tests.
#define SERIALTRACK_GS1_LINTS(X)                                                  \
  X(OK)                                                                           \
  X(NON_DIGIT_CHARACTER) X(INVALID_CSET82_CHARACTER) X(INVALID_CSET39_CHARACTER)  \
  X(INVALID_CSET64_CHARACTER) X(INVALID_CSET64_PADDING)                           \
  X(TOO_SHORT_FOR_CHECK_DIGIT) X(INCORRECT_CHECK_DIGIT)                           \
  X(TOO_SHORT_FOR_CHECK_PAIR) X(TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION)           \
  X(INCORRECT_CHECK_PAIR) X(TOO_SHORT_FOR_GCP) X(INVALID_GCP_PREFIX)              \
  X(GCP_DATASOURCE_OFFLINE)                                                       \
  X(REQUIRES_NON_DIGIT_CHARACTER) X(ILLEGAL_ZERO_PREFIX) X(ILLEGAL_ZERO_VALUE)    \
  X(NOT_ZERO) X(NOT_ZERO_OR_ONE) X(NOT_HYPHEN) X(INVALID_WINDING_DIRECTION)       \
  X(INVALID_BIOLOGICAL_SEX_CODE) X(INVALID_PACKAGE_TYPE) X(INVALID_MEDIA_TYPE)    \
  X(INVALID_IMPORT_IDX_CHARACTER) X(IMPORTER_IDX_MUST_BE_ONE_CHARACTER)           \
  X(NOT_ISO3166) X(NOT_ISO3166_OR_999) X(NOT_ISO3166_ALPHA2) X(NOT_ISO4217)       \
  X(INVALID_PERCENT_SEQUENCE)                                                     \
  X(DATE_TOO_SHORT) X(DATE_TOO_LONG) X(ILLEGAL_MONTH) X(ILLEGAL_DAY)              \
  X(HOUR_TOO_SHORT) X(HOUR_TOO_LONG) X(ILLEGAL_HOUR)                              \
  X(MINUTE_TOO_SHORT) X(MINUTE_TOO_LONG) X(ILLEGAL_MINUTE)                        \
  X(SECOND_TOO_SHORT) X(SECOND_TOO_LONG) X(ILLEGAL_SECOND)                        \
  X(HOUR_WITH_MINUTE_TOO_SHORT) X(HOUR_WITH_MINUTE_TOO_LONG)                      \
  X(LATITUDE_INVALID_LENGTH) X(INVALID_LATITUDE)                                  \
  X(LONGITUDE_INVALID_LENGTH) X(INVALID_LONGITUDE)                                \
  X(PIECE_NUMBER_EXCEEDS_TOTAL) X(ZERO_PIECE_NUMBER) X(ZERO_TOTAL_PIECES)         \
  X(INVALID_LENGTH_FOR_PIECE_OF_TOTAL)                                            \
  X(POSITION_IN_SEQUENCE_MALFORMED) X(POSITION_EXCEEDS_END)                       \
  X(IBAN_TOO_SHORT) X(IBAN_TOO_LONG) X(INVALID_IBAN_CHARACTER)                    \
  X(ILLEGAL_IBAN_COUNTRY_CODE) X(INCORRECT_IBAN_CHECKSUM)                         \
  X(COUPON_MISSING_GCP_VLI) X(COUPON_INVALID_GCP_LENGTH) X(COUPON_TRUNCATED_GCP)  \
  X(COUPON_TRUNCATED_OFFER_CODE) X(COUPON_MISSING_SAVE_VALUE_VLI)                 \
  X(COUPON_INVALID_SAVE_VALUE_LENGTH) X(COUPON_TRUNCATED_SAVE_VALUE)              \
  X(COUPON_MISSING_1ST_PURCHASE_REQUIREMENT_VLI)                                  \
  X(COUPON_INVALID_1ST_PURCHASE_REQUIREMENT_LENGTH)                               \
  X(COUPON_TRUNCATED_1ST_PURCHASE_REQUIREMENT)                                    \
  X(COUPON_MISSING_1ST_PURCHASE_REQUIREMENT_CODE)                                 \
  X(COUPON_INVALID_1ST_PURCHASE_REQUIREMENT_CODE)                                 \
  X(COUPON_TRUNCATED_1ST_PURCHASE_FAMILY_CODE)                                    \
  X(COUPON_MISSING_ADDITIONAL_PURCHASE_RULES_CODE)                                \
  X(COUPON_INVALID_ADDITIONAL_PURCHASE_RULES_CODE)                                \
  X(COUPON_MISSING_2ND_PURCHASE_REQUIREMENT_VLI)                                  \
  X(COUPON_INVALID_2ND_PURCHASE_REQUIREMENT_LENGTH)                               \
  X(COUPON_TRUNCATED_2ND_PURCHASE_REQUIREMENT)                                    \
  X(COUPON_MISSING_2ND_PURCHASE_REQUIREMENT_CODE)                                 \
  X(COUPON_INVALID_2ND_PURCHASE_REQUIREMENT_CODE)                                 \
  X(COUPON_TRUNCATED_2ND_PURCHASE_FAMILY_CODE)                                    \
  X(COUPON_MISSING_2ND_PURCHASE_GCP_VLI)                                          \
  X(COUPON_INVALID_2ND_PURCHASE_GCP_LENGTH) X(COUPON_TRUNCATED_2ND_PURCHASE_GCP)  \
  X(COUPON_MISSING_3RD_PURCHASE_REQUIREMENT_VLI)                                  \
  X(COUPON_INVALID_3RD_PURCHASE_REQUIREMENT_LENGTH)                               \
  X(COUPON_TRUNCATED_3RD_PURCHASE_REQUIREMENT)                                    \
  X(COUPON_MISSING_3RD_PURCHASE_REQUIREMENT_CODE)                                 \
  X(COUPON_INVALID_3RD_PURCHASE_REQUIREMENT_CODE)                                 \
  X(COUPON_TRUNCATED_3RD_PURCHASE_FAMILY_CODE)                                    \
  X(COUPON_MISSING_3RD_PURCHASE_GCP_VLI)                                          \
  X(COUPON_INVALID_3RD_PURCHASE_GCP_LENGTH) X(COUPON_TRUNCATED_3RD_PURCHASE_GCP)  \
  X(COUPON_TOO_SHORT_FOR_EXPIRATION_DATE) X(COUPON_INVALID_EXIPIRATION_DATE)      \
  X(COUPON_TOO_SHORT_FOR_START_DATE) X(COUPON_INVALID_START_DATE)                 \
  X(COUPON_EXPIRATION_BEFORE_START) X(COUPON_MISSING_SERIAL_NUMBER_VLI)           \
  X(COUPON_TRUNCATED_SERIAL_NUMBER) X(COUPON_MISSING_RETAILER_GCP_OR_GLN_VLI)     \
  X(COUPON_INVALID_RETAILER_GCP_OR_GLN_LENGTH)                                    \
  X(COUPON_TRUNCATED_RETAILER_GCP_OR_GLN) X(COUPON_MISSING_SAVE_VALUE_CODE)       \
  X(COUPON_INVALID_SAVE_VALUE_CODE) X(COUPON_MISSING_SAVE_VALUE_APPLIES_TO_ITEM)  \
  X(COUPON_INVALID_SAVE_VALUE_APPLIES_TO_ITEM) X(COUPON_MISSING_STORE_COUPON_FLAG) \
  X(COUPON_MISSING_DONT_MULTIPLY_FLAG) X(COUPON_INVALID_DONT_MULTIPLY_FLAG)       \
  X(COUPON_EXCESS_DATA) X(COUPON_MISSING_FUNDER_VLI) X(COUPON_INVALID_FUNDER_LENGTH) \
  X(COUPON_TRUNCATED_FUNDER) X(COUPON_MISSING_FORMAT_CODE)                        \
  X(COUPON_INVALID_FORMAT_CODE)

enum class Lint : uint8_t {
#define X(name) name,
  SERIALTRACK_GS1_LINTS(X)
#undef X
};

// The name of a Lint code, e.g. "INCORRECT_CHECK_DIGIT".
std::string_view lint_name(Lint code);

// What went wrong, for every parser and converter of the module.
#define SERIALTRACK_GS1_ERRORS(X)                                                 \
  /* element strings (GS1 GenSpecs 7.8) */                                        \
  X(AI_DATA_EMPTY) X(AI_DATA_IS_EMPTY) X(NOT_AI_DATA) X(AI_PARSE_FAILED)          \
  X(AI_UNRECOGNISED) X(NO_AI_FOR_PREFIX) X(AI_DATA_HAS_INCORRECT_LENGTH)          \
  X(AI_DATA_IS_TOO_LONG) X(AI_VALUE_IS_TOO_LONG) X(AI_VALUE_IS_TOO_SHORT)         \
  X(AI_CONTAINS_ILLEGAL_CARAT_CHARACTER) X(AI_LINTER_ERROR)                       \
  X(TOO_MANY_AIS)                                                                 \
  /* AI associations (GS1 GenSpecs 4.13, syntax dictionary req=/ex=) */          \
  X(REQUIRED_AIS_NOT_SATISFIED) X(INVALID_AI_PAIRS)                               \
  X(INSTANCES_OF_AI_HAVE_DIFFERENT_VALUES) X(SERIAL_NOT_PRESENT)                  \
  /* GS1 Digital Link (DL URI Syntax 1.x) */                                      \
  X(NOT_A_DL_URI) X(URI_CONTAINS_ILLEGAL_CHARACTERS)                              \
  X(URI_MISSING_DOMAIN_AND_PATH_INFO) X(DOMAIN_CONTAINS_ILLEGAL_CHARACTERS)       \
  X(NO_GS1_DL_KEYS_FOUND_IN_PATH_INFO) X(AI_VALUE_PATH_ELEMENT_IS_EMPTY)          \
  X(AI_VALUE_QUERY_ELEMENT_IN_EMPTY) X(DECODED_AI_FROM_DL_PATH_INFO_CONTAINS_ILLEGAL_NULL) \
  X(DECODED_AI_VALUE_FROM_QUERY_PARAMS_CONTAINS_ILLEGAL_NULL)                     \
  X(UNKNOWN_AI_IN_QUERY_PARAMS) X(AI_IS_NOT_VALID_DATA_ATTRIBUTE)                 \
  X(AI_SHOULD_BE_IN_PATH_INFO) X(DUPLICATE_AI) X(INVALID_KEY_QUALIFIER_SEQUENCE)  \
  X(CANNOT_CREATE_DL_URI_WITHOUT_PRIMARY_KEY_AI)                                  \
  /* scan data (AIM symbology identifiers, ISO/IEC 15424) */                      \
  X(MISSING_SYMBOLOGY_IDENTIFIER) X(UNSUPPORTED_SYMBOLOGY_IDENTIFIER)             \
  X(SCAN_DATA_CONTAINS_ILLEGAL_CARAT) X(PRIMARY_SCAN_DATA_IS_TOO_SHORT)           \
  X(PRIMARY_MESSAGE_IS_TOO_LONG) X(PRIMARY_MESSAGE_MAY_ONLY_CONTAIN_DIGITS)       \
  X(PRIMARY_MESSAGE_CHECK_DIGIT_IS_INCORRECT) X(PRIMARY_DATA_CHECK_DIGIT_IS_INCORRECT) \
  X(PRIMARY_DATA_IS_TOO_LARGE) X(PRIMARY_DATA_MUST_BE_ALL_DIGITS)                 \
  X(PRIMARY_DATA_MUST_BE_N_DIGITS) X(PRIMARY_DATA_MUST_BE_N_DIGITS_WITHOUT_CHECK_DIGIT) \
  /* EPC URIs and binary encodings (GS1 EPC Tag Data Standard) */                 \
  X(UNKNOWN_HEADER) X(INVALID_PARTITION) X(INVALID_HEX) X(TOO_SHORT)              \
  X(NOT_A_TAG_URI) X(NOT_AN_EPC_URI) X(UNSUPPORTED_SCHEME)                        \
  X(WRONG_NUMBER_OF_COMPONENTS) X(INVALID_CHARACTER) X(INVALID_ESCAPE)            \
  X(INVALID_FILTER) X(INVALID_COMPANY_PREFIX) X(COMPANY_PREFIX_OUT_OF_RANGE)      \
  X(INVALID_REFERENCE_LENGTH) X(REFERENCE_OUT_OF_RANGE) X(INVALID_NUMERIC_SERIAL) \
  X(SERIAL_TOO_LONG) X(EMPTY_SERIAL) X(NON_ZERO_PADDING) X(VALUE_TOO_LARGE)       \
  X(UNKNOWN_COMPANY_PREFIX_LENGTH) X(NO_EPC_FOR_DATA)                             \
  X(GCP_TABLE_UNREADABLE) X(GCP_TABLE_INVALID_LINE)                               \
  /* the one entry point */                                                      \
  X(UNRECOGNISED_INPUT) X(INPUT_TOO_LONG)

enum class ErrorCode : uint8_t {
#define X(name) name,
  SERIALTRACK_GS1_ERRORS(X)
#undef X
};

// The name of an ErrorCode, e.g. "AI_LINTER_ERROR".
std::string_view error_name(ErrorCode code);

// A precise error: which rule, which AI, which characters of the input.
struct Error {
  ErrorCode code;
  Lint lint = Lint::OK;   // the failed content check when code == AI_LINTER_ERROR
  std::string ai;         // the AI concerned, when there is one ("01", "3103"...)
  size_t position = 0;    // offset of the offending characters in the input
  size_t length = 0;      // how many characters (0: the position only)
  std::string message;    // one sentence for a person

  // The most specific code: the linter's when a content check failed, else code's.
  std::string_view name() const {
    return code == ErrorCode::AI_LINTER_ERROR ? lint_name(lint) : error_name(code);
  }
};

template <typename T>
using Result = serialtrack::Result<T, Error>;

// Builds an Error; message is optional (a default sentence is derived from code).
Error make_error(ErrorCode code, std::string_view ai = {}, size_t position = 0,
                 size_t length = 0, std::string message = {});

}  // namespace serialtrack::gs1
