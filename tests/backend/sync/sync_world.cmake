# sigess_test_sync_world: a whole sync server side without Qt (sync_world.h), included
# by the tests here and by the fuzz configuration (tests/fuzz), which builds no Qt.
add_library(sigess_test_sync_world STATIC "${CMAKE_CURRENT_LIST_DIR}/sync_world.cpp")
target_include_directories(sigess_test_sync_world PUBLIC "${PROJECT_SOURCE_DIR}/tests")
target_link_libraries(sigess_test_sync_world PUBLIC sigess::backend_sync PRIVATE sigess::warnings)
