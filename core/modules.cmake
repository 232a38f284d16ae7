# The core's modules (one folder each) and the modules each one uses directly. core/CMakeLists.txt
# links each module's library to these; the `layers_includes` test
# (tools/check_include_layers.cmake) reads the same lists and fails when a file includes a header
# of a module outside them (directly or through their own lists). Every module shares one include
# root, so without that test a backward include would compile.
#
#   util <- data <- features <- model <- train, retrieval <- io
#   util <- nn   <------------'
#   util <- projection
set(TOWERLAB_CORE_MODULES util data features nn model train retrieval io projection)
set(TOWERLAB_DEPS_util)
set(TOWERLAB_DEPS_data util)
set(TOWERLAB_DEPS_features data)
set(TOWERLAB_DEPS_nn util)
set(TOWERLAB_DEPS_model features nn)
set(TOWERLAB_DEPS_train model data)
set(TOWERLAB_DEPS_retrieval model)
set(TOWERLAB_DEPS_io model retrieval)
set(TOWERLAB_DEPS_projection util)
