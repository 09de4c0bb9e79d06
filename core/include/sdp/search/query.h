// A subset of Elasticsearch 7's Query DSL, executed over an Index with
// Lucene 8's scoring arithmetic:
//
//   {"match": {"f": "text"}}  {"match": {"f": {"query": "text", "operator": "and"}}}
//   {"term": {"f": "v"}}  {"term": {"f": {"value": "v"}}}
//   {"range": {"f": {"gte": 1, "lt": 9}}}          (integer fields)
//   {"bool": {"must": [..], "should": [..], "filter": [..], "must_not": [..]}}
//   {"match_all": {}}  {"match_none": {}}
//   {"match_phrase": {"f": "text"}}  {"match_phrase": {"f": {"query": "text", "slop": 2}}}
//
// match_phrase is Lucene's PhraseQuery (phrase.h): exact phrases score their
// match count as the BM25 freq, sloppy ones the sum of 1 / (1 + match
// length); the phrase's idf is the sum of its terms' idfs.
//
// Besides the query a request may sort (sort.h), page with search_after,
// highlight (highlight.h) and aggregate with terms (aggs.h).
//
// match analyzes its text with the field's analyzer: one term is a term
// query, several are a bool of SHOULD (operator "or") or MUST ("and") term
// queries, none match nothing (zero_terms_query "none"). A field the mapping
// does not know matches nothing, as in ES. Integer term/range queries and
// match_all score a constant 1.
//
// Scores (Lucene's Boolean2ScorerSupplier): a term scores BM25 (bm25.h); a
// bool sums its scoring MUST clauses in double and rounds to float (one
// required clause passes through), likewise its SHOULD clauses, and then
// adds the two in double and rounds again. Before that a bool is rewritten as
// Lucene 8.7's BooleanQuery.rewrite does where scores change: one MUST or
// SHOULD clause is that clause; a FILTER also in MUST is dropped, a FILTER
// also in SHOULD makes it a MUST; k equal clauses become one boosted k times;
// SHOULD-only bools inside a SHOULD list are inlined. (Left out, FILTER in
// SHOULD showed up in the differential test as a 1-ulp score difference, the
// boosted duplicates as different explain leaves.)
// Hits are ordered by score, then by Lucene's global doc id (segment order).
#ifndef SDP_SEARCH_QUERY_H_
#define SDP_SEARCH_QUERY_H_

#include <cstdint>

#include "sdp/search/bm25.h"
#include "sdp/search/index.h"

namespace sdp::search {

// Elasticsearch's index.max_result_window default.
inline constexpr uint32_t kMaxResultWindow = 10000;
// ES 7's track_total_hits default: counts above it are reported as "gte".
inline constexpr uint32_t kTrackTotalHits = 10000;

// Term statistics gathered from several shards (the dfs phase of
// dfs_query_then_fetch): when a request carries them, BM25 uses these
// instead of the index's own (ES's DfsPhase + AggregatedDfs).
struct TermStatistics {
  std::map<std::string, CollectionStats> fields;                       // by field
  std::map<std::pair<std::string, std::string>, int64_t> doc_freq;     // (field, term)
};

struct SearchRequest {
  Json query;  // the DSL object; null means match_all
  uint32_t from = 0;
  uint32_t size = 10;
  bool explain = false;
  const TermStatistics* global_stats = nullptr;  // not owned; null: the index's own
  // The other parts of ES's search body, each as ES's JSON (null: absent).
  Json sort;          // sort.h
  Json search_after;  // sort.h: needs a sort
  Json highlight;     // highlight.h
  Json aggs;          // aggs.h
};

// -> {"hits": {"total": {"value", "relation"}, "max_score", "hits": [
//       {"_id", "_score", "_segment", "_source", "_explanation"?, "sort"?,
//        "highlight"?}]}, "aggregations"?}
// With a sort that has no _score, _score and max_score are null (ES's
// track_scores false).
// Errors carry ES's exception type in brackets, e.g. "[parsing_exception] ...".
Result<Json> Search(const Index& index, const Bm25Params& params, const SearchRequest& request,
                    uint64_t* work);

// The query as the parsed tree (for `validate`-like output and tests).
Result<Json> DescribeQuery(const Index& index, const Json& query);

}  // namespace sdp::search

#endif  // SDP_SEARCH_QUERY_H_
