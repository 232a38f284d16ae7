# Checks that every #include respects the layers the build declares:
#
#   - a core module (core/<module>/) includes only its own headers and those of the modules it
#     uses, as core/modules.cmake lists them (TOWERLAB_DEPS_<module>, followed through the lists
#     of those modules, as the build's PUBLIC links are), and no Qt header;
#   - ui/ includes only its own folders (controllers/, views/, ...) and core modules;
#   - app/cli/ includes only core modules and its own files, and no Qt header.
#
# All core modules share one include root (core/), so the compiler accepts a backward include
# such as model -> train; this check is what refuses it.
#
#   cmake -DROOT=<source tree> -P tools/check_include_layers.cmake
#
# Fails naming each offending file, line, include and the missing dependency. ROOT may be a copy
# of the tree (the test of this check plants a backward include in one).
cmake_minimum_required(VERSION 3.25)

if(NOT DEFINED ROOT)
    message(FATAL_ERROR "usage: cmake -DROOT=<source tree> -P check_include_layers.cmake")
endif()
get_filename_component(ROOT "${ROOT}" ABSOLUTE)
set(modules_file "${ROOT}/core/modules.cmake")
if(NOT EXISTS "${modules_file}")
    message(FATAL_ERROR "${modules_file} not found: ROOT must be the source tree")
endif()
include("${modules_file}")

set(violations 0)
# report(<file> <line> <include> <why>...): one violation, "path:line: #include ...: why".
macro(report file line include)
    file(RELATIVE_PATH _rel "${ROOT}" "${file}")
    string(JOIN "" _why ${ARGN})
    message("${_rel}:${line}: #include ${include}: ${_why}")
    math(EXPR violations "${violations} + 1")
endmacro()

# line_of(<var> <file> <text>): the 1-based number of the first line of <file> equal to <text>.
# Only called for a violation, so the common case reads each file once, through its includes.
function(line_of var file text)
    file(STRINGS "${file}" lines)
    set(n 0)
    foreach(line IN LISTS lines)
        math(EXPR n "${n} + 1")
        if(line STREQUAL text)
            set(${var} ${n} PARENT_SCOPE)
            return()
        endif()
    endforeach()
    set(${var} "?" PARENT_SCOPE)
endfunction()

# Which modules each module may include: itself, its listed modules and theirs, recursively.
foreach(module ${TOWERLAB_CORE_MODULES})
    foreach(dep ${TOWERLAB_DEPS_${module}})
        if(NOT dep IN_LIST TOWERLAB_CORE_MODULES)
            message("core/modules.cmake: module '${module}' uses '${dep}', which is not in "
                    "TOWERLAB_CORE_MODULES")
            math(EXPR violations "${violations} + 1")
        endif()
    endforeach()
endforeach()
foreach(module ${TOWERLAB_CORE_MODULES})
    set(reach ${module})
    set(todo ${TOWERLAB_DEPS_${module}})
    while(todo)
        list(POP_FRONT todo dep)
        if(NOT dep IN_LIST reach)
            list(APPEND reach ${dep})
            list(APPEND todo ${TOWERLAB_DEPS_${dep}})
        endif()
    endwhile()
    set(reach_${module} ${reach})
endforeach()

# includes_of(<quoted> <angled> <file>): the names between "" and between <> of its #includes,
# each entry "<name>|<the whole line>" so a violation can find its line again.
function(includes_of quoted angled file)
    file(STRINGS "${file}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]")
    set(q)
    set(a)
    foreach(line IN LISTS lines)
        if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\"")
            list(APPEND q "${CMAKE_MATCH_1}|${line}")
        elseif(line MATCHES "^[ \t]*#[ \t]*include[ \t]*<([^>]+)>")
            list(APPEND a "${CMAKE_MATCH_1}|${line}")
        endif()
    endforeach()
    set(${quoted} "${q}" PARENT_SCOPE)
    set(${angled} "${a}" PARENT_SCOPE)
endfunction()

# split_entry(<entry> <name> <text>): an entry of includes_of, back into its two parts.
macro(split_entry entry name text)
    string(FIND "${entry}" "|" _bar)
    string(SUBSTRING "${entry}" 0 ${_bar} ${name})
    math(EXPR _rest "${_bar} + 1")
    string(SUBSTRING "${entry}" ${_rest} -1 ${text})
endmacro()

# Qt headers are <QSomething>, <QtModule/...> or <QtModule>.
macro(check_no_qt file angled layer)
    foreach(entry IN LISTS ${angled})
        split_entry("${entry}" name text)
        if(name MATCHES "^Q")
            line_of(n "${file}" "${text}")
            report("${file}" ${n} "<${name}>" "${layer} must not use Qt")
        endif()
    endforeach()
endmacro()

# ---- core ----------------------------------------------------------------------------------
file(GLOB core_entries LIST_DIRECTORIES true "${ROOT}/core/*")
foreach(entry ${core_entries})
    get_filename_component(name "${entry}" NAME)
    if(IS_DIRECTORY "${entry}" AND NOT name IN_LIST TOWERLAB_CORE_MODULES)
        message("core/${name}/: a folder that is not a module of core/modules.cmake")
        math(EXPR violations "${violations} + 1")
    endif()
endforeach()
set(files_checked 0)
foreach(module ${TOWERLAB_CORE_MODULES})
    file(GLOB_RECURSE files "${ROOT}/core/${module}/*.hpp" "${ROOT}/core/${module}/*.cpp"
         "${ROOT}/core/${module}/*.h")
    foreach(file ${files})
        math(EXPR files_checked "${files_checked} + 1")
        get_filename_component(folder "${file}" DIRECTORY)
        includes_of(quoted angled "${file}")
        foreach(entry IN LISTS quoted)
            split_entry("${entry}" name text)
            if(name MATCHES "^([^/]+)/")
                set(target ${CMAKE_MATCH_1})
                if(NOT target IN_LIST TOWERLAB_CORE_MODULES)
                    line_of(n "${file}" "${text}")
                    report("${file}" ${n} "\"${name}\""
                           "'${target}' is not a core module; core includes only core modules")
                elseif(NOT target IN_LIST reach_${module})
                    line_of(n "${file}" "${text}")
                    string(REPLACE ";" " " listed "${TOWERLAB_DEPS_${module}}")
                    report("${file}" ${n} "\"${name}\""
                           "module '${module}' does not depend on '${target}' (core/modules.cmake: "
                           "TOWERLAB_DEPS_${module} is '${listed}')")
                endif()
            elseif(NOT EXISTS "${folder}/${name}")
                line_of(n "${file}" "${text}")
                report("${file}" ${n} "\"${name}\""
                       "not a file of this folder; core files include \"<module>/<file>\"")
            endif()
        endforeach()
        check_no_qt("${file}" angled "core module '${module}'")
    endforeach()
endforeach()

# ---- ui ------------------------------------------------------------------------------------
set(ui_folders)
file(GLOB ui_entries LIST_DIRECTORIES true "${ROOT}/ui/*")
foreach(entry ${ui_entries})
    if(IS_DIRECTORY "${entry}")
        get_filename_component(name "${entry}" NAME)
        list(APPEND ui_folders ${name})
    endif()
endforeach()
file(GLOB_RECURSE files "${ROOT}/ui/*.hpp" "${ROOT}/ui/*.cpp" "${ROOT}/ui/*.h")
foreach(file ${files})
    math(EXPR files_checked "${files_checked} + 1")
    get_filename_component(folder "${file}" DIRECTORY)
    includes_of(quoted angled "${file}")
    foreach(entry IN LISTS quoted)
        split_entry("${entry}" name text)
        if(name MATCHES "^([^/]+)/")
            set(target ${CMAKE_MATCH_1})
            if(NOT target IN_LIST ui_folders AND NOT target IN_LIST TOWERLAB_CORE_MODULES)
                line_of(n "${file}" "${text}")
                report("${file}" ${n} "\"${name}\""
                       "'${target}' is neither a ui folder nor a core module; ui includes only "
                       "ui/ and core")
            endif()
        elseif(NOT name MATCHES "\\.moc$" AND NOT EXISTS "${folder}/${name}"
               AND NOT EXISTS "${ROOT}/ui/${name}")
            line_of(n "${file}" "${text}")
            report("${file}" ${n} "\"${name}\"" "not a file of ui/; ui includes only ui/ and core")
        endif()
    endforeach()
endforeach()

# ---- app/cli -------------------------------------------------------------------------------
file(GLOB_RECURSE files "${ROOT}/app/cli/*.hpp" "${ROOT}/app/cli/*.cpp" "${ROOT}/app/cli/*.h")
foreach(file ${files})
    math(EXPR files_checked "${files_checked} + 1")
    get_filename_component(folder "${file}" DIRECTORY)
    includes_of(quoted angled "${file}")
    foreach(entry IN LISTS quoted)
        split_entry("${entry}" name text)
        if(name MATCHES "^([^/]+)/")
            set(target ${CMAKE_MATCH_1})
            if(NOT target IN_LIST TOWERLAB_CORE_MODULES)
                line_of(n "${file}" "${text}")
                report("${file}" ${n} "\"${name}\""
                       "'${target}' is not a core module; the CLI links only the core")
            endif()
        elseif(NOT EXISTS "${folder}/${name}")
            line_of(n "${file}" "${text}")
            report("${file}" ${n} "\"${name}\"" "not a file of app/cli/ nor of a core module")
        endif()
    endforeach()
    check_no_qt("${file}" angled "the CLI")
endforeach()

if(violations GREATER 0)
    message(FATAL_ERROR "${violations} include(s) break the layers (${files_checked} files "
                        "checked); fix the include or, if the dependency is intended, add it to "
                        "core/modules.cmake")
endif()
message(STATUS "include layers: ${files_checked} files of core/, ui/ and app/cli/ checked, "
               "no violation")
