// The allocator's size classes (runtime/sizeclasses.h) and size-to-class lookup
// (runtime/msize.h), compiled hosted.
//
// The tables are Go 1.19's; here they are rebuilt from the rules of Go's mksizeclasses.go
// (alignment steps, at most 1/8 tail waste per span, merging classes that fit as many objects
// in as many pages, then growing each class to the largest size with the same count) and
// compared entry by entry, and the lookup is checked against a linear search for every small
// size.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "msize.h"

using namespace runtime;

namespace {

struct sizeClass {
  uintptr_t size;
  uintptr_t npages;
};

bool powerOfTwo(uintptr_t x) { return x != 0 && (x & (x - 1)) == 0; }

// makeClasses follows mksizeclasses.go's makeClasses.
std::vector<sizeClass> makeClasses() {
  std::vector<sizeClass> classes = {{0, 0}}; // class 0 is a dummy entry
  uintptr_t align = 8;
  for (uintptr_t size = align; size <= _MaxSmallSize; size += align) {
    if (powerOfTwo(size)) { // the alignment grows at each power of two
      if (size >= 2048)
        align = 256;
      else if (size >= 128)
        align = size / 8;
      else if (size >= 32)
        align = 16;
    }
    // The smallest whole number of pages that leaves less than 1/8 of the span over.
    uintptr_t allocsize = _PageSize;
    while (allocsize % size > allocsize / 8)
      allocsize += _PageSize;
    uintptr_t npages = allocsize / _PageSize;
    // A size that fits as many objects in as many pages as the previous class replaces it.
    sizeClass &prev = classes.back();
    if (classes.size() > 1 && npages == prev.npages && allocsize / size == allocsize / prev.size) {
      prev.size = size;
      continue;
    }
    classes.push_back({size, npages});
  }
  // Each class grows to the largest multiple of largeSizeDiv with the same object count.
  for (size_t i = 1; i < classes.size(); i++) {
    uintptr_t psize = classes[i].npages * _PageSize;
    uintptr_t grown = (psize / (psize / classes[i].size)) & ~(largeSizeDiv - 1);
    if (grown > classes[i].size)
      classes[i].size = grown;
  }
  return classes;
}

// smallestClassFor is the class a size maps to by definition: the first one that fits it.
int smallestClassFor(uintptr_t size) {
  for (int c = 0; c < _NumSizeClasses; c++)
    if (class_to_size[c] >= size)
      return c;
  return -1;
}

TEST(SizeClasses, TableFollowsMksizeclassesRules) {
  std::vector<sizeClass> classes = makeClasses();
  ASSERT_EQ(classes.size(), size_t(_NumSizeClasses));
  for (int c = 0; c < _NumSizeClasses; c++) {
    EXPECT_EQ(class_to_size[c], classes[c].size) << "class " << c;
    EXPECT_EQ(class_to_allocnpages[c], classes[c].npages) << "class " << c;
  }
}

TEST(SizeClasses, SpansWasteAtMostAnEighth) {
  for (int c = 1; c < _NumSizeClasses; c++) {
    uintptr_t span = class_to_allocnpages[c] * _PageSize;
    EXPECT_LE(span % class_to_size[c], span / 8) << "class " << c;
    EXPECT_LT(class_to_size[c - 1], class_to_size[c]) << "class " << c;
  }
  EXPECT_EQ(class_to_size[_NumSizeClasses - 1], _MaxSmallSize);
}

TEST(SizeClasses, LookupTablesPickTheSmallestClassThatFits) {
  for (uintptr_t i = 0; i <= smallSizeMax / smallSizeDiv; i++)
    EXPECT_EQ(size_to_class8[i], smallestClassFor(i * smallSizeDiv)) << "size " << i * 8;
  for (uintptr_t i = 0; i <= (_MaxSmallSize - smallSizeMax) / largeSizeDiv; i++)
    EXPECT_EQ(size_to_class128[i], smallestClassFor(smallSizeMax + i * largeSizeDiv))
        << "size " << smallSizeMax + i * largeSizeDiv;
}

TEST(SizeToClass, EverySmallSize) {
  for (uintptr_t size = 1; size <= _MaxSmallSize; size++)
    ASSERT_EQ(sizeToClass(size), smallestClassFor(size)) << "size " << size;
  EXPECT_EQ(sizeToClass(8), 1);
  EXPECT_EQ(sizeToClass(17), 3);    // 24 bytes
  EXPECT_EQ(sizeToClass(1017), 32); // 1024 bytes, the last size_to_class8 size
  EXPECT_EQ(sizeToClass(1025), 33); // 1152 bytes, the first size_to_class128 size
  EXPECT_EQ(sizeToClass(_MaxSmallSize), 67);
}

TEST(Roundupsize, SmallSizesToTheirClassLargeToPages) {
  EXPECT_EQ(roundupsize(0), 0u);
  EXPECT_EQ(roundupsize(1), 8u);
  EXPECT_EQ(roundupsize(25), 32u);
  EXPECT_EQ(roundupsize(1000), 1024u);
  EXPECT_EQ(roundupsize(1100), 1152u);
  EXPECT_EQ(roundupsize(32767), 32768u);
  EXPECT_EQ(roundupsize(32768), 32768u);
  EXPECT_EQ(roundupsize(32769), 40960u);
  EXPECT_EQ(roundupsize(100000), 106496u);
  // A size that page rounding would overflow is returned as it is.
  EXPECT_EQ(roundupsize(~uintptr_t(0) - 100), ~uintptr_t(0) - 100);
}

} // namespace
