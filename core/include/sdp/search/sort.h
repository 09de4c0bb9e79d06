// Elasticsearch 7's `sort` and `search_after` for one shard.
//
//   "sort": "price" | ["price", {"tag": "desc"}, {"price": {"order": "asc"}}, "_score", "_doc"]
//
// Fields sort ascending by default, `_score` descending. Keyword values
// compare as bytes (Lucene's BytesRef order), integers as numbers; a
// document without the field sorts last in either order (ES's default
// `missing: _last`) and reports null as its sort value. Ties fall to the
// shard, then the Lucene doc id (ES's merge in SearchPhaseController), so
// with one shard: the doc id. A sort of `_score` alone is ES's default
// relevance sort (no "sort" values in hits), and search_after needs a sort
// with at least one other key: ES builds no Lucene Sort otherwise.
//
// search_after: the sort values of the last hit seen; hits whose values
// are not strictly after them are skipped (ES sets the FieldDoc's doc to
// Integer.MAX_VALUE, so equal values never come back).
#ifndef SDP_SEARCH_SORT_H_
#define SDP_SEARCH_SORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sdp/search/index.h"

namespace sdp::search {

struct SortKey {
  enum class Kind { kScore, kDoc, kKeyword, kInteger };
  Kind kind = Kind::kScore;
  std::string field;  // "_score", "_doc" or the mapped field
  bool descending = false;
};

// -> the keys; an empty list is the default relevance sort (null, [] and
// ["_score"] all give it). Errors carry ES's exception type in brackets.
Result<std::vector<SortKey>> ParseSort(const Mapping& mapping, const Json& sort);

// The values ES reports in a hit's "sort": score as a float, _doc as the
// doc id, keyword text, integer, null when missing.
Json SortValues(const std::vector<SortKey>& keys, const Segment& segment, uint32_t doc, uint32_t global_doc,
                float score);

// <0, 0, >0: a before b in the sort order (missing last either way).
int CompareSortValues(const std::vector<SortKey>& keys, const Json& a, const Json& b);

// Checks search_after against the sort -> the values, typed as SortValues gives them.
Result<Json> ParseSearchAfter(const std::vector<SortKey>& keys, const Json& search_after);

}  // namespace sdp::search

#endif  // SDP_SEARCH_SORT_H_
