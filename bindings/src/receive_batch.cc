#include "receive_batch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <new>

#include "batch_arena.h"

namespace tipcrx {

namespace {

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
      out.retLen = static_cast<uint32_t>(len < kMaxReturnedData ? len : kMaxReturnedData);
    } else if (c->cmsg_type == TIPC_DESTNAME && len >= 12) {
      memcpy(out.dest, p, 12);
      out.flags |= kFlagDestName;
    }
  }
  return out;
}

struct Scratch {
  ReceiveArea area;
  unsigned char data[kMaxBatch][kSlotSize];
};

thread_local Scratch* scratch = nullptr;

}  // namespace

ReceiveArea* ScratchArea() {
  if (scratch == nullptr) {
    void* memory = malloc(sizeof(Scratch));
    if (memory == nullptr) return nullptr;
    // Default-initialised, not value-initialised (`Scratch()` would zero
    // all 4.3 MB, touching every page): the slots stay untouched until used.
    scratch = new (memory) Scratch;
    scratch->area.slots = &scratch->data[0][0];
  }
  return &scratch->area;
}

int ReceiveBatch(ReceiveArea& area, int fd, int max) {
  if (max > kMaxBatch) max = kMaxBatch;
  for (int i = 0; i < max; i++) {
    area.iov[i] = {area.slots + i * kSlotSize, kSlotSize};
    msghdr& h = area.msgs[i].msg_hdr;
    h.msg_name = area.names[i];
    h.msg_namelen = sizeof area.names[i];
    h.msg_iov = &area.iov[i];
    h.msg_iovlen = 1;
    h.msg_control = area.control[i];
    h.msg_controllen = kControlSize;
    h.msg_flags = 0;
  }
  int n;
  do {
    n = recvmmsg(fd, area.msgs, max, MSG_DONTWAIT, nullptr);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return -errno;
  for (int i = 0; i < n; i++) area.ancillary[i] = ParseAncillary(area.msgs[i].msg_hdr);
  return n;
}

bool IsEndOfStream(const ReceiveArea& area, int i) {
  const mmsghdr& m = area.msgs[i];
  if (m.msg_len != 0 || (m.msg_hdr.msg_flags & MSG_OOB)) return false;
  return !(area.ancillary[i].flags & kFlagErrInfo);
}

void WriteHeader(const ReceiveArea& area, int i, uint32_t* meta, size_t dataOffset, size_t retOffset) {
  const mmsghdr& m = area.msgs[i];
  const msghdr& h = m.msg_hdr;
  const Ancillary& anc = area.ancillary[i];
  const sockaddr_tipc* names = area.names[i];
  uint32_t flags = anc.flags;
  if (h.msg_flags & MSG_OOB) flags |= kFlagOob;
  if (h.msg_flags & MSG_EOR) flags |= kFlagEor;
  if (h.msg_flags & MSG_TRUNC) flags |= kFlagTrunc;
  if (h.msg_flags & MSG_CTRUNC) flags |= kFlagCtrunc;
  bool hasSource = h.msg_namelen >= sizeof(sockaddr_tipc);
  bool hasMember = h.msg_namelen >= 2 * sizeof(sockaddr_tipc);
  if (hasMember) flags |= kFlagMember;
  meta[0] = static_cast<uint32_t>(dataOffset);
  meta[1] = m.msg_len;
  meta[2] = hasSource ? names[0].addr.id.node : 0;
  meta[3] = hasSource ? names[0].addr.id.ref : 0;
  meta[4] = flags;
  meta[5] = anc.dest[0];
  meta[6] = anc.dest[1];
  meta[7] = anc.dest[2];
  meta[8] = anc.err;
  meta[9] = anc.origLen;
  meta[10] = static_cast<uint32_t>(retOffset);
  meta[11] = anc.retLen;
  meta[12] = hasMember ? names[1].addr.name.name.type : 0;
  meta[13] = hasMember ? names[1].addr.name.name.instance : 0;
}

PackedBatch PackBatch(Napi::Env env, const ReceiveArea& area, int count) {
  size_t total = count * kMetaWords * 4;
  for (int i = 0; i < count; i++) total += area.msgs[i].msg_len + area.ancillary[i].retLen;
  BatchSpace space = AllocateBatch(env, total);
  unsigned char* base = space.base;
  uint32_t* meta = reinterpret_cast<uint32_t*>(base + space.offset);
  size_t offset = space.offset + count * kMetaWords * 4;
  for (int i = 0; i < count; i++, meta += kMetaWords) {
    uint32_t length = area.msgs[i].msg_len;
    const Ancillary& anc = area.ancillary[i];
    WriteHeader(area, i, meta, offset, offset + length);
    memcpy(base + offset, area.slots + i * kSlotSize, length);
    offset += length;
    if (anc.retLen) memcpy(base + offset, anc.ret, anc.retLen);
    offset += anc.retLen;
  }
  return {space.buffer, space.offset};
}

}  // namespace tipcrx
