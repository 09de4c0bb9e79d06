// One Elasticsearch index (one shard) over Lucene-style segments.
//
// Documents are parsed against a strict mapping (text / keyword / integer),
// analyzed, and buffered; `Refresh` writes the buffer as a new immutable
// segment and makes it (and pending deletes) searchable, as ES's refresh
// opens a new near-real-time reader. A delete or an update (index of an
// existing _id) never edits a segment: it clears the document's bit in its
// segment's live-docs bitmap. Deleted documents still count in the term
// statistics (docFreq, docCount, sumTotalTermFreq) until a merge rewrites
// their segment, exactly as in Lucene — so deletes change BM25 scores only
// after a merge. A segment whose documents are all deleted is dropped at
// refresh (IndexWriter drops fully deleted segments).
//
// Merges follow Lucene 8's TieredMergePolicy in documents instead of bytes:
// segments_per_tier 10, max_merge_at_once 10, a floor segment size, the
// allowed segment count per tier, and the candidate with the lowest
// skew * size^0.05 * liveRatio^2 score. A merge re-writes the live documents
// of its segments into one new segment at the place of the first of them
// (documents keep their relative order).
//
// Invariants: every live _id is in exactly one place (buffer or one
// segment, live bit set); segment names are unique and increasing.
#ifndef SDP_SEARCH_INDEX_H_
#define SDP_SEARCH_INDEX_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdp/search/analyzer.h"
#include "sdp/status.h"

namespace sdp::search {

using Json = nlohmann::json;

enum class FieldType { kText, kKeyword, kInteger };
const char* FieldTypeName(FieldType type);

struct MappingField {
  std::string name;
  FieldType type = FieldType::kText;
};

// A strict mapping ("dynamic": "strict"): documents may hold only these fields.
struct Mapping {
  std::vector<MappingField> fields;

  // "title:text,body:text,tag:keyword,price:integer"
  static Result<Mapping> Parse(std::string_view spec);
  const MappingField* Find(std::string_view name) const;
  Json ToJson() const;  // ES's {"properties": {name: {"type": ...}}}
};

// A document after the mapping: per field its analyzed tokens or value.
struct ParsedDoc {
  std::string id;
  std::string source;  // the document as JSON text (compact)
  std::map<std::string, std::vector<Token>> text;
  std::map<std::string, std::string> keyword;
  std::map<std::string, int64_t> integer;
};

// The ES errors for a document that does not fit the mapping.
Result<ParsedDoc> ParseDocument(const Mapping& mapping, const std::string& id, const Json& doc);

struct Posting {
  uint32_t doc = 0;  // within the segment
  uint32_t freq = 0;
  std::vector<uint32_t> positions;  // empty for keyword fields
};

// The inverted index of one text or keyword field in one segment.
struct FieldPostings {
  std::map<std::string, std::vector<Posting>> terms;  // sorted, as Lucene's terms dictionary
  std::vector<uint8_t> norms;  // per doc: SmallFloat.intToByte4(length); text fields only
  int64_t doc_count = 0;       // docs with at least one term
  int64_t sum_total_term_freq = 0;
  int64_t sum_doc_freq = 0;
};

struct Segment {
  uint32_t name = 0;  // shown as "_<name in base 36>", as Lucene names them
  uint32_t generation = 0;  // 0: written by a refresh; n: n merges deep
  std::vector<ParsedDoc> docs;
  std::vector<uint8_t> live;  // 1 = live
  uint32_t deleted = 0;
  std::map<std::string, FieldPostings> fields;  // text and keyword fields
  std::map<std::string, std::vector<std::optional<int64_t>>> integers;

  uint32_t live_count() const { return static_cast<uint32_t>(docs.size()) - deleted; }
  std::string DisplayName() const;
};

// Term statistics summed over all segments (deleted docs included).
struct CollectionStats {
  int64_t doc_count = 0;
  int64_t sum_total_term_freq = 0;
};

struct MergePolicy {
  uint32_t segments_per_tier = 10;
  uint32_t max_merge_at_once = 10;
  uint32_t floor_segment_docs = 100;       // Lucene: floorSegmentMB 2
  uint32_t max_merged_segment_docs = 100000;  // Lucene: maxMergedSegmentMB 5120
};

class Index {
 public:
  static constexpr uint32_t kMaxDocs = 100000;

  Index(Mapping mapping, MergePolicy policy, bool auto_merge);

  // ES's index API: creates or replaces (an update deletes the old copy).
  // REQUIRES: doc passed ParseDocument for this mapping.
  Json Put(ParsedDoc doc);
  // -> {"_id", "result": "deleted" | "not_found"}
  Json Delete(const std::string& id);
  bool Contains(const std::string& id) const { return where_.count(id) != 0; }
  uint64_t TotalDocs() const;  // buffered + in segments, deleted included

  // Writes the buffer as a segment, applies pending deletes, drops fully
  // deleted segments, then (auto_merge) runs the merge policy.
  Json Refresh();
  // One run of the merge policy (after a refresh); -> the merges done.
  Json Merge();
  // Merges down to at most max_segments segments (ES _forcemerge).
  Json ForceMerge(uint32_t max_segments);

  const Mapping& mapping() const { return mapping_; }
  const std::vector<Segment>& segments() const { return segments_; }
  CollectionStats Stats(const std::string& field) const;
  int64_t DocFreq(const std::string& field, const std::string& term) const;
  uint32_t buffered() const { return static_cast<uint32_t>(buffer_.size()); }
  Json CountersJson() const;
  uint64_t work() const { return work_; }

 private:
  struct Place {
    bool buffered = true;
    uint32_t segment_name = 0;
    uint32_t doc = 0;  // index into buffer_ or the segment's docs
  };
  struct Buffered {
    ParsedDoc doc;
    bool deleted = false;
  };

  void MarkDeleted(const Place& place);
  Segment BuildSegment(std::vector<ParsedDoc> docs, uint32_t generation);
  void ReindexPlaces(const Segment& segment);
  Json MergeRange(const std::vector<uint32_t>& picked);  // indexes into segments_
  std::vector<std::vector<uint32_t>> FindMerges() const;

  Mapping mapping_;
  MergePolicy policy_;
  bool auto_merge_;
  std::vector<Segment> segments_;
  std::vector<Buffered> buffer_;
  std::vector<std::pair<uint32_t, uint32_t>> pending_deletes_;  // (segment name, doc)
  std::map<std::string, Place> where_;  // live ids only
  uint32_t next_segment_ = 0;
  uint64_t refreshes_ = 0;
  uint64_t merges_ = 0;
  uint64_t docs_flushed_ = 0;
  uint64_t docs_merged_ = 0;  // docs re-written by merges
  uint64_t deletes_purged_ = 0;
  uint64_t work_ = 0;
};

}  // namespace sdp::search

#endif  // SDP_SEARCH_INDEX_H_
