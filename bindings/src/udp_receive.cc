#include "udp_receive.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "batch_arena.h"

#ifndef UDP_GRO
#define UDP_GRO 104
#endif

namespace tipcrx {

namespace {

constexpr size_t kUdpControlSize = CMSG_SPACE(sizeof(int)) + 32;

struct Scratch {
  mmsghdr msgs[kUdpMaxBatch];
  iovec iov[kUdpMaxBatch];
  sockaddr_in names[kUdpMaxBatch];
  alignas(cmsghdr) unsigned char control[kUdpMaxBatch][kUdpControlSize];
  uint32_t segment[kUdpMaxBatch];  // GRO segment size of each message, 0 when not coalesced
  unsigned char data[kUdpMaxBatch][kUdpSlotSize];
};

// One per thread, like the TIPC scratch: 4.2 MB, allocated on the first
// receive; every receive is copied out before the next one starts.
thread_local Scratch* scratch = nullptr;

uint32_t GroSegment(msghdr& h) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(&h, c)) {
    if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
      int size = 0;
      memcpy(&size, CMSG_DATA(c), sizeof size);
      return size > 0 ? static_cast<uint32_t>(size) : 0;
    }
  }
  return 0;
}

}  // namespace

UdpReceived UdpReceiveBatch(int fd, int max, uint32_t slotSize, unsigned char* slots) {
  if (scratch == nullptr) {
    scratch = static_cast<Scratch*>(malloc(sizeof(Scratch)));
    if (scratch == nullptr) return {-ENOMEM, 0, 0};
  }
  if (max > kUdpMaxBatch) max = kUdpMaxBatch;
  if (slotSize == 0 || slotSize > kUdpSlotSize) slotSize = kUdpSlotSize;
  for (int i = 0; i < max; i++) {
    scratch->iov[i] = {slots != nullptr ? slots + i * static_cast<size_t>(kUdpSlotSize) : scratch->data[i], slotSize};
    msghdr& h = scratch->msgs[i].msg_hdr;
    h.msg_name = &scratch->names[i];
    h.msg_namelen = sizeof scratch->names[i];
    h.msg_iov = &scratch->iov[i];
    h.msg_iovlen = 1;
    h.msg_control = scratch->control[i];
    h.msg_controllen = kUdpControlSize;
    h.msg_flags = 0;
  }
  int n;
  do {
    n = recvmmsg(fd, scratch->msgs, max, MSG_DONTWAIT, nullptr);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return {-errno, 0, 0};
  int datagrams = 0;
  size_t bytes = 0;
  for (int i = 0; i < n; i++) {
    uint32_t len = scratch->msgs[i].msg_len;
    bytes += len;
    uint32_t seg = GroSegment(scratch->msgs[i].msg_hdr);
    if (seg >= len) seg = 0;  // one datagram: nothing to split
    scratch->segment[i] = seg;
    datagrams += seg ? static_cast<int>((len + seg - 1) / seg) : 1;
  }
  return {n, datagrams, bytes};
}

namespace {

// The meta words of receive i, whose bytes are at `offset` from the start
// of the batch's buffer: one entry per datagram (a GRO receive is split at
// its segment size). Returns where the next receive's entries go.
uint32_t* DescribeReceive(uint32_t* meta, int i, size_t offset) {
  const mmsghdr& m = scratch->msgs[i];
  const sockaddr_in& from = scratch->names[i];
  uint32_t address = m.msg_hdr.msg_namelen >= sizeof(sockaddr_in) ? ntohl(from.sin_addr.s_addr) : 0;
  uint32_t port = m.msg_hdr.msg_namelen >= sizeof(sockaddr_in) ? ntohs(from.sin_port) : 0;
  uint32_t flags = (m.msg_hdr.msg_flags & MSG_TRUNC) ? static_cast<uint32_t>(kUdpFlagTrunc) : 0u;
  uint32_t seg = scratch->segment[i];
  if (seg) flags |= kUdpFlagCoalesced;
  uint32_t remaining = m.msg_len;
  do {
    uint32_t len = seg && remaining > seg ? seg : remaining;
    meta[0] = static_cast<uint32_t>(offset);
    meta[1] = len;
    meta[2] = address;
    meta[3] = port;
    meta[4] = flags;
    meta += kUdpMetaWords;
    offset += len;
    remaining -= len;
  } while (remaining > 0);
  return meta;
}

}  // namespace

uint32_t UdpReceivedLength(int i) { return scratch->msgs[i].msg_len; }

PackedBatch UdpPackBatch(Napi::Env env, const UdpReceived& received) {
  int n = received.messages;
  size_t total = received.datagrams * kUdpMetaWords * 4;
  for (int i = 0; i < n; i++) total += scratch->msgs[i].msg_len;
  BatchSpace space = AllocateBatch(env, total);
  unsigned char* base = space.base;
  uint32_t* meta = reinterpret_cast<uint32_t*>(base + space.offset);
  size_t offset = space.offset + received.datagrams * kUdpMetaWords * 4;
  for (int i = 0; i < n; i++) {
    uint32_t len = scratch->msgs[i].msg_len;
    // One copy of the whole receive; the datagrams are consecutive slices of it.
    memcpy(base + offset, scratch->data[i], len);
    meta = DescribeReceive(meta, i, offset);
    offset += len;
  }
  return {space.buffer, space.offset};
}

int UdpDescribeInRegion(unsigned char* region, const UdpReceived& received) {
  uint32_t* meta = reinterpret_cast<uint32_t*>(region);
  size_t described = 0;
  for (int i = 0; i < received.messages; i++) {
    uint32_t len = scratch->msgs[i].msg_len;
    uint32_t seg = scratch->segment[i];
    size_t entries = seg ? (len + seg - 1) / seg : 1;
    if (described + entries > kUdpRegionMaxDatagrams) break;
    meta = DescribeReceive(meta, i, kUdpRegionSlotsAt + i * static_cast<size_t>(kUdpSlotSize));
    described += entries;
  }
  return static_cast<int>(described);
}

}  // namespace tipcrx
