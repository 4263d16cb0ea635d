//! The special functions behind the drift tests' p-values: ln Γ, the regularized incomplete
//! gamma functions, erf/erfc and the normal CDF, and the chi-square survival function.
//!
//! They are written here from their textbook definitions rather than taken from a crate
//! (the engine builds for wasm32 with no C library). Each agrees with its SciPy 1.17.1
//! counterpart (`scipy.special.gammaln`, `gammaincc`, `erf`, `erfc`, `ndtr`, `chdtrc`) to
//! about 1e-14 relative, which the tests at the bottom pin: that is what lets the drift
//! p-values equal Evidently's to 1e-9. They are not bit-identical to SciPy's (Cephes'
//! rational approximations), and need not be: no drift decision depends on the last bits.

use std::f64::consts::{FRAC_1_SQRT_2, PI};

/// Relative size of the last term kept by the series and continued fractions below.
const TOLERANCE: f64 = f64::EPSILON / 4.0;

/// Enough iterations for every series and continued fraction here to converge: the
/// incomplete gamma functions need about √a of them near x = a, and a chi-square test with
/// a million categories has a = 500,000.
const MAX_ITERATIONS: usize = 100_000;

/// The Bernoulli-number coefficients of Stirling's series for ln Γ: B₂ⱼ / (2j (2j − 1)) for
/// j = 1..=8. At x ≥ 10 the next term is below 2e-18, so the series is exact to rounding.
const STIRLING: [f64; 8] = [
    1.0 / 12.0,
    -1.0 / 360.0,
    1.0 / 1260.0,
    -1.0 / 1680.0,
    1.0 / 1188.0,
    -691.0 / 360360.0,
    1.0 / 156.0,
    -3617.0 / 122400.0,
];

/// ln(f64::MAX): beyond it exp(−x) underflows (Cephes' MAXLOG).
const MAX_LOG: f64 = 709.782712893384;

/// Where Stirling's series takes over from the recurrence Γ(x + 1) = x Γ(x).
const STIRLING_FROM: f64 = 10.0;

/// μ(x) = ln Γ(x) − [(x − ½) ln x − x + ½ ln 2π], the remainder of Stirling's formula, by
/// its asymptotic series; accurate for x ≥ [`STIRLING_FROM`].
pub(super) fn stirling_remainder(x: f64) -> f64 {
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    // Horner in 1/x² over the coefficients, highest first, then one factor 1/x.
    STIRLING.iter().rev().fold(0.0, |acc, &c| acc * inv2 + c) * inv
}

/// ln Γ(x) for x > 0 (NaN otherwise): Stirling's series at x ≥ 10, and below that the
/// recurrence ln Γ(x) = ln Γ(x + k) − ln(x (x + 1) ⋯ (x + k − 1)).
pub fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x.is_infinite() {
        return f64::INFINITY;
    }
    let mut shifted = x;
    let mut product = 1.0;
    while shifted < STIRLING_FROM {
        product *= shifted;
        shifted += 1.0;
    }
    let half_ln_2pi = 0.5 * (2.0 * PI).ln();
    (shifted - 0.5) * shifted.ln() - shifted + half_ln_2pi + stirling_remainder(shifted) - product.ln()
}

/// ln(xᵃ e⁻ˣ / Γ(a)), the factor in front of both incomplete gamma expansions, for a > 0 and
/// x > 0. For large `a` its three terms are each about a ln a and nearly cancel, so there it
/// is computed as a (ln(1 + δ) − δ) + ½ ln(a / 2π) − μ(a) with δ = (x − a)/a, which keeps
/// the relative accuracy of the result at a million categories.
fn ln_prefactor(a: f64, x: f64) -> f64 {
    if a < STIRLING_FROM {
        a * x.ln() - x - ln_gamma(a)
    } else {
        let delta = (x - a) / a;
        a * (delta.ln_1p() - delta) + 0.5 * (a / (2.0 * PI)).ln() - stirling_remainder(a)
    }
}

/// The regularized lower incomplete gamma P(a, x) by its power series, for x < a + 1.
fn gamma_p_series(a: f64, x: f64) -> f64 {
    let ln_factor = ln_prefactor(a, x);
    if ln_factor < -MAX_LOG {
        return 0.0;
    }
    let mut term = 1.0 / a;
    let mut sum = term;
    let mut denominator = a;
    for _ in 0..MAX_ITERATIONS {
        denominator += 1.0;
        term *= x / denominator;
        sum += term;
        if term.abs() < sum.abs() * TOLERANCE {
            break;
        }
    }
    sum * ln_factor.exp()
}

/// The regularized upper incomplete gamma Q(a, x) by its continued fraction (evaluated with
/// the modified Lentz method), for x ≥ a + 1.
fn gamma_q_fraction(a: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let ln_factor = ln_prefactor(a, x);
    if ln_factor < -MAX_LOG {
        // Underflow: 0, as Cephes' igamc returns it.
        return 0.0;
    }
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut fraction = d;
    for i in 1..MAX_ITERATIONS {
        let i = i as f64;
        let an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let step = d * c;
        fraction *= step;
        if (step - 1.0).abs() < TOLERANCE {
            break;
        }
    }
    fraction * ln_factor.exp()
}

/// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a)
/// (`scipy.special.gammaincc`), with SciPy's edge values: Q(0, x > 0) = 0, Q(a, 0) = 1 for
/// a > 0, Q(a, ∞) = 0, and NaN for a negative or NaN argument and for Q(0, 0).
pub fn gamma_q(a: f64, x: f64) -> f64 {
    if a.is_nan() || x.is_nan() || a < 0.0 || x < 0.0 {
        return f64::NAN;
    }
    if a == 0.0 {
        return if x > 0.0 { 0.0 } else { f64::NAN };
    }
    if x == 0.0 {
        return 1.0;
    }
    if x.is_infinite() {
        return 0.0;
    }
    if x < a + 1.0 {
        1.0 - gamma_p_series(a, x)
    } else {
        gamma_q_fraction(a, x)
    }
}

/// The chi-square survival function with `df` degrees of freedom at `x`
/// (`scipy.special.chdtrc(df, x)`, what `scipy.stats.chisquare` takes its p-value from):
/// Q(df/2, x/2). NaN for df = 0 at x = 0, as SciPy gives it.
pub fn chi2_sf(df: f64, x: f64) -> f64 {
    gamma_q(df / 2.0, x / 2.0)
}

/// erf(x) by its Maclaurin series, for |x| < 1 where the alternating terms shrink fast.
fn erf_series(x: f64) -> f64 {
    let x2 = x * x;
    let mut power = x; // x^(2n+1) (−1)ⁿ / n!
    let mut sum = x;
    for n in 1..MAX_ITERATIONS {
        power *= -x2 / n as f64;
        let term = power / (2 * n + 1) as f64;
        sum += term;
        if term.abs() < sum.abs() * TOLERANCE {
            break;
        }
    }
    sum * 2.0 / PI.sqrt()
}

/// The error function (`scipy.special.erf`).
pub fn erf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x.abs() < 1.0 {
        erf_series(x)
    } else {
        x.signum() * (1.0 - erfc(x.abs()))
    }
}

/// The complementary error function (`scipy.special.erfc`): 1 − erf(x), computed for x ≥ 1
/// as Q(½, x²) so that its tail keeps its relative accuracy down to the underflow.
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        2.0 - erfc(-x)
    } else if x < 1.0 {
        1.0 - erf_series(x)
    } else if x * x > MAX_LOG {
        // exp(−x²) underflows: 0, as SciPy's erfc (and so ndtr) gives it.
        0.0
    } else {
        gamma_q(0.5, x * x)
    }
}

/// The standard normal CDF, as `scipy.special.ndtr` (so `scipy.stats.norm.cdf`) composes it:
/// ½ + ½ erf(x/√2) while |x/√2| < 1, else ½ erfc(|x|/√2), taken from 1 for positive x. The
/// composition matters to a caller that subtracts the result from 1, as Evidently's Z-test
/// does.
pub fn normal_cdf(a: f64) -> f64 {
    if a.is_nan() {
        return f64::NAN;
    }
    let x = a * FRAC_1_SQRT_2;
    let z = x.abs();
    if z < 1.0 {
        0.5 + 0.5 * erf(x)
    } else {
        let tail = 0.5 * erfc(z);
        if x > 0.0 {
            1.0 - tail
        } else {
            tail
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// |actual − expected| within `rel` of |expected|, or exactly equal (infinities, zeros).
    fn close(actual: f64, expected: f64, rel: f64) -> bool {
        actual == expected || (actual - expected).abs() <= rel * expected.abs()
    }

    #[test]
    fn ln_gamma_matches_scipy() {
        // scipy 1.17.1: scipy.special.gammaln(x)
        let cases = [
            (0.5, 0.5723649429247),
            (1.0, 0.0),
            (1.5, -0.12078223763524526),
            (2.0, 0.0),
            (3.7, 1.428072326665388),
            (9.99, 12.779315214350195),
            (10.0, 12.801827480081469),
            (10.5, 13.940625219403763),
            (123.25, 468.6144829505166),
            (1e-3, 6.907178885383853),
            (5e5, 6061176.046459176),
        ];
        for (x, expected) in cases {
            let got = ln_gamma(x);
            // Below 10 the recurrence subtracts ln of a product near 10!: absolute error ~1e-15.
            assert!(
                close(got, expected, 1e-14) || (got - expected).abs() < 4e-15,
                "lnΓ({x}) = {got}, scipy {expected}"
            );
        }
        assert!(ln_gamma(0.0).is_nan() && ln_gamma(-1.0).is_nan());
    }

    #[test]
    fn chi2_sf_matches_scipy_chdtrc() {
        // scipy 1.17.1: scipy.special.chdtrc(df, x)
        let cases = [
            (1.0, 0.5, 0.47950012218695337),
            (1.0, 3.841458820694124, 0.04999999999999989),
            (2.0, 0.5, 0.7788007830714049),
            (2.0, 10.0, 0.006737946999085468),
            (3.0, 0.1, 0.9918374237318764),
            (5.0, 11.0704976935164, 0.04999999999999909),
            (7.0, 2.0, 0.9598403687301016),
            (10.0, 50.0, 2.669083424904495e-07),
            (30.0, 29.0, 0.5175966978958983),
            (99.0, 400.0, 8.372893780664211e-38),
            (999.0, 1000.0, 0.48513148927490146),
            (999.0, 1300.0, 3.398217496515481e-10),
            (1e6 - 1.0, 1e6 + 3000.0, 0.0169869735938558),
            (4.0, 1500.0, 0.0),
        ];
        for (df, x, expected) in cases {
            let got = chi2_sf(df, x);
            assert!(close(got, expected, 1e-12), "chdtrc({df}, {x}) = {got:e}, scipy {expected:e}");
        }
        assert_eq!(chi2_sf(3.0, f64::INFINITY), 0.0);
        assert_eq!(chi2_sf(3.0, 0.0), 1.0);
        assert!(chi2_sf(0.0, 0.0).is_nan(), "scipy: chdtrc(0, 0) is nan");
        assert_eq!(chi2_sf(0.0, 1.0), 0.0);
    }

    #[test]
    fn erf_erfc_and_normal_cdf_match_scipy() {
        // scipy 1.17.1: scipy.special.erf(x), erfc(x), ndtr(x)
        for (x, erf_expected, erfc_expected) in [
            (0.1, 0.1124629160182849, 0.8875370839817152),
            (0.7, 0.6778011938374183, 0.3221988061625817),
            (1.0, 0.8427007929497148, 0.15729920705028516),
            (2.0, 0.9953222650189527, 0.004677734981047266),
            (5.5, 0.9999999999999927, 7.357847917974398e-15),
            (-1.3, -0.9340079449406524, 1.9340079449406524),
        ] {
            assert!(close(erf(x), erf_expected, 1e-14), "erf({x}) = {}", erf(x));
            assert!(close(erfc(x), erfc_expected, 1e-13), "erfc({x}) = {:e}", erfc(x));
        }
        assert!(close(erfc(26.0), 5.663192408856145e-296, 1e-12));
        for (x, expected) in [
            (0.0, 0.5),
            (0.3, 0.6179114221889526),
            (-1.2, 0.11506967022170822),
            (1.959963984540054, 0.975),
            (3.0, 0.9986501019683699),
            (-8.0, 6.22096057427174e-16),
            (-38.0, 0.0),
        ] {
            let got = normal_cdf(x);
            assert!(close(got, expected, 1e-13), "ndtr({x}) = {got:e}, scipy {expected:e}");
        }
    }
}
