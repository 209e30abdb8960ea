// TIPC socket addresses, encoded from JavaScript as four numbers so the hot
// send path reads no object properties: (kind, a, b, c).
//   kind 0: no address (connected send, or group broadcast)
//   kind 1: service range  {type a, lower b, upper c}   -> multicast
//   kind 2: service address {type a, instance b}, lookup domain c -> anycast
//   kind 3: socket address {node a, ref b}             -> unicast
#pragma once
#include <linux/tipc.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

namespace tipcrx {

enum AddressKind : uint32_t { kNoAddress = 0, kServiceRange = 1, kServiceAddress = 2, kSocketAddress = 3 };

// Fills `sa` and returns its length, or 0 for kNoAddress / an unknown kind
// (callers validate the kind first).
inline socklen_t FillAddress(sockaddr_tipc& sa, uint32_t kind, uint32_t a, uint32_t b, uint32_t c) {
  memset(&sa, 0, sizeof sa);
  sa.family = AF_TIPC;
  switch (kind) {
    case kServiceRange:
      sa.addrtype = TIPC_SERVICE_RANGE;
      sa.addr.nameseq.type = a;
      sa.addr.nameseq.lower = b;
      sa.addr.nameseq.upper = c;
      return sizeof sa;
    case kServiceAddress:
      sa.addrtype = TIPC_SERVICE_ADDR;
      sa.addr.name.name.type = a;
      sa.addr.name.name.instance = b;
      sa.addr.name.domain = c;
      return sizeof sa;
    case kSocketAddress:
      sa.addrtype = TIPC_SOCKET_ADDR;
      sa.addr.id.node = a;
      sa.addr.id.ref = b;
      return sizeof sa;
    default:
      return 0;
  }
}

}  // namespace tipcrx
