//! The hasher of the table's in-memory maps ([`FastMap`], [`FastSet`], [`RandomState`]).
//!
//! A hash here is a bucket, never an identity: every map built on it compares keys after a
//! hash match (std's maps do so for any key, and [`rows`](super::rows) compares cell values
//! behind each row hash), so a collision can cost time but never change an answer.
//!
//! What it may cost is bounded by seeding. The hash is foldhash's (fast, and mixed well
//! enough that sequential ids like `usr-0000000`, `usr-0000001`, … fill a table's buckets
//! evenly), keyed by a seed drawn once per process from the system's randomness (the
//! browser's `crypto.getRandomValues` in the page). A file or link crafted so that its values
//! collide under one seed collides no more than any other input under the next, where a fixed
//! hash let 20,000 crafted values turn one table lookup into thousands of comparisons.
//!
//! Seeding makes iteration order differ from run to run, so nothing observable may depend on
//! it: code that iterates one of these maps sorts what it reports by a total order of its own
//! (count, then row), or reads the map only by lookup.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use foldhash::fast::{FoldHasher, SeedableRandomState};
use foldhash::SharedSeed;

/// A `HashMap` with the seeded [`RandomState`].
pub type FastMap<K, V> = HashMap<K, V, RandomState>;

/// A `HashSet` with the seeded [`RandomState`].
pub type FastSet<K> = HashSet<K, RandomState>;

/// foldhash keyed by the process's secret seed; each new state also gets its own per-map seed,
/// so moving keys from one map into another in iteration order never lands them in a few
/// crowded buckets.
#[derive(Debug, Clone)]
pub struct RandomState(SeedableRandomState);

impl Default for RandomState {
    fn default() -> RandomState {
        static MAPS: AtomicU64 = AtomicU64::new(0);
        let per_map = MAPS.fetch_add(1, Ordering::Relaxed);
        RandomState(SeedableRandomState::with_seed(per_map, process_seed()))
    }
}

impl RandomState {
    /// A state that hashes the same in every run and every process of this build: for tests
    /// that pin the hash's spread, and for a hash that processes must agree on (a cluster's
    /// executors hashing rows for one `GROUP BY`).
    pub fn with_seed(seed: u64) -> RandomState {
        RandomState(SeedableRandomState::with_seed(seed, SharedSeed::global_fixed()))
    }
}

impl BuildHasher for RandomState {
    type Hasher = FoldHasher<'static>;

    fn build_hasher(&self) -> FoldHasher<'static> {
        self.0.build_hasher()
    }
}

/// The process's shared seed, drawn on first use.
fn process_seed() -> &'static SharedSeed {
    static SEED: OnceLock<SharedSeed> = OnceLock::new();
    SEED.get_or_init(|| SharedSeed::from_u64(system_random()))
}

/// 64 random bits from the system: std's `RandomState` keys come from the OS natively.
#[cfg(not(target_arch = "wasm32"))]
fn system_random() -> u64 {
    std::collections::hash_map::RandomState::new().hash_one(0u64)
}

/// 64 random bits from the system: in the browser, std has no source of randomness
/// (its map keys are constant), so ask `crypto.getRandomValues`; if that ever failed,
/// foldhash's own seed (from addresses) is still better than a constant.
#[cfg(target_arch = "wasm32")]
fn system_random() -> u64 {
    let mut bytes = [0u8; 8];
    match getrandom::getrandom(&mut bytes) {
        Ok(()) => u64::from_le_bytes(bytes),
        Err(_) => foldhash::fast::RandomState::default().hash_one(0u64),
    }
}

#[cfg(test)]
mod tests {
    use std::hash::Hash;

    use super::*;

    fn hash<T: Hash + ?Sized>(state: &RandomState, value: &T) -> u64 {
        state.hash_one(value)
    }

    #[test]
    fn equal_keys_hash_alike_within_a_map() {
        let state = RandomState::default();
        assert_eq!(hash(&state, "setosa"), hash(&state, &String::from("setosa")));
        assert_eq!(hash(&state, &1.5f64.to_bits()), hash(&state, &1.5f64.to_bits()));
        assert_ne!(hash(&state, "ab"), hash(&state, "ba"));
        assert_ne!(hash(&state, "a"), hash(&state, "a\0"));
    }

    #[test]
    fn the_seed_changes_the_hash() {
        // Two maps of one process hash differently (their own per-map seeds), as do two
        // fixed seeds: collisions found under one say nothing of another.
        let (a, b) = (RandomState::default(), RandomState::default());
        assert_ne!(hash(&a, "usr-0000400"), hash(&b, "usr-0000400"));
        assert_ne!(
            hash(&RandomState::with_seed(1), "usr-0000400"),
            hash(&RandomState::with_seed(2), "usr-0000400")
        );
        assert_eq!(
            hash(&RandomState::with_seed(1), "usr-0000400"),
            hash(&RandomState::with_seed(1), "usr-0000400")
        );
    }

    /// How `n` keys fill `buckets` buckets (a power of two) indexed by the hash's low bits:
    /// (buckets used, fullest bucket).
    fn fill(hashes: &[u64], buckets: usize) -> (usize, usize) {
        let mut load = vec![0usize; buckets];
        for h in hashes {
            load[(*h as usize) & (buckets - 1)] += 1;
        }
        (load.iter().filter(|&&n| n > 0).count(), load.iter().copied().max().unwrap_or(0))
    }

    #[test]
    fn sequential_ids_hash_apart_and_fill_buckets_evenly() {
        // usr-0000000 … usr-0099999: the ids that collided under the hash used before.
        for seed in [0, 1, 0x5eed] {
            let state = RandomState::with_seed(seed);
            let hashes: Vec<u64> = (0..100_000).map(|i| hash(&state, &format!("usr-{i:07}"))).collect();
            let distinct: HashSet<u64> = hashes.iter().copied().collect();
            assert_eq!(distinct.len(), 100_000, "seed {seed}");
            // 100,000 keys thrown at random into 131,072 buckets use 131,072 · (1 − e^(−100000/131072))
            // ≈ 69,950 of them, and the fullest holds about 8 (the balls-into-bins maximum).
            let (used, fullest) = fill(&hashes, 1 << 17);
            assert!((68_500..=71_500).contains(&used), "seed {seed}: {used} buckets used");
            assert!(fullest <= 12, "seed {seed}: a bucket holds {fullest}");
            // hashbrown also reads the top 7 bits (its tags): they spread too, each of the 128
            // tags within 15% of the 781 expected.
            let mut tags = [0usize; 128];
            for h in &hashes {
                tags[(h >> 57) as usize] += 1;
            }
            assert!(tags.iter().all(|&n| (660..=900).contains(&n)), "seed {seed}: tags {tags:?}");
        }
    }

    #[test]
    fn whole_floats_spread_over_the_low_bits() {
        // 1.0, 2.0, … 1024.0 differ only in their top 20 bits; a table of 1024 buckets indexes
        // by the low 10 bits of the hash, which must still be nearly all different.
        let state = RandomState::with_seed(7);
        let hashes: Vec<u64> = (1..=1024).map(|i| hash(&state, &(i as f64).to_bits())).collect();
        let (used, _) = fill(&hashes, 1024);
        assert!(used > 600, "{used} of 1024 buckets used");
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
