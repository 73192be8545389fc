// EPCIS XML binding (EPCIS 2.0 §9.3, XSDs in schema/xsd): decode EPCIS 2.0 and 1.2
// documents into the event model (event.h) and encode a Document as EPCIS 2.0 XML.
//
// Documents: epcis:EPCISDocument (events; master data in EPCISHeader/extension/
// EPCISMasterData), epcisq:EPCISQueryDocument (QueryResults with an EventList or a
// VocabularyList), epcismd:EPCISMasterDataDocument. EPCIS 1.2 documents
// (urn:epcglobal:epcis:xsd:1) decode too: the 1.x <extension>/<baseExtension> wrappers
// (TransformationEvent and AssociationEvent in EventList/extension, quantityList,
// sourceList, ilmd... in event/extension) are unwrapped into the same fields.
//
// User extensions (elements and attributes in a foreign namespace) become Extension
// trees with their namespace and prefix and are re-emitted the same way; every
// namespace the input declares (beyond EPCIS's own) is kept in Document::namespaces and
// declared again on the root element. Master data attribute values with element
// content are kept as their XML text (pugixml raw format) and re-emitted as elements.
//
// Values are checked as the JSON binding checks them, so that what decodes here can be
// answered as JSON (epcis/identifiers.h): identifiers are URIs and EPC URNs valid, CBV
// values standard words or URIs, numbers finite (no INF/NaN), uom a Rec 20 code,
// namespaces absolute URIs with XML-name prefixes, the input well-formed UTF-8.
// An event of a type outside the five (Event::extension_type) is written as an element
// of its own namespace in the EventList (the XSD's ##other); such an element decodes as
// one again: the fields every event has, and its other children as extensions.
//
// Not kept: the SBDH (sbdh:StandardBusinessDocumentHeader), document/body level
// <extension> content, comments and formatting.
//
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "epcis/error.h"
#include "epcis/event.h"

namespace serialtrack::epcis {

struct XmlDecodeOptions {
  // Enforce the XSD's element order inside events (EPCIS 2.0 §9.3; EPCIS 1.2 order for
  // 1.2 documents), as a schema-validating receiver would. Off: any order is accepted,
  // and a query document may hold queryName/resultsBody without the QueryResults
  // wrapper (for hashing documents that are deliberately jumbled or loosely written).
  bool strict = true;
};

struct XmlOptions {
  bool indent = true;  // pretty-print with two spaces; false: one line
};

// Decodes an EPCIS XML document. On failure the Error says what is wrong and where:
// event index (-1 = document level), field path ("sensorElementList[0].sensorReport[1]
// .value"), line and column of the offending element. kUnsupportedFormat for text that
// is not well-formed XML or whose root is not an EPCIS document (e.g. EPCISCaptureJob,
// a bare event, a Poll request); kValidation for a document that breaks the standard.
Result<Document> decode_xml(std::string_view text, const XmlDecodeOptions& options = {});

// Encodes a document as EPCIS 2.0 XML (UTF-8, with an XML declaration). The root is
// epcis:EPCISDocument, epcisq:EPCISQueryDocument or epcismd:EPCISMasterDataDocument
// by Document::kind; fields are written in the XSD's order. creationDate is the
// document's, or the current time when it has none (the XSD requires one).
std::string encode_xml(const Document& document, const XmlOptions& options = {});

}  // namespace serialtrack::epcis
