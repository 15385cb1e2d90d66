# govreport_proto_library(name PROTOS govreport/v1/x.proto ... [GRPC] [DEPS ...]
#                         [ROOT dir])
#
# Generates C++ (and, with GRPC, gRPC services with mock stubs) from files under
# proto/ at build time, into ${CMAKE_BINARY_DIR}/gen. Nothing generated is
# committed. Includes look like "govreport/v1/resources.pb.h". ROOT defaults to
# proto/; the standard gRPC protos (health, reflection) come from Debian's
# grpc-proto package under /usr/share/grpc-proto.

get_target_property(GOVREPORT_GRPC_CPP_PLUGIN gRPC::grpc_cpp_plugin LOCATION)
set(GOVREPORT_PROTO_ROOT ${CMAKE_SOURCE_DIR}/proto)
set(GOVREPORT_GEN_DIR ${CMAKE_BINARY_DIR}/gen)
file(MAKE_DIRECTORY ${GOVREPORT_GEN_DIR})

function(govreport_proto_library name)
  cmake_parse_arguments(ARG "GRPC" "ROOT" "PROTOS;DEPS" ${ARGN})
  if(NOT ARG_ROOT)
    set(ARG_ROOT ${GOVREPORT_PROTO_ROOT})
  endif()
  set(srcs)
  foreach(proto ${ARG_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" stem ${proto})
    set(outs ${GOVREPORT_GEN_DIR}/${stem}.pb.cc ${GOVREPORT_GEN_DIR}/${stem}.pb.h)
    set(args --proto_path=${ARG_ROOT} --cpp_out=${GOVREPORT_GEN_DIR})
    if(ARG_GRPC)
      list(APPEND outs ${GOVREPORT_GEN_DIR}/${stem}.grpc.pb.cc
           ${GOVREPORT_GEN_DIR}/${stem}.grpc.pb.h
           ${GOVREPORT_GEN_DIR}/${stem}_mock.grpc.pb.h)
      list(APPEND args --grpc_out=generate_mock_code=true:${GOVREPORT_GEN_DIR}
           --plugin=protoc-gen-grpc=${GOVREPORT_GRPC_CPP_PLUGIN})
    endif()
    add_custom_command(
      OUTPUT ${outs}
      COMMAND protobuf::protoc ${args} ${ARG_ROOT}/${proto}
      DEPENDS ${ARG_ROOT}/${proto} protobuf::protoc
      COMMENT "protoc ${proto}"
      VERBATIM)
    list(FILTER outs INCLUDE REGEX "\\.cc$")
    list(APPEND srcs ${outs})
  endforeach()
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC ${GOVREPORT_GEN_DIR})
  target_compile_options(${name} PRIVATE -Wno-unused-parameter)
  target_link_libraries(${name} PUBLIC protobuf::libprotobuf ${ARG_DEPS})
  if(ARG_GRPC)
    target_link_libraries(${name} PUBLIC gRPC::grpc++)
  endif()
endfunction()
