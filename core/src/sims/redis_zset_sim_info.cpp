// The redis_zset sim's declaration: config, ops and their fields as data.
#include "sdp/redis_zset_sim.h"

namespace sdp {

SimInfo RedisZSetSimInfo() {
  using Sim = RedisZSetSim;
  SimInfo info;
  info.name = "redis_zset";
  info.help =
      "A Redis 7.0 sorted set as a priority queue: redis-cli commands, the skip list drawn "
      "level by level, the listpack -> skiplist switch at 129 entries or a 65-byte member";
  info.config = {IntField("draw_nodes", false, 1, Sim::kMaxDrawNodes,
                          "entries of the viewed key the snapshot draws (default 64)")};
  const FieldSpec key = Sim::KeyField();
  info.ops = {
      {"command",
       "one redis-cli line, e.g. ZADD jobs 1700000000 job:42; the reply is Redis's",
       {Sim::LineField()}},
      {"view", "choose which key the snapshot draws", {key}},
      {"fill",
       "ZADD count members prefix+N with random integer scores (to watch the encoding switch)",
       {key,
        IntField("count", true, 1, Sim::kMaxFill, "how many members to add"),
        StringField("prefix", false, 1, 32, "member name prefix (default \"job:\")"),
        IntField("seed", false, 0, INT64_MAX,
                 "seed of the scores (default: the simulation's own stream)"),
        IntField("max_score", false, 0, 1000000000000,
                 "scores are drawn from [0, max_score] (default 1000000)")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    Sim::Config c;
    c.draw_nodes = config.value("draw_nodes", uint32_t{64});
    return std::unique_ptr<Simulation>(std::make_unique<Sim>(seed, c));
  };
  return info;
}

}  // namespace sdp
