// Where received batches live. Small batches are carved one after another
// out of 256 KiB blocks, a large one gets a block of its own (a power of
// two), all handed to JavaScript as external ArrayBuffers. A block is
// reused only after V8 has collected its ArrayBuffer, that is, once no view
// into it can exist, so a view's bytes are never overwritten while user code
// holds it. Reuse matters: memory the kernel has already faulted in costs
// nothing to touch again, while fresh pages for every batch (what a new
// ArrayBuffer per batch gives, since V8 frees them rarely) cost a page fault
// each. Small batches also share one allocation instead of one each.
//
// All state is per thread (thread_local): worker threads load the addon
// with their own environment and never share a block.
#pragma once
#include <napi.h>
#include <stddef.h>

namespace tipcrx {

struct BatchSpace {
  Napi::ArrayBuffer buffer;  // the block (or a dedicated buffer for a huge batch)
  unsigned char* base;       // buffer's data
  size_t offset;             // where this batch starts in it (8-byte aligned)
};

// Room for `bytes` of one batch.
BatchSpace AllocateBatch(Napi::Env env, size_t bytes);

}  // namespace tipcrx
