// Opening a fresh store in a test's temporary folder.
#pragma once

#include <gtest/gtest.h>

#include "store/store.h"
#include "test_support.h"

namespace vigil::store {

inline Store OpenStore(const vigil::testing::TempDir& dir) {
  auto store = Store::Open((dir / "vigil.sqlite").string());
  EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().message);
  return std::move(store).value();
}

}  // namespace vigil::store
