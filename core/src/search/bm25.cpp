#include "sdp/search/bm25.h"

#include <bit>

#include "sdp/detmath.h"

namespace sdp::search {
namespace bm25_detail {

// SmallFloat's MAX_INT4 = longToInt4(Integer.MAX_VALUE) = 231, and the byte
// values below NUM_FREE_VALUES = 255 - 231 = 24 encode themselves.
constexpr uint32_t kNumFreeValues = 24;

}  // namespace bm25_detail

uint32_t LongToInt4(uint64_t i) {
  const int num_bits = 64 - std::countl_zero(i);
  if (num_bits < 4) return static_cast<uint32_t>(i);  // subnormal
  const int shift = num_bits - 4;
  uint32_t encoded = static_cast<uint32_t>(i >> shift);  // the 4 top bits
  encoded &= 0x07;                                       // the leading 1 is implicit
  encoded |= static_cast<uint32_t>(shift + 1) << 3;      // 0 is for subnormals
  return encoded;
}

uint64_t Int4ToLong(uint32_t i) {
  const uint64_t bits = i & 0x07;
  const int shift = static_cast<int>(i >> 3) - 1;
  return shift == -1 ? bits : (bits | 0x08) << shift;
}

uint8_t IntToByte4(uint32_t i) {
  if (i < bm25_detail::kNumFreeValues) return static_cast<uint8_t>(i);
  return static_cast<uint8_t>(bm25_detail::kNumFreeValues + LongToInt4(i - bm25_detail::kNumFreeValues));
}

uint32_t Byte4ToInt(uint8_t b) {
  if (b < bm25_detail::kNumFreeValues) return b;
  return static_cast<uint32_t>(bm25_detail::kNumFreeValues + Int4ToLong(b - bm25_detail::kNumFreeValues));
}

float Bm25Idf(int64_t doc_freq, int64_t doc_count) {
  // Java: (float) Math.log(1 + (docCount - docFreq + 0.5D) / (docFreq + 0.5D))
  const double ratio = (static_cast<double>(doc_count - doc_freq) + 0.5) /
                       (static_cast<double>(doc_freq) + 0.5);
  return static_cast<float>(DetLog(1.0 + ratio));
}

float Bm25AvgFieldLength(int64_t sum_total_term_freq, int64_t doc_count) {
  return static_cast<float>(static_cast<double>(sum_total_term_freq) /
                            static_cast<double>(doc_count));
}

Bm25TermScorer::Bm25TermScorer(const Bm25Params& params, float boost, int64_t doc_freq,
                               int64_t doc_count, int64_t sum_total_term_freq)
    : Bm25TermScorer(params, boost, Bm25Idf(doc_freq, doc_count), doc_count, sum_total_term_freq, true) {}

Bm25TermScorer Bm25TermScorer::WithIdf(const Bm25Params& params, float boost, float idf, int64_t doc_count,
                                       int64_t sum_total_term_freq) {
  return Bm25TermScorer(params, boost, idf, doc_count, sum_total_term_freq, true);
}

Bm25TermScorer::Bm25TermScorer(const Bm25Params& params, float boost, float idf, int64_t doc_count,
                               int64_t sum_total_term_freq, bool)
    : params_(params),
      idf_(idf),
      avgdl_(Bm25AvgFieldLength(sum_total_term_freq, doc_count)),
      weight_(boost * idf_) {
  const float k1 = params.k1;
  const float b = params.b;
  for (uint32_t i = 0; i < 256; ++i) {
    const float length = static_cast<float>(Byte4ToInt(static_cast<uint8_t>(i)));
    // 1f / (k1 * ((1 - b) + b * LENGTH_TABLE[i] / avgdl)), left to right.
    const float b_times_length = b * length;
    const float relative = b_times_length / avgdl_;
    const float one_minus_b = 1.0f - b;
    const float inner = one_minus_b + relative;
    const float denominator = k1 * inner;
    cache_[i] = 1.0f / denominator;
  }
}

float Bm25TermScorer::Tf(float freq, uint8_t norm) const {
  const float dl = static_cast<float>(Byte4ToInt(norm));
  const float b_times_dl = params_.b * dl;
  const float relative = b_times_dl / avgdl_;
  const float inner = (1.0f - params_.b) + relative;
  const float norm_inverse = 1.0f / (params_.k1 * inner);
  return 1.0f - 1.0f / (1.0f + freq * norm_inverse);
}

}  // namespace sdp::search
