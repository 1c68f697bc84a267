# Warnings for SIgeSS's own code, linked PRIVATE so they never leak to dependants or
# third-party headers.
add_library(sigess_warnings INTERFACE)
add_library(sigess::warnings ALIAS sigess_warnings)
target_compile_options(sigess_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
    $<$<BOOL:${SIGESS_WERROR}>:-Werror>)
