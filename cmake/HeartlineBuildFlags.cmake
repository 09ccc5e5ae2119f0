# Compile flags every Heartline target shares: link `heartline_build_flags` instead of repeating them.
add_library(heartline_build_flags INTERFACE)

target_compile_features(heartline_build_flags INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

target_compile_definitions(heartline_build_flags INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_USE_QSTRINGBUILDER
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    HEARTLINE_VERSION="${PROJECT_VERSION}")

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(heartline_build_flags INTERFACE
        -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
        -Wcast-qual -Wformat=2 -Wimplicit-fallthrough)
    if(HEARTLINE_WERROR)
        target_compile_options(heartline_build_flags INTERFACE -Werror)
    endif()
    if(HEARTLINE_SANITIZE)
        target_compile_options(heartline_build_flags INTERFACE
            -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
        target_link_options(heartline_build_flags INTERFACE -fsanitize=address,undefined)
    endif()
endif()
