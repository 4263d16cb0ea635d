//! `e^x` for the loops that call it once a row: logistic regression's loss and gradient,
//! and its probabilities.
//!
//! Why not `f64::exp`: it is the platform's. Natively that is the C library's (glibc's is
//! table-driven and fast); in the page's wasm it is the portable `libm` compiled into the
//! module, which reduces by ln 2 alone, divides, and is not inlined: a third of logistic
//! regression's time in a profile of the page at 100k rows. This one is written for that
//! loop: one small table, no division, inlined; 22 → 11 ns a call in V8, and no slower than
//! glibc's natively (8.1 against 7.8 ns, a loop of 4,096 values); and the page and the
//! command compute the same bits.
//!
//! It splits x = k·ln2/64 + r, so e^x = 2^(k/64) · e^r with |r| ≤ ln2/128 and e^r − 1 a
//! degree-6 polynomial. Each table entry is 2^(j/64) and what its rounding left out, so the
//! result is rounded once, at the end: within one unit in the last place, and the C
//! library's double in all but a few draws in a thousand (the tests). `scripts/exp_table.py`
//! writes the table (Python's `decimal` at 80 digits).

/// 64/ln2, and ln2/64 in two parts: `LN2_64_HI` has its low 20 bits zero, so k·hi is exact
/// for every |k| < 2^17 (|x| < 1420).
const INV_LN2_64: f64 = f64::from_bits(0x40571547652b82fe);
const LN2_64_HI: f64 = f64::from_bits(0x3f862e42fef00000);
const LN2_64_LO: f64 = f64::from_bits(0x3d7473de6af278ed);
/// 1.5 · 2^52: a double below 2^51 in size plus this is rounded to an integer (nearest, ties
/// to even), which the low bits of the sum hold.
const ROUND: f64 = 6755399441055744.0;
/// Above this e^x overflows; below `EXP_UNDER` it is 0 (less than half the least subnormal).
const EXP_OVER: f64 = 709.782712893384;
const EXP_UNDER: f64 = -745.1332191019412;

/// e^x, within one unit in the last place (subnormal results: of the subnormal's place).
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    if !(EXP_UNDER..=EXP_OVER).contains(&x) {
        return if x > 0.0 {
            f64::INFINITY
        } else if x.is_nan() {
            x
        } else {
            0.0
        };
    }
    let shifted = x * INV_LN2_64 + ROUND;
    let k = shifted.to_bits().wrapping_sub(ROUND.to_bits()) as i64;
    let kf = shifted - ROUND;
    // x − k·hi is exact (k·hi is, and the two are within a factor of two or k is 0).
    let r = (x - kf * LN2_64_HI) - kf * LN2_64_LO;
    // e^r − 1 by Taylor's series: the first term left out, r^7/7!, is under 2^-60 of it.
    let p =
        r + r * r * (1.0 / 2.0 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0)))));
    let (hi, lo) = EXP2_64[(k & 63) as usize];
    let mantissa = hi + (hi * p + lo);
    let e = k >> 6;
    if (-1022..=1023).contains(&e) {
        mantissa * power_of_two(e)
    } else {
        // Near either end: two factors, each a normal number.
        let half = e / 2;
        mantissa * power_of_two(half) * power_of_two(e - half)
    }
}

/// 2^e for -1022 ≤ e ≤ 1023.
#[inline(always)]
fn power_of_two(e: i64) -> f64 {
    f64::from_bits(((e + 1023) as u64) << 52)
}

/// 2^(j/64): the double nearest, then what it leaves out.
const EXP2_64: [(f64, f64); 64] = [
    (f64::from_bits(0x3ff0000000000000), f64::from_bits(0x0000000000000000)),
    (f64::from_bits(0x3ff02c9a3e778061), f64::from_bits(0xbc719083535b085d)),
    (f64::from_bits(0x3ff059b0d3158574), f64::from_bits(0x3c8d73e2a475b465)),
    (f64::from_bits(0x3ff0874518759bc8), f64::from_bits(0x3c6186be4bb284ff)),
    (f64::from_bits(0x3ff0b5586cf9890f), f64::from_bits(0x3c98a62e4adc610b)),
    (f64::from_bits(0x3ff0e3ec32d3d1a2), f64::from_bits(0x3c403a1727c57b53)),
    (f64::from_bits(0x3ff11301d0125b51), f64::from_bits(0xbc96c51039449b3a)),
    (f64::from_bits(0x3ff1429aaea92de0), f64::from_bits(0xbc932fbf9af1369e)),
    (f64::from_bits(0x3ff172b83c7d517b), f64::from_bits(0xbc819041b9d78a76)),
    (f64::from_bits(0x3ff1a35beb6fcb75), f64::from_bits(0x3c8e5b4c7b4968e4)),
    (f64::from_bits(0x3ff1d4873168b9aa), f64::from_bits(0x3c9e016e00a2643c)),
    (f64::from_bits(0x3ff2063b88628cd6), f64::from_bits(0x3c8dc775814a8495)),
    (f64::from_bits(0x3ff2387a6e756238), f64::from_bits(0x3c99b07eb6c70573)),
    (f64::from_bits(0x3ff26b4565e27cdd), f64::from_bits(0x3c82bd339940e9d9)),
    (f64::from_bits(0x3ff29e9df51fdee1), f64::from_bits(0x3c8612e8afad1255)),
    (f64::from_bits(0x3ff2d285a6e4030b), f64::from_bits(0x3c90024754db41d5)),
    (f64::from_bits(0x3ff306fe0a31b715), f64::from_bits(0x3c86f46ad23182e4)),
    (f64::from_bits(0x3ff33c08b26416ff), f64::from_bits(0x3c932721843659a6)),
    (f64::from_bits(0x3ff371a7373aa9cb), f64::from_bits(0xbc963aeabf42eae2)),
    (f64::from_bits(0x3ff3a7db34e59ff7), f64::from_bits(0xbc75e436d661f5e3)),
    (f64::from_bits(0x3ff3dea64c123422), f64::from_bits(0x3c8ada0911f09ebc)),
    (f64::from_bits(0x3ff4160a21f72e2a), f64::from_bits(0xbc5ef3691c309278)),
    (f64::from_bits(0x3ff44e086061892d), f64::from_bits(0x3c489b7a04ef80d0)),
    (f64::from_bits(0x3ff486a2b5c13cd0), f64::from_bits(0x3c73c1a3b69062f0)),
    (f64::from_bits(0x3ff4bfdad5362a27), f64::from_bits(0x3c7d4397afec42e2)),
    (f64::from_bits(0x3ff4f9b2769d2ca7), f64::from_bits(0xbc94b309d25957e3)),
    (f64::from_bits(0x3ff5342b569d4f82), f64::from_bits(0xbc807abe1db13cad)),
    (f64::from_bits(0x3ff56f4736b527da), f64::from_bits(0x3c99bb2c011d93ad)),
    (f64::from_bits(0x3ff5ab07dd485429), f64::from_bits(0x3c96324c054647ad)),
    (f64::from_bits(0x3ff5e76f15ad2148), f64::from_bits(0x3c9ba6f93080e65e)),
    (f64::from_bits(0x3ff6247eb03a5585), f64::from_bits(0xbc9383c17e40b497)),
    (f64::from_bits(0x3ff6623882552225), f64::from_bits(0xbc9bb60987591c34)),
    (f64::from_bits(0x3ff6a09e667f3bcd), f64::from_bits(0xbc9bdd3413b26456)),
    (f64::from_bits(0x3ff6dfb23c651a2f), f64::from_bits(0xbc6bbe3a683c88ab)),
    (f64::from_bits(0x3ff71f75e8ec5f74), f64::from_bits(0xbc816e4786887a99)),
    (f64::from_bits(0x3ff75feb564267c9), f64::from_bits(0xbc90245957316dd3)),
    (f64::from_bits(0x3ff7a11473eb0187), f64::from_bits(0xbc841577ee04992f)),
    (f64::from_bits(0x3ff7e2f336cf4e62), f64::from_bits(0x3c705d02ba15797e)),
    (f64::from_bits(0x3ff82589994cce13), f64::from_bits(0xbc9d4c1dd41532d8)),
    (f64::from_bits(0x3ff868d99b4492ed), f64::from_bits(0xbc9fc6f89bd4f6ba)),
    (f64::from_bits(0x3ff8ace5422aa0db), f64::from_bits(0x3c96e9f156864b27)),
    (f64::from_bits(0x3ff8f1ae99157736), f64::from_bits(0x3c85cc13a2e3976c)),
    (f64::from_bits(0x3ff93737b0cdc5e5), f64::from_bits(0xbc675fc781b57ebc)),
    (f64::from_bits(0x3ff97d829fde4e50), f64::from_bits(0xbc9d185b7c1b85d1)),
    (f64::from_bits(0x3ff9c49182a3f090), f64::from_bits(0x3c7c7c46b071f2be)),
    (f64::from_bits(0x3ffa0c667b5de565), f64::from_bits(0xbc9359495d1cd533)),
    (f64::from_bits(0x3ffa5503b23e255d), f64::from_bits(0xbc9d2f6edb8d41e1)),
    (f64::from_bits(0x3ffa9e6b5579fdbf), f64::from_bits(0x3c90fac90ef7fd31)),
    (f64::from_bits(0x3ffae89f995ad3ad), f64::from_bits(0x3c97a1cd345dcc81)),
    (f64::from_bits(0x3ffb33a2b84f15fb), f64::from_bits(0xbc62805e3084d708)),
    (f64::from_bits(0x3ffb7f76f2fb5e47), f64::from_bits(0xbc75584f7e54ac3b)),
    (f64::from_bits(0x3ffbcc1e904bc1d2), f64::from_bits(0x3c823dd07a2d9e84)),
    (f64::from_bits(0x3ffc199bdd85529c), f64::from_bits(0x3c811065895048dd)),
    (f64::from_bits(0x3ffc67f12e57d14b), f64::from_bits(0x3c92884dff483cad)),
    (f64::from_bits(0x3ffcb720dcef9069), f64::from_bits(0x3c7503cbd1e949db)),
    (f64::from_bits(0x3ffd072d4a07897c), f64::from_bits(0xbc9cbc3743797a9c)),
    (f64::from_bits(0x3ffd5818dcfba487), f64::from_bits(0x3c82ed02d75b3707)),
    (f64::from_bits(0x3ffda9e603db3285), f64::from_bits(0x3c9c2300696db532)),
    (f64::from_bits(0x3ffdfc97337b9b5f), f64::from_bits(0xbc91a5cd4f184b5c)),
    (f64::from_bits(0x3ffe502ee78b3ff6), f64::from_bits(0x3c839e8980a9cc8f)),
    (f64::from_bits(0x3ffea4afa2a490da), f64::from_bits(0xbc9e9c23179c2893)),
    (f64::from_bits(0x3ffefa1bee615a27), f64::from_bits(0x3c9dc7f486a4b6b0)),
    (f64::from_bits(0x3fff50765b6e4540), f64::from_bits(0x3c99d3e12dd8a18b)),
    (f64::from_bits(0x3fffa7c1819e90d8), f64::from_bits(0x3c874853f3a5931e)),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::split::SplitMix64;

    /// How many representable doubles lie between a and b (both finite, same sign or zero).
    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64).abs_diff(b.to_bits() as i64)
    }

    #[test]
    fn exp_is_within_an_ulp_of_the_c_library_over_its_range() {
        let mut rng = SplitMix64::new(7);
        let mut differ = 0;
        let draws = 2_000_000;
        for i in 0..draws {
            // Half of the draws where logistic regression calls it (−40..0), half anywhere.
            let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            let x = if i % 2 == 0 { -40.0 * u } else { EXP_UNDER + u * (EXP_OVER - EXP_UNDER) };
            let (ours, theirs) = (exp(x), x.exp());
            assert!(ulps(ours, theirs) <= 1, "exp({x:e}): {ours:e} against {theirs:e}");
            differ += usize::from(ours != theirs);
        }
        // Nearly always the same double: the rounding is the final addition's alone.
        assert!(differ < draws / 100, "{differ} of {draws} differ");
    }

    #[test]
    fn exp_at_its_edges() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-0.0), 1.0);
        assert_eq!(exp(1.0), std::f64::consts::E);
        assert!(exp(f64::NAN).is_nan());
        assert_eq!(exp(f64::INFINITY), f64::INFINITY);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp(710.0), f64::INFINITY);
        assert_eq!(exp(-746.0), 0.0);
        assert!(exp(EXP_OVER).is_finite() && exp(EXP_OVER) > 1e308);
        // The subnormal range, where the scaling takes two steps.
        for x in [-708.5, -720.0, -740.0, -745.0, 709.0, 709.7] {
            assert!(ulps(exp(x), x.exp()) <= 1, "exp({x}): {:e} against {:e}", exp(x), x.exp());
        }
        // Ties of the reduction: k·ln2/64 exactly halfway is not an issue of accuracy, only
        // of which k; either side gives the same value.
        for k in -200..200 {
            let x = k as f64 * std::f64::consts::LN_2 / 64.0;
            assert!(ulps(exp(x), x.exp()) <= 1, "exp({x})");
        }
    }

    /// The table is what its comment says: each pair sums to the value to well past a
    /// double's precision (checked through the C library, to an ulp of the high part).
    #[test]
    fn the_tables_hold_their_values() {
        for (j, &(hi, lo)) in EXP2_64.iter().enumerate() {
            let want = (j as f64 / 64.0).exp2();
            assert!(ulps(hi, want) <= 1, "2^({j}/64)");
            assert!(lo.abs() <= f64::EPSILON * hi / 2.0, "2^({j}/64)'s tail");
        }
    }
}
