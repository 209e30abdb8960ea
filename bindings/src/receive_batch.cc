#include "receive_batch.h"

#include <errno.h>
#include <linux/tipc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "batch_arena.h"

namespace tipcrx {

namespace {

// Room for TIPC_ERRINFO (2 x u32), TIPC_RETDATA (<= 1024 B) and
// TIPC_DESTNAME (3 x u32) with their cmsg headers.
constexpr size_t kControlSize = CMSG_SPACE(8) + CMSG_SPACE(1024) + CMSG_SPACE(12) + 64;

struct Scratch {
  mmsghdr msgs[kMaxBatch];
  iovec iov[kMaxBatch];
  // Group members report two addresses: the socket, then the member name.
  sockaddr_tipc names[kMaxBatch][2];
  alignas(cmsghdr) unsigned char control[kMaxBatch][kControlSize];
  unsigned char data[kMaxBatch][kSlotSize];
};

// One scratch area per thread: every receive runs on the JS thread and is
// copied out before the next one starts. 4.3 MB, allocated on the first
// receive, so loading the addon costs nothing.
thread_local Scratch* scratch = nullptr;

struct Ancillary {
  uint32_t flags = 0;
  uint32_t dest[3] = {0, 0, 0};
  uint32_t err = 0, origLen = 0;
  const unsigned char* ret = nullptr;
  uint32_t retLen = 0;
};

// The ancillary data of the last batch, parsed once right after recvmmsg():
// both the end-of-stream check and the packing read it.
thread_local Ancillary ancillary[kMaxBatch];

Ancillary ParseAncillary(msghdr& h) {
  Ancillary out;
  for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(&h, c)) {
    if (c->cmsg_level != SOL_TIPC) continue;
    size_t len = c->cmsg_len - CMSG_LEN(0);
    const unsigned char* p = CMSG_DATA(c);
    if (c->cmsg_type == TIPC_ERRINFO && len >= 8) {
      memcpy(&out.err, p, 4);
      memcpy(&out.origLen, p + 4, 4);
      out.flags |= kFlagErrInfo;
    } else if (c->cmsg_type == TIPC_RETDATA) {
      out.ret = p;
      out.retLen = static_cast<uint32_t>(len);
    } else if (c->cmsg_type == TIPC_DESTNAME && len >= 12) {
      memcpy(out.dest, p, 12);
      out.flags |= kFlagDestName;
    }
  }
  return out;
}

}  // namespace

int ReceiveBatch(int fd, int max) {
  if (scratch == nullptr) {
    scratch = static_cast<Scratch*>(malloc(sizeof(Scratch)));
    if (scratch == nullptr) return -ENOMEM;
  }
  if (max > kMaxBatch) max = kMaxBatch;
  for (int i = 0; i < max; i++) {
    scratch->iov[i] = {scratch->data[i], kSlotSize};
    msghdr& h = scratch->msgs[i].msg_hdr;
    h.msg_name = scratch->names[i];
    h.msg_namelen = sizeof scratch->names[i];
    h.msg_iov = &scratch->iov[i];
    h.msg_iovlen = 1;
    h.msg_control = scratch->control[i];
    h.msg_controllen = kControlSize;
    h.msg_flags = 0;
  }
  int n;
  do {
    n = recvmmsg(fd, scratch->msgs, max, MSG_DONTWAIT, nullptr);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return -errno;
  for (int i = 0; i < n; i++) ancillary[i] = ParseAncillary(scratch->msgs[i].msg_hdr);
  return n;
}

bool IsEndOfStream(int i) {
  mmsghdr& m = scratch->msgs[i];
  if (m.msg_len != 0 || (m.msg_hdr.msg_flags & MSG_OOB)) return false;
  return !(ancillary[i].flags & kFlagErrInfo);
}

PackedBatch PackBatch(Napi::Env env, int count) {
  const Ancillary* anc = ancillary;
  size_t total = count * kMetaWords * 4;
  for (int i = 0; i < count; i++) total += scratch->msgs[i].msg_len + anc[i].retLen;
  BatchSpace space = AllocateBatch(env, total);
  unsigned char* base = space.base;
  uint32_t* meta = reinterpret_cast<uint32_t*>(base + space.offset);
  size_t offset = space.offset + count * kMetaWords * 4;
  for (int i = 0; i < count; i++, meta += kMetaWords) {
    mmsghdr& m = scratch->msgs[i];
    const msghdr& h = m.msg_hdr;
    const sockaddr_tipc* names = scratch->names[i];
    uint32_t flags = anc[i].flags;
    if (h.msg_flags & MSG_OOB) flags |= kFlagOob;
    if (h.msg_flags & MSG_EOR) flags |= kFlagEor;
    if (h.msg_flags & MSG_TRUNC) flags |= kFlagTrunc;
    if (h.msg_flags & MSG_CTRUNC) flags |= kFlagCtrunc;
    bool hasSource = h.msg_namelen >= sizeof(sockaddr_tipc);
    bool hasMember = h.msg_namelen >= 2 * sizeof(sockaddr_tipc);
    if (hasMember) flags |= kFlagMember;
    meta[0] = static_cast<uint32_t>(offset);
    meta[1] = m.msg_len;
    memcpy(base + offset, scratch->data[i], m.msg_len);
    offset += m.msg_len;
    meta[2] = hasSource ? names[0].addr.id.node : 0;
    meta[3] = hasSource ? names[0].addr.id.ref : 0;
    meta[4] = flags;
    meta[5] = anc[i].dest[0];
    meta[6] = anc[i].dest[1];
    meta[7] = anc[i].dest[2];
    meta[8] = anc[i].err;
    meta[9] = anc[i].origLen;
    meta[10] = static_cast<uint32_t>(offset);
    meta[11] = anc[i].retLen;
    if (anc[i].retLen) memcpy(base + offset, anc[i].ret, anc[i].retLen);
    offset += anc[i].retLen;
    meta[12] = hasMember ? names[1].addr.name.name.type : 0;
    meta[13] = hasMember ? names[1].addr.name.name.instance : 0;
  }
  return {space.buffer, space.offset};
}

}  // namespace tipcrx
