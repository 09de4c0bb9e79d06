#include "sdp/search/index.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sdp/detmath.h"
#include "sdp/search/bm25.h"

namespace sdp::search {
namespace index_detail {

std::string Base36(uint32_t v) {
  const char* digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out;
  do {
    out.insert(out.begin(), digits[v % 36]);
    v /= 36;
  } while (v != 0);
  return out;
}

std::string Preview(const Json& value) {
  return value.is_string() ? value.get<std::string>()
                           : value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string FieldError(const std::string& field, FieldType type, const std::string& id,
                       const Json& value, const std::string& cause) {
  return "[mapper_parsing_exception] failed to parse field [" + field + "] of type [" +
         FieldTypeName(type) + "] in document with id '" + id + "'. Preview of field's value: '" +
         Preview(value) + "'" + (cause.empty() ? "" : " (caused by: " + cause + ")");
}

// ES's integer field coerces integral JSON numbers and numeric strings.
std::optional<int64_t> ParseInteger(const Json& value, std::string* cause) {
  int64_t v = 0;
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      *cause = "Value [" + value.dump() + "] is out of range for an integer";
      return std::nullopt;
    }
    v = value.get<int64_t>();
  } else if (value.is_string()) {
    const std::string s = value.get<std::string>();
    size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    if (i == s.size() || s.size() > 12) {
      *cause = "For input string: \"" + s + "\"";
      return std::nullopt;
    }
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') {
        *cause = "For input string: \"" + s + "\"";
        return std::nullopt;
      }
      v = v * 10 + (s[i] - '0');
    }
    if (s[0] == '-') v = -v;
  } else {
    *cause = value.is_number_float() ? "a decimal number: this model stores integers only"
                                     : "not a number";
    return std::nullopt;
  }
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    *cause = "Value [" + std::to_string(v) + "] is out of range for an integer";
    return std::nullopt;
  }
  return v;
}

}  // namespace index_detail

const char* FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kText: return "text";
    case FieldType::kKeyword: return "keyword";
    case FieldType::kInteger: return "integer";
  }
  return "text";
}

Result<Mapping> Mapping::Parse(std::string_view spec) {
  Mapping m;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    const std::string_view item = spec.substr(start, comma - start);
    const size_t colon = item.find(':');
    const std::string where = "\"" + std::string(item) + "\"";
    if (colon == std::string_view::npos || colon == 0) {
      return Status::Invalid(where + " is not name:type (types: text, keyword, integer)");
    }
    const std::string name(item.substr(0, colon));
    const std::string_view type = item.substr(colon + 1);
    for (char c : name) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      if (!ok) return Status::Invalid(where + ": field names use a-z, 0-9 and _");
    }
    MappingField f;
    f.name = name;
    if (type == "text") f.type = FieldType::kText;
    else if (type == "keyword") f.type = FieldType::kKeyword;
    else if (type == "integer") f.type = FieldType::kInteger;
    else return Status::Invalid(where + ": unknown type; allowed: text, keyword, integer");
    if (m.Find(name) != nullptr) return Status::Invalid(where + ": field [" + name + "] twice");
    m.fields.push_back(f);
    start = comma + 1;
  }
  return m;
}

const MappingField* Mapping::Find(std::string_view name) const {
  for (const MappingField& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Json Mapping::ToJson() const {
  Json props = Json::object();
  for (const MappingField& f : fields) props[f.name] = {{"type", FieldTypeName(f.type)}};
  return {{"dynamic", "strict"}, {"properties", props}};
}

Result<ParsedDoc> ParseDocument(const Mapping& mapping, const std::string& id, const Json& doc) {
  using index_detail::FieldError;
  if (!doc.is_object()) {
    return Status::Invalid("[mapper_parsing_exception] failed to parse: the document must be a "
                           "JSON object, got " + index_detail::Preview(doc));
  }
  ParsedDoc out;
  out.id = id;
  out.source = doc.dump(-1, ' ', false, Json::error_handler_t::replace);
  for (const auto& [name, value] : doc.items()) {
    const MappingField* f = mapping.Find(name);
    if (f == nullptr) {
      return Status::Invalid("[strict_dynamic_mapping_exception] mapping set to strict, dynamic "
                             "introduction of [" + name + "] within [_doc] is not allowed");
    }
    if (value.is_null()) continue;  // ES indexes nothing for null
    if (value.is_array() || value.is_object()) {
      return Status::Invalid(FieldError(name, f->type, id, value,
                                        "arrays and objects are not supported by this model"));
    }
    if (f->type == FieldType::kInteger) {
      std::string cause;
      const std::optional<int64_t> v = index_detail::ParseInteger(value, &cause);
      if (!v) return Status::Invalid(FieldError(name, f->type, id, value, cause));
      out.integer[name] = *v;
      continue;
    }
    const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    if (f->type == FieldType::kKeyword) {
      out.keyword[name] = text;
    } else {
      out.text[name] = StandardAnalyze(text);
    }
  }
  return out;
}

std::string Segment::DisplayName() const { return "_" + index_detail::Base36(name); }

Index::Index(Mapping mapping, MergePolicy policy, bool auto_merge)
    : mapping_(std::move(mapping)), policy_(policy), auto_merge_(auto_merge) {}

uint64_t Index::TotalDocs() const {
  uint64_t n = buffer_.size();
  for (const Segment& s : segments_) n += s.docs.size();
  return n;
}

void Index::MarkDeleted(const Place& place) {
  if (place.buffered) {
    buffer_[place.doc].deleted = true;
  } else {
    pending_deletes_.push_back({place.segment_name, place.doc});
  }
}

Json Index::Put(ParsedDoc doc) {
  const std::string id = doc.id;
  const auto it = where_.find(id);
  const bool updated = it != where_.end();
  if (updated) MarkDeleted(it->second);
  uint64_t tokens = 0;
  for (const auto& [name, list] : doc.text) tokens += list.size();
  work_ += 1 + tokens;
  where_[id] = Place{true, 0, static_cast<uint32_t>(buffer_.size())};
  buffer_.push_back({std::move(doc), false});
  return {{"_id", id}, {"result", updated ? "updated" : "created"}};
}

Json Index::Delete(const std::string& id) {
  const auto it = where_.find(id);
  if (it == where_.end()) return {{"_id", id}, {"result", "not_found"}};
  MarkDeleted(it->second);
  where_.erase(it);
  work_ += 1;
  return {{"_id", id}, {"result", "deleted"}};
}

Segment Index::BuildSegment(std::vector<ParsedDoc> docs, uint32_t generation) {
  Segment s;
  s.name = next_segment_++;
  s.generation = generation;
  const uint32_t n = static_cast<uint32_t>(docs.size());
  s.live.assign(n, 1);
  for (const MappingField& f : mapping_.fields) {
    if (f.type == FieldType::kInteger) {
      s.integers[f.name].assign(n, std::nullopt);
    } else {
      FieldPostings& fp = s.fields[f.name];
      if (f.type == FieldType::kText) fp.norms.assign(n, 0);
    }
  }
  for (uint32_t d = 0; d < n; ++d) {
    const ParsedDoc& doc = docs[d];
    for (const auto& [name, tokens] : doc.text) {
      if (tokens.empty()) continue;
      FieldPostings& fp = s.fields[name];
      // Tokens grouped by term in term order: each term's postings get this doc once.
      std::map<std::string, std::vector<uint32_t>> positions;
      for (const Token& t : tokens) positions[t.term].push_back(t.position);
      for (auto& [term, pos] : positions) {
        Posting p;
        p.doc = d;
        p.freq = static_cast<uint32_t>(pos.size());
        p.positions = std::move(pos);
        fp.terms[term].push_back(std::move(p));
        fp.sum_doc_freq += 1;
      }
      fp.norms[d] = IntToByte4(static_cast<uint32_t>(tokens.size()));
      fp.doc_count += 1;
      fp.sum_total_term_freq += static_cast<int64_t>(tokens.size());
      work_ += tokens.size();
    }
    for (const auto& [name, value] : doc.keyword) {
      FieldPostings& fp = s.fields[name];
      fp.terms[value].push_back(Posting{d, 1, {}});
      fp.doc_count += 1;
      fp.sum_doc_freq += 1;
      // Freqs are not indexed (IndexOptions.DOCS): Lucene 8 reports
      // sumTotalTermFreq = sumDocFreq.
      fp.sum_total_term_freq += 1;
    }
    for (const auto& [name, value] : doc.integer) s.integers[name][d] = value;
  }
  s.docs = std::move(docs);
  return s;
}

void Index::ReindexPlaces(const Segment& segment) {
  for (uint32_t d = 0; d < segment.docs.size(); ++d) {
    if (segment.live[d]) where_[segment.docs[d].id] = Place{false, segment.name, d};
  }
}

Json Index::Refresh() {
  Json out = Json::object();
  out["segment"] = nullptr;
  if (!buffer_.empty()) {
    std::vector<ParsedDoc> docs;
    std::vector<uint8_t> deleted;
    docs.reserve(buffer_.size());
    for (Buffered& b : buffer_) {
      docs.push_back(std::move(b.doc));
      deleted.push_back(b.deleted ? 1 : 0);
    }
    buffer_.clear();
    Segment s = BuildSegment(std::move(docs), 0);
    for (uint32_t d = 0; d < deleted.size(); ++d) {
      if (deleted[d]) {
        s.live[d] = 0;
        s.deleted += 1;
      }
    }
    docs_flushed_ += s.docs.size();
    out["segment"] = s.DisplayName();
    ReindexPlaces(s);
    segments_.push_back(std::move(s));
  }
  for (const auto& [name, doc] : pending_deletes_) {
    for (Segment& s : segments_) {
      if (s.name == name && s.live[doc]) {
        s.live[doc] = 0;
        s.deleted += 1;
      }
    }
  }
  pending_deletes_.clear();
  Json dropped = Json::array();
  std::vector<Segment> kept;
  for (Segment& s : segments_) {
    if (s.live_count() == 0) {
      dropped.push_back(s.DisplayName());
      deletes_purged_ += s.deleted;
    } else {
      kept.push_back(std::move(s));
    }
  }
  segments_ = std::move(kept);
  refreshes_ += 1;
  work_ += 1 + segments_.size();
  out["dropped_fully_deleted"] = std::move(dropped);
  out["merges"] = auto_merge_ ? Merge()["merges"] : Json::array();
  out["segments"] = segments_.size();
  return out;
}

// TieredMergePolicy.findMerges (Lucene 8), with sizes in live documents.
std::vector<std::vector<uint32_t>> Index::FindMerges() const {
  struct Seg {
    uint32_t index;
    double size;  // live docs
    double live_ratio;
  };
  std::vector<Seg> eligible;
  for (uint32_t i = 0; i < segments_.size(); ++i) {
    const Segment& s = segments_[i];
    const double size = s.live_count();
    // Too large to merge again unless it carries many deletes.
    if (size >= policy_.max_merged_segment_docs / 2.0) continue;
    eligible.push_back({i, size, size / static_cast<double>(s.docs.size())});
  }
  // Largest first; ties by position so the order is total.
  std::sort(eligible.begin(), eligible.end(), [](const Seg& a, const Seg& b) {
    return a.size != b.size ? a.size > b.size : a.index < b.index;
  });
  const double floor = policy_.floor_segment_docs;
  std::vector<std::vector<uint32_t>> merges;
  if (eligible.empty()) return merges;
  // The segment count the index may keep: segments_per_tier per tier, tiers
  // max_merge_at_once times bigger each (computed once, as Lucene does).
  double total = 0;
  for (const Seg& s : eligible) total += s.size;
  double level = std::max(eligible.back().size, floor);
  double left = total;
  double allowed = 0;
  while (true) {
    const double at_level = left / level;
    if (at_level < policy_.segments_per_tier || level >= policy_.max_merged_segment_docs) {
      allowed += std::ceil(at_level);
      break;
    }
    allowed += policy_.segments_per_tier;
    left -= policy_.segments_per_tier * level;
    level = std::min<double>(policy_.max_merged_segment_docs, level * policy_.max_merge_at_once);
  }
  allowed = std::max<double>(allowed, policy_.segments_per_tier);
  while (true) {
    if (eligible.size() <= allowed) break;
    // Candidates: from each start, the next up to max_merge_at_once segments
    // that fit under the merged-size cap; the lowest score wins.
    double best_score = 0;
    std::vector<size_t> best;
    for (size_t start = 0; start + 1 < eligible.size(); ++start) {
      std::vector<size_t> cand;
      double merged = 0;
      for (size_t j = start; j < eligible.size() && cand.size() < policy_.max_merge_at_once; ++j) {
        if (merged + eligible[j].size > policy_.max_merged_segment_docs) continue;
        cand.push_back(j);
        merged += eligible[j].size;
      }
      if (cand.size() < 2) continue;
      double floored_total = 0;
      double before_deletes = 0;
      for (size_t j : cand) {
        floored_total += std::max(eligible[j].size, floor);
        before_deletes += segments_[eligible[j].index].docs.size();
      }
      const double skew = std::max(eligible[cand.front()].size, floor) / floored_total;
      const double live_ratio = merged / before_deletes;
      const double score = skew * DetPow(merged, 0.05) * live_ratio * live_ratio;
      if (best.empty() || score < best_score) {
        best_score = score;
        best = cand;
      }
    }
    if (best.empty()) break;
    std::vector<uint32_t> picked;
    for (size_t j : best) picked.push_back(eligible[j].index);
    std::sort(picked.begin(), picked.end());
    merges.push_back(picked);
    // Go on as if that merge were done: its segments leave, the result joins.
    // (The merged segment joins the next round: Merge() looks again.)
    std::vector<Seg> rest;
    for (size_t j = 0; j < eligible.size(); ++j) {
      if (std::find(best.begin(), best.end(), j) == best.end()) rest.push_back(eligible[j]);
    }
    eligible = std::move(rest);
  }
  return merges;
}

Json Index::MergeRange(const std::vector<uint32_t>& picked) {
  std::vector<ParsedDoc> docs;
  Json from = Json::array();
  uint64_t purged = 0;
  for (uint32_t i : picked) {
    Segment& s = segments_[i];
    from.push_back(s.DisplayName());
    purged += s.deleted;
    for (uint32_t d = 0; d < s.docs.size(); ++d) {
      if (s.live[d]) docs.push_back(std::move(s.docs[d]));
    }
  }
  uint32_t generation = 0;
  for (uint32_t i : picked) generation = std::max(generation, segments_[i].generation);
  Segment merged = BuildSegment(std::move(docs), generation + 1);
  docs_merged_ += merged.docs.size();
  deletes_purged_ += purged;
  merges_ += 1;
  const std::string name = merged.DisplayName();
  const uint64_t merged_docs = merged.docs.size();
  ReindexPlaces(merged);
  std::vector<Segment> next;
  for (uint32_t i = 0; i < segments_.size(); ++i) {
    if (i == picked.front()) next.push_back(std::move(merged));
    if (std::find(picked.begin(), picked.end(), i) == picked.end()) next.push_back(std::move(segments_[i]));
  }
  segments_ = std::move(next);
  return {{"from", from}, {"into", name}, {"docs", merged_docs}, {"deletes_purged", purged}};
}

Json Index::Merge() {
  Json done = Json::array();
  // As Lucene's merge scheduler cascades: find merges, do them, look again
  // (a merged segment can take part in the next round).
  for (uint32_t round = 0; round < 32; ++round) {
    const std::vector<std::vector<uint32_t>> found = FindMerges();
    if (found.empty()) break;
    // Positions shift as merges land, so name the segments first.
    std::vector<std::vector<uint32_t>> by_name;
    for (const auto& m : found) {
      std::vector<uint32_t> names;
      for (uint32_t i : m) names.push_back(segments_[i].name);
      by_name.push_back(names);
    }
    for (const auto& names : by_name) {
      std::vector<uint32_t> picked;
      for (uint32_t i = 0; i < segments_.size(); ++i) {
        if (std::find(names.begin(), names.end(), segments_[i].name) != names.end()) picked.push_back(i);
      }
      done.push_back(MergeRange(picked));
    }
  }
  return {{"merges", done}, {"segments", segments_.size()}};
}

Json Index::ForceMerge(uint32_t max_segments) {
  Json done = Json::array();
  // Merge the adjacent window of segments with the fewest live docs until
  // the count fits (at most max_merge_at_once at a time, as Lucene's forced
  // merges cascade); a lone segment with deletes is re-written to purge them.
  while (segments_.size() > max_segments) {
    const uint32_t want = static_cast<uint32_t>(segments_.size()) - max_segments + 1;
    const uint32_t width = std::min(want, policy_.max_merge_at_once);
    uint32_t best = 0;
    uint64_t best_docs = UINT64_MAX;
    for (uint32_t i = 0; i + width <= segments_.size(); ++i) {
      uint64_t docs = 0;
      for (uint32_t j = i; j < i + width; ++j) docs += segments_[j].live_count();
      if (docs < best_docs) {
        best_docs = docs;
        best = i;
      }
    }
    std::vector<uint32_t> picked;
    for (uint32_t j = best; j < best + width; ++j) picked.push_back(j);
    done.push_back(MergeRange(picked));
  }
  if (max_segments == 1 && segments_.size() == 1 && segments_[0].deleted > 0) {
    done.push_back(MergeRange({0}));
  }
  return {{"merges", done}, {"segments", segments_.size()}};
}

CollectionStats Index::Stats(const std::string& field) const {
  CollectionStats out;
  for (const Segment& s : segments_) {
    const auto it = s.fields.find(field);
    if (it == s.fields.end()) continue;
    out.doc_count += it->second.doc_count;
    out.sum_total_term_freq += it->second.sum_total_term_freq;
  }
  return out;
}

int64_t Index::DocFreq(const std::string& field, const std::string& term) const {
  int64_t n = 0;
  for (const Segment& s : segments_) {
    const auto it = s.fields.find(field);
    if (it == s.fields.end()) continue;
    const auto t = it->second.terms.find(term);
    if (t != it->second.terms.end()) n += static_cast<int64_t>(t->second.size());
  }
  return n;
}

Json Index::CountersJson() const {
  const uint64_t written = docs_flushed_ + docs_merged_;
  return {{"refreshes", refreshes_},
          {"merges", merges_},
          {"docs_flushed", docs_flushed_},
          {"docs_merged", docs_merged_},
          {"deletes_purged", deletes_purged_},
          // Documents written per document flushed: 1 without merges.
          {"write_amplification",
           docs_flushed_ == 0 ? 0.0 : static_cast<double>(written) / static_cast<double>(docs_flushed_)}};
}

}  // namespace sdp::search
