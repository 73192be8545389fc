// The one entry point for any GS1 identifier a user may hold: an element string
// (bracketed, or a barcode message with FNC1 as "^" or GS), scan data with an AIM
// symbology identifier, a GS1 Digital Link URI, an EPC pure-identity or tag URI, or
// the hex of an RFID tag's EPC bank. It recognises the form, parses and validates,
// and returns the AIs, or an Error saying which rule failed, for which AI, and where
// (character position and length) so a user interface can highlight it.
// Thread-safe; the options' GCP table must outlive the call.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gs1/ai_data.h"
#include "gs1/epc.h"
#include "gs1/error.h"

namespace serialtrack::gs1 {

class GcpLengthTable;

enum class InputForm : uint8_t {
  BRACKETED,     // (01)09520123456788(21)ABC
  UNBRACKETED,   // ^010952012345678821ABC, or with GS (0x1D) for FNC1
  SCAN,          // ]d2010952012345678821ABC
  DIGITAL_LINK,  // https://id.gs1.org/01/09520123456788/21/ABC
  EPC_URI,       // urn:epc:id:sgtin:9520123.045678.ABC (and urn:epc:class:lgtin:)
  EPC_TAG_URI,   // urn:epc:tag:sgtin-96:1.9520123.045678.1234
  EPC_HEX,       // 3034...: the EPC bank of an RFID tag
};

// "bracketed", "unbracketed", "scan", "digital_link", "epc_uri", "epc_tag_uri", "epc_hex".
std::string_view input_form_name(InputForm form);

struct IdentifyOptions {
  Options gs1;                                 // AI-level options
  std::optional<size_t> gcp_length;            // GS1 Company Prefix length, when known
  const GcpLengthTable* gcp_table = nullptr;   // else looked up here, when given
};

struct Identified {
  InputForm form = InputForm::BRACKETED;
  AiData ais;                   // every AI with its value, in input order
  std::optional<Epc> epc;       // when the input was an EPC, or the GCP length is known
  std::optional<EpcTag> tag;    // when the input was a tag URI or tag hex
  std::string scan_symbology;   // for SCAN: the symbology ("DM", "QR", "GS1_128_CCA"...)
  // Digital Link query parameters that are not AIs (linkType...), still %-encoded.
  std::vector<std::pair<std::string, std::string>> other_query_params;

  // The values users ask for by name; nullopt when absent.
  std::optional<std::string_view> gtin() const { return ais.get("01"); }
  std::optional<std::string_view> serial() const { return ais.get("21"); }
  std::optional<std::string_view> lot() const { return ais.get("10"); }
  std::optional<std::string_view> expiry() const { return ais.get("17"); }
  std::optional<std::string_view> sscc() const { return ais.get("00"); }
  std::optional<std::string_view> gln() const { return ais.get("414"); }
};

// Recognises and parses input. Errors: UNRECOGNISED_INPUT when no form fits (position
// 0), INPUT_TOO_LONG beyond 4096 bytes, else the error of the form's own parser.
Result<Identified> identify(std::string_view input, const IdentifyOptions& options = {});

// The form input appears to be in, from its first characters only; nullopt when none.
std::optional<InputForm> guess_input_form(std::string_view input);

}  // namespace serialtrack::gs1
