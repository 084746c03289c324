# jcm_library(NAME name SRCS ... PUBLIC_DEPS ... PRIVATE_DEPS ...)
#   One target per module; a header is reachable only through a declared dependency, so the
#   dependency direction of docs/architecture (core <- mrv, cycle, ledger <- store <- cli <- app)
#   is enforced by the build, not by goodwill.
# jcm_test(NAME name SRCS ... DEPS ...)
#   A GoogleTest binary registered with CTest.
include_guard(GLOBAL)

function(jcm_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${ARG_NAME} STATIC ${ARG_SRCS})
  target_include_directories(${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${ARG_NAME} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS} jcm_warnings)
endfunction()

function(jcm_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock
                        jcm_warnings)
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
  set_tests_properties(${ARG_NAME} PROPERTIES ENVIRONMENT "JCM_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
