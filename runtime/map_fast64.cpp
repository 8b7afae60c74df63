// Maps with 8-byte plain-memory keys (Go: runtime/map_fast64.go); the code is map_fast.h's.

#include "map_fast.h"

namespace runtime {

void *mapaccess1_fast64(const maptype *t, hmap *h, uint64_t key) {
  return mapaccess2Fast<uint64_t>(t, h, key).elem;
}
elemOK mapaccess2_fast64(const maptype *t, hmap *h, uint64_t key) {
  return mapaccess2Fast<uint64_t>(t, h, key);
}
void *mapassign_fast64(const maptype *t, hmap *h, uint64_t key) {
  return mapassignFast<uint64_t>(t, h, key);
}
void mapdelete_fast64(const maptype *t, hmap *h, uint64_t key) {
  mapdeleteFast<uint64_t>(t, h, key);
}

} // namespace runtime
