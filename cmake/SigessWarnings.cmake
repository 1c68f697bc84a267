# Warnings for SIgeSS's own code, linked PRIVATE so they never leak to dependants or
# third-party headers.
set(SIGESS_WARNING_FLAGS
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
    $<$<BOOL:${SIGESS_WERROR}>:-Werror>)
add_library(sigess_warnings INTERFACE)
add_library(sigess::warnings ALIAS sigess_warnings)
target_compile_options(sigess_warnings INTERFACE ${SIGESS_WARNING_FLAGS})

# A QML module target also compiles code that Qt generates (qmlcachegen's compiled QML,
# resource loaders), which trips these warnings inside Qt's own headers; so there the
# warnings go on our own C++ sources only.
function(sigess_qml_module_warnings)
    set_property(SOURCE ${ARGN} DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
        APPEND PROPERTY COMPILE_OPTIONS ${SIGESS_WARNING_FLAGS})
endfunction()
