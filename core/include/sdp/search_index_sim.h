// Simulation `search_index`: one Elasticsearch index (a single shard) as
// Lucene builds it — analyzer, strict mapping, inverted index, immutable
// segments written by refresh, deletes as live-docs bitmaps, tiered merges —
// searched with a subset of the Query DSL and scored with Lucene 8's BM25
// bit for bit (checked against the real Lucene 8.7 by
// tests/js/search_lucene_diff.test.mjs).
//
// Ops (results are objects):
//   index {id?, doc}     doc is a JSON object as text; no id: a generated
//                        20-character one. -> {"_id","result":"created"|"updated"}
//                        Visible to search after the next refresh.
//   delete {id}          -> {"_id","result":"deleted"|"not_found"}
//   refresh              the buffer becomes a segment; pending deletes apply;
//                        auto_merge runs the merge policy.
//                        -> {"segment": name|null, "dropped_fully_deleted",
//                            "merges": [{"from","into","docs","deletes_purged"}],
//                            "segments"}
//   merge                refresh, then one run of the tiered merge policy.
//   force_merge {max_segments}   refresh, then merge down to max_segments.
//   search {query?, from?, size?, explain?, sort?, search_after?, highlight?, aggs?}
//                        query is Query DSL JSON as text (search/query.h);
//                        sort, search_after (search/sort.h), highlight
//                        (search/highlight.h) and aggs (search/aggs.h) are
//                        the other parts of ES's search body, as JSON text.
//                        -> ES's {"hits": {"total", "max_score", "hits": [...]},
//                            "aggregations"?}
//   analyze {text}       ES's _analyze: {"tokens": [{"token","start_offset",
//                        "end_offset","type","position"}]}
//   terms {field, prefix?}   the term dictionary over all segments:
//                        {"field","terms":[{"term","doc_freq","total_term_freq"}]
//                        (first kMaxListedTerms), "more"}
//   postings {field, term}   {"field","term","doc_freq","segments":[{"segment",
//                        "doc_freq","postings":[{"doc","_id","freq","positions",
//                        "live"}]}],"truncated"} (at most kMaxListedPostings)
//
// Refusals use Elasticsearch's exception types and messages: a field the
// strict mapping lacks (strict_dynamic_mapping_exception), a value an integer
// field cannot hold (mapper_parsing_exception), malformed queries
// (parsing_exception), from + size above index.max_result_window
// (illegal_argument_exception). Nothing changes on a refusal.
//
// Snapshot: {"mapping", "settings", "segments": [{"name","docs","deleted",
//   "live","generation"}], "buffered", "docs": {"live","deleted"},
//   "fields": {name: {"doc_count","sum_total_term_freq","avgdl"}},
//   "counters": {"refreshes","merges","docs_flushed","docs_merged",
//   "deletes_purged","write_amplification"}}
#ifndef SDP_SEARCH_INDEX_SIM_H_
#define SDP_SEARCH_INDEX_SIM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sdp/random.h"
#include "sdp/search/bm25.h"
#include "sdp/search/index.h"
#include "sdp/clone.h"
#include "sdp/simulation.h"

namespace sdp {

class SearchIndexSim : public Cloneable<SearchIndexSim, Simulation> {
 public:
  static constexpr uint32_t kMaxDocBytes = 16384;
  static constexpr uint32_t kMaxQueryBytes = 16384;
  static constexpr uint32_t kMaxAnalyzeBytes = 8192;
  static constexpr uint32_t kMaxIdBytes = 512;  // Elasticsearch's _id limit
  static constexpr uint32_t kMaxListedTerms = 500;
  static constexpr uint32_t kMaxListedPostings = 1000;

  struct Config {
    std::string mapping = "title:text,body:text,tag:keyword,price:integer";
    search::Bm25Params bm25;
    search::MergePolicy merge_policy;
    bool auto_merge = true;
  };

  SearchIndexSim(uint64_t seed, Config config, search::Mapping mapping);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return index_.work() + search_work_; }

 private:
  Result<Json> IndexDoc(const Json& args);
  Result<Json> Search(const Json& args);
  Result<Json> Terms(const Json& args) const;
  Result<Json> Postings(const Json& args) const;
  Result<const search::MappingField*> InvertedField(const std::string& op, const std::string& name) const;
  std::string NextAutoId();

  Config config_;
  search::Index index_;
  Rng rng_;  // auto ids
  uint64_t search_work_ = 0;
};

SimInfo SearchIndexSimInfo();
// The config fields every search sim takes (mapping, k1, b): search_index's
// and search_cluster's indexes are built from the same mapping and BM25.
std::vector<FieldSpec> SearchIndexConfigFields();

}  // namespace sdp

#endif  // SDP_SEARCH_INDEX_SIM_H_
