// The declaration of `load_balancer`: its fields (shared by the config, the
// `traffic` op and the `configure` op) and how they map onto the config.
#include "sdp/load_balancer_sim.h"

namespace sdp {
namespace {

constexpr int64_t kLbMaxMs = 3600 * 1000;  // an hour, for every duration field

std::vector<std::string> CompareNames() {
  std::vector<std::string> names = LbAlgorithmNames();
  names.insert(names.begin(), "off");
  return names;
}

std::vector<FieldSpec> ServerFields(bool with_count) {
  std::vector<FieldSpec> out;
  if (with_count) {
    out.push_back(IntField("servers", false, 0, LoadBalancerConfig::kMaxServers,
                           "servers at the start, s1..sN (default 4)"));
  }
  out.push_back(NumberField("capacity", false, 0.1, 1e6,
                            "requests/s a server completes with every worker busy (default 100)"));
  out.push_back(IntField("workers", false, 1, 1000, "requests a server serves at once (default 4)"));
  out.push_back(IntField("queue_limit", false, 0, 100000, "requests waiting per server before 503s (default 100)"));
  return out;
}

std::vector<FieldSpec> TrafficFields() {
  return {
      NumberField("rps", false, 0, 1e6, "requests per second, long-run mean (default 300)"),
      EnumField("pattern", false, {"poisson", "bursty"}, "Poisson, or on/off bursts (default poisson)"),
      IntField("burst_on_ms", false, 1, kLbMaxMs, "bursty: mean ON period (default 500)"),
      IntField("burst_off_ms", false, 0, kLbMaxMs, "bursty: mean OFF period (default 1500)"),
      IntField("clients", false, 1, LoadBalancerSim::kMaxClients, "distinct client ids (default 100)"),
      NumberField("client_skew", false, 0, 3, "Zipf exponent of client activity; 0 = uniform (default 0)"),
      EnumField("cost", false, {"exponential", "lognormal", "pareto"},
                "distribution of request cost, mean 1 (default exponential)"),
      NumberField("cost_variance", false, 0.01, 100,
                  "lognormal/pareto: squared coefficient of variation of the cost (default 4)"),
      IntField("connection_lifetime_ms", false, 0, kLbMaxMs,
               "L4: a client reconnects after this; 0 = connections live forever (default 0)"),
  };
}

std::vector<FieldSpec> BalancerFields() {
  return {
      IntField("timeout_ms", false, 1, kLbMaxMs, "a request not answered within this has timed out (default 2000)"),
      IntField("retries", false, 0, 3, "tries on other servers after a refused connection, L4 and L7 (default 1)"),
      IntField("health_interval_ms", false, 0, kLbMaxMs, "active health checks every; 0 = none (default 2000)"),
      IntField("health_fall", false, 1, 100, "failed checks in a row that take a server out (default 3)"),
      IntField("health_rise", false, 1, 100, "passed checks in a row that bring it back (default 2)"),
      IntField("slow_start_ms", false, 0, kLbMaxMs, "a returning server's weight ramps up over this (default 0)"),
      IntField("max_fails", false, 0, 100,
               "passive check: refused connections that take a server out for fail_timeout_ms; 0 = off "
               "(default 0; nginx's default is 1)"),
      IntField("fail_timeout_ms", false, 1, kLbMaxMs, "passive check: how long a server stays out (default 10000)"),
      IntField("l4_overhead_us", false, 0, 1000000, "the balancer's cost per request at L4 (default 20)"),
      IntField("l7_overhead_us", false, 0, 1000000, "the balancer's cost per request at L7 (default 200)"),
  };
}

SimTime Us(const Json& args, const char* name, SimTime current) {
  return args.contains(name) ? args[name].get<int64_t>() : current;
}

const char* kPatterns[] = {"poisson", "bursty"};
const char* kCosts[] = {"exponential", "lognormal", "pareto"};

}  // namespace

Status ApplyLoadBalancerFields(const Json& args, LoadBalancerConfig* config) {
  LoadBalancerConfig c = *config;
  c.servers = args.value("servers", c.servers);
  c.capacity = args.value("capacity", c.capacity);
  c.workers = args.value("workers", c.workers);
  c.queue_limit = args.value("queue_limit", c.queue_limit);
  if (args.contains("algorithm") && !ParseLbAlgorithm(args["algorithm"].get<std::string>(), &c.algorithm)) {
    return Status::Invalid("field \"algorithm\": unknown algorithm");
  }
  if (args.contains("compare")) {
    const std::string compare = args["compare"];
    c.compare = compare != "off";
    if (c.compare && !ParseLbAlgorithm(compare, &c.compare_algorithm)) {
      return Status::Invalid("field \"compare\": unknown algorithm");
    }
  }
  if (args.contains("mode")) c.mode = args["mode"] == "l4" ? LbMode::kL4 : LbMode::kL7;
  c.timeout = MillisField(args, "timeout_ms", c.timeout);
  c.retries = args.value("retries", c.retries);
  c.health_interval = MillisField(args, "health_interval_ms", c.health_interval);
  c.health_fall = args.value("health_fall", c.health_fall);
  c.health_rise = args.value("health_rise", c.health_rise);
  c.slow_start = MillisField(args, "slow_start_ms", c.slow_start);
  c.max_fails = args.value("max_fails", c.max_fails);
  c.fail_timeout = MillisField(args, "fail_timeout_ms", c.fail_timeout);
  c.l4_overhead = Us(args, "l4_overhead_us", c.l4_overhead);
  c.l7_overhead = Us(args, "l7_overhead_us", c.l7_overhead);
  c.bucket = MillisField(args, "bucket_ms", c.bucket);

  LbTraffic& t = c.traffic;
  t.rps = args.value("rps", t.rps);
  if (args.contains("pattern")) t.pattern = args["pattern"] == "bursty" ? ArrivalPattern::kBursty : ArrivalPattern::kPoisson;
  t.burst_on = MillisField(args, "burst_on_ms", t.burst_on);
  t.burst_off = MillisField(args, "burst_off_ms", t.burst_off);
  t.clients = args.value("clients", t.clients);
  t.client_skew = args.value("client_skew", t.client_skew);
  if (args.contains("cost")) {
    const std::string cost = args["cost"];
    t.cost = cost == "lognormal" ? CostDistribution::kLognormal
             : cost == "pareto"  ? CostDistribution::kPareto
                                 : CostDistribution::kExponential;
  }
  t.cost_variance = args.value("cost_variance", t.cost_variance);
  t.connection_lifetime = MillisField(args, "connection_lifetime_ms", t.connection_lifetime);
  *config = c;
  return Status::Ok();
}

Json LbTrafficJson(const LbTraffic& t) {
  return Json{{"rps", t.rps},
              {"pattern", kPatterns[static_cast<int>(t.pattern)]},
              {"burst_on_ms", t.burst_on / kMicrosPerMilli},
              {"burst_off_ms", t.burst_off / kMicrosPerMilli},
              {"clients", t.clients},
              {"client_skew", t.client_skew},
              {"cost", kCosts[static_cast<int>(t.cost)]},
              {"cost_variance", t.cost_variance},
              {"connection_lifetime_ms", t.connection_lifetime / kMicrosPerMilli}};
}

Json LoadBalancerConfigJson(const LoadBalancerConfig& c) {
  return Json{{"servers", c.servers},
              {"capacity", c.capacity},
              {"workers", c.workers},
              {"queue_limit", c.queue_limit},
              {"algorithm", LbAlgorithmName(c.algorithm)},
              {"compare", c.compare ? LbAlgorithmName(c.compare_algorithm) : "off"},
              {"mode", c.mode == LbMode::kL4 ? "l4" : "l7"},
              {"timeout_ms", c.timeout / kMicrosPerMilli},
              {"retries", c.retries},
              {"health_interval_ms", c.health_interval / kMicrosPerMilli},
              {"health_fall", c.health_fall},
              {"health_rise", c.health_rise},
              {"slow_start_ms", c.slow_start / kMicrosPerMilli},
              {"max_fails", c.max_fails},
              {"fail_timeout_ms", c.fail_timeout / kMicrosPerMilli},
              {"l4_overhead_us", c.l4_overhead},
              {"l7_overhead_us", c.l7_overhead},
              {"bucket_ms", c.bucket / kMicrosPerMilli}};
}

SimInfo LoadBalancerSimInfo() {
  SimInfo info;
  info.name = "load_balancer";
  info.help = "Clients -> balancer -> servers: ten algorithms, L4 vs L7, health checks, slow start, compare two";
  info.config = ConcatFields(
      ServerFields(true), TrafficFields(), BalancerFields(),
      std::vector<FieldSpec>{
          EnumField("algorithm", false, LbAlgorithmNames(), "the balancing algorithm (default round_robin)"),
          EnumField("compare", false, CompareNames(), "a second algorithm on the same requests, or off (default off)"),
          EnumField("mode", false, {"l4", "l7"}, "pick per connection (l4) or per request (l7) (default l7)"),
          IntField("bucket_ms", false, 10, 60000, "chart bucket width (default 250)")});
  const FieldSpec id = StringField("id", true, 1, 32, "the server's id");
  info.ops = {
      {"advance", "let simulated time pass", {IntField("ms", true, 1, kLbMaxMs, "milliseconds")}},
      {"algorithm", "pick the balancing algorithm; compare: run a second one on the same requests",
       {EnumField("name", true, LbAlgorithmNames(), "the algorithm"),
        EnumField("compare", false, CompareNames(), "the second lane's algorithm, or off")}},
      {"mode", "L4 (a pick per connection) or L7 (a pick per request)",
       {EnumField("mode", true, {"l4", "l7"}, "l4 or l7")}},
      {"server_add", "add a server (or bring a removed one back); it starts a slow start if configured",
       {id, NumberField("capacity", false, 0.1, 1e6, "requests/s with every worker busy (default: config)"),
        IntField("workers", false, 1, 1000, "requests served at once (default: config)"),
        IntField("weight", false, 1, 1000, "weight for the weighted algorithms (default 1)"),
        IntField("queue_limit", false, 0, 100000, "queue before 503s (default: config)")}},
      {"server_remove", "take a server out of the pool: no new requests, the ones it has finish", {id}},
      {"server_fail", "crash a server: what it holds is lost; it stays in rotation until the checks notice", {id}},
      {"server_recover", "restart a failed server; it returns after health_rise passed checks", {id}},
      {"server_slow", "multiply a server's service times (1 = normal speed)",
       {id, NumberField("factor", true, 0.01, 100, "service time multiplier")}},
      {"traffic", "change the clients' traffic from now on", TrafficFields()},
      {"configure", "change timeouts, retries, health checks, slow start, overheads", BalancerFields()},
      {"balls_into_bins", "theory check: n balls into n bins, each to the least loaded of d random bins",
       {IntField("n", true, 1, 1000000, "balls and bins"),
        IntField("choices", false, 1, 8, "bins drawn per ball (default 2)"),
        IntField("trials", false, 1, 100, "repetitions (default 1)")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    LoadBalancerConfig c;
    Status status = ApplyLoadBalancerFields(config, &c);
    if (!status.ok()) return Status::Invalid("config: " + status.message());
    return std::unique_ptr<Simulation>(std::make_unique<LoadBalancerSim>(seed, c));
  };
  return info;
}

}  // namespace sdp
