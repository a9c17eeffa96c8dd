// Compiled as C++17 only: out-of-tree plugins may include these SDK headers
// with a C++17 compiler, so they must not use anything newer.
#include <vigil/csv.hpp>
#include <vigil/mapping.hpp>
#include <vigil/plugin.hpp>
#include <vigil/rows.hpp>
#include <vigil/values.hpp>

#if __cplusplus != 201703L
#error "this file must be compiled as C++17"
#endif
