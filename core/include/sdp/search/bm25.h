// BM25 exactly as Lucene 8.7 computes it (BM25Similarity and its BM25Scorer,
// SmallFloat), in 32-bit float arithmetic and in Lucene's operation order,
// so that our scores equal Lucene's bit for bit:
//
//   idf        = (float) ln(1 + (N - n + 0.5) / (n + 0.5))          in double
//   avgdl      = (float) (sumTotalTermFreq / (double) docCount)
//   norm       = SmallFloat.intToByte4(field length)                 one byte
//   cache[b]   = 1f / (k1 * ((1 - b) + b * byte4ToInt(b) / avgdl))   float
//   weight     = boost * idf                                         float
//   score      = weight - weight / (1f + freq * cache[norm])         float
//
// (freq / (freq + k1 * (1 - b + b * dl / avgdl)) rewritten so that the score
// is monotonic in freq and norm without doubles; no (k1 + 1) factor since 8.0.)
// N and n include deleted documents until a merge drops them, as in Lucene.
#ifndef SDP_SEARCH_BM25_H_
#define SDP_SEARCH_BM25_H_

#include <array>
#include <cstdint>

namespace sdp::search {

// org.apache.lucene.util.SmallFloat (Lucene 8): a length as one byte, exact
// below 24 + 16 = 40, then 4 significant bits (41 -> 40, 100 -> 96).
uint32_t LongToInt4(uint64_t i);
uint64_t Int4ToLong(uint32_t i);
uint8_t IntToByte4(uint32_t i);
uint32_t Byte4ToInt(uint8_t b);

struct Bm25Params {
  float k1 = 1.2f;
  float b = 0.75f;
};

float Bm25Idf(int64_t doc_freq, int64_t doc_count);
float Bm25AvgFieldLength(int64_t sum_total_term_freq, int64_t doc_count);

// One term's scorer (Lucene's BM25Scorer): built once per query term from the
// collection statistics, then scores any (freq, norm) pair.
class Bm25TermScorer {
 public:
  Bm25TermScorer(const Bm25Params& params, float boost, int64_t doc_freq, int64_t doc_count,
                 int64_t sum_total_term_freq);
  // A phrase's scorer: BM25Similarity.idfExplain over several terms sums
  // their float idfs in double and rounds once; the rest is a term's.
  static Bm25TermScorer WithIdf(const Bm25Params& params, float boost, float idf, int64_t doc_count,
                                int64_t sum_total_term_freq);

  float Score(float freq, uint8_t norm) const {
    const float norm_inverse = cache_[norm];
    return weight_ - weight_ / (1.0f + freq * norm_inverse);
  }
  // The explain API's "tf" value: freq / (freq + k1 * (1 - b + b * dl / avgdl))
  // evaluated as Lucene's explainTF does.
  float Tf(float freq, uint8_t norm) const;
  float idf() const { return idf_; }
  float avgdl() const { return avgdl_; }
  float weight() const { return weight_; }
  const Bm25Params& params() const { return params_; }

 private:
  Bm25TermScorer(const Bm25Params& params, float boost, float idf, int64_t doc_count,
                 int64_t sum_total_term_freq, bool /*tag: idf given*/);

  Bm25Params params_;
  float idf_;
  float avgdl_;
  float weight_;
  std::array<float, 256> cache_;
};

}  // namespace sdp::search

#endif  // SDP_SEARCH_BM25_H_
