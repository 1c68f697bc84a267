# sigess_test_sync_world: a whole sync server side without Qt (sync_world.h, header
# only, so tests/kiosk reaches it through tests/shared/sync_client/sync_world.h with the
# libraries it links anyway), used by the tests here and by the fuzz configuration
# (tests/fuzz), which builds no Qt. sync_world_server.h also needs sigess_net_test_support.
add_library(sigess_test_sync_world INTERFACE)
target_include_directories(sigess_test_sync_world INTERFACE "${PROJECT_SOURCE_DIR}/tests")
target_link_libraries(sigess_test_sync_world INTERFACE sigess::backend_sync)
