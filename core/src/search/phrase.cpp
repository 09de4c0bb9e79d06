#include "sdp/search/phrase.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "sdp/step_budget.h"

namespace sdp::search {
namespace phrase_detail {

// Lucene's PhrasePositions: one phrase slot walking its term's positions,
// each reported shifted back by the slot's offset.
struct Slot {
  const std::vector<uint32_t>* positions;
  uint32_t offset;
  uint32_t ord;  // index in the phrase: PhraseQueue's last tie-break
  size_t next = 0;
  int64_t position = 0;

  bool NextPosition() {
    if (next >= positions->size()) return false;
    position = static_cast<int64_t>((*positions)[next++]) - offset;
    return true;
  }
};

// PhraseQueue.lessThan: position, then offset, then ord.
bool Less(const Slot& a, const Slot& b) {
  if (a.position != b.position) return a.position < b.position;
  if (a.offset != b.offset) return a.offset < b.offset;
  return a.ord < b.ord;
}

float ExactFreq(const std::vector<const std::vector<uint32_t>*>& positions, const std::vector<uint32_t>& offsets,
                uint64_t* work) {
  float freq = 0;
  for (uint32_t lead : *positions[0]) {
    *work += 1;
    if (lead < offsets[0]) continue;
    const uint32_t start = lead - offsets[0];
    bool all = true;
    for (size_t i = 1; i < positions.size() && all; ++i) {
      *work += 1;
      all = std::binary_search(positions[i]->begin(), positions[i]->end(), start + offsets[i]);
    }
    if (all) freq += 1.0f;
  }
  return freq;
}

// SloppyPhraseMatcher's reset + nextMatch loop (no repeats), with the
// priority queue as a linear scan: phrases are a few terms long.
float SloppyFreq(const std::vector<const std::vector<uint32_t>*>& positions, const std::vector<uint32_t>& offsets,
                 uint32_t slop, uint64_t* work) {
  std::vector<Slot> slots;
  std::vector<bool> queued;
  int64_t end = std::numeric_limits<int64_t>::min();
  for (size_t i = 0; i < positions.size(); ++i) {
    Slot s{positions[i], offsets[i], static_cast<uint32_t>(i)};
    if (!s.NextPosition()) return 0;
    end = std::max(end, s.position);
    slots.push_back(s);
    queued.push_back(true);
  }
  const auto pop = [&]() {
    size_t best = slots.size();
    for (size_t i = 0; i < slots.size(); ++i) {
      if (queued[i] && (best == slots.size() || Less(slots[i], slots[best]))) best = i;
    }
    queued[best] = false;
    return best;
  };
  const auto top_position = [&]() {
    size_t best = slots.size();
    for (size_t i = 0; i < slots.size(); ++i) {
      if (queued[i] && (best == slots.size() || Less(slots[i], slots[best]))) best = i;
    }
    return slots[best].position;
  };
  float freq = 0;
  bool positioned = true;
  while (positioned) {  // one nextMatch() per turn
    size_t pp = pop();
    int64_t match_length = end - slots[pp].position;
    int64_t next = top_position();
    bool matched = false;
    bool advanced = false;
    while ((advanced = slots[pp].NextPosition())) {
      *work += 1;
      StepBudget::Charge();
      end = std::max(end, slots[pp].position);
      if (slots[pp].position > next) {  // done minimizing this match's length
        queued[pp] = true;
        if (match_length <= slop) {
          matched = true;
          break;
        }
        pp = pop();
        next = top_position();
        match_length = end - slots[pp].position;
      } else {
        match_length = std::min(match_length, end - slots[pp].position);
      }
    }
    if (!advanced) {
      positioned = false;
      matched = match_length <= slop;
    }
    if (matched) freq += 1.0f / (1.0f + static_cast<float>(match_length));
  }
  return freq;
}

}  // namespace phrase_detail

float PhraseFreq(const std::vector<const std::vector<uint32_t>*>& positions, const std::vector<uint32_t>& offsets,
                 uint32_t slop, uint64_t* work) {
  return slop == 0 ? phrase_detail::ExactFreq(positions, offsets, work)
                   : phrase_detail::SloppyFreq(positions, offsets, slop, work);
}

bool PhraseRepeatsTerm(const std::vector<std::string>& terms) {
  for (size_t i = 0; i < terms.size(); ++i) {
    for (size_t j = i + 1; j < terms.size(); ++j) {
      if (terms[i] == terms[j]) return true;
    }
  }
  return false;
}

std::string JavaFloatText(float f) {
  // The fewest significant digits that read back as f.
  char buf[64];
  int digits = 1;
  for (; digits < 9; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, static_cast<double>(f));
    if (std::strtof(buf, nullptr) == f) break;
  }
  std::snprintf(buf, sizeof buf, "%.*e", digits - 1, static_cast<double>(f));
  // buf is [-]d.ddde[+-]xx: lay the digits out in plain decimal.
  std::string s(buf);
  const bool negative = s[0] == '-';
  if (negative) s.erase(0, 1);
  const size_t e = s.find('e');
  const int exponent = std::atoi(s.c_str() + e + 1);
  std::string mantissa;
  for (size_t i = 0; i < e; ++i) {
    if (s[i] != '.') mantissa.push_back(s[i]);
  }
  std::string out;
  if (exponent < 0) {
    out = "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + mantissa;
  } else {
    const size_t whole = static_cast<size_t>(exponent) + 1;
    if (mantissa.size() <= whole) {
      out = mantissa + std::string(whole - mantissa.size(), '0') + ".0";
    } else {
      out = mantissa.substr(0, whole) + "." + mantissa.substr(whole);
    }
  }
  return (negative ? "-" : "") + out;
}

}  // namespace sdp::search
