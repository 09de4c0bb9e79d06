// The search_index sim's declaration: config, ops and their fields as data.
#include "sdp/search_index_sim.h"

namespace sdp {

std::vector<FieldSpec> SearchIndexConfigFields() {
  return {
      StringField("mapping", false, 3, 1000,
                  "strict mapping as name:type pairs, types text|keyword|integer (default "
                  "\"title:text,body:text,tag:keyword,price:integer\")"),
      NumberField("k1", false, 0, 3, "BM25 term saturation (default 1.2)"),
      NumberField("b", false, 0, 1, "BM25 length normalisation (default 0.75)"),
  };
}

SimInfo SearchIndexSimInfo() {
  using Sim = SearchIndexSim;
  SimInfo info;
  info.name = "search_index";
  info.help =
      "An Elasticsearch index over Lucene segments: analyzer, strict mapping, inverted index, "
      "refresh, deletes as live-docs bitmaps, tiered merges, and Lucene 8's BM25 bit for bit";
  info.config = SearchIndexConfigFields();
  info.config.insert(info.config.end(), {
      BoolField("auto_merge", false, "run the merge policy after every refresh (default true)"),
      IntField("segments_per_tier", false, 2, 50, "TieredMergePolicy segments per tier (default 10)"),
      IntField("max_merge_at_once", false, 2, 50, "TieredMergePolicy max merge at once (default 10)"),
      IntField("floor_segment_docs", false, 1, 100000,
               "segments smaller than this count as this big when picking merges (default 100)"),
  });
  info.ops = {
      {"index",
       "index (create or replace) one document; visible to search after the next refresh",
       {StringField("id", false, 1, Sim::kMaxIdBytes, "the _id (default: a generated one)"),
        StringField("doc", true, 2, Sim::kMaxDocBytes,
                    "the document as JSON text, e.g. {\"title\":\"red shoes\",\"price\":40}")}},
      {"delete", "delete one document by _id (a tombstone in its segment's live-docs bitmap)",
       {StringField("id", true, 1, Sim::kMaxIdBytes, "the _id")}},
      {"refresh", "write the buffer as a new immutable segment and make it searchable", {}},
      {"merge", "refresh, then one run of the tiered merge policy", {}},
      {"force_merge", "refresh, then merge down to at most max_segments segments",
       {IntField("max_segments", true, 1, 1000, "segments left at most")}},
      {"search", "run a Query DSL query: hits with Lucene BM25 scores",
       {StringField("query", false, 2, Sim::kMaxQueryBytes,
                    "Query DSL JSON text, e.g. {\"match\":{\"title\":\"red shoes\"}} (default match_all)"),
        IntField("from", false, 0, 1000000, "hits to skip (from + size <= 10000)"),
        IntField("size", false, 0, 1000000, "hits to return (default 10; from + size <= 10000)"),
        BoolField("explain", false, "add each hit's score explanation (default false)"),
        StringField("sort", false, 2, Sim::kMaxQueryBytes,
                    "ES sort as JSON text, e.g. [{\"price\":\"desc\"},\"_score\"] (keyword/integer fields, "
                    "_score, _doc; default by score)"),
        StringField("search_after", false, 2, Sim::kMaxQueryBytes,
                    "the sort values of the last hit seen, as a JSON array, e.g. [40,\"d7\"] (needs sort, from 0)"),
        StringField("highlight", false, 2, Sim::kMaxQueryBytes,
                    "ES highlight as JSON text, e.g. {\"fields\":{\"title\":{}}} (fragment_size 100, "
                    "number_of_fragments 5, <em> tags by default)"),
        StringField("aggs", false, 2, Sim::kMaxQueryBytes,
                    "ES aggregations as JSON text: terms only, e.g. {\"tags\":{\"terms\":{\"field\":\"tag\"}}}")}},
      {"analyze", "run the standard analyzer over a text (ES's _analyze)",
       {StringField("text", true, 0, Sim::kMaxAnalyzeBytes, "the text")}},
      {"terms", "list the term dictionary of a text or keyword field (all segments)",
       {StringField("field", true, 1, 100, "the field"),
        StringField("prefix", false, 0, 255, "only terms starting with this (default all)")}},
      {"postings", "show one term's postings: doc ids, freqs, positions, per segment",
       {StringField("field", true, 1, 100, "the field"),
        StringField("term", true, 0, 255, "the term, as indexed (lowercased for text fields)")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    Sim::Config c;
    c.mapping = config.value("mapping", c.mapping);
    auto mapping = search::Mapping::Parse(c.mapping);
    if (!mapping.ok()) return Status::Invalid("config: field \"mapping\": " + mapping.message());
    c.bm25.k1 = static_cast<float>(config.value("k1", 1.2));
    c.bm25.b = static_cast<float>(config.value("b", 0.75));
    c.auto_merge = config.value("auto_merge", true);
    c.merge_policy.segments_per_tier = config.value("segments_per_tier", uint32_t{10});
    c.merge_policy.max_merge_at_once = config.value("max_merge_at_once", uint32_t{10});
    c.merge_policy.floor_segment_docs = config.value("floor_segment_docs", uint32_t{100});
    return std::unique_ptr<Simulation>(std::make_unique<Sim>(seed, std::move(c), std::move(mapping.value())));
  };
  return info;
}

}  // namespace sdp
