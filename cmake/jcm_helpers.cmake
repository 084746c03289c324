# jcm_library(NAME name SRCS ... PUBLIC_DEPS ... PRIVATE_DEPS ...)
#   One target per module, linked along the dependency direction core <- ledger, mrv, cycle <-
#   store <- service <- cli, api <- app. Every target gets all of src/ as its include path, so the
#   build alone does not stop an upward #include; tools/tidy.py's include-direction rule (run by
#   the `tidy` test, described in docs/testing.md) does.
# jcm_test(NAME name SRCS ... DEPS ... [TIMEOUT seconds] [DISCOVERY_DEPENDS path ...]
#          [FIXTURES fixture] [COST seconds])
#   A GoogleTest binary whose cases are each one CTest test, named name.Suite.Case: a failure
#   names its case, and ctest -j spreads the cases of one binary over the cores. TIMEOUT applies
#   to each case (default 300 s). DISCOVERY_DEPENDS: files or directories whose contents decide
#   which cases exist (a suite parameterised over data files); a change relinks the binary,
#   which lists its cases again. FIXTURES: the CTest fixture every case requires (the
#   PostgreSQL server of tests/postgres). COST: each case's expected seconds, so ctest -j starts
#   the long ones first on a clean clone, which has no timings of its own (docs/testing.md).
include_guard(GLOBAL)
include(GoogleTest)

function(jcm_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${ARG_NAME} STATIC ${ARG_SRCS})
  target_include_directories(${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${ARG_NAME} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS} jcm_warnings)
endfunction()

function(jcm_test)
  cmake_parse_arguments(ARG "" "NAME;TIMEOUT;FIXTURES;COST" "SRCS;DEPS;DISCOVERY_DEPENDS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set(extra_properties "")
  if(ARG_FIXTURES)
    set(extra_properties FIXTURES_REQUIRED ${ARG_FIXTURES})
  endif()
  if(ARG_COST)
    list(APPEND extra_properties COST ${ARG_COST})
  endif()
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock
                        jcm_warnings)
  if(ARG_DISCOVERY_DEPENDS)
    set_property(TARGET ${ARG_NAME} APPEND PROPERTY LINK_DEPENDS ${ARG_DISCOVERY_DEPENDS})
  endif()
  # The cases are listed by running the binary right after it links. A suite may enumerate its
  # cases from data files at start-up (tests/scenarios/*.scn), so the listing must see
  # JCM_SOURCE_DIR as the runs do; gtest_discover_tests (CMake 3.25) sets no environment for the
  # listing, but runs it, and each case, through the target's launcher, which sets it. env(1)
  # rather than `cmake -E env`: it starts in 1 ms instead of 30, once per case.
  find_program(JCM_ENV_PROGRAM env REQUIRED)
  set_target_properties(${ARG_NAME} PROPERTIES CROSSCOMPILING_EMULATOR
                        "${JCM_ENV_PROGRAM};JCM_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  # NO_PRETTY_VALUES: a parameterised case keeps GoogleTest's own name (Seeds/Model.Test/3,
  # Files/ScenarioTest.RunsAsWritten/issuance_sqlite), without its parameter printed into it.
  gtest_discover_tests(${ARG_NAME}
    TEST_PREFIX "${ARG_NAME}."
    NO_PRETTY_VALUES
    DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "JCM_SOURCE_DIR=${PROJECT_SOURCE_DIR}" TIMEOUT ${ARG_TIMEOUT}
               ${extra_properties})
endfunction()
