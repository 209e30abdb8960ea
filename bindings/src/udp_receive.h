// Batched UDP receive: one recvmmsg() into a per-thread scratch area, then
// every datagram copied compactly into pooled blocks (batch_arena.h), as the
// TIPC receive does (receive_batch.h); or, in the borrowed mode, straight
// into a socket's region (UdpRegion below), described in place: no copy. A receive coalesced by UDP GRO (one
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

// The borrowed mode's region: a header of meta words for the datagrams of
// one batch, then kUdpMaxBatch slots of kUdpSlotSize that recvmmsg() fills.
// A GRO receive splits into at most 64 datagrams (the kernel's
// UDP_GRO_CNT_MAX), so the header has room for every batch.
constexpr size_t kUdpRegionMaxDatagrams = kUdpMaxBatch * 64;
constexpr size_t kUdpRegionSlotsAt = kUdpRegionMaxDatagrams * kUdpMetaWords * 4;
constexpr size_t kUdpRegionBytes = kUdpRegionSlotsAt + kUdpMaxBatch * static_cast<size_t>(kUdpSlotSize);

// recvmmsg() of up to `max` messages, each into `slotSize` bytes of its
// slot: message i at slots + i * kUdpSlotSize, or in the per-thread scratch
// area when `slots` is null.
UdpReceived UdpReceiveBatch(int fd, int max, uint32_t slotSize, unsigned char* slots = nullptr);

// The bytes receive i of the last UdpReceiveBatch got.
uint32_t UdpReceivedLength(int i);

// Pack the last UdpReceiveBatch, made into the scratch area (its
// `datagrams` datagrams): copied into a pooled block.
PackedBatch UdpPackBatch(Napi::Env env, const UdpReceived& received);

// Describe the last UdpReceiveBatch, made into `region`'s slots (at
// kUdpRegionSlotsAt), in the region's header: the same layout as a packed
// batch at offset 0, the data left where the kernel wrote it. Returns the
// datagrams described: all of them, unless a receive split into more than
// the header holds (not from a kernel that keeps to UDP_GRO_CNT_MAX), whose
// datagrams and the rest are then dropped, as the network may drop them.
int UdpDescribeInRegion(unsigned char* region, const UdpReceived& received);

}  // namespace tipcrx
