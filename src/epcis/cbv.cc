#include "epcis/cbv.h"

#include <algorithm>
#include <array>

namespace serialtrack::epcis {
namespace {

// Tables transcribed from the CBV 2.0 JSON-LD contexts (cbv-context-*.jsonld,
// gs1-context-*.jsonld) and the EPCIS 2.0 JSON Schema enums.

// CBV 2.0 §7.1 business steps.
constexpr std::string_view kBizSteps[] = {"accepting",
                                          "arriving",
                                          "assembling",
                                          "collecting",
                                          "commissioning",
                                          "consigning",
                                          "creating_class_instance",
                                          "cycle_counting",
                                          "decommissioning",
                                          "departing",
                                          "destroying",
                                          "disassembling",
                                          "dispensing",
                                          "encoding",
                                          "entering_exiting",
                                          "holding",
                                          "inspecting",
                                          "installing",
                                          "killing",
                                          "loading",
                                          "other",
                                          "packing",
                                          "picking",
                                          "receiving",
                                          "removing",
                                          "repackaging",
                                          "repairing",
                                          "replacing",
                                          "reserving",
                                          "retail_selling",
                                          "shipping",
                                          "staging_outbound",
                                          "stock_taking",
                                          "stocking",
                                          "storing",
                                          "transporting",
                                          "unloading",
                                          "unpacking",
                                          "void_shipping",
                                          "sensor_reporting",
                                          "sampling"};

// CBV 2.0 §7.2 dispositions.
constexpr std::string_view kDispositions[] = {"active",
                                              "container_closed",
                                              "damaged",
                                              "destroyed",
                                              "dispensed",
                                              "disposed",
                                              "encoded",
                                              "expired",
                                              "in_progress",
                                              "in_transit",
                                              "inactive",
                                              "no_pedigree_match",
                                              "non_sellable_other",
                                              "partially_dispensed",
                                              "recalled",
                                              "reserved",
                                              "retail_sold",
                                              "returned",
                                              "sellable_accessible",
                                              "sellable_not_accessible",
                                              "stolen",
                                              "unknown",
                                              "available",
                                              "completeness_verified",
                                              "completeness_inferred",
                                              "conformant",
                                              "container_open",
                                              "mismatch_instance",
                                              "mismatch_class",
                                              "mismatch_quantity",
                                              "needs_replacement",
                                              "non_conformant",
                                              "unavailable"};

// CBV 2.0 §7.3 business transaction types.
constexpr std::string_view kBizTransactionTypes[] = {
    "bol",       "cert",   "desadv", "inv",     "pedigree", "po",   "poc",
    "prodorder", "recadv", "rma",    "testprd", "testres",  "upevt"};

// CBV 2.0 §7.4 source/destination types.
constexpr std::string_view kSourceDestTypes[] = {"owning_party", "possessing_party", "location"};

// CBV 2.0 §7.5 error reasons.
constexpr std::string_view kErrorReasons[] = {"did_not_occur", "incorrect_data"};

// CBV 2.0 §7.6 sensor measurement types (GS1 Web Vocabulary MeasurementType).
constexpr std::string_view kMeasurementTypes[] = {"AbsoluteHumidity",
                                                  "AbsorbedDose",
                                                  "AbsorbedDoseRate",
                                                  "Acceleration",
                                                  "Radioactivity",
                                                  "Altitude",
                                                  "AmountOfSubstance",
                                                  "AmountOfSubstancePerUnitVolume",
                                                  "Angle",
                                                  "AngularAcceleration",
                                                  "AngularMomentum",
                                                  "AngularVelocity",
                                                  "Area",
                                                  "Capacitance",
                                                  "Conductance",
                                                  "Conductivity",
                                                  "Count",
                                                  "Density",
                                                  "Dimensionless",
                                                  "DoseEquivalent",
                                                  "DoseEquivalentRate",
                                                  "DynamicViscosity",
                                                  "ElectricCharge",
                                                  "ElectricCurrent",
                                                  "ElectricCurrentDensity",
                                                  "ElectricFieldStrength",
                                                  "Energy",
                                                  "Exposure",
                                                  "Force",
                                                  "Frequency",
                                                  "Illuminance",
                                                  "Inductance",
                                                  "Irradiance",
                                                  "KinematicViscosity",
                                                  "Length",
                                                  "LinearMomentum",
                                                  "Luminance",
                                                  "LuminousFlux",
                                                  "LuminousIntensity",
                                                  "MagneticFlux",
                                                  "MagneticFluxDensity",
                                                  "MagneticVectorPotential",
                                                  "Mass",
                                                  "MassConcentration",
                                                  "MassFlowRate",
                                                  "MassPerAreaTime",
                                                  "MemoryCapacity",
                                                  "MolalityOfSolute",
                                                  "MolarEnergy",
                                                  "MolarMass",
                                                  "MolarVolume",
                                                  "Power",
                                                  "Pressure",
                                                  "RadiantFlux",
                                                  "RadiantIntensity",
                                                  "RelativeHumidity",
                                                  "Resistance",
                                                  "Resistivity",
                                                  "SolidAngle",
                                                  "SpecificVolume",
                                                  "Speed",
                                                  "SurfaceDensity",
                                                  "SurfaceTension",
                                                  "Temperature",
                                                  "Time",
                                                  "Torque",
                                                  "Voltage",
                                                  "Volume",
                                                  "VolumeFlowRate",
                                                  "VolumeFraction",
                                                  "VolumetricFlux",
                                                  "Wavenumber"};

// CBV 2.0 §7.7 sensor alert types.
constexpr std::string_view kSensorAlertTypes[] = {"ALARM_CONDITION", "ERROR_CONDITION"};

// CBV 2.0 §7.8 measurement components.
constexpr std::string_view kComponents[] = {"x",
                                            "y",
                                            "z",
                                            "axial_distance",
                                            "azimuth",
                                            "height",
                                            "spherical_radius",
                                            "polar_angle",
                                            "elevation_angle",
                                            "easting",
                                            "northing",
                                            "latitude",
                                            "longitude",
                                            "altitude"};

struct KindInfo {
  std::span<const std::string_view> words;
  std::string_view urn_prefix;    // "urn:epcglobal:cbv:bizstep:"; empty: none
  std::string_view web_prefix;    // full web vocabulary prefix of one value
  std::string_view curie_prefix;  // the same as a JSON-LD CURIE prefix
  std::string_view name;
};

const KindInfo& info(CbvKind kind) {
  static const std::array<KindInfo, 8> kInfo = {{
      {kBizSteps, "urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-", "cbv:BizStep-",
       "bizStep"},
      {kDispositions, "urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-", "cbv:Disp-",
       "disposition"},
      {kBizTransactionTypes, "urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-", "cbv:BTT-",
       "bizTransactionType"},
      {kSourceDestTypes, "urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-", "cbv:SDT-",
       "sourceDestType"},
      {kErrorReasons, "urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-", "cbv:ER-",
       "errorReason"},
      {kMeasurementTypes, "", "https://gs1.org/voc/", "gs1:", "measurementType"},
      {kSensorAlertTypes, "", "https://gs1.org/voc/", "gs1:", "sensorAlertType"},
      {kComponents, "", "https://ref.gs1.org/cbv/Comp-", "cbv:Comp-", "component"},
  }};
  return kInfo[static_cast<size_t>(kind)];
}

bool is_word(const KindInfo& k, std::string_view w) {
  return std::find(k.words.begin(), k.words.end(), w) != k.words.end();
}

bool strip(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// The bare word of value when it spells a standard value of kind in any accepted
// form; empty otherwise.
std::string_view standard_word(const KindInfo& k, std::string_view value) {
  std::string_view w = value;
  if (is_word(k, w)) return w;
  w = value;
  if (!k.urn_prefix.empty() && strip(w, k.urn_prefix) && is_word(k, w)) return w;
  w = value;
  if (strip(w, k.curie_prefix) && is_word(k, w)) return w;
  // The web vocabulary URI, also as http:// and www. (GS1 Web Voc publishes both).
  std::string_view rest = k.web_prefix.substr(std::string_view("https://").size());
  for (std::string_view scheme : {"https://", "http://"}) {
    for (std::string_view www : {"", "www."}) {
      w = value;
      if (strip(w, scheme) && strip(w, www) && strip(w, rest) && is_word(k, w)) return w;
    }
  }
  return {};
}

std::string canonical_of(const KindInfo& k, std::string_view word) {
  std::string out(k.urn_prefix.empty() ? k.web_prefix : k.urn_prefix);
  out += word;
  return out;
}

}  // namespace

std::string expand_cbv(CbvKind kind, std::string_view value) {
  const KindInfo& k = info(kind);
  std::string_view word = standard_word(k, value);
  if (!word.empty()) return canonical_of(k, word);
  // A "gs1:" / "cbv:" CURIE of a value outside the table still expands with the
  // standard context's prefix (EPCIS 2.0 §8.2.1 JSON-LD context).
  std::string_view rest = value;
  if (strip(rest, "gs1:")) return std::string(kGs1VocPrefix) + std::string(rest);
  rest = value;
  if (strip(rest, "cbv:")) return std::string(kCbvWebPrefix) + std::string(rest);
  return std::string(value);
}

std::string compact_cbv(CbvKind kind, std::string_view uri) {
  const KindInfo& k = info(kind);
  std::string_view word = standard_word(k, uri);
  if (!word.empty()) return std::string(word);
  std::string_view rest = uri;
  // EPCIS JSON Schema "vocab-nonGS1WebVoc-uri": write GS1 Web Voc terms as "gs1:" CURIEs.
  if (strip(rest, kGs1VocPrefix)) return "gs1:" + std::string(rest);
  return std::string(uri);
}

bool is_standard_cbv(CbvKind kind, std::string_view value) {
  return !standard_word(info(kind), value).empty();
}

std::string cbv_web_uri(CbvKind kind, std::string_view value) {
  const KindInfo& k = info(kind);
  std::string_view word = standard_word(k, value);
  if (word.empty()) return std::string(value);
  return std::string(k.web_prefix) + std::string(word);
}

std::span<const std::string_view> cbv_values(CbvKind kind) {
  return info(kind).words;
}

std::string_view cbv_kind_name(CbvKind kind) {
  return info(kind).name;
}

}  // namespace serialtrack::epcis
