#include "sdp/search_index_sim.h"

#include "sdp/scenario.h"
#include "sdp/search/aggs.h"
#include "sdp/search/highlight.h"
#include "sdp/search/query.h"
#include "sdp/search/sort.h"

namespace sdp {

SearchIndexSim::SearchIndexSim(uint64_t seed, Config config, search::Mapping mapping)
    : config_(std::move(config)),
      index_(std::move(mapping), config_.merge_policy, config_.auto_merge),
      rng_(seed) {}

std::string SearchIndexSim::NextAutoId() {
  // Like ES's 20-character base64url ids, drawn from the seeded stream.
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string id;
  do {
    id.clear();
    for (int i = 0; i < 20; ++i) id.push_back(kAlphabet[rng_.Below(64)]);
  } while (index_.Contains(id));
  return id;
}

Result<Json> SearchIndexSim::IndexDoc(const Json& args) {
  if (index_.TotalDocs() >= search::Index::kMaxDocs) {
    return Status::Invalid("index: the index holds " + std::to_string(search::Index::kMaxDocs) +
                           " documents (deleted ones count until a merge drops them), the most this "
                           "model keeps; force_merge purges deletes");
  }
  auto parsed = ParseJson(args["doc"].get<std::string>());
  if (!parsed.ok()) return Status::Invalid("index: field \"doc\": " + parsed.message());
  // Check the document before drawing an id, so that a refusal leaves the
  // id stream (and so the whole sim) unchanged.
  auto doc = search::ParseDocument(index_.mapping(), args.value("id", std::string("?")), parsed.value());
  if (!doc.ok()) return Status::Invalid("index: field \"doc\": " + doc.message());
  const std::string id = args.contains("id") ? args["id"].get<std::string>() : NextAutoId();
  doc.value().id = id;
  return index_.Put(std::move(doc.value()));
}

Result<Json> SearchIndexSim::Search(const Json& args) {
  search::SearchRequest request;
  // Each JSON part is read and checked on its own first, so that a refusal
  // names the field it came from.
  const std::pair<const char*, Json*> parts[] = {{"query", &request.query},
                                                 {"sort", &request.sort},
                                                 {"search_after", &request.search_after},
                                                 {"highlight", &request.highlight},
                                                 {"aggs", &request.aggs}};
  for (const auto& [name, slot] : parts) {
    if (!args.contains(name)) continue;
    auto parsed = ParseJson(args[name].get<std::string>());
    if (!parsed.ok()) return Status::Invalid(std::string("search: field \"") + name + "\": " + parsed.message());
    *slot = std::move(parsed.value());
  }
  request.from = args.value("from", uint32_t{0});
  request.size = args.value("size", uint32_t{10});
  request.explain = args.value("explain", false);
  const search::Mapping& mapping = index_.mapping();
  const auto refuse = [](const std::string& field, const Status& st) {
    return Status::Invalid("search: field \"" + field + "\": " + st.message());
  };
  auto keys = search::ParseSort(mapping, request.sort);
  if (!keys.ok()) return refuse("sort", keys.status());
  if (!request.search_after.is_null()) {
    if (request.from > 0) {
      return Status::Invalid("search: fields \"from\" + \"search_after\": [search_exception] `from` parameter "
                             "must be set to 0 when `search_after` is used.");
    }
    auto after = search::ParseSearchAfter(keys.value(), request.search_after);
    if (!after.ok()) return refuse("search_after", after.status());
  }
  auto aggs = search::ParseAggregations(mapping, request.aggs);
  if (!aggs.ok()) return refuse("aggs", aggs.status());
  auto highlight = search::ParseHighlight(mapping, request.highlight);
  if (!highlight.ok()) return refuse("highlight", highlight.status());
  auto result = search::Search(index_, config_.bm25, request, &search_work_);
  if (!result.ok()) {
    const bool window = result.message().find("Result window") != std::string::npos;
    return Status::Invalid(std::string(window ? "search: fields \"from\" + \"size\": " : "search: field \"query\": ") +
                           result.message());
  }
  return result;
}

Result<const search::MappingField*> SearchIndexSim::InvertedField(const std::string& op,
                                                                   const std::string& name) const {
  const search::MappingField* f = index_.mapping().Find(name);
  if (f == nullptr || f->type == search::FieldType::kInteger) {
    std::string known;
    for (const search::MappingField& m : index_.mapping().fields) {
      if (m.type != search::FieldType::kInteger) known += (known.empty() ? "" : ", ") + m.name;
    }
    return Status::Invalid(op + ": field \"field\": [" + name + "] is not a text or keyword field of the " +
                           "mapping; those are: " + known);
  }
  return f;
}

Result<Json> SearchIndexSim::Terms(const Json& args) const {
  auto f = InvertedField("terms", args["field"].get<std::string>());
  if (!f.ok()) return f.status();
  const std::string& field = f.value()->name;
  const std::string prefix = args.value("prefix", std::string());
  // Merged term dictionary of all segments (deleted docs included, as in
  // Lucene's statistics).
  std::map<std::string, std::pair<int64_t, int64_t>> terms;  // doc_freq, total_term_freq
  for (const search::Segment& seg : index_.segments()) {
    const auto it = seg.fields.find(field);
    if (it == seg.fields.end()) continue;
    for (auto t = it->second.terms.lower_bound(prefix);
         t != it->second.terms.end() && t->first.compare(0, prefix.size(), prefix) == 0; ++t) {
      auto& counts = terms[t->first];
      counts.first += static_cast<int64_t>(t->second.size());
      for (const search::Posting& p : t->second) counts.second += p.freq;
    }
  }
  Json list = Json::array();
  uint64_t more = 0;
  for (const auto& [term, counts] : terms) {
    if (list.size() >= kMaxListedTerms) {
      ++more;
      continue;
    }
    list.push_back({{"term", term}, {"doc_freq", counts.first}, {"total_term_freq", counts.second}});
  }
  return Json{{"field", field}, {"terms", std::move(list)}, {"more", more}};
}

Result<Json> SearchIndexSim::Postings(const Json& args) const {
  auto f = InvertedField("postings", args["field"].get<std::string>());
  if (!f.ok()) return f.status();
  const std::string& field = f.value()->name;
  const std::string term = args["term"].get<std::string>();
  Json segments = Json::array();
  uint64_t listed = 0;
  for (const search::Segment& seg : index_.segments()) {
    const auto it = seg.fields.find(field);
    if (it == seg.fields.end()) continue;
    const auto t = it->second.terms.find(term);
    if (t == it->second.terms.end()) continue;
    Json docs = Json::array();
    for (const search::Posting& p : t->second) {
      if (listed++ >= kMaxListedPostings) break;
      docs.push_back({{"doc", p.doc},
                      {"_id", seg.docs[p.doc].id},
                      {"freq", p.freq},
                      {"positions", p.positions},
                      {"live", seg.live[p.doc] == 1}});
    }
    segments.push_back({{"segment", seg.DisplayName()}, {"doc_freq", t->second.size()}, {"postings", std::move(docs)}});
  }
  return Json{{"field", field},
              {"term", term},
              {"doc_freq", index_.DocFreq(field, term)},
              {"segments", std::move(segments)},
              {"truncated", listed > kMaxListedPostings}};
}

Result<Json> SearchIndexSim::Apply(const std::string& op, const Json& args) {
  if (op == "index") return IndexDoc(args);
  if (op == "delete") return index_.Delete(args["id"].get<std::string>());
  if (op == "refresh") return index_.Refresh();
  if (op == "merge") {
    Json refreshed = index_.Refresh();
    Json merged = index_.Merge();
    merged["refresh"] = std::move(refreshed);
    return merged;
  }
  if (op == "force_merge") {
    Json refreshed = index_.Refresh();
    Json merged = index_.ForceMerge(args["max_segments"].get<uint32_t>());
    merged["refresh"] = std::move(refreshed);
    return merged;
  }
  if (op == "search") return Search(args);
  if (op == "terms") return Terms(args);
  if (op == "postings") return Postings(args);
  if (op == "analyze") {
    Json tokens = Json::array();
    for (const search::Token& t : search::StandardAnalyze(args["text"].get<std::string>())) {
      bool has_letter = false;
      for (char c : t.term) {
        const auto u = static_cast<unsigned char>(c);
        has_letter = has_letter || (u >= 'a' && u <= 'z') || u >= 0x80;
      }
      tokens.push_back({{"token", t.term},
                        {"start_offset", t.start},
                        {"end_offset", t.end},
                        {"type", has_letter ? "<ALPHANUM>" : "<NUM>"},
                        {"position", t.position}});
    }
    return Json{{"tokens", std::move(tokens)}};
  }
  SDP_CHECK(false && "op declared in SearchIndexSimInfo but not handled");
  return Status::Invalid(op);
}

Json SearchIndexSim::Snapshot(Detail detail) const {
  (void)detail;  // the snapshot is small either way: no postings in it
  Json segments = Json::array();
  uint64_t live = 0;
  uint64_t deleted = 0;
  for (const search::Segment& s : index_.segments()) {
    segments.push_back({{"name", s.DisplayName()},
                        {"docs", s.docs.size()},
                        {"deleted", s.deleted},
                        {"live", s.live_count()},
                        {"generation", s.generation}});
    live += s.live_count();
    deleted += s.deleted;
  }
  Json fields = Json::object();
  for (const search::MappingField& f : index_.mapping().fields) {
    if (f.type == search::FieldType::kInteger) continue;
    const search::CollectionStats stats = index_.Stats(f.name);
    fields[f.name] = {{"doc_count", stats.doc_count},
                      {"sum_total_term_freq", stats.sum_total_term_freq},
                      {"avgdl", stats.doc_count == 0 ? Json(nullptr)
                                                     : Json(static_cast<double>(search::Bm25AvgFieldLength(
                                                           stats.sum_total_term_freq, stats.doc_count)))}};
  }
  return {{"mapping", index_.mapping().ToJson()},
          {"settings",
           {{"k1", static_cast<double>(config_.bm25.k1)},
            {"b", static_cast<double>(config_.bm25.b)},
            {"auto_merge", config_.auto_merge},
            {"segments_per_tier", config_.merge_policy.segments_per_tier},
            {"max_merge_at_once", config_.merge_policy.max_merge_at_once},
            {"floor_segment_docs", config_.merge_policy.floor_segment_docs},
            {"max_result_window", 10000}}},
          {"segments", std::move(segments)},
          {"buffered", index_.buffered()},
          {"docs", {{"live", live}, {"deleted", deleted}}},
          {"fields", std::move(fields)},
          {"counters", index_.CountersJson()}};
}

}  // namespace sdp
