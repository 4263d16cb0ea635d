"""Writes the table of src/pipeline/elementary.rs: 2^(j/64) for j = 0..63 as the nearest
double and the double nearest what that leaves out, from Python's decimal at 80 digits.

    python3 scripts/exp_table.py     # prints the Rust constant
"""
import struct
from decimal import Decimal, getcontext

getcontext().prec = 80


def bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


ln2 = Decimal(2).ln()
print("/// 2^(j/64): the double nearest, then what it leaves out.")
print("const EXP2_64: [(f64, f64); 64] = [")
for j in range(64):
    exact = (ln2 * j / 64).exp()
    hi = float(exact)
    lo = float(exact - Decimal(hi))
    print(f"    (f64::from_bits(0x{bits(hi):016x}), f64::from_bits(0x{bits(lo):016x})),")
print("];")
