// Elasticsearch 7's `terms` aggregation over one shard:
//
//   "aggs": {"by_tag": {"terms": {"field": "tag", "size": 10}}}
//   -> "aggregations": {"by_tag": {"doc_count_error_upper_bound": 0,
//        "sum_other_doc_count": 3, "buckets": [{"key": "shoes", "doc_count": 5}, ...]}}
//
// Counts every live document the query matches (not only the page).
// Buckets are ordered by doc_count descending, then key ascending (ES's
// default order, with InternalOrder's key tie-break); `size` (default 10)
// buckets are returned and the rest summed in sum_other_doc_count. With one
// shard the counts are exact, so doc_count_error_upper_bound is 0. Keyword
// and integer fields only (text fields have no doc values: ES's fielddata
// error); a field the mapping lacks gives no buckets (ES's unmapped terms).
#ifndef SDP_SEARCH_AGGS_H_
#define SDP_SEARCH_AGGS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sdp/search/index.h"

namespace sdp::search {

struct TermsAggregation {
  std::string name;
  std::string field;
  uint32_t size = 10;
  bool unmapped = false;
  bool integer = false;
};

inline constexpr uint32_t kMaxAggregations = 20;
inline constexpr uint32_t kMaxAggregationSize = 10000;  // search.max_buckets in ES 7.x

Result<std::vector<TermsAggregation>> ParseAggregations(const Mapping& mapping, const Json& aggs);

// matches: (segment index, doc) of every live matching document.
Json RunAggregations(const std::vector<TermsAggregation>& aggs, const std::vector<Segment>& segments,
                     const std::vector<std::pair<uint32_t, uint32_t>>& matches);

}  // namespace sdp::search

#endif  // SDP_SEARCH_AGGS_H_
