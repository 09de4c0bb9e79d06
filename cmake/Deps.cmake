# Header-only dependencies (Debian's nlohmann-json3-dev and catch2 v2) for both
# native and wasm builds, as IMPORTED INTERFACE targets with the usual names.
#
# Why not find_package under emcmake: the Emscripten toolchain restricts
# find_package to its sysroot; forcing it adds `-isystem /usr/include`, and then
# glibc headers shadow musl's and the build breaks (bits/libc-header-start.h).
# So we stage *only* the two header folders into the build dir and use that.
set(SDP_STAGED_INCLUDE "${CMAKE_BINARY_DIR}/staged-include")
file(MAKE_DIRECTORY "${SDP_STAGED_INCLUDE}")
foreach(dep nlohmann catch2)
  if(NOT EXISTS "/usr/include/${dep}")
    message(FATAL_ERROR "/usr/include/${dep} is missing: run scripts/setup.sh (apt: nlohmann-json3-dev catch2)")
  endif()
  if(NOT EXISTS "${SDP_STAGED_INCLUDE}/${dep}")
    file(CREATE_LINK "/usr/include/${dep}" "${SDP_STAGED_INCLUDE}/${dep}" SYMBOLIC)
  endif()
endforeach()

add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
target_include_directories(nlohmann_json::nlohmann_json SYSTEM INTERFACE "${SDP_STAGED_INCLUDE}")

if(EMSCRIPTEN)
  add_library(Catch2::Catch2 INTERFACE IMPORTED)
  target_include_directories(Catch2::Catch2 SYSTEM INTERFACE "${SDP_STAGED_INCLUDE}")

  # Debian's emcc runs acorn-optimizer.js with node at link time; node 20 does
  # not search /usr/share/nodejs, where Debian puts acorn.
  set(CMAKE_CXX_LINKER_LAUNCHER "${CMAKE_COMMAND};-E;env;NODE_PATH=/usr/share/nodejs")
  # emcmake sets the test emulator to `node;--experimental-wasm-threads`, a flag
  # node 20 rejects: every wasm test would fail before running.
  find_program(SDP_NODE NAMES node nodejs REQUIRED)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${SDP_NODE}" CACHE FILEPATH "node runs the wasm tests" FORCE)
else()
  find_package(Catch2 2 REQUIRED)
endif()
