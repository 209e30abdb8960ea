#include "batch_arena.h"

#include <stdlib.h>

#include <map>
#include <vector>

namespace tipcrx {

namespace {

// Small batches share 256 KiB blocks; a larger batch gets a block of its own,
// sized to the next power of two so that blocks of a size can be reused.
constexpr size_t kBlockSize = 256 * 1024;
// Faulted-in memory kept for reuse, per thread. V8 collects external buffers
// in rounds (roughly every 64 MiB of new external memory), so the pool must
// hold about one round to serve the next one from memory already touched.
constexpr size_t kPoolMaxBytes = 96 * 1024 * 1024;

struct Arena {
  Napi::Reference<Napi::ArrayBuffer> block;  // the shared block small batches are carved from now
  unsigned char* base = nullptr;
  size_t used = kBlockSize;                  // full: the first batch takes a block
};

thread_local Arena arena;
thread_local std::map<size_t, std::vector<unsigned char*>> pool;  // by block size
thread_local size_t pooledBytes = 0;

void ReleaseBlock(Napi::Env, void* data, size_t* size) {
  // V8 collected the ArrayBuffer: no view into the block can exist anymore.
  if (pooledBytes + *size <= kPoolMaxBytes) {
    pool[*size].push_back(static_cast<unsigned char*>(data));
    pooledBytes += *size;
  } else {
    free(data);
  }
  delete size;
}

size_t BlockSizeFor(size_t need) {
  size_t size = kBlockSize;
  while (size < need) size *= 2;
  return size;
}

// A block of `size` bytes as an external ArrayBuffer, reused from the pool
// when one is there.
Napi::ArrayBuffer TakeBlock(Napi::Env env, size_t size, unsigned char** base) {
  unsigned char* block = nullptr;
  auto it = pool.find(size);
  if (it != pool.end() && !it->second.empty()) {
    block = it->second.back();
    it->second.pop_back();
    pooledBytes -= size;
  } else {
    block = static_cast<unsigned char*>(malloc(size));
    if (block == nullptr) throw Napi::Error::New(env, "out of memory for a receive batch");
  }
  *base = block;
  return Napi::ArrayBuffer::New(env, block, size, ReleaseBlock, new size_t(size));
}

}  // namespace

BatchSpace AllocateBatch(Napi::Env env, size_t bytes) {
  size_t need = (bytes + 7) & ~static_cast<size_t>(7);
  if (need > kBlockSize / 2) {
    // Sharing a block with a large batch would pin too much of it.
    unsigned char* base = nullptr;
    Napi::ArrayBuffer own = TakeBlock(env, BlockSizeFor(need), &base);
    return {own, base, 0};
  }
  if (arena.used + need > kBlockSize) {
    // Drop our hold on the old block: it lives on only through user views.
    arena.block = Napi::Persistent(TakeBlock(env, kBlockSize, &arena.base));
    arena.used = 0;
  }
  BatchSpace space{arena.block.Value(), arena.base, arena.used};
  arena.used += need;
  return space;
}

}  // namespace tipcrx
