// KafkaSim: the scenario form of the ops (arguments already validated against
// KafkaSimInfo) handed to the model in core/src/kafka.
#include "sdp/kafka_sim.h"

#include "kafka/kafka_model.h"

namespace sdp {
namespace {

using kafka::internal::KafkaModel;
using kafka::internal::KeyMode;

KafkaAcks AcksField(const Json& args, KafkaAcks current) {
  if (!args.contains("acks")) return current;
  const std::string acks = args["acks"].get<std::string>();
  return acks == "0" ? KafkaAcks::kZero : acks == "1" ? KafkaAcks::kOne : KafkaAcks::kAll;
}

std::optional<std::string> OptionalString(const Json& args, const char* name) {
  if (!args.contains(name)) return std::nullopt;
  return args[name].get<std::string>();
}

std::optional<int32_t> OptionalInt(const Json& args, const char* name) {
  if (!args.contains(name)) return std::nullopt;
  return args[name].get<int32_t>();
}

}  // namespace

KafkaSim::KafkaSim(uint64_t seed, const KafkaConfig& config)
    : model_(std::make_unique<KafkaModel>(seed, config)) {}

KafkaSim::~KafkaSim() = default;
KafkaSim::KafkaSim(const KafkaSim&) = default;

uint64_t KafkaSim::Work() const { return model_->work(); }
SimTime KafkaSim::now() const { return model_->now(); }
const KafkaCounters& KafkaSim::counters() const { return model_->counters(); }
void KafkaSim::Advance(SimTime duration) { model_->Advance(duration); }

Json KafkaSim::Snapshot(Detail detail) const { return model_->Snapshot(detail == Detail::kFull); }

std::vector<uint32_t> KafkaSim::Column(std::string_view name) const { return model_->Column(name); }

std::optional<KafkaRecord> KafkaSim::RecordAt(const std::string& topic, int32_t partition,
                                              int64_t offset) const {
  return model_->RecordAt(topic, partition, offset);
}

Result<Json> KafkaSim::Apply(const std::string& op, const Json& args) {
  KafkaModel& m = *model_;
  const KafkaConfig& config = m.config();
  auto str = [&args](const char* name) { return args[name].get<std::string>(); };
  if (op == "advance") {
    const SimTime duration = args["ms"].get<int64_t>() * kMicrosPerMilli;
    SDP_RETURN_IF_ERROR(m.CheckAdvance(duration));
    return m.AdvanceOp(duration);
  }
  if (op == "brokers") return m.AddBrokers(args["count"].get<int32_t>());
  if (op == "create_topic") {
    return m.CreateTopic(str("name"), args["partitions"].get<int32_t>(),
                         args.value("replication", 1),
                         args.value("min_insync_replicas", config.min_insync_replicas));
  }
  if (op == "produce") {
    return m.Produce({str("topic"), OptionalString(args, "key"), str("value"),
                      OptionalInt(args, "partition"), AcksField(args, config.acks)});
  }
  if (op == "stream") {
    const std::string keys = args.value("keys", std::string("uniform"));
    KafkaModel::StreamArgs s;
    s.topic = str("topic");
    s.rate = args["rate"].get<int64_t>();
    s.keys = keys == "hot" ? KeyMode::kHot : keys == "none" ? KeyMode::kNone : KeyMode::kUniform;
    s.key_count = args.value("key_count", 100u);
    s.salt = args.value("salt", 0u);
    s.value_bytes = args.value("value_bytes", 100u);
    s.hot_share = args.value("hot_share", 0.5);
    s.acks = AcksField(args, config.acks);
    return m.StartStream(s);
  }
  if (op == "producer") return m.SetProducer(args);
  if (op == "consumer_join") {
    return m.Join(str("group"), str("id"), OptionalString(args, "topic"),
                  args.value("rate", config.consume_rate));
  }
  if (op == "consumer_leave") return m.Leave(str("group"), str("id"));
  if (op == "assignor") {
    return m.SetAssignor(str("group"), kafka::ParseAssignor(str("name")).value());
  }
  if (op == "poll") {
    return m.Poll(str("group"), str("id"), args.value("max", int64_t{config.max_poll_records}));
  }
  if (op == "commit") {
    std::optional<int64_t> offset;
    if (args.contains("offset")) offset = args["offset"].get<int64_t>();
    return m.Commit(str("group"), str("id"), OptionalString(args, "topic"),
                    OptionalInt(args, "partition"), offset);
  }
  if (op == "crash_consumer") {
    return m.Crash(str("group"), str("id"), str("when") == "after_commit",
                   args.value("max", int64_t{config.max_poll_records}));
  }
  if (op == "kill_broker") return m.KillBroker(args["id"].get<int32_t>());
  if (op == "start_broker") return m.StartBroker(args["id"].get<int32_t>());
  if (op == "stall_broker") {
    return m.StallBroker(args["id"].get<int32_t>(), args.value("stalled", true));
  }
  return Status::Invalid("unknown op \"" + op + "\"");
}

}  // namespace sdp
