// Batched UDP receive: one recvmmsg() into a per-thread scratch area, then
// every datagram copied compactly into pooled blocks (batch_arena.h), as the
// TIPC receive does (receive_batch.h). A receive coalesced by UDP GRO (one
// message carrying several datagrams of one sender, its UDP_GRO cmsg giving
// the segment size) is split back into its datagrams while packing, so JS
// never sees the coalescing.
//
// Layout of a packed batch (all u32, host order), kUdpMetaWords per
// datagram, starting at the batch's offset in its ArrayBuffer:
//   [0] data offset (from the start of the ArrayBuffer)  [1] data length
//   [2] source IPv4 address  [3] source port  [4] flags (kUdpFlag*)
// followed by the datagrams' bytes.
#pragma once
#include <napi.h>
#include <stdint.h>

#include "receive_batch.h"

namespace tipcrx {

constexpr size_t kUdpMetaWords = 5;
constexpr int kUdpMaxBatch = 64;
// Room for the largest UDP payload and for a GRO-coalesced receive.
constexpr uint32_t kUdpSlotSize = 65536;

enum UdpFlags : uint32_t {
  kUdpFlagTrunc = 1,      // the datagram was larger than the receive slot: cut
  kUdpFlagCoalesced = 2,  // split out of one GRO receive
};

struct UdpReceived {
  int messages;   // recvmmsg() messages (> 0), or -errno (-EAGAIN: nothing queued)
  int datagrams;  // datagrams after splitting GRO receives
  size_t bytes;   // their bytes
};

// recvmmsg() of up to `max` messages, each into `slotSize` bytes.
UdpReceived UdpReceiveBatch(int fd, int max, uint32_t slotSize);

// Pack the last UdpReceiveBatch (its `datagrams` datagrams).
PackedBatch UdpPackBatch(Napi::Env env, const UdpReceived& received);

}  // namespace tipcrx
