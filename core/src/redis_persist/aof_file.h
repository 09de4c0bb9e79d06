// Redis 7.0's multi-part AOF as the persistence sim sees it (aof.c): the
// appendonlydir holds a manifest (appendonly.aof.manifest) naming one BASE
// file (appendonly.aof.<n>.base.rdb or .aof: what a rewrite wrote) and one or
// more INCR files (appendonly.aof.<n>.incr.aof: the commands propagated since).
// Each AofFile is one of those files: its bytes, which write each command
// belongs to, and how far the OS page cache and the disk have got.
//
// Invariants: durable <= bytes.size() (written); base_length <= durable (a
// base is fsynced before it is renamed into place); a base file is all base,
// an incr file has no base; records are in file order and their seqs never
// decrease (0 = not a write).
#ifndef SDP_REDIS_PERSIST_AOF_FILE_H_
#define SDP_REDIS_PERSIST_AOF_FILE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "redis_persist/seq_set.h"
#include "sdp/clone.h"
#include "sdp/event_queue.h"
#include "sdp/redis/reply.h"

namespace sdp::redis_persist {

struct AofRecord {
  uint64_t offset = 0;  // in the file, or in the buffer while buffered
  uint64_t length = 0;
  uint64_t seq = 0;  // the write this command belongs to; 0 for SELECT
  uint64_t end() const { return offset + length; }
};

// Redis's aof_buf: commands executed but not yet write(2)n.
struct AofBuffer {
  std::string bytes;
  std::vector<AofRecord> records;
  void Add(std::string resp, uint64_t seq) {
    records.push_back({bytes.size(), resp.size(), seq});
    bytes += resp;
  }
  void Clear() {
    bytes.clear();
    records.clear();
  }
};

class AofFile {
 public:
  std::string name;  // e.g. appendonly.aof.2.incr.aof
  bool exists = false;
  uint64_t generation = 0;  // which file this is: a new one per rewrite / creation
  std::string bytes;  // as the page cache holds it (what a process crash keeps)
  uint64_t durable = 0;  // prefix on disk: fsynced or written back
  uint64_t base_length = 0;
  bool base_is_rdb = false;
  uint64_t base_keys = 0;
  SeqSet base_seqs;                // writes the base holds
  std::vector<AofRecord> records;  // the tail
  SeqSet record_seqs;              // writes with every record complete in the file
  bool torn = false;               // the last record is cut short
  SimTime dirty_since = -1;        // page cache ahead of the disk since; -1 when clean

  // The file becomes `base` alone, on disk.
  void ResetTo(std::string base, bool is_rdb, uint64_t keys, SeqSet seqs);
  // write(2) of the whole buffer.
  void Append(const AofBuffer& buffer, SimTime now);
  // An fsync or a writeback made the first `upto` bytes durable.
  void MarkDurable(uint64_t upto);
  // Writes a file cut to its first `upto` bytes would still hold: the base
  // (if whole) and every write whose records all end by `upto`.
  SeqSet Survivors(uint64_t upto) const;
  // Truncates to `length` bytes (a crash, or the loader's truncate()).
  void CutTo(uint64_t length);
  // Appends the first `n` bytes of `record_bytes` (a torn write); the file's
  // last record is then incomplete. REQUIRES: n < record_bytes.size()
  void AppendTorn(std::string_view record_bytes, uint64_t seq, uint64_t n);
  // Index of the first record ending after `offset`, or records.size().
  size_t FirstRecordEndingAfter(uint64_t offset) const;
};

// The appendonlydir: the files its manifest names, in loading order (base,
// then the incr files by seq). History files are deleted as soon as a rewrite
// finishes (aofDelHistoryFiles), so they are not kept.
struct AofDir {
  DeepPtr<AofFile> base;                // null: no base file
  std::vector<DeepPtr<AofFile>> incrs;  // the last one is written to
  int64_t base_seq = 0;  // curr_base_file_seq
  int64_t incr_seq = 0;  // curr_incr_file_seq
  bool Empty() const { return base == nullptr && incrs.empty(); }
  std::vector<AofFile*> Files() const;
  uint64_t Bytes() const;
  uint64_t DurableBytes() const;
  // getAofManifestAsString: "file <name> seq <n> type b|i" lines.
  std::string Manifest() const;
};

// The AOF tail read the way Redis 7.0's loadSingleAppendOnlyFile reads it:
// "#" annotation lines skipped, "*<argc>" then "$<len>" + bytes + CRLF per
// argument. Stops at the first incomplete command (truncated) or a line that
// is not a command (format_error).
struct AofTailParse {
  std::vector<redis::Argv> commands;
  std::vector<uint64_t> ends;  // file offset just after each command
  bool truncated = false;
  bool format_error = false;
};
AofTailParse ParseAofTail(std::string_view file, uint64_t start);

// RESP bytes shown as text: CR, LF and printable ASCII as they are, any other
// byte as \xHH; at most `max_bytes` input bytes (then "...").
std::string RespText(std::string_view bytes, uint64_t max_bytes);

}  // namespace sdp::redis_persist

#endif  // SDP_REDIS_PERSIST_AOF_FILE_H_
