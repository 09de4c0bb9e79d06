// The worksheet's arithmetic (see estimate.h for the rounding and the units).
#include "sdp/estimator/estimate.h"

#include <cstdint>

namespace sdp::estimator {
namespace {

constexpr u128 kU64Max = UINT64_MAX;
constexpr uint64_t kSecondsPerDay = 86400;
constexpr uint64_t kDaysPerYear = 365;

// A fraction built by multiplications; remembers whether any overflowed
// (then the output is refused instead of wrapping).
struct Frac {
  u128 num = 0;
  u128 den = 1;
  bool overflow = false;

  Frac Times(u128 k) const {
    Frac out = *this;
    out.overflow = out.overflow || __builtin_mul_overflow(num, k, &out.num);
    return out;
  }
  Frac Over(u128 k) const {
    Frac out = *this;
    out.overflow = out.overflow || __builtin_mul_overflow(den, k, &out.den);
    return out;
  }
  Frac Times(const Frac& f) const { return Times(f.num).Over(f.den).Flag(f.overflow); }
  Frac Over(const Frac& f) const { return Times(f.den).Over(f.num).Flag(f.overflow); }
  Frac Flag(bool more) const {
    Frac out = *this;
    out.overflow = out.overflow || more;
    return out;
  }
};

Frac Whole(uint64_t n) { return Frac{n, 1, false}; }

// Half up: floor((2 num + den) / (2 den)), in checked steps. REQUIRES: den > 0.
bool RoundHalfUp(u128 num, u128 den, u128* out) {
  u128 twice_num = 0;
  u128 twice_den = 0;
  if (__builtin_mul_overflow(num, 2, &twice_num) || __builtin_mul_overflow(den, 2, &twice_den)) {
    *out = num / den + ((num % den) * 2 >= den ? 1 : 0);  // same result without the doubling
    return true;
  }
  *out = (twice_num + den) / twice_den;
  return true;
}

u128 WholeValue(const Output& o, Round round) {
  switch (round) {
    case Round::kUp: return o.num / o.den + (o.num % o.den != 0 ? 1 : 0);
    case Round::kDown: return o.num / o.den;
    case Round::kNearest: break;
  }
  u128 v = 0;
  RoundHalfUp(o.num, o.den, &v);
  return v;
}

Round RoundingOf(const Output& o) { return o.round; }

u128 Pow10(int e) {
  u128 p = 1;
  for (int i = 0; i < e; ++i) p *= 10;
  return p;
}

std::string Digits(u128 n) {
  if (n == 0) return "0";
  std::string out;
  while (n > 0) {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(n % 10)));
    n /= 10;
  }
  return out;
}

// n / 10^decimals as text, e.g. (11574, 3) -> "11.574".
std::string Decimal(u128 n, int decimals) {
  std::string digits = Digits(n);
  if (decimals == 0) return digits;
  while (static_cast<int>(digits.size()) <= decimals) digits.insert(digits.begin(), '0');
  return digits.substr(0, digits.size() - decimals) + "." + digits.substr(digits.size() - decimals);
}

std::string WithPrefix(const std::string& number, const char* prefix, const std::string& unit) {
  const bool bytes = unit.rfind("B", 0) == 0;  // "B", "B/s", "B/day": the prefix joins the unit
  if (bytes) return number + " " + prefix + unit;
  return number + " " + prefix + (prefix[0] != '\0' ? " " : "") + unit;
}

// The inputs that make a group's numbers large, for the message that refuses one.
std::string GrowsWith(const std::string& group) {
  const std::string traffic = "dau or requests_per_user_per_day";
  if (group == "Storage") return traffic + ", object_bytes, replication or retention_days";
  if (group == "Bandwidth") return traffic + ", peak_factor or object_bytes";
  if (group == "Memory") return traffic + ", object_bytes or cache_share";
  if (group == "Machines") return traffic + ", object_bytes or retention_days, or raise per_server_qps or per_shard_bytes";
  return traffic + " or peak_factor";
}

class Sheet {
 public:
  explicit Sheet(Estimates* out) : out_(out) {}
  Frac Add(const char* key, const char* label, const char* group, const char* unit, const char* formula, Frac f,
           Round round = Round::kNearest) {
    Output o;
    o.key = key;
    o.label = label;
    o.group = group;
    o.unit = unit;
    o.formula = formula;
    o.num = f.num;
    o.den = f.den;
    o.round = round;
    if (!first_error_.empty()) return f;
    if (f.overflow || (f.den != 0 && WholeValue(o, RoundingOf(o)) > kU64Max)) {
      first_error_ = std::string("estimate: inputs: ") + key + " (" + label + ") comes to more than " +
                     Grouped(kU64Max) + " " + unit + ", more than this worksheet counts (" + key + " = " + formula +
                     "); lower " + GrowsWith(group);
    } else {
      out_->outputs.push_back(std::move(o));
    }
    return f;
  }
  const std::string& error() const { return first_error_; }

 private:
  Estimates* out_;
  std::string first_error_;
};

}  // namespace

std::string Grouped(u128 n) {
  std::string digits = Digits(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<size_t>(i), ",");
  return digits;
}

nlohmann::json ValueJson(const Output& o) {
  const Round round = RoundingOf(o);
  if (round != Round::kNearest) return static_cast<uint64_t>(WholeValue(o, round));
  const u128 whole = WholeValue(o, round);
  if (whole >= 1000000000000ULL) return static_cast<uint64_t>(whole);
  // Below 10^12 the thousandths stay below 2^53: the double is the nearest one
  // to the decimal, and prints as it.
  u128 milli = 0;
  RoundHalfUp(o.num * 1000, o.den, &milli);
  return static_cast<double>(static_cast<uint64_t>(milli)) / 1000.0;
}

std::string ValueText(const Output& o) {
  static const char* const kPrefixes[] = {"", "K", "M", "G", "T", "P", "E"};
  const Round round = RoundingOf(o);
  if (round != Round::kNearest) {
    const u128 whole = WholeValue(o, round);
    if (whole == 1 && o.unit.back() == 's') return "1 " + o.unit.substr(0, o.unit.size() - 1);  // 1 server
    if (whole < 1000000) return Grouped(whole) + " " + o.unit;
  }
  if (o.num < o.den) {  // below 1: three decimals
    u128 milli = 0;
    RoundHalfUp(o.num * 1000, o.den, &milli);
    if (milli < 1000) return WithPrefix(Decimal(milli, 3), "", o.unit);
  }
  // The largest prefix the value reaches, then 3 significant digits.
  int e = 0;
  while (e < 18) {
    u128 scaled = 0;
    if (__builtin_mul_overflow(o.den, Pow10(e + 3), &scaled) || o.num < scaled) break;
    e += 3;
  }
  for (;;) {
    const u128 whole = o.num / (o.den * Pow10(e));
    int decimals = whole >= 100 ? 0 : whole >= 10 ? 1 : 2;
    u128 shown = 0;
    RoundHalfUp(o.num * Pow10(decimals), o.den * Pow10(e), &shown);
    while (shown >= 1000 && decimals > 0) {  // 9.996 -> 10.0, not 10.00
      --decimals;
      RoundHalfUp(o.num * Pow10(decimals), o.den * Pow10(e), &shown);
    }
    if (shown >= 1000 && e < 18) {  // 999.6 -> 1.00 of the next prefix
      e += 3;
      continue;
    }
    return WithPrefix(Decimal(shown, decimals), kPrefixes[e / 3], o.unit);
  }
}

Result<Estimates> Estimate(const Inputs& in) {
  Estimates est;
  Sheet s(&est);
  const uint64_t parts = in.read_parts + in.write_parts;  // REQUIRES: > 0 (the sim checks)
  const Frac read_share = Frac{in.read_parts, parts, false};
  const Frac write_share = Frac{in.write_parts, parts, false};
  const Frac peak = Frac{in.peak_factor_milli, 1000, false};

  const Frac per_day = s.Add("requests_per_day", "Requests per day", "Traffic", "req/day",
                             "dau × requests_per_user_per_day", Whole(in.dau).Times(in.requests_per_user_per_day));
  const Frac qps = s.Add("avg_qps", "Average QPS", "Traffic", "req/s", "dau × requests_per_user_per_day / 86,400 s",
                         per_day.Over(kSecondsPerDay));
  const Frac read_qps = s.Add("avg_read_qps", "Average read QPS", "Traffic", "req/s",
                              "avg_qps × r / (r + w), read_write_ratio = r:w", qps.Times(read_share));
  const Frac write_qps = s.Add("avg_write_qps", "Average write QPS", "Traffic", "req/s",
                               "avg_qps × w / (r + w), read_write_ratio = r:w", qps.Times(write_share));
  const Frac peak_qps = s.Add("peak_qps", "Peak QPS", "Traffic", "req/s", "avg_qps × peak_factor", qps.Times(peak));
  const Frac peak_read = s.Add("peak_read_qps", "Peak read QPS", "Traffic", "req/s", "avg_read_qps × peak_factor",
                               read_qps.Times(peak));
  const Frac peak_write = s.Add("peak_write_qps", "Peak write QPS", "Traffic", "req/s",
                                "avg_write_qps × peak_factor", write_qps.Times(peak));

  const Frac writes = s.Add("writes_per_day", "Writes per day", "Storage", "writes/day",
                            "requests_per_day × w / (r + w)", per_day.Times(write_share));
  const Frac stored = s.Add("storage_per_day", "Storage per day (replicated)", "Storage", "B/day",
                            "writes_per_day × object_bytes × replication",
                            writes.Times(in.object_bytes).Times(in.replication));
  s.Add("storage_per_year", "Storage per year (replicated)", "Storage", "B/year", "storage_per_day × 365 days",
        stored.Times(kDaysPerYear));
  s.Add("storage_total", "Storage over the retention (replicated)", "Storage", "B",
        "storage_per_day × retention_days", stored.Times(in.retention_days));

  s.Add("ingress", "Ingress (writes in), average", "Bandwidth", "B/s", "avg_write_qps × object_bytes",
        write_qps.Times(in.object_bytes));
  s.Add("egress", "Egress (reads out), average", "Bandwidth", "B/s", "avg_read_qps × object_bytes",
        read_qps.Times(in.object_bytes));
  s.Add("peak_ingress", "Ingress at peak", "Bandwidth", "B/s", "peak_write_qps × object_bytes",
        peak_write.Times(in.object_bytes));
  s.Add("peak_egress", "Egress at peak", "Bandwidth", "B/s", "peak_read_qps × object_bytes",
        peak_read.Times(in.object_bytes));

  s.Add("cache_memory", "Cache memory (80/20 rule)", "Memory", "B",
        "cache_share × requests_per_day × r / (r + w) × object_bytes",
        per_day.Times(read_share).Times(in.object_bytes).Times(Frac{in.cache_share_ppm, 1000000, false}));

  s.Add("servers", "Servers for the peak", "Machines", "servers", "⌈peak_qps / per_server_qps⌉",
        peak_qps.Over(in.per_server_qps), Round::kUp);
  const Frac primary = writes.Times(in.object_bytes).Times(in.retention_days);
  const Frac shards = s.Add("shards", "Shards for the retained data", "Machines", "shards",
                            "⌈writes_per_day × object_bytes × retention_days / per_shard_bytes⌉",
                            primary.Over(in.per_shard_bytes), Round::kUp);
  if (s.error().empty()) {
    const Output& shard_out = est.outputs.back();
    const u128 shard_count = shard_out.num / shard_out.den + (shard_out.num % shard_out.den != 0 ? 1 : 0);
    s.Add("storage_nodes", "Storage nodes (shards × replicas)", "Machines", "nodes", "shards × replication",
          Whole(1).Times(shard_count).Times(in.replication), Round::kUp);
  }
  (void)shards;

  // The latency budget against the reference numbers (LatencyNumbers()).
  const Frac budget_ps = Whole(in.p99_ms).Times(1000000000ULL);
  for (const Latency& l : LatencyNumbers()) {
    const std::string key = l.key;
    if (key == "disk_seek") {
      s.Add("disk_seeks_in_p99", "Disk seeks that fit in the p99", "Latency budget", "seeks",
            "⌊p99_ms / 10 ms⌋ (one disk seek, ~2012)", budget_ps.Over(l.ps), Round::kDown);
    } else if (key == "dc_round_trip") {
      s.Add("dc_round_trips_in_p99", "Same-datacenter round trips that fit in the p99", "Latency budget", "round trips",
            "⌊p99_ms / 0.5 ms⌋ (one round trip within a datacenter, ~2012)", budget_ps.Over(l.ps), Round::kDown);
    }
  }
  if (!s.error().empty()) return Status::Invalid(s.error());
  return est;
}

}  // namespace sdp::estimator
