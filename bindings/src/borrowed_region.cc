#include "borrowed_region.h"

#include <stdlib.h>
#include <string.h>

namespace tipcrx {

std::unique_ptr<BorrowedRegion> BorrowedRegion::Create(Napi::Env env) {
  std::unique_ptr<BorrowedRegion> region(new BorrowedRegion());
  region->area_ = std::make_unique<ReceiveArea>();
  // malloc of this size maps fresh pages: nothing is resident until touched.
  auto* memory = static_cast<unsigned char*>(malloc(kRegionBytes));
  if (memory == nullptr) throw Napi::Error::New(env, "out of memory for a borrowed receive region");
  region->memory_ = memory;
  region->area_->slots = memory + kSlotsAt;
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(
      env, memory, kRegionBytes, [](Napi::Env, void* data) { free(data); });
  region->buffer_ = Napi::Persistent(buffer);
  return region;
}

BorrowedRegion::~BorrowedRegion() {
  // Only our hold goes: the memory lives until V8 collects the ArrayBuffer.
  buffer_.Reset();
}

void BorrowedRegion::Describe(int count) {
  auto* meta = reinterpret_cast<uint32_t*>(memory_);
  for (int i = 0; i < count; i++, meta += kMetaWords) {
    const Ancillary& anc = area_->ancillary[i];
    size_t retOffset = kReturnedAt + i * kMaxReturnedData;
    // Returned data sits in the control buffer, which the next recvmmsg()
    // reuses: copy it (at most 1 KiB, and only for returned messages).
    if (anc.retLen) memcpy(memory_ + retOffset, anc.ret, anc.retLen);
    WriteHeader(*area_, i, meta, kSlotsAt + i * kSlotSize, retOffset);
  }
}

void BorrowedRegion::Poison(int count) {
  memset(memory_, kPoisonByte, count * kMetaWords * 4);
  for (int i = 0; i < count; i++) {
    memset(memory_ + kReturnedAt + i * kMaxReturnedData, kPoisonByte, area_->ancillary[i].retLen);
    memset(area_->slots + i * kSlotSize, kPoisonByte, area_->msgs[i].msg_len);
  }
}

}  // namespace tipcrx
