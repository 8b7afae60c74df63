// Maps with 4-byte plain-memory keys (Go: runtime/map_fast32.go); the code is map_fast.h's.

#include "map_fast.h"

namespace runtime {

void *mapaccess1_fast32(const maptype *t, hmap *h, uint32_t key) {
  return mapaccess2Fast<uint32_t>(t, h, key).elem;
}
elemOK mapaccess2_fast32(const maptype *t, hmap *h, uint32_t key) {
  return mapaccess2Fast<uint32_t>(t, h, key);
}
void *mapassign_fast32(const maptype *t, hmap *h, uint32_t key) {
  return mapassignFast<uint32_t>(t, h, key);
}
void mapdelete_fast32(const maptype *t, hmap *h, uint32_t key) {
  mapdeleteFast<uint32_t>(t, h, key);
}

} // namespace runtime
