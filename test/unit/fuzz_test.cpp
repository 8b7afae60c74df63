// Random inputs never crash or hang the front end: bytes, token soup and mutated programs.
// Run longer with TOY_FUZZ_ITERS=1000000 (and TOY_FUZZ_SEED=n for another sequence).
#include "TestUtil.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

using namespace toy;
using toy::test::FrontEnd;

static unsigned iterations(unsigned dflt) {
  const char *s = getenv("TOY_FUZZ_ITERS");
  return s ? unsigned(strtoul(s, nullptr, 10)) : dflt;
}

static std::mt19937_64 rng() {
  const char *s = getenv("TOY_FUZZ_SEED");
  return std::mt19937_64(s ? strtoull(s, nullptr, 10) : 42);
}

static const char *kSeedProgram = R"(package main

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func main() {
	var total int = 0
	for i := 0; i < 10; i++ {
		total += fib(i) % 7
		if total > 100 && i != 3 || !(total < 5) {
			continue
		}
	}
	s := "a\tb" + `raw`
	println(s, total, len(s), total > 0)
}
)";

TEST(Fuzz, RandomBytes) {
  auto r = rng();
  for (unsigned i = 0, n = iterations(2000); i < n; ++i) {
    std::string s(r() % 300, '\0');
    for (auto &c : s)
      c = char(r());
    FrontEnd fe(s);
    EXPECT_FALSE(fe.ok); // random bytes are never a program
  }
}

TEST(Fuzz, TokenSoup) {
  static const char *pieces[] = {
      "package", "main", "func",  "(", ")",   "{",      "}",       "[",   "]",  "x",
      "int",     ":=",   "=",     "+", "<<",  "if",     "else",    "for", ";",  "\n",
      "return",  "1",    "\"s\"", ",", "var", "string", "println", "!",   "&&", "break",
      "go",      "chan", "map",   ".", "...", "'a'",    "/*"};
  auto r = rng();
  for (unsigned i = 0, n = iterations(3000); i < n; ++i) {
    std::string s = "package main\n";
    for (unsigned k = 0, len = r() % 60; k < len; ++k)
      s += std::string(pieces[r() % std::size(pieces)]) + " ";
    FrontEnd fe(s);
    if (!fe.ok)
      EXPECT_FALSE(fe.errors.empty());
  }
}

TEST(Fuzz, MutatedProgram) {
  FrontEnd base(kSeedProgram);
  ASSERT_TRUE(base.ok) << base.errors;
  auto r = rng();
  std::string seed = kSeedProgram;
  for (unsigned i = 0, n = iterations(3000); i < n; ++i) {
    std::string s = seed;
    for (unsigned k = 0, m = 1 + r() % 4; k < m && !s.empty(); ++k) {
      size_t at = r() % s.size();
      switch (r() % 3) {
      case 0:
        s.erase(at, 1 + r() % 8);
        break;
      case 1:
        s.insert(at, 1, seed[r() % seed.size()]);
        break;
      default:
        s = s.substr(0, at);
        break; // truncation
      }
    }
    FrontEnd fe(s);
    if (!fe.ok)
      EXPECT_FALSE(fe.errors.empty());
  }
}
