#include "redis_persist/aof_file.h"

#include <algorithm>

namespace sdp::redis_persist {
namespace {

// The highest seq whose records all end by record index `k` (exclusive).
uint64_t LastCompleteSeq(const std::vector<AofRecord>& records, size_t k) {
  uint64_t seq = 0;
  for (size_t i = k; i-- > 0;) {
    if (records[i].seq != 0) {
      seq = records[i].seq;
      break;
    }
  }
  // A transaction (MULTI ... EXEC share one seq) that continues past k is not whole.
  if (seq != 0 && k < records.size() && records[k].seq == seq) --seq;
  return seq;
}

// One line as fgets reads it: up to and including '\n', or to the end.
// Returns false at the end of the data.
bool ReadLine(std::string_view file, uint64_t& pos, std::string_view& line, bool& complete) {
  if (pos >= file.size()) return false;
  const size_t nl = file.find('\n', pos);
  complete = nl != std::string_view::npos;
  const uint64_t end = complete ? nl + 1 : file.size();
  line = file.substr(pos, end - pos);
  pos = end;
  return true;
}

// atoi / strtol on the digits after the type byte; a huge value saturates.
int64_t LeadingNumber(std::string_view s) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  int64_t v = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    v = v > INT64_MAX / 10 - 10 ? INT64_MAX / 10 : v * 10 + (s[i] - '0');
  }
  return negative ? -v : v;
}

}  // namespace

void AofFile::ResetTo(std::string base, bool is_rdb, uint64_t keys, SeqSet seqs) {
  exists = true;
  bytes = std::move(base);
  durable = bytes.size();
  base_length = bytes.size();
  base_is_rdb = is_rdb;
  base_keys = keys;
  base_seqs = std::move(seqs);
  records.clear();
  record_seqs = SeqSet();
  torn = false;
  dirty_since = -1;
}

void AofFile::Append(const AofBuffer& buffer, SimTime now) {
  if (buffer.bytes.empty()) return;
  const uint64_t base = bytes.size();
  for (const AofRecord& r : buffer.records) {
    records.push_back({base + r.offset, r.length, r.seq});
    if (r.seq != 0 && r.seq > record_seqs.Max()) record_seqs.Add(r.seq);
  }
  bytes += buffer.bytes;
  if (dirty_since < 0) dirty_since = now;
}

void AofFile::MarkDurable(uint64_t upto) {
  durable = std::max(durable, std::min<uint64_t>(upto, bytes.size()));
  if (durable == bytes.size()) dirty_since = -1;
}

size_t AofFile::FirstRecordEndingAfter(uint64_t offset) const {
  const auto it = std::upper_bound(records.begin(), records.end(), offset,
                                   [](uint64_t o, const AofRecord& r) { return o < r.end(); });
  return static_cast<size_t>(it - records.begin());
}

SeqSet AofFile::Survivors(uint64_t upto) const {
  if (!exists) return SeqSet();
  upto = std::min<uint64_t>(upto, bytes.size());
  const SeqSet base = upto >= base_length ? base_seqs : SeqSet();
  const uint64_t max_seq = LastCompleteSeq(records, FirstRecordEndingAfter(upto));
  return SeqSet::Union(base, record_seqs.UpTo(max_seq));
}

void AofFile::CutTo(uint64_t length) {
  if (length >= bytes.size()) return;
  bytes.resize(length);
  durable = std::min(durable, length);
  if (length < base_length) {  // the base itself is gone (see the loader's truncate)
    base_length = 0;
    base_is_rdb = false;
    base_keys = 0;
    base_seqs = SeqSet();
  }
  while (!records.empty() && records.back().offset >= length) records.pop_back();
  torn = !records.empty() && records.back().end() > length;
  if (torn) records.back().length = length - records.back().offset;
  const size_t complete = torn ? records.size() - 1 : records.size();
  record_seqs = record_seqs.UpTo(LastCompleteSeq(records, complete));
  if (durable == bytes.size()) dirty_since = -1;
}

void AofFile::AppendTorn(std::string_view record_bytes, uint64_t seq, uint64_t n) {
  records.push_back({bytes.size(), n, seq});
  bytes.append(record_bytes.substr(0, n));
  torn = true;
}

std::vector<AofFile*> AofDir::Files() const {
  std::vector<AofFile*> out;
  if (base) out.push_back(base.get());
  for (const auto& f : incrs) out.push_back(f.get());
  return out;
}

uint64_t AofDir::Bytes() const {
  uint64_t n = 0;
  for (const AofFile* f : Files()) n += f->bytes.size();
  return n;
}

uint64_t AofDir::DurableBytes() const {
  uint64_t n = 0;
  for (const AofFile* f : Files()) n += f->durable;
  return n;
}

std::string AofDir::Manifest() const {
  std::string out;
  if (base) out += "file " + base->name + " seq " + std::to_string(base_seq) + " type b\n";
  for (const auto& f : incrs) {
    // The seq is the number in the name: appendonly.aof.<seq>.incr.aof.
    const size_t end = f->name.rfind(".incr.aof");
    const size_t start = f->name.rfind('.', end - 1) + 1;
    out += "file " + f->name + " seq " + f->name.substr(start, end - start) + " type i\n";
  }
  return out;
}

AofTailParse ParseAofTail(std::string_view file, uint64_t start) {
  AofTailParse out;
  uint64_t pos = start;
  std::string_view line;
  bool complete = false;
  while (ReadLine(file, pos, line, complete)) {
    if (line[0] == '#') continue;  // annotation, e.g. #TS:
    if (line[0] != '*') {
      out.format_error = true;
      return out;
    }
    const int64_t argc = LeadingNumber(line.substr(1));
    if (!complete) {  // "*3" and then the end of the file
      out.truncated = true;
      return out;
    }
    if (argc < 1) {
      out.format_error = true;
      return out;
    }
    redis::Argv argv;
    for (int64_t j = 0; j < argc; ++j) {
      if (!ReadLine(file, pos, line, complete)) {
        out.truncated = true;
        return out;
      }
      if (line[0] != '$') {
        out.format_error = true;
        return out;
      }
      const int64_t len = LeadingNumber(line.substr(1));
      // The bytes and their CRLF must all be there.
      if (!complete || len < 0 || static_cast<uint64_t>(len) + 2 > file.size() - pos) {
        out.truncated = true;
        return out;
      }
      argv.emplace_back(file.substr(pos, static_cast<uint64_t>(len)));
      pos += static_cast<uint64_t>(len) + 2;
    }
    out.commands.push_back(std::move(argv));
    out.ends.push_back(pos);
  }
  return out;
}

std::string RespText(std::string_view bytes, uint64_t max_bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  const uint64_t n = std::min<uint64_t>(bytes.size(), max_bytes);
  for (uint64_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\r' || c == '\n' || (c >= 0x20 && c < 0x7f)) {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  if (n < bytes.size()) out += "...";
  return out;
}

}  // namespace sdp::redis_persist
