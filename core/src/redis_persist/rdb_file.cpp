#include "sdp/redis/rdb_file.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace sdp::redis {
namespace {

// memcpy, not std::bit_cast: Emscripten 3.1.6's libc++ has no bit_cast.
uint64_t DoubleBits(double d) {
  uint64_t bits = 0;
  std::memcpy(&bits, &d, sizeof bits);
  return bits;
}

double BitsDouble(uint64_t bits) {
  double d = 0;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}


constexpr uint8_t kOpAux = 0xFA;
constexpr uint8_t kOpResizeDb = 0xFB;
constexpr uint8_t kOpSelectDb = 0xFE;
constexpr uint8_t kOpEof = 0xFF;
constexpr uint8_t kTypeString = 0;
constexpr uint8_t kTypeZSet2 = 5;
constexpr uint32_t kRewriteItemsPerCommand = 64;  // AOF_REWRITE_ITEMS_PER_CMD

// The reflected form of 0xad93d23594c935a9, one table built once.
std::array<uint64_t, 256> MakeCrcTable() {
  constexpr uint64_t kReflectedPoly = 0x95ac9329ac4bc9b5ULL;
  std::array<uint64_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint64_t crc = i;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) ? (crc >> 1) ^ kReflectedPoly : crc >> 1;
    table[i] = crc;
  }
  return table;
}

void PutLength(std::string& out, uint64_t len) {
  if (len < 64) {
    out.push_back(static_cast<char>(len));
  } else if (len < 16384) {
    out.push_back(static_cast<char>(0x40 | (len >> 8)));
    out.push_back(static_cast<char>(len & 0xFF));
  } else if (len <= UINT32_MAX) {
    out.push_back(static_cast<char>(0x80));
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((len >> shift) & 0xFF));
  } else {
    out.push_back(static_cast<char>(0x81));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((len >> shift) & 0xFF));
  }
}

void PutString(std::string& out, std::string_view s) {
  PutLength(out, s.size());
  out.append(s);
}

void PutLittleEndian64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// A bounds-checked cursor: every read says whether the bytes were there.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  uint64_t pos() const { return pos_; }
  bool Byte(uint8_t& out) {
    if (pos_ >= bytes_.size()) return false;
    out = static_cast<uint8_t>(bytes_[pos_++]);
    return true;
  }
  bool Take(uint64_t n, std::string_view& out) {
    if (n > bytes_.size() - pos_) return false;
    out = bytes_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  // A length; `encoded` is set for the 0xC0.. special string encodings.
  bool Length(uint64_t& len, bool& encoded) {
    uint8_t first;
    if (!Byte(first)) return false;
    encoded = false;
    switch (first >> 6) {
      case 0: len = first & 0x3F; return true;
      case 1: {
        uint8_t next;
        if (!Byte(next)) return false;
        len = (uint64_t{first & 0x3Fu} << 8) | next;
        return true;
      }
      case 3: encoded = true; len = first & 0x3F; return true;
      default: break;
    }
    const int width = first == 0x80 ? 4 : first == 0x81 ? 8 : 0;
    if (width == 0) return false;
    len = 0;
    for (int i = 0; i < width; ++i) {
      uint8_t b;
      if (!Byte(b)) return false;
      len = (len << 8) | b;
    }
    return true;
  }
  bool String(std::string& out) {
    uint64_t len;
    bool encoded;
    if (!Length(len, encoded)) return false;
    if (!encoded) {
      std::string_view raw;
      if (!Take(len, raw)) return false;
      out.assign(raw);
      return true;
    }
    // RDB_ENC_INT8 / INT16 / INT32, little-endian two's complement.
    const int width = len == 0 ? 1 : len == 1 ? 2 : len == 2 ? 4 : 0;
    if (width == 0) return false;
    uint64_t v = 0;
    for (int i = 0; i < width; ++i) {
      uint8_t b;
      if (!Byte(b)) return false;
      v |= uint64_t{b} << (8 * i);
    }
    const int64_t value = width == 1   ? static_cast<int8_t>(v)
                          : width == 2 ? static_cast<int16_t>(v)
                                       : static_cast<int32_t>(v);
    out = std::to_string(value);
    return true;
  }

 private:
  std::string_view bytes_;
  uint64_t pos_ = 0;
};

Status Bad(const Reader& r, const std::string& what) {
  return Status::Invalid("RDB: " + what + " at offset " + std::to_string(r.pos()));
}

}  // namespace

uint64_t Crc64Jones(uint64_t crc, std::string_view data) {
  static const std::array<uint64_t, 256> table = MakeCrcTable();
  for (char c : data) crc = table[(crc ^ static_cast<uint8_t>(c)) & 0xFF] ^ (crc >> 8);
  return crc;
}

DataSet DataSetFromDb(const Db& db) {
  DataSet out;
  for (const std::string& key : db.Keys()) {
    DataEntry e;
    e.key = key;
    if (const std::string* s = db.FindString(key)) {
      e.type = DataEntry::Type::kString;
      e.value = *s;
    } else if (const ZSet* z = db.FindZSet(key)) {
      e.type = DataEntry::Type::kZSet;
      for (auto& [member, score] : z->Items()) e.items.emplace_back(member, score);
      if (e.items.empty()) continue;
    } else {
      continue;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Argv> DataSetCommands(const DataSet& data) {
  std::vector<Argv> out;
  for (const DataEntry& e : data) {
    if (e.type == DataEntry::Type::kString) {
      out.push_back({"SET", e.key, e.value});
      continue;
    }
    for (size_t start = 0; start < e.items.size(); start += kRewriteItemsPerCommand) {
      Argv cmd = {"ZADD", e.key};
      const size_t end = std::min<size_t>(e.items.size(), start + kRewriteItemsPerCommand);
      for (size_t i = start; i < end; ++i) {
        cmd.push_back(FormatDouble(e.items[i].second));
        cmd.push_back(e.items[i].first);
      }
      out.push_back(std::move(cmd));
    }
  }
  return out;
}

std::string EncodeRdb(const DataSet& data, bool aof_base) {
  std::string out = "REDIS0010";
  for (const auto& [key, value] : {std::pair<const char*, const char*>{"redis-ver", "7.0.15"},
                                   {"redis-bits", "64"},
                                   {"aof-base", aof_base ? "1" : "0"}}) {
    out.push_back(static_cast<char>(kOpAux));
    PutString(out, key);
    PutString(out, value);
  }
  if (!data.empty()) {
    out.push_back(static_cast<char>(kOpSelectDb));
    PutLength(out, 0);
    out.push_back(static_cast<char>(kOpResizeDb));
    PutLength(out, data.size());
    PutLength(out, 0);  // keys with an expire
  }
  for (const DataEntry& e : data) {
    if (e.type == DataEntry::Type::kString) {
      out.push_back(static_cast<char>(kTypeString));
      PutString(out, e.key);
      PutString(out, e.value);
      continue;
    }
    out.push_back(static_cast<char>(kTypeZSet2));
    PutString(out, e.key);
    PutLength(out, e.items.size());
    for (auto it = e.items.rbegin(); it != e.items.rend(); ++it) {
      PutString(out, it->first);
      PutLittleEndian64(out, DoubleBits(it->second));
    }
  }
  out.push_back(static_cast<char>(kOpEof));
  PutLittleEndian64(out, Crc64Jones(0, out));
  return out;
}

Result<DecodedRdb> DecodeRdb(std::string_view bytes) {
  Reader r(bytes);
  std::string_view magic;
  if (!r.Take(9, magic) || magic.substr(0, 5) != "REDIS") return Bad(r, "no REDIS signature");
  DecodedRdb out;
  for (;;) {
    uint8_t op;
    if (!r.Byte(op)) return Bad(r, "unexpected end of file");
    if (op == kOpEof) break;
    uint64_t a, b;
    bool encoded;
    std::string key, value;
    if (op == kOpAux) {
      if (!r.String(key) || !r.String(value)) return Bad(r, "short aux field");
    } else if (op == kOpSelectDb) {
      if (!r.Length(a, encoded) || encoded || a != 0) return Bad(r, "only db 0 is supported");
    } else if (op == kOpResizeDb) {
      if (!r.Length(a, encoded) || !r.Length(b, encoded)) return Bad(r, "short RESIZEDB");
    } else if (op == kTypeString) {
      if (!r.String(key) || !r.String(value)) return Bad(r, "short string key");
      out.data.push_back({key, DataEntry::Type::kString, value, {}});
    } else if (op == kTypeZSet2) {
      uint64_t count;
      if (!r.String(key) || !r.Length(count, encoded) || encoded) return Bad(r, "short zset");
      DataEntry e{key, DataEntry::Type::kZSet, {}, {}};
      for (uint64_t i = 0; i < count; ++i) {
        std::string member;
        std::string_view raw;
        if (!r.String(member) || !r.Take(8, raw)) return Bad(r, "short zset element");
        uint64_t bits = 0;
        for (int k = 0; k < 8; ++k) bits |= uint64_t{static_cast<uint8_t>(raw[k])} << (8 * k);
        e.items.emplace_back(std::move(member), BitsDouble(bits));
      }
      // Score order, members by binary comparison on ties (the zset order).
      std::sort(e.items.begin(), e.items.end(), [](const auto& x, const auto& y) {
        return x.second != y.second ? x.second < y.second : x.first < y.first;
      });
      out.data.push_back(std::move(e));
    } else {
      return Bad(r, "unsupported opcode/type " + std::to_string(op));
    }
  }
  const uint64_t body = r.pos();
  std::string_view sum;
  if (!r.Take(8, sum)) return Bad(r, "short checksum");
  uint64_t expected = 0;
  for (int k = 0; k < 8; ++k) expected |= uint64_t{static_cast<uint8_t>(sum[k])} << (8 * k);
  if (expected != 0 && expected != Crc64Jones(0, bytes.substr(0, body))) {
    return Bad(r, "wrong checksum");
  }
  std::sort(out.data.begin(), out.data.end(),
            [](const DataEntry& x, const DataEntry& y) { return x.key < y.key; });
  out.length = r.pos();
  return out;
}

}  // namespace sdp::redis
