#include "sdp/search/analyzer.h"

namespace sdp::search {
namespace analyzer_detail {

enum class WordBreak { kOther, kLetter, kDigit, kUnderscore, kMidLetter, kMidNum, kMidBoth };

WordBreak ClassOf(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80) return WordBreak::kLetter;
  if (c >= '0' && c <= '9') return WordBreak::kDigit;
  switch (c) {
    case '_': return WordBreak::kUnderscore;
    case ':': return WordBreak::kMidLetter;
    case ',':
    case ';': return WordBreak::kMidNum;
    case '.':
    case '\'': return WordBreak::kMidBoth;
    default: return WordBreak::kOther;
  }
}

bool StartsWord(WordBreak w) {
  return w == WordBreak::kLetter || w == WordBreak::kDigit || w == WordBreak::kUnderscore;
}

// WB6/WB7 (letter MidLetter letter) and WB11/WB12 (digit MidNum digit).
bool JoinsAround(WordBreak mid, WordBreak before, WordBreak after) {
  if (before != after) return false;
  if (before == WordBreak::kLetter) return mid == WordBreak::kMidLetter || mid == WordBreak::kMidBoth;
  if (before == WordBreak::kDigit) return mid == WordBreak::kMidNum || mid == WordBreak::kMidBoth;
  return false;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace analyzer_detail

std::vector<Token> StandardAnalyze(std::string_view text) {
  using analyzer_detail::ClassOf;
  using analyzer_detail::WordBreak;
  std::vector<Token> tokens;
  const size_t n = text.size();
  size_t p = 0;
  while (p < n) {
    if (!analyzer_detail::StartsWord(ClassOf(static_cast<unsigned char>(text[p])))) {
      ++p;
      continue;
    }
    // Longest match from p, as the JFlex scanner takes it; `end` is the last
    // place where the run so far is a whole token (it holds a letter/digit).
    size_t e = p;
    size_t end = p;
    bool has_word_char = false;
    while (e < n && e - p < kMaxTokenLength) {
      const WordBreak w = ClassOf(static_cast<unsigned char>(text[e]));
      if (w == WordBreak::kLetter || w == WordBreak::kDigit) {
        has_word_char = true;
        end = ++e;
      } else if (w == WordBreak::kUnderscore) {
        ++e;
        if (has_word_char) end = e;
      } else if ((w == WordBreak::kMidLetter || w == WordBreak::kMidNum || w == WordBreak::kMidBoth) &&
                 e > p && e + 1 < n &&
                 analyzer_detail::JoinsAround(w, ClassOf(static_cast<unsigned char>(text[e - 1])),
                                              ClassOf(static_cast<unsigned char>(text[e + 1])))) {
        ++e;
      } else {
        break;
      }
    }
    if (!has_word_char) {  // only underscores: not a token
      p = e;
      continue;
    }
    Token t;
    t.term.reserve(end - p);
    for (size_t i = p; i < end; ++i) t.term.push_back(analyzer_detail::Lower(text[i]));
    t.position = static_cast<uint32_t>(tokens.size());
    t.start = static_cast<uint32_t>(p);
    t.end = static_cast<uint32_t>(end);
    tokens.push_back(std::move(t));
    p = end;
  }
  return tokens;
}

}  // namespace sdp::search
