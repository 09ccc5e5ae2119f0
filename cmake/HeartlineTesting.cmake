# heartline_add_test(NAME SOURCES file... [LIBRARIES lib...] [TIMEOUT seconds])
#
# One Qt Test executable, registered with CTest. Every test runs with the offscreen platform
# so widget tests need no display, and with a private HOME-like config location so QSettings
# written by one test never leaks into another.
function(heartline_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBRARIES" ${ARGN})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    qt_add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE heartline_build_flags heartline_testsupport Qt6::Test ${ARG_LIBRARIES})
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES
        TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;XDG_CONFIG_HOME=${CMAKE_CURRENT_BINARY_DIR}/${name}.config;QT_LOGGING_RULES=*.debug=false")
endfunction()
