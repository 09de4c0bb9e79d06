#include "sdp/search/aggs.h"

#include <algorithm>
#include <map>

namespace sdp::search {
namespace aggs_detail {

std::string Shown(const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); }

Result<TermsAggregation> ParseTerms(const Mapping& mapping, const std::string& name, const Json& body) {
  if (!body.is_object()) {
    return Status::Invalid("[parsing_exception] [terms] expects an object in [" + name + "], got " +
                           Shown(body).substr(0, 100));
  }
  TermsAggregation agg;
  agg.name = name;
  for (const auto& [key, value] : body.items()) {
    if (key == "field") {
      if (!value.is_string()) {
        return Status::Invalid("[parsing_exception] [terms] field must be a string in [" + name + "]");
      }
      agg.field = value.get<std::string>();
    } else if (key == "size") {
      // nlohmann reads a non-negative literal as unsigned: compare signed values only.
      if (!value.is_number_integer() || (value.is_number_unsigned() ? value.get<uint64_t>() == 0 : value.get<int64_t>() <= 0)) {
        // TermsAggregationBuilder.size's message.
        return Status::Invalid("[illegal_argument_exception] [size] must be greater than 0. Found [" +
                               Shown(value) + "] in [" + name + "]");
      }
      if (value.get<uint64_t>() > kMaxAggregationSize) {
        return Status::Invalid("[illegal_argument_exception] [size] must be at most " +
                               std::to_string(kMaxAggregationSize) + " in this model (search.max_buckets). Found [" +
                               Shown(value) + "] in [" + name + "]");
      }
      agg.size = value.get<uint32_t>();
    } else {
      return Status::Invalid("[parsing_exception] [terms] unknown field [" + key +
                             "] (this model supports field, size)");
    }
  }
  if (agg.field.empty()) {
    return Status::Invalid("[illegal_argument_exception] Required one of fields [field, script], but none were "
                           "specified. ");
  }
  const MappingField* f = mapping.Find(agg.field);
  if (f == nullptr) {
    agg.unmapped = true;
  } else if (f->type == FieldType::kText) {
    return Status::Invalid(
        "[illegal_argument_exception] Text fields are not optimised for operations that require per-document "
        "field data like aggregations and sorting, so these operations are disabled by default. Please use a "
        "keyword field instead. Alternatively, set fielddata=true on [" + agg.field +
        "] in order to load field data by uninverting the inverted index. Note that this can use significant "
        "memory.");
  } else {
    agg.integer = f->type == FieldType::kInteger;
  }
  return agg;
}

template <typename Key>
Json Buckets(const std::map<Key, uint64_t>& counts, uint32_t size) {
  std::vector<std::pair<Key, uint64_t>> list(counts.begin(), counts.end());  // key ascending
  std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  Json buckets = Json::array();
  uint64_t other = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    if (i < size) buckets.push_back({{"key", list[i].first}, {"doc_count", list[i].second}});
    else other += list[i].second;
  }
  return {{"doc_count_error_upper_bound", 0}, {"sum_other_doc_count", other}, {"buckets", std::move(buckets)}};
}

}  // namespace aggs_detail

Result<std::vector<TermsAggregation>> ParseAggregations(const Mapping& mapping, const Json& aggs) {
  std::vector<TermsAggregation> out;
  if (aggs.is_null()) return out;
  if (!aggs.is_object()) {
    return Status::Invalid("[parsing_exception] Expected [START_OBJECT] under [aggs], but got " +
                           aggs_detail::Shown(aggs).substr(0, 100));
  }
  if (aggs.size() > kMaxAggregations) {
    return Status::Invalid("[illegal_argument_exception] at most " + std::to_string(kMaxAggregations) +
                           " aggregations in this model, got " + std::to_string(aggs.size()));
  }
  for (const auto& [name, body] : aggs.items()) {
    if (!body.is_object() || body.size() != 1) {
      return Status::Invalid("[parsing_exception] Expected exactly one aggregation type in [" + name +
                             "], e.g. {\"terms\": {\"field\": \"tag\"}}");
    }
    const std::string type = body.begin().key();
    if (type != "terms") {
      return Status::Invalid("[parsing_exception] Unknown aggregation type [" + type +
                             "] (this model knows terms)");
    }
    auto agg = aggs_detail::ParseTerms(mapping, name, body.begin().value());
    if (!agg.ok()) return agg.status();
    out.push_back(agg.value());
  }
  return out;
}

Json RunAggregations(const std::vector<TermsAggregation>& aggs, const std::vector<Segment>& segments,
                     const std::vector<std::pair<uint32_t, uint32_t>>& matches) {
  Json out = Json::object();
  for (const TermsAggregation& agg : aggs) {
    if (agg.integer) {
      std::map<int64_t, uint64_t> counts;
      for (const auto& [s, d] : matches) {
        const auto& values = segments[s].docs[d].integer;
        const auto it = values.find(agg.field);
        if (it != values.end()) counts[it->second] += 1;
      }
      out[agg.name] = aggs_detail::Buckets(counts, agg.size);
    } else {
      std::map<std::string, uint64_t> counts;  // byte order, as BytesRef
      if (!agg.unmapped) {
        for (const auto& [s, d] : matches) {
          const auto& values = segments[s].docs[d].keyword;
          const auto it = values.find(agg.field);
          if (it != values.end()) counts[it->second] += 1;
        }
      }
      out[agg.name] = aggs_detail::Buckets(counts, agg.size);
    }
  }
  return out;
}

}  // namespace sdp::search
