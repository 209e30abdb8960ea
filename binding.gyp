{
  "targets": [
    {
      "target_name": "tipc_rx",
      "sources": [
        "bindings/src/addon.cc",
        "bindings/src/batch_arena.cc",
        "bindings/src/borrowed_region.cc",
        "bindings/src/errors.cc",
        "bindings/src/receive_batch.cc",
        "bindings/src/socket.cc",
        "bindings/src/socket_poll.cc",
        "bindings/src/socket_io.cc",
        "bindings/src/udp_options.cc",
        "bindings/src/udp_receive.cc",
        "bindings/src/udp_send.cc",
        "bindings/src/udp_socket.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags_cc!": ["-fno-exceptions"]
    }
  ]
}
