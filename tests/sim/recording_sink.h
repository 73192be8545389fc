// A Sink that keeps what a simulation hands out, in order, for the simulator tests.
#pragma once

#include <string>
#include <vector>

#include "epcis/json_codec.h"
#include "sim/sink.h"

namespace serialtrack::sim {

class RecordingSink : public Sink {
 public:
  std::vector<epcis::Document> documents;
  std::vector<Verification> verifications;
  std::vector<AnomalyLabel> labels;
  std::vector<ItemTruth> truths;
  // For each verification, how many documents had arrived before it (the order of both).
  std::vector<size_t> documents_before;

  std::optional<SinkError> document(const epcis::Document& doc) override {
    documents.push_back(doc);
    return std::nullopt;
  }
  std::optional<SinkError> verification(const Verification& v) override {
    verifications.push_back(v);
    documents_before.push_back(documents.size());
    return std::nullopt;
  }
  std::optional<SinkError> label(const AnomalyLabel& l) override {
    labels.push_back(l);
    return std::nullopt;
  }
  std::optional<SinkError> truth(const ItemTruth& t) override {
    truths.push_back(t);
    return std::nullopt;
  }

  // Everything as the CLI writes it: documents as EPCIS JSON, the rest as JSON lines.
  std::string text() const {
    std::string out;
    for (const auto& d : documents) out += epcis::encode_json(d) + "\n";
    for (const auto& v : verifications) out += verification_json(v) + "\n";
    for (const auto& l : labels) out += label_json(l) + "\n";
    for (const auto& t : truths) out += truth_json(t) + "\n";
    return out;
  }
};

}  // namespace serialtrack::sim
