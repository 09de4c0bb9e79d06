// Elasticsearch 7's `highlight`, after its default unified highlighter:
//
//   "highlight": {"fields": {"title": {}, "body": {"fragment_size": 60}},
//                 "pre_tags": ["<em>"], "post_tags": ["</em>"],
//                 "fragment_size": 100, "number_of_fragments": 5}
//   -> per hit "highlight": {"body": ["... <em>red</em> <em>shoes</em> ..."]}
//
// The tokens of a field that the query searched for in that field
// (require_field_match, ES's default) are wrapped in the tags, found by the
// analyzer's offsets in the field's text. A fragment starts at the sentence
// holding its first match (at the match's word when the sentence is longer
// than fragment_size) and ends at the first word boundary from
// fragment_size on, or at the sentence's end; number_of_fragments 0 gives
// the whole text. A field with no match is left out, as in ES.
//
// Simplified (see docs/search_index.md): sentences end at . ! ? followed by
// a space (not the JDK's BreakIterator); when there are more fragments than
// number_of_fragments the first ones are kept, not the best-scored; every
// occurrence of a phrase's terms is tagged, not only the phrase's matches;
// the text is not HTML-escaped (ES's default encoder), so a page must render
// it as text around the tags, never as HTML.
#ifndef SDP_SEARCH_HIGHLIGHT_H_
#define SDP_SEARCH_HIGHLIGHT_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sdp/search/index.h"

namespace sdp::search {

struct HighlightField {
  std::string name;
  uint32_t fragment_size = 100;
  uint32_t number_of_fragments = 5;
  std::string pre_tag = "<em>";
  std::string post_tag = "</em>";
  bool keyword = false;  // a keyword value is one token: tagged whole or not at all
};

inline constexpr uint32_t kMaxTagBytes = 100;

Result<std::vector<HighlightField>> ParseHighlight(const Mapping& mapping, const Json& highlight);

// terms: per field, the terms the query looked for. source: the hit's _source.
// -> ES's per-hit "highlight" object (empty when nothing matched).
Json HighlightHit(const std::vector<HighlightField>& fields, const Json& source,
                  const std::map<std::string, std::set<std::string>>& terms);

}  // namespace sdp::search

#endif  // SDP_SEARCH_HIGHLIGHT_H_
