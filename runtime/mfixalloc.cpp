// Fixed-size object allocator for the heap's own structures (Go: runtime/mfixalloc.go).
// Memory comes from persistentalloc in chunks and is handed out in order; freed objects go on
// a free list and are handed out again first, zeroed unless f.zero is false.

#include "malloc.h"

namespace runtime {

namespace {
constexpr uintptr_t _FixAllocChunk = 16 << 10; // Chunk size for FixAlloc
}

// init initializes f to allocate objects of the given size.
void fixalloc::init(uintptr_t size_) {
  if (size_ > _FixAllocChunk)
    throw_("runtime: fixalloc size too large");
  if (size_ < sizeof(mlink))
    size_ = sizeof(mlink);
  size = size_;
  list = nullptr;
  chunk = 0;
  nchunk = 0;
  // Round _FixAllocChunk down to an exact multiple of size to eliminate tail waste.
  nalloc = uint32_t(_FixAllocChunk / size * size);
  zero = true;
}

void *fixalloc::alloc() {
  if (size == 0) {
    print("runtime: use of FixAlloc_Alloc before FixAlloc_Init\n");
    throw_("runtime: internal error");
  }
  if (list != nullptr) {
    void *v = list;
    list = list->next;
    if (zero)
      memclrNoHeapPointers(v, size);
    return v;
  }
  if (nchunk < size) {
    chunk = reinterpret_cast<uintptr_t>(persistentalloc(nalloc, 0));
    nchunk = nalloc;
  }
  void *v = reinterpret_cast<void *>(chunk);
  chunk += size;
  nchunk -= uint32_t(size);
  return v;
}

void fixalloc::free(void *p) {
  auto *v = static_cast<mlink *>(p);
  v->next = list;
  list = v;
}

} // namespace runtime
