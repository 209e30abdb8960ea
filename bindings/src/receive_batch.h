// Batched receive: drain many datagrams with one recvmmsg() into a receive
// area, then either copy them compactly into space of their own
// (PackBatch, batch_arena.h: the default, views stay valid for as long as
// JavaScript holds them) or describe them where they landed (borrowed mode,
// borrowed_region.h: views valid only during the callback). There is no
// allocation per message either way.
//
// Layout of a batch header (all u32, host order), kMetaWords per message,
// starting at the batch's offset in its ArrayBuffer (offsets below are from
// the start of the ArrayBuffer):
//   [0] data offset   [1] data length   [2] source node   [3] source ref
//   [4] flags (kFlag*) [5..7] destination name type, lower, upper
//   [8] TIPC error code  [9] original length (TIPC_ERRINFO)
//   [10] returned-data offset  [11] returned-data length
//   [12] group member type  [13] group member instance
// A packed batch follows its header with the message bytes and returned
// bytes; a borrowed one points into the slots the kernel wrote.
#pragma once
#include <linux/tipc.h>
#include <napi.h>
#include <stdint.h>
#include <sys/socket.h>

namespace tipcrx {

constexpr int kMaxBatch = 64;
constexpr size_t kMetaWords = 14;
constexpr size_t kSlotSize = 66000;  // TIPC_MAX_USER_MSG_SIZE
constexpr size_t kMaxReturnedData = 1024;  // TIPC returns at most the first 1024 bytes

// The byte a borrowed region (the TIPC socket's, borrowed_region.h; the UDP
// socket's, udp_receive.h) is filled with after each callback when
// poisoning is on (a test and debugging aid: a view kept too long then
// reads 0xDB bytes, not plausible later data).
constexpr unsigned char kPoisonByte = 0xDB;

enum MessageFlags : uint32_t {
  kFlagDestName = 1,   // TIPC_DESTNAME present: sent to a service name
  kFlagOob = 2,        // group membership event (MSG_OOB)
  kFlagEor = 4,        // with kFlagOob: the member left (MSG_EOR)
  kFlagTrunc = 8,      // data truncated (cannot happen with 66000-byte slots)
  kFlagMember = 16,    // group member identity present
  kFlagErrInfo = 32,   // TIPC_ERRINFO present: a returned/rejected message
  kFlagCtrunc = 64,    // ancillary data truncated
};

// Room for TIPC_ERRINFO (2 x u32), TIPC_RETDATA (<= 1024 B) and
// TIPC_DESTNAME (3 x u32) with their cmsg headers.
constexpr size_t kControlSize = CMSG_SPACE(8) + CMSG_SPACE(kMaxReturnedData) + CMSG_SPACE(12) + 64;

// The ancillary data of one received message, parsed once right after
// recvmmsg(): the end-of-stream check and the header writers both read it.
struct Ancillary {
  uint32_t flags = 0;
  uint32_t dest[3] = {0, 0, 0};
  uint32_t err = 0, origLen = 0;
  const unsigned char* ret = nullptr;
  uint32_t retLen = 0;
};

// Where one recvmmsg() lands: the message headers, addresses and control
// buffers, and `slots`, kMaxBatch x kSlotSize bytes owned by whoever set it
// (the per-thread scratch, or a socket's borrowed region).
struct ReceiveArea {
  mmsghdr msgs[kMaxBatch];
  iovec iov[kMaxBatch];
  // Group members report two addresses: the socket, then the member name.
  sockaddr_tipc names[kMaxBatch][2];
  alignas(cmsghdr) unsigned char control[kMaxBatch][kControlSize];
  Ancillary ancillary[kMaxBatch];
  unsigned char* slots = nullptr;
};

// recvmmsg() into `area`. Returns the number of messages (> 0), or -errno
// (-EAGAIN when the queue is empty).
int ReceiveBatch(ReceiveArea& area, int fd, int max);

// The per-thread area of the copying mode: every copying receive runs on
// the JS thread and is copied out before the next one starts. About 4.3 MB,
// allocated on first use (nullptr when out of memory).
ReceiveArea* ScratchArea();

// Fill the header of message `i` of `area` (kMetaWords at `meta`): its data
// is at `dataOffset`, its returned data (if any) at `retOffset`.
void WriteHeader(const ReceiveArea& area, int i, uint32_t* meta, size_t dataOffset, size_t retOffset);

struct PackedBatch {
  Napi::ArrayBuffer buffer;
  size_t offset;  // where the batch's header starts in `buffer`
};

// Copy the first `count` messages of `area` into space of their own.
PackedBatch PackBatch(Napi::Env env, const ReceiveArea& area, int count);

// True when message `i` of `area` is an end of stream: zero bytes, no TIPC
// error info, no group event.
bool IsEndOfStream(const ReceiveArea& area, int i);

}  // namespace tipcrx
