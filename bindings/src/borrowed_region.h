// The borrowed receive mode's memory: one region per socket, handed to
// JavaScript once as a long-lived external ArrayBuffer. recvmmsg() writes
// the messages straight into the region's slots and the batch header is
// written in front of them, so a batch costs no allocation, no copy and,
// once the slots have been touched, no page fault. The price is the
// contract: a batch and its views are valid only during the callback; the
// next batch of the same socket overwrites them. (The copying mode,
// receive_batch.h's PackBatch, is the default and has no such contract.)
//
// Layout of the region (offsets from its start, all 8-byte aligned):
//   [0, kHeaderBytes)           the header of the current batch (kMetaWords per message)
//   [kReturnedAt, kSlotsAt)     returned data (TIPC_RETDATA) of message i at i x 1024
//   [kSlotsAt, kRegionBytes)    kMaxBatch slots of kSlotSize: message i's bytes
// Only the slots a batch used are touched, so a socket that sees 64-byte
// messages in batches of 20 keeps about 20 pages resident, not 4.3 MB.
//
// Ownership: the socket keeps the ArrayBuffer (a strong reference) for its
// lifetime; the memory is freed when V8 collects the ArrayBuffer, so a view
// kept past the contract reads later data but never freed memory.
#pragma once
#include <napi.h>

#include <memory>

#include "receive_batch.h"

namespace tipcrx {

constexpr size_t kHeaderBytes = 4096;  // >= kMaxBatch * kMetaWords * 4
constexpr size_t kReturnedAt = kHeaderBytes;
constexpr size_t kSlotsAt = kReturnedAt + kMaxBatch * kMaxReturnedData;
constexpr size_t kRegionBytes = kSlotsAt + kMaxBatch * kSlotSize;
static_assert(kMaxBatch * kMetaWords * 4 <= kHeaderBytes, "the header must fit before the returned data");

class BorrowedRegion {
 public:
  // Throws a JS error when the memory cannot be had.
  static std::unique_ptr<BorrowedRegion> Create(Napi::Env env);
  ~BorrowedRegion();

  Napi::ArrayBuffer Buffer() const { return buffer_.Value(); }

  // Where recvmmsg() writes: its slots are the region's.
  ReceiveArea& Area() { return *area_; }

  // Write the header of the first `count` messages at the region's start.
  void Describe(int count);

  // Overwrite what the last batch of `count` messages used (header, returned
  // data and slots) with kPoisonByte.
  void Poison(int count);

 private:
  BorrowedRegion() = default;
  unsigned char* memory_ = nullptr;  // owned by the ArrayBuffer
  std::unique_ptr<ReceiveArea> area_;
  Napi::Reference<Napi::ArrayBuffer> buffer_;
};

}  // namespace tipcrx
