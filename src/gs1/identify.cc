#include "gs1/identify.h"

#include "gs1/digital_link.h"
#include "gs1/element_string.h"
#include "gs1/gcp_length.h"
#include "gs1/scan_data.h"

namespace serialtrack::gs1 {
namespace {

constexpr size_t kMaxInput = 4096;

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool is_hex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
      return false;
  return true;
}

// Adds the EPC of an element string when its GCP length is given or can be looked up.
void add_epc(Identified& id, const IdentifyOptions& options) {
  if (options.gcp_length) {
    if (auto epc = epc_from_ai_data(id.ais, *options.gcp_length)) id.epc = *epc;
  } else if (options.gcp_table != nullptr) {
    if (auto epc = epc_from_ai_data(id.ais, *options.gcp_table)) id.epc = *epc;
  }
}

std::optional<Error> from_epc(Identified& id, const Epc& epc) {
  id.epc = epc;
  if (epc.scheme == EpcScheme::GID) return std::nullopt;  // GID has no element string
  return to_ai_data(epc, id.ais);
}

}  // namespace

std::string_view input_form_name(InputForm form) {
  switch (form) {
    case InputForm::BRACKETED: return "bracketed";
    case InputForm::UNBRACKETED: return "unbracketed";
    case InputForm::SCAN: return "scan";
    case InputForm::DIGITAL_LINK: return "digital_link";
    case InputForm::EPC_URI: return "epc_uri";
    case InputForm::EPC_TAG_URI: return "epc_tag_uri";
    case InputForm::EPC_HEX: return "epc_hex";
  }
  return "unknown";
}

std::optional<InputForm> guess_input_form(std::string_view in) {
  if (in.empty()) return std::nullopt;
  switch (in[0]) {
    case '(': return InputForm::BRACKETED;
    case '^':
    case '\x1D': return InputForm::UNBRACKETED;
    case ']': return InputForm::SCAN;
  }
  if (starts_with_ci(in, "http://") || starts_with_ci(in, "https://"))
    return InputForm::DIGITAL_LINK;
  if (starts_with_ci(in, "urn:epc:tag:")) return InputForm::EPC_TAG_URI;
  if (starts_with_ci(in, "urn:epc:id:") || starts_with_ci(in, "urn:epc:class:"))
    return InputForm::EPC_URI;
  // The smallest EPC binary encoding is 96 bits (TDS 14.5): 24 hex digits.
  if (in.size() >= 24 && is_hex(in)) return InputForm::EPC_HEX;
  // A scanner without symbology identifiers sends the message with GS separators
  // but no leading FNC1.
  if (in.find('\x1D') != std::string_view::npos) return InputForm::UNBRACKETED;
  return std::nullopt;
}

Result<Identified> identify(std::string_view input, const IdentifyOptions& options) {
  if (input.size() > kMaxInput)
    return unexpected(make_error(ErrorCode::INPUT_TOO_LONG, {}, kMaxInput, 0,
                                 "input longer than " + std::to_string(kMaxInput) + " bytes"));
  auto form = guess_input_form(input);
  if (!form)
    return unexpected(make_error(
        ErrorCode::UNRECOGNISED_INPUT, {}, 0, input.size(),
        "not a GS1 element string, scan data, Digital Link URI, EPC URI or EPC hex"));
  Identified id;
  id.form = *form;
  std::optional<Error> err;
  switch (*form) {
    case InputForm::BRACKETED:
      err = parse_bracketed_into(input, id.ais, options.gs1);
      break;
    case InputForm::UNBRACKETED:
      if (input[0] != '^' && input[0] != '\x1D') {
        std::string with_fnc1(1, '\x1D');
        with_fnc1.append(input);
        err = parse_unbracketed_into(with_fnc1, id.ais, options.gs1);
        if (err && err->position > 0) --err->position;  // back to the caller's text
      } else {
        err = parse_unbracketed_into(input, id.ais, options.gs1);
      }
      break;
    case InputForm::SCAN: {
      ScanData scan;
      err = parse_scan_data_into(input, scan, options.gs1);
      if (!err && scan.data.empty())
        err = make_error(ErrorCode::NOT_AI_DATA, {}, 0, input.size(),
                         "the scan data holds neither GS1 AIs nor a GS1 Digital Link URI");
      id.ais = std::move(scan.data);
      id.scan_symbology = std::string(symbology_name(scan.symbology));
      break;
    }
    case InputForm::DIGITAL_LINK: {
      DigitalLinkParts parts;
      err = parse_digital_link_into(input, id.ais, &parts, options.gs1);
      if (!err)
        for (auto& [k, v] : parts.other_query_params) id.other_query_params.emplace_back(k, v);
      break;
    }
    case InputForm::EPC_URI: {
      auto epc = parse_epc_uri(input);
      if (!epc) return unexpected(std::move(epc).error());
      err = from_epc(id, *epc);
      break;
    }
    case InputForm::EPC_TAG_URI: {
      auto tag = parse_tag_uri(input);
      if (!tag) return unexpected(std::move(tag).error());
      id.tag = *tag;
      err = from_epc(id, tag->epc);
      break;
    }
    case InputForm::EPC_HEX: {
      auto tag = decode_epc_hex(input);
      if (!tag) return unexpected(std::move(tag).error());
      id.tag = *tag;
      err = from_epc(id, tag->epc);
      break;
    }
  }
  if (err) return unexpected(std::move(*err));
  if (!id.epc) add_epc(id, options);
  return id;
}

}  // namespace serialtrack::gs1
