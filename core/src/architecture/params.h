// Parsing a component's params (private to the architecture sim).
#ifndef SDP_ARCHITECTURE_PARAMS_H_
#define SDP_ARCHITECTURE_PARAMS_H_

#include "sdp/architecture_sim.h"

namespace sdp::architecture {

// The kind's params with defaults filled in, or an error naming the field.
Result<Params> ParseParams(Kind kind, const Json& params);

}  // namespace sdp::architecture

#endif  // SDP_ARCHITECTURE_PARAMS_H_
