#!/usr/bin/env python3
"""Prints the words of 4/π for trig_reduce.toy: floor(4/π · 2^(64·19)) in 20 uint64 words,
most significant first (the first word is 4/π's integer part, 1). π comes from Machin's
formula π = 16·atan(1/5) - 4·atan(1/239) in fixed point with 64 guard bits."""

BITS = 64 * 19 + 128


def atan_inv(n, one):
    """atan(1/n) · one by its Taylor series."""
    total, term, k, sign = 0, one // n, 1, 1
    while term:
        total += sign * (term // k)
        term //= n * n
        k += 2
        sign = -sign
    return total


one = 1 << BITS
pi = 16 * atan_inv(5, one) - 4 * atan_inv(239, one)
v = (4 << BITS) * (1 << (64 * 19)) // pi  # 4/π · 2^(64·19)
words = [(v >> (64 * (19 - i))) & (2 ** 64 - 1) for i in range(20)]
for i in range(0, 20, 4):
    print('\t' + ' '.join('0x%016x,' % w for w in words[i:i + 4]))
