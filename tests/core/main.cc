// Catch2's main for the wasm test binary (natively, Debian's prebuilt
// Catch2WithMain is linked instead). Compiled at -O0: it is large and runs once.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
