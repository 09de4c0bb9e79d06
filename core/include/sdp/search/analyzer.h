// Lucene 8's StandardAnalyzer for ASCII text: StandardTokenizer (the UAX#29
// word-break rules as StandardTokenizerImpl.jflex implements them),
// LowerCaseFilter, and an empty stop set (StandardAnalyzer() passes
// CharArraySet.EMPTY_SET in Lucene 8; Elasticsearch's `standard` analyzer
// also defaults to stopwords `_none_`).
//
// ASCII classes (Unicode 9 Word_Break values): ALetter [A-Za-z], Numeric
// [0-9], ExtendNumLet '_', MidLetter ':', MidNum ',' ';', MidNumLet '.',
// Single_Quote '\''. A token is a longest run of letters, digits and '_'
// holding at least one letter or digit, where a MidLetter/MidNumLet/quote
// may sit between two letters and a MidNum/MidNumLet/quote between two
// digits: "can't", "a.b.c", "3.14", "1,000", "foo:bar", "x_1", "_id_".
// Everything else separates tokens and is dropped.
//
// Simplified: bytes >= 0x80 count as letters (UTF-8 words stay whole, but
// non-ASCII punctuation does not split and non-ASCII letters are not
// lowercased); tests/js/search_lucene_diff.test.mjs names such texts.
#ifndef SDP_SEARCH_ANALYZER_H_
#define SDP_SEARCH_ANALYZER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sdp::search {

// StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH: longer words are cut into pieces.
inline constexpr uint32_t kMaxTokenLength = 255;

struct Token {
  std::string term;       // lowercased
  uint32_t position = 0;  // 0, 1, 2, ... (no stop words, so no gaps)
  uint32_t start = 0;     // byte offsets into the text
  uint32_t end = 0;
};

std::vector<Token> StandardAnalyze(std::string_view text);

}  // namespace sdp::search

#endif  // SDP_SEARCH_ANALYZER_H_
