//! A fast, deterministic hasher for counting a column's values in memory ([`FastMap`]).
//!
//! The standard `HashMap` hashes with SipHash, keyed at random to resist crafted collisions
//! from untrusted input over a network. Counting the values of a column the person loaded
//! themselves (a profile's distinct values, a category's levels) needs neither the key nor
//! the cost of a cryptographic-strength hash per cell. Here each 8-byte word is folded in with one multiply (FxHash's step) and
//! the result is finished with murmur3's 64-bit mixer, so keys that differ only in their high
//! bits (floats like 1.0, 2.0, 3.0, whose low mantissa bits are all zero) still spread over
//! the table's buckets, which use the low bits.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// FxHash's folding with a murmur3 finish; see the module doc.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher {
    state: u64,
}

/// FxHash's multiplier (from Firefox, used by rustc).
const SEED: u64 = 0x517c_c1b7_2722_0a95;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.state = (self.state.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The length in the unused top byte keeps "a" and "a\0" apart.
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            word[7] = rest.len() as u8;
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_i64(&mut self, n: i64) {
        self.add(n as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    /// murmur3's `fmix64`: every input bit reaches every output bit.
    fn finish(&self) -> u64 {
        let mut h = self.state;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::hash::{BuildHasher, Hash};

    use super::*;

    fn hash<T: Hash + ?Sized>(value: &T) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(value)
    }

    #[test]
    fn equal_keys_hash_alike_and_the_hash_is_the_same_every_run() {
        assert_eq!(hash("setosa"), hash(&String::from("setosa")));
        assert_eq!(hash(&1.5f64.to_bits()), hash(&1.5f64.to_bits()));
        assert_ne!(hash("ab"), hash("ba"));
        assert_ne!(hash("a"), hash("a\0"));
    }

    #[test]
    fn whole_floats_spread_over_the_low_bits() {
        // 1.0, 2.0, … 1024.0 differ only in their top 20 bits; a table of 1024 buckets indexes
        // by the low 10 bits of the hash, which must still be nearly all different.
        let buckets: HashSet<u64> = (1..=1024).map(|i| hash(&(i as f64).to_bits()) & 1023).collect();
        assert!(buckets.len() > 600, "{} of 1024 buckets used", buckets.len());
    }

    #[test]
    fn counts_every_value_of_a_bundled_column() {
        let table = crate::samples::get("iris")
            .map(|s| crate::table::read_csv(s.csv, s.file, &Default::default()).expect("loads"))
            .expect("iris is bundled");
        let column = table.column("sepal_length").expect("sepal_length");
        let mut counts: FastMap<u64, usize> = FastMap::default();
        for row in 0..column.len() {
            *counts.entry(column.number(row).expect("no missing").to_bits()).or_default() += 1;
        }
        // Python's collections.Counter over the same column: 35 values, 5.0 ten times.
        assert_eq!(counts.len(), 35);
        assert_eq!(counts[&5.0f64.to_bits()], 10);
    }
}
