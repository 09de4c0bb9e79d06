// Phrase matching as Lucene 8.7 scores it (ExactPhraseMatcher,
// SloppyPhraseMatcher): the "phrase frequency" of one document that the
// BM25 scorer then treats like a term frequency.
//
//   slop 0   the number of places where every term sits at its offset
//   slop N   the sum over matches of 1 / (1 + matchLength), where a match
//            is a window of the terms' positions (each shifted back by its
//            offset in the phrase) whose spread, matchLength, is <= N;
//            summed in float, as PhraseScorer does
//
// Simplified: a sloppy phrase that repeats a term ("to be or not to be"~2)
// runs the same loop as one without repeats; Lucene's extra repeat handling
// (SloppyPhraseMatcher.advanceRpts: two phrase slots never take the same
// position) is not modelled, so such phrases may count matches Lucene does
// not. Exact phrases with repeats are exact.
#ifndef SDP_SEARCH_PHRASE_H_
#define SDP_SEARCH_PHRASE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace sdp::search {

// positions[i]: the ascending positions of the phrase's i-th term in one
// document; offsets[i]: that term's position in the phrase (0, 1, ...).
// -> the phrase frequency, 0 when the phrase does not match. Adds one unit
// to *work per position visited. REQUIRES: positions.size() == offsets.size() >= 1.
float PhraseFreq(const std::vector<const std::vector<uint32_t>*>& positions,
                 const std::vector<uint32_t>& offsets, uint32_t slop, uint64_t* work);

// True when a term appears twice in the phrase (the simplified case above).
bool PhraseRepeatsTerm(const std::vector<std::string>& terms);

// Java's Float.toString for the values explanations show ("2.0", "0.5",
// "0.33333334"): the shortest decimal that reads back as the same float.
std::string JavaFloatText(float f);

}  // namespace sdp::search

#endif  // SDP_SEARCH_PHRASE_H_
