# The allocator of the programs that serve sync (README.md, "Dependencies"): jemalloc.
# A Push is decoded, merged, audited and written through many short-lived allocations
# from two pool threads at once; glibc's malloc spent 15-18 % of the server's samples
# there (malloc_consolidate, _int_malloc), jemalloc's per-thread caches a fraction.
# Only executables link it, never a library, so that tests and tools keep the system's
# allocator; and never a sanitizer build, whose runtime brings its own allocator.
option(SIGESS_JEMALLOC "Link the sync server's executables with jemalloc" ON)
if(SIGESS_JEMALLOC AND NOT SIGESS_BUILD_FUZZ AND NOT CMAKE_CXX_FLAGS MATCHES "-fsanitize")
    pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()

function(sigess_use_server_allocator target)
    if(TARGET PkgConfig::JEMALLOC)
        target_link_libraries(${target} PRIVATE PkgConfig::JEMALLOC)
    endif()
endfunction()
