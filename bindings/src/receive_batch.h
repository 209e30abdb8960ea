// Batched receive: drain many datagrams with one recvmmsg() into a scratch
// area (allocated once per thread), then copy them compactly into space of
// their own (batch_arena.h). JavaScript gets views into that space, which is
// never reused while a view can exist; there is no allocation per message.
//
// Layout of a packed batch (all u32, host order), kMetaWords per message,
// starting at the batch's offset in its ArrayBuffer (offsets below are from
// the start of the ArrayBuffer):
//   [0] data offset   [1] data length   [2] source node   [3] source ref
//   [4] flags (kFlag*) [5..7] destination name type, lower, upper
//   [8] TIPC error code  [9] original length (TIPC_ERRINFO)
//   [10] returned-data offset  [11] returned-data length
//   [12] group member type  [13] group member instance
// followed by the message bytes and returned bytes.
#pragma once
#include <napi.h>
#include <stdint.h>

namespace tipcrx {

constexpr int kMaxBatch = 64;
constexpr size_t kMetaWords = 14;
constexpr size_t kSlotSize = 66000;  // TIPC_MAX_USER_MSG_SIZE

enum MessageFlags : uint32_t {
  kFlagDestName = 1,   // TIPC_DESTNAME present: sent to a service name
  kFlagOob = 2,        // group membership event (MSG_OOB)
  kFlagEor = 4,        // with kFlagOob: the member left (MSG_EOR)
  kFlagTrunc = 8,      // data truncated (cannot happen with 66000-byte slots)
  kFlagMember = 16,    // group member identity present
  kFlagErrInfo = 32,   // TIPC_ERRINFO present: a returned/rejected message
  kFlagCtrunc = 64,    // ancillary data truncated
};

// recvmmsg() into the scratch area. Returns the number of messages (> 0),
// or -errno (-EAGAIN when the queue is empty).
int ReceiveBatch(int fd, int max);

struct PackedBatch {
  Napi::ArrayBuffer buffer;
  size_t offset;  // where the batch's header starts in `buffer`
};

// Pack the first `count` messages of the last ReceiveBatch.
PackedBatch PackBatch(Napi::Env env, int count);

// True when message `i` of the last batch is an end of stream: zero bytes,
// no TIPC error info, no group event.
bool IsEndOfStream(int i);

}  // namespace tipcrx
