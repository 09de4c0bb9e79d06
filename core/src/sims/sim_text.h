// Small pieces the sims' error messages share: one definition each, so the
// core's unity batches (CMakeLists.txt, SDP_UNITY) never see two.
#ifndef SDP_SIMS_SIM_TEXT_H_
#define SDP_SIMS_SIM_TEXT_H_

#include <cstdint>
#include <string>

namespace sdp {

inline std::string Str(int64_t v) { return std::to_string(v); }

// How many names an "unknown X; known: ..." message lists before "...".
inline constexpr uint32_t kListedInErrors = 10;

}  // namespace sdp

#endif  // SDP_SIMS_SIM_TEXT_H_
