#include "sdp/search/sort.h"

namespace sdp::search {
namespace sort_detail {

std::string Shown(const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); }

Result<bool> ParseOrder(const std::string& field, const Json& v) {
  if (v.is_string()) {
    const std::string o = v.get<std::string>();
    if (o == "asc") return false;
    if (o == "desc") return true;
  }
  // SortOrder.fromString's message.
  return Status::Invalid("[illegal_argument_exception] Unknown SortOrder [" +
                         (v.is_string() ? v.get<std::string>() : Shown(v)) + "] for [" + field +
                         "]; allowed: asc, desc");
}

Result<SortKey> ParseOne(const Mapping& mapping, const Json& item) {
  std::string field;
  Json order;
  if (item.is_string()) {
    field = item.get<std::string>();
  } else if (item.is_object() && item.size() == 1) {
    field = item.begin().key();
    const Json& spec = item.begin().value();
    if (spec.is_object()) {
      for (const auto& [key, value] : spec.items()) {
        if (key != "order") {
          return Status::Invalid("[parsing_exception] [field_sort] unknown field [" + key +
                                 "] (this model supports order)");
        }
        order = value;
      }
    } else {
      order = spec;
    }
  } else {
    return Status::Invalid("[parsing_exception] a sort entry is a field name or {field: order}, got " +
                           Shown(item).substr(0, 200));
  }
  SortKey key;
  key.field = field;
  if (field == "_score") {
    key.kind = SortKey::Kind::kScore;
    key.descending = true;
  } else if (field == "_doc") {
    key.kind = SortKey::Kind::kDoc;
  } else {
    const MappingField* f = mapping.Find(field);
    if (f == nullptr) {
      return Status::Invalid("[query_shard_exception] No mapping found for [" + field + "] in order to sort on");
    }
    if (f->type == FieldType::kText) {
      return Status::Invalid(
          "[illegal_argument_exception] Text fields are not optimised for operations that require per-document "
          "field data like aggregations and sorting, so these operations are disabled by default. Please use a "
          "keyword field instead. Alternatively, set fielddata=true on [" + field +
          "] in order to load field data by uninverting the inverted index. Note that this can use significant "
          "memory.");
    }
    key.kind = f->type == FieldType::kKeyword ? SortKey::Kind::kKeyword : SortKey::Kind::kInteger;
  }
  if (!order.is_null()) {
    auto descending = ParseOrder(field, order);
    if (!descending.ok()) return descending.status();
    key.descending = descending.value();
  }
  return key;
}

// Missing (null) sorts after any value; otherwise numbers or bytes.
int CompareOne(const SortKey& key, const Json& a, const Json& b) {
  if (a.is_null() || b.is_null()) return a.is_null() == b.is_null() ? 0 : (a.is_null() ? 1 : -1);
  int c = 0;
  if (a.is_string()) {
    const int r = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
    c = r < 0 ? -1 : r > 0 ? 1 : 0;
  } else if (key.kind == SortKey::Kind::kScore) {
    const double x = a.get<double>();
    const double y = b.get<double>();
    c = x < y ? -1 : x > y ? 1 : 0;
  } else {
    const int64_t x = a.get<int64_t>();
    const int64_t y = b.get<int64_t>();
    c = x < y ? -1 : x > y ? 1 : 0;
  }
  return key.descending ? -c : c;
}

}  // namespace sort_detail

Result<std::vector<SortKey>> ParseSort(const Mapping& mapping, const Json& sort) {
  std::vector<SortKey> keys;
  if (sort.is_null()) return keys;
  const Json items = sort.is_array() ? sort : Json::array({sort});
  for (const Json& item : items) {
    auto key = sort_detail::ParseOne(mapping, item);
    if (!key.ok()) return key.status();
    keys.push_back(key.value());
  }
  // A lone descending _score is the default relevance sort (SortBuilder.buildSort).
  if (keys.size() == 1 && keys[0].kind == SortKey::Kind::kScore && keys[0].descending) keys.clear();
  return keys;
}

Json SortValues(const std::vector<SortKey>& keys, const Segment& segment, uint32_t doc, uint32_t global_doc,
                float score) {
  Json out = Json::array();
  for (const SortKey& key : keys) {
    switch (key.kind) {
      case SortKey::Kind::kScore: out.push_back(static_cast<double>(score)); break;
      case SortKey::Kind::kDoc: out.push_back(global_doc); break;
      case SortKey::Kind::kKeyword: {
        const auto& values = segment.docs[doc].keyword;
        const auto it = values.find(key.field);
        out.push_back(it == values.end() ? Json(nullptr) : Json(it->second));
        break;
      }
      case SortKey::Kind::kInteger: {
        const auto& values = segment.docs[doc].integer;
        const auto it = values.find(key.field);
        out.push_back(it == values.end() ? Json(nullptr) : Json(it->second));
        break;
      }
    }
  }
  return out;
}

int CompareSortValues(const std::vector<SortKey>& keys, const Json& a, const Json& b) {
  for (size_t i = 0; i < keys.size(); ++i) {
    const int c = sort_detail::CompareOne(keys[i], a[i], b[i]);
    if (c != 0) return c;
  }
  return 0;
}

Result<Json> ParseSearchAfter(const std::vector<SortKey>& keys, const Json& search_after) {
  if (!search_after.is_array()) {
    return Status::Invalid("[parsing_exception] [search_after] must be an array of sort values, got " +
                           sort_detail::Shown(search_after).substr(0, 200));
  }
  if (keys.empty()) return Status::Invalid("[illegal_argument_exception] Sort must contain at least one field.");
  if (search_after.size() != keys.size()) {
    return Status::Invalid("[illegal_argument_exception] search_after has " + std::to_string(search_after.size()) +
                           " value(s) but sort has " + std::to_string(keys.size()) + ".");
  }
  Json out = Json::array();
  for (size_t i = 0; i < keys.size(); ++i) {
    const Json& v = search_after[i];
    const SortKey& key = keys[i];
    const bool ok = v.is_null() || (key.kind == SortKey::Kind::kKeyword ? v.is_string()
                                    : key.kind == SortKey::Kind::kScore ? v.is_number()
                                                                        : v.is_number_integer());
    if (!ok) {
      return Status::Invalid("[illegal_argument_exception] Failed to parse search_after value for field [" +
                             key.field + "]: " + sort_detail::Shown(v).substr(0, 100) + " is not " +
                             (key.kind == SortKey::Kind::kKeyword ? "a string"
                              : key.kind == SortKey::Kind::kScore ? "a number"
                                                                  : "an integer"));
    }
    if (key.kind == SortKey::Kind::kScore && !v.is_null()) {
      out.push_back(static_cast<double>(v.get<float>()));  // scores compare as floats
    } else {
      out.push_back(v);
    }
  }
  return out;
}

}  // namespace sdp::search
