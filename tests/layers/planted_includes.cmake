# The include-layer check (tools/check_include_layers.cmake) must refuse what it is there to
# refuse. This copies core/, ui/ and app/cli/ of the source tree into WORK, checks that the
# unchanged copy passes, then plants one forbidden include at a time and expects the check to
# fail naming the file, the line, the include and the missing dependency.
#
#   cmake -DROOT=<source tree> -DWORK=<scratch folder> -P tests/layers/planted_includes.cmake
cmake_minimum_required(VERSION 3.25)

foreach(var ROOT WORK)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "usage: cmake -DROOT=<source tree> -DWORK=<scratch folder> -P "
                            "planted_includes.cmake")
    endif()
endforeach()
set(check "${ROOT}/tools/check_include_layers.cmake")
set(tree "${WORK}/tree")
file(REMOVE_RECURSE "${tree}")
file(MAKE_DIRECTORY "${tree}/app")
file(COPY "${ROOT}/core" "${ROOT}/ui" DESTINATION "${tree}")
file(COPY "${ROOT}/app/cli" DESTINATION "${tree}/app")

function(run_check result output)
    execute_process(COMMAND "${CMAKE_COMMAND}" -DROOT=${tree} -P "${check}"
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    set(${result} ${rc} PARENT_SCOPE)
    set(${output} "${out}${err}" PARENT_SCOPE)
endfunction()

run_check(rc out)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the unchanged copy of the tree fails the check:\n${out}")
endif()

set(failures 0)
# expect_refused(<file in tree> <line to plant> <expected text of the report, in parts>...)
function(expect_refused file line)
    string(JOIN "" expected ${ARGN})
    set(path "${tree}/${file}")
    file(WRITE "${path}" "#pragma once\n// planted by the include-layer test\n${line}\n")
    run_check(rc out)
    file(REMOVE "${path}")
    string(FIND "${out}" "${expected}" at)
    if(rc EQUAL 0 OR at EQUAL -1)
        message("NOT REFUSED as expected: ${file}: ${line}\n  expected a failure reporting: "
                "${expected}\n  the check said (exit ${rc}):\n${out}")
        math(EXPR n "${failures} + 1")
        set(failures ${n} PARENT_SCOPE)
    else()
        message(STATUS "refused as expected: ${file}: ${line}")
    endif()
endfunction()

# A backward edge between core modules (the one this check was written for: model -> train).
expect_refused(core/model/planted.hpp "#include \"train/training_history.hpp\""
    "core/model/planted.hpp:3: #include \"train/training_history.hpp\": "
    "module 'model' does not depend on 'train'")
# A module reaching past its listed dependencies (data lists only util).
expect_refused(core/data/planted.hpp "#include \"features/lookup.hpp\""
    "core/data/planted.hpp:3: #include \"features/lookup.hpp\": "
    "module 'data' does not depend on 'features'")
# Qt and the ui inside the core.
expect_refused(core/util/planted.hpp "#include <QString>"
    "core/util/planted.hpp:3: #include <QString>: core module 'util' must not use Qt")
expect_refused(core/io/planted.hpp "#include \"controllers/training_worker.hpp\""
    "core/io/planted.hpp:3: #include \"controllers/training_worker.hpp\": "
    "'controllers' is not a core module")
# The ui reaching into the application.
expect_refused(ui/views/planted.hpp "#include \"cli/cli_error.hpp\""
    "ui/views/planted.hpp:3: #include \"cli/cli_error.hpp\": "
    "'cli' is neither a ui folder nor a core module")
# The CLI using the ui or Qt.
expect_refused(app/cli/planted.hpp "#include \"views/train_view.hpp\""
    "app/cli/planted.hpp:3: #include \"views/train_view.hpp\": "
    "'views' is not a core module")
expect_refused(app/cli/planted.hpp "  #  include <QtCore/QString>"
    "app/cli/planted.hpp:3: #include <QtCore/QString>: the CLI must not use Qt")

file(REMOVE_RECURSE "${tree}")
if(failures GREATER 0)
    message(FATAL_ERROR "${failures} planted include(s) were not refused")
endif()
