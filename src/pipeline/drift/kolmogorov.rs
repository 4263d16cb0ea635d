//! The two-sample Kolmogorov–Smirnov test as `scipy.stats.ks_2samp(a, b)` computes it in
//! SciPy 1.17.1 (two-sided, `method="auto"`), which is Evidently's `ks` stattest.
//!
//! - The statistic D is the largest gap between the two empirical CDFs, each evaluated at
//!   every value of both samples (counting values ≤ it), so ties are handled as SciPy's
//!   `searchsorted(side="right")` handles them.
//! - With at most [`MAX_EXACT_N`] values in each sample the p-value is exact: D is rounded
//!   to a multiple h/lcm(n₁, n₂), and the probability of a gap ≥ D is Hodges' lattice-path
//!   count — for equal sizes the alternating binomial series of
//!   `_compute_prob_outside_square`, else the "inside" recursion of
//!   `_compute_outer_prob_inside_method` (Viehmann's form that computes 1 − p directly).
//!   SciPy gives up on the exact value when it falls outside [0, 1] (for equal sizes with
//!   h = 1 it can come out one rounding above 1) and then uses the asymptotic one; so does
//!   [`ks_2samp`].
//! - Otherwise the p-value is the one-sample two-sided distribution `kstwo.sf(D, N)` at
//!   N = round(n₁n₂/(n₁ + n₂)) (ties to even, as numpy rounds), computed as SciPy's
//!   `_kolmogn` does after Simard & L'Ecuyer (2011): Ruben–Gambino's closed forms at the
//!   ends, Durbin's matrix (Marsaglia–Tsang–Wang), Pomeranz's recursion, Pelz–Good's
//!   series or twice the one-sided Smirnov probability, each in the region where SciPy uses
//!   it. The regions are what make the p-value equal SciPy's: the approximations differ
//!   from each other by more than 1e-9.
//!
//! The arithmetic of the exact paths is SciPy's operation for operation (the results are
//! bit-identical in the tests); the asymptotic pieces agree with it to about 2e-12 (checked
//! on a grid of 34,000 (n, x) pairs from n = 1 to 10⁶).

use super::special::stirling_remainder;

/// `ks_2samp`'s `MAX_AUTO_N`: `method="auto"` is exact while neither sample is larger.
pub const MAX_EXACT_N: usize = 10_000;

/// The result of [`ks_2samp`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KsTwoSample {
    /// D, the largest distance between the two empirical CDFs. After an exact computation
    /// this is D rounded to the lattice, h / lcm(n₁, n₂), as SciPy returns it.
    pub statistic: f64,
    /// The two-sided p-value.
    pub p_value: f64,
    /// Whether the p-value is the exact one (else the asymptotic distribution's).
    pub exact: bool,
}

/// `scipy.stats.ks_2samp(a, b)` (two-sided, `method="auto"`) on two non-empty samples
/// sorted ascending without NaN. The caller checks that; an empty sample gives D = 0, p = 1.
pub fn ks_2samp(a: &[f64], b: &[f64]) -> KsTwoSample {
    let (n1, n2) = (a.len(), b.len());
    let mut d = statistic(a, b);
    if n1 == 0 || n2 == 0 {
        return KsTwoSample { statistic: d, p_value: 1.0, exact: false };
    }
    if n1.max(n2) <= MAX_EXACT_N {
        let (rounded, exact) = exact_p_value(n1 as u64, n2 as u64, d);
        if let Some(p) = exact {
            return KsTwoSample { statistic: rounded, p_value: p, exact: true };
        }
        // SciPy keeps the rounded D when it falls back.
        d = rounded;
    }
    KsTwoSample { statistic: d, p_value: asymptotic_p_value(n1, n2, d), exact: false }
}

/// D = max over every value v of either sample of |F₁(v) − F₂(v)|, where Fᵢ(v) is the
/// count of values ≤ v over nᵢ, computed as SciPy does (the two quotients, then their
/// difference) so that D is the same float.
fn statistic(a: &[f64], b: &[f64]) -> f64 {
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    let (mut i, mut j) = (0, 0);
    let mut max_diff = 0.0f64; // largest F₁ − F₂
    let mut min_diff = 0.0f64; // most negative F₁ − F₂
    while i < a.len() || j < b.len() {
        let v = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) => x.min(y),
            (Some(&x), None) => x,
            (None, Some(&y)) => y,
            (None, None) => break,
        };
        while i < a.len() && a[i] <= v {
            i += 1;
        }
        while j < b.len() && b[j] <= v {
            j += 1;
        }
        let diff = i as f64 / n1 - j as f64 / n2;
        max_diff = max_diff.max(diff);
        min_diff = min_diff.min(diff);
    }
    // SciPy takes the negative side only when it is strictly larger.
    let below = (-min_diff).clamp(0.0, 1.0);
    if below > max_diff {
        below
    } else {
        max_diff
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// SciPy's `_attempt_exact_2kssamp` for the two-sided test: D rounded to the lattice
/// h / lcm, and the exact p-value, or `None` when the computation leaves [0, 1] (SciPy then
/// falls back to the asymptotic p-value, at the rounded D).
fn exact_p_value(n1: u64, n2: u64, d: f64) -> (f64, Option<f64>) {
    let g = gcd(n1, n2);
    let lcm = (n1 / g) * n2;
    let h = (d * lcm as f64).round_ties_even() as u64;
    let d = h as f64 / lcm as f64;
    if h == 0 {
        return (d, Some(1.0));
    }
    let p = if n1 == n2 { Some(prob_outside_square(n1, h)) } else { prob_outside_band(n1, n2, g, h) };
    match p {
        Some(p) if (0.0..=1.0).contains(&p) => (d, Some(p)),
        _ => (d, None),
    }
}

/// P(D ≥ h/n) for two samples of n values (`_compute_prob_outside_square`): the series
/// 2 Σₖ (−1)ᵏ⁺¹ C(2n, n − kh) / C(2n, n) as a Horner-like product of ratios, which avoids
/// the series' cancellation.
fn prob_outside_square(n: u64, h: u64) -> f64 {
    let (n, h) = (n as i64, h as i64);
    let mut p = 0.0;
    let mut k = n / h;
    while k >= 0 {
        let mut ratio = 1.0;
        for j in 0..h {
            ratio = (n - k * h - j) as f64 * ratio / (n + k * h + j + 1) as f64;
        }
        p = ratio * (1.0 - p);
        k -= 1;
    }
    2.0 * p
}

/// P(D ≥ h/lcm) for samples of m and n values with gcd g (`_compute_outer_prob_inside_method`):
/// the share of lattice paths from (0, 0) to (m, n) that leave the band |x/m − y/n| <
/// h/lcm, carried column by column over the band's window only. `None` if the window
/// arithmetic ever points outside its buffer (it does not for valid input; SciPy would
/// read garbage there, mltest falls back to the asymptotic p-value).
fn prob_outside_band(m: u64, n: u64, g: u64, h: u64) -> Option<f64> {
    let (m, n) = if m < n { (n as i64, m as i64) } else { (m as i64, n as i64) };
    let (g, h) = (g as i64, h as i64);
    let (mg, ng) = (m / g, n / g);
    let mut minj: i64 = 0;
    let mut maxj: i64 = ((h as f64 / mg as f64).ceil() as i64).min(n + 1);
    let mut curlen = maxj - minj;
    let len = (2 * maxj + 2).min(n + 1) as usize;
    let mut column = vec![1.0f64; len];
    for cell in column.iter_mut().take(maxj as usize) {
        *cell = 0.0;
    }
    for i in 1..=m {
        let (lastminj, lastlen) = (minj, curlen);
        minj = (((ng * i - h) as f64 / mg as f64).floor() as i64 + 1).max(0).min(n);
        maxj = (((ng * i + h) as f64 / mg as f64).ceil() as i64).min(n + 1);
        if maxj <= minj {
            return Some(1.0);
        }
        let fi = i as f64;
        let mut val = if minj == 0 { 0.0 } else { 1.0 };
        for jj in 0..(maxj - minj) {
            let j = jj + minj;
            let from = *column.get(usize::try_from(jj + minj - lastminj).ok()?)?;
            val = (from * fi + val * j as f64) / (fi + j as f64);
            *column.get_mut(jj as usize)? = val;
        }
        curlen = maxj - minj;
        if lastlen > curlen {
            // numpy's slice assignment stops at the end of the buffer.
            let start = (maxj - minj) as usize;
            let end = (start + (lastlen - curlen) as usize).min(column.len());
            for cell in column.iter_mut().take(end).skip(start) {
                *cell = 1.0;
            }
        }
    }
    column.get(usize::try_from(maxj - minj - 1).ok()?).copied()
}

/// `ks_2samp`'s asymptotic p-value: `kstwo.sf(d, round(n₁n₂/(n₁ + n₂)))`, clipped to [0, 1].
fn asymptotic_p_value(n1: usize, n2: usize, d: f64) -> f64 {
    let (m, n) = (n1.max(n2) as f64, n1.min(n2) as f64);
    let en = m * n / (m + n);
    kolmogorov_sf(en.round_ties_even() as u64, d).clamp(0.0, 1.0)
}

/// The survival function of the two-sided one-sample Kolmogorov–Smirnov statistic D_n,
/// P(D_n > x) (`scipy.stats.kstwo.sf(x, n)`, SciPy's `_kolmogn(n, x, cdf=False)`), with
/// SciPy's choice of method by region.
pub fn kolmogorov_sf(n: u64, x: f64) -> f64 {
    if n == 0 || x.is_nan() {
        return f64::NAN;
    }
    if x >= 1.0 {
        return 0.0;
    }
    if x <= 0.0 {
        return 1.0;
    }
    let nf = n as f64;
    let t = nf * x;
    if t <= 1.0 {
        // Ruben–Gambino: P(D_n ≤ x) = n!/nⁿ (2t − 1)ⁿ for 1/2n ≤ x ≤ 1/n.
        if t <= 0.5 {
            return 1.0;
        }
        let cdf = if n <= 140 {
            (1..=n).fold(1.0, |acc, i| acc * (i as f64 * (1.0 / nf) * (2.0 * t - 1.0)))
        } else {
            (ln_factorial_over_power(nf) + nf * (2.0 * t - 1.0).ln()).exp()
        };
        return (1.0 - cdf).clamp(0.0, 1.0);
    }
    if t >= nf - 1.0 {
        // Ruben–Gambino at the other end: P(D_n > x) = 2 (1 − x)ⁿ.
        return (2.0 * (1.0 - x).powf(nf)).clamp(0.0, 1.0);
    }
    if x >= 0.5 {
        // Above ½ the two one-sided events are disjoint.
        return (2.0 * smirnov_sf(n, x)).clamp(0.0, 1.0);
    }
    let nx2 = t * x;
    if n <= 140 {
        let cdf = if nx2 <= 0.754693 {
            durbin_cdf(n, x)
        } else if nx2 <= 4.0 {
            pomeranz_cdf(n, x)
        } else {
            return (2.0 * smirnov_sf(n, x)).clamp(0.0, 1.0);
        };
        return (1.0 - cdf).clamp(0.0, 1.0);
    }
    if nx2 >= 370.0 {
        return 0.0;
    }
    if nx2 >= 2.2 {
        return (2.0 * smirnov_sf(n, x)).clamp(0.0, 1.0);
    }
    let cdf = if n <= 100_000 && nf * x.powf(1.5) <= 1.4 { durbin_cdf(n, x) } else { pelz_good_cdf(n, x) };
    (1.0 - cdf).clamp(0.0, 1.0)
}

/// ln(n!/nⁿ) by Stirling's series with the n ln n term taken out, as SciPy's
/// `_log_nfactorial_div_n_pow_n`.
fn ln_factorial_over_power(n: f64) -> f64 {
    let half_ln_2pi = 0.5 * (2.0 * std::f64::consts::PI).ln();
    n.ln() / 2.0 - n + half_ln_2pi + stirling_remainder(n)
}

/// ldexp: x · 2^e, in steps that neither overflow nor underflow early.
fn ldexp(mut x: f64, mut e: i64) -> f64 {
    while e > 1000 {
        x *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        x *= 2f64.powi(-1000);
        e += 1000;
    }
    x * 2f64.powi(e as i32)
}

/// The scale SciPy's Durbin and Pomeranz computations rescale by, 2¹²⁸, and its exponent.
const SCALE_EXPONENT: i64 = 128;

fn scale() -> f64 {
    2f64.powi(SCALE_EXPONENT as i32)
}

/// Row-major square matrix product.
fn mat_mul(a: &[f64], b: &[f64], size: usize) -> Vec<f64> {
    let mut out = vec![0.0; size * size];
    for i in 0..size {
        for k in 0..size {
            let aik = a[i * size + k];
            if aik == 0.0 {
                continue;
            }
            for j in 0..size {
                out[i * size + j] += aik * b[k * size + j];
            }
        }
    }
    out
}

/// P(D_n ≤ x) by Durbin's matrix method in Marsaglia, Tsang & Wang's form (SciPy's
/// `_kolmogn_DMTW`): with nx = k − h, the (k, k) entry of Hⁿ for a (2k − 1)-square matrix
/// H, times n!/nⁿ, with the powers rescaled by 2¹²⁸ as they grow.
fn durbin_cdf(n: u64, x: f64) -> f64 {
    if x >= 1.0 {
        return 1.0;
    }
    let nd = n as f64 * x;
    if nd <= 0.5 {
        return 0.0;
    }
    let k = nd.ceil() as usize;
    let h = k as f64 - nd;
    let m = 2 * k - 1;

    // v[j] = (1 − h^(j+1)) / (j+1)!, w[j] = 1/j!, the last v adjusted for the corner.
    let mut v: Vec<f64> = (1..=m).map(|j| 1.0 - h.powi(j as i32)).collect();
    let mut w = vec![0.0; m];
    let mut fac = 1.0;
    for j in 1..=m {
        w[j - 1] = fac;
        fac /= j as f64;
        v[j - 1] *= fac;
    }
    let corner = (2.0 * h - 1.0).max(0.0).powi(m as i32) - 2.0 * h.powi(m as i32);
    v[m - 1] = (1.0 + corner) * fac;

    let mut hm = vec![0.0; m * m];
    for i in 1..m {
        for r in (i - 1)..m {
            hm[r * m + i] = w[r + 1 - i];
        }
    }
    for r in 0..m {
        hm[r * m] = v[r];
    }
    for c in 0..m {
        hm[(m - 1) * m + c] = v[m - 1 - c];
    }

    let mut power: Vec<f64> = (0..m * m).map(|i| if i / m == i % m { 1.0 } else { 0.0 }).collect();
    let mut exponent: i64 = 0;
    let mut h_exponent: i64 = 0;
    let mut nn = n;
    while nn > 0 {
        if nn % 2 == 1 {
            power = mat_mul(&power, &hm, m);
            exponent += h_exponent;
        }
        hm = mat_mul(&hm, &hm, m);
        h_exponent *= 2;
        if hm[(k - 1) * m + (k - 1)].abs() > scale() {
            for e in hm.iter_mut() {
                *e /= scale();
            }
            h_exponent += SCALE_EXPONENT;
        }
        nn /= 2;
    }

    let mut p = power[(k - 1) * m + (k - 1)];
    let nf = n as f64;
    for i in 1..=n {
        p = i as f64 * p / nf;
        if p.abs() < 1.0 / scale() {
            p *= scale();
            exponent -= SCALE_EXPONENT;
        }
    }
    if exponent != 0 {
        p = ldexp(p, exponent);
    }
    p.clamp(0.0, 1.0)
}

/// The window of row `i` of Pomeranz's recursion (SciPy's `_pomeranz_compute_j1j2`).
fn pomeranz_window(i: i64, n: i64, ll: i64, ceilf: i64, roundf: i64) -> (i64, i64) {
    let (j1, j2) = if i == 0 {
        (-ll - ceilf - 1, ll + ceilf - 1)
    } else {
        let (half, odd) = ((i + 1) / 2, (i + 1) % 2);
        if odd == 0 {
            if half == n + 1 {
                (n - ll - ceilf - 1, n + ll + ceilf - 1)
            } else {
                (half - 1 - ll - roundf - 1, half + ll - 1 + ceilf - 1)
            }
        } else {
            (half - 1 - ll - 1, half + ll + roundf - 1)
        }
    };
    ((j1 + 2).max(0), j2.min(n))
}

/// P(D_n ≤ x) by Pomeranz's recursion (SciPy's `_kolmogn_Pomeranz`): 2n + 1 rows, each
/// the previous one convolved with Poisson-like weights, rescaled by 2¹²⁸ against
/// underflow, the answer n! times the last entry.
fn pomeranz_cdf(n: u64, x: f64) -> f64 {
    let nf = n as f64;
    let n = n as i64;
    let t = nf * x;
    let ll = t.floor() as i64;
    let f = t - ll as f64;
    let g = f.min(1.0 - f);
    let ceilf = i64::from(f > 0.0);
    let roundf = i64::from(f > 0.5);
    let npwrs = (2 * (ll + 1)) as usize;
    let mut gpower = vec![1.0; npwrs];
    let mut twogpower = vec![1.0; npwrs];
    let mut onem2gpower = vec![1.0; npwrs];
    let (g_over_n, two_g_over_n, one_minus_two_g_over_n) = (g / nf, 2.0 * g / nf, (1.0 - 2.0 * g) / nf);
    for m in 1..npwrs {
        gpower[m] = gpower[m - 1] * g_over_n / m as f64;
        twogpower[m] = twogpower[m - 1] * two_g_over_n / m as f64;
        onem2gpower[m] = onem2gpower[m - 1] * one_minus_two_g_over_n / m as f64;
    }

    let mut v0 = vec![0.0; npwrs];
    let mut v1 = vec![0.0; npwrs];
    v1[0] = 1.0;
    let (mut v0s, mut v1s) = (0i64, 0i64);
    let mut exponent: i64 = 0;
    let (mut j1, _) = pomeranz_window(0, n, ll, ceilf, roundf);
    for i in 1..(2 * n + 2) {
        let k1 = j1;
        std::mem::swap(&mut v0, &mut v1);
        std::mem::swap(&mut v0s, &mut v1s);
        v1.iter_mut().for_each(|e| *e = 0.0);
        let (new_j1, j2) = pomeranz_window(i, n, ll, ceilf, roundf);
        j1 = new_j1;
        let weights = if i == 1 || i == 2 * n + 1 {
            &gpower
        } else if i % 2 == 1 {
            &twogpower
        } else {
            &onem2gpower
        };
        let ln2 = j2 - k1 + 1;
        if ln2 > 0 {
            let start = (k1 - v0s).max(0) as usize;
            let row = numpy_slice(&v0, start, start + ln2 as usize);
            let pw = numpy_slice(weights, 0, ln2 as usize);
            let conv_start = (j1 - k1).max(0) as usize;
            let conv_len = (j2 - j1 + 1).max(0) as usize;
            // The full convolution's entries conv_start..conv_start + conv_len.
            for (out, idx) in v1.iter_mut().zip(conv_start..conv_start + conv_len) {
                let lo = idx.saturating_sub(pw.len().saturating_sub(1));
                let hi = idx.min(row.len().saturating_sub(1));
                let mut acc = 0.0;
                for r in lo..=hi {
                    if let (Some(&a), Some(&b)) = (row.get(r), pw.get(idx - r)) {
                        acc += a * b;
                    }
                }
                *out = acc;
            }
            let largest = v1.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if 0.0 < largest && largest < 1.0 / scale() {
                v1.iter_mut().for_each(|e| *e *= scale());
                exponent -= SCALE_EXPONENT;
            }
            v1s = v0s + j1 - k1;
        }
    }
    let mut ans = usize::try_from(n - v1s).ok().and_then(|i| v1.get(i).copied()).unwrap_or(0.0);
    for m in 1..=n {
        if ans.abs() > scale() {
            ans /= scale();
            exponent += SCALE_EXPONENT;
        }
        ans *= m as f64;
    }
    if exponent != 0 {
        ans = ldexp(ans, exponent);
    }
    ans.clamp(0.0, 1.0)
}

/// `v[start..stop]` with numpy's clipping at the end of the array.
fn numpy_slice(v: &[f64], start: usize, stop: usize) -> &[f64] {
    let stop = stop.min(v.len());
    &v[start.min(stop)..stop]
}

/// P(D_n ≤ x) by Pelz & Good's approximation (SciPy's `_kolmogn_PelzGood`): the
/// Li-Chien/Korolyuk expansion K₀ + K₁/√n + K₂/n + K₃/n^{3/2}, each Kᵢ written with Jacobi
/// theta functions in a form that converges for small √n x.
fn pelz_good_cdf(n: u64, x: f64) -> f64 {
    use std::f64::consts::PI;
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let nf = n as f64;
    let z = nf.sqrt() * x;
    let (z2, z3, z4, z6) = (z.powi(2), z.powi(3), z.powi(4), z.powi(6));
    let pi2 = PI * PI;
    let pi4 = pi2 * pi2;
    let pi6 = pi4 * pi2;
    let qlog = -pi2 / 8.0 / z2;
    if qlog < -708.0 {
        return 0.0;
    }
    let q = qlog.exp();

    let k1a = -z2;
    let k1b = pi2 / 4.0;
    let k2a = 6.0 * z6 + 2.0 * z4;
    let k2b = (2.0 * z4 - 5.0 * z2) * pi2 / 4.0;
    let k2c = pi4 * (1.0 - 2.0 * z2) / 16.0;
    let k3d = pi6 * (5.0 - 30.0 * z2) / 64.0;
    let k3c = pi4 * (-60.0 * z2 + 212.0 * z4) / 16.0;
    let k3b = pi2 * (135.0 * z4 - 96.0 * z6) / 4.0;
    let k3a = -30.0 * z6 - 90.0 * z.powi(8);

    // Horner over the odd integers m = 2k − 1: Σ c_m q^{m²}.
    let mut k = [0.0f64; 4];
    let maxk = (16.0 * z / PI).ceil() as i64;
    for kk in (1..=maxk).rev() {
        let m = (2 * kk - 1) as f64;
        let (m2, m4, m6) = (m * m, m.powi(4), m.powi(6));
        let qpower = q.powi((8 * kk) as i32);
        let coeffs = [1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
        for (acc, c) in k.iter_mut().zip(coeffs) {
            *acc = *acc * qpower + c;
        }
    }
    let sqrt_2pi = (2.0 * PI).sqrt();
    let divisors = [z, 6.0 * z4, 72.0 * z.powi(7), 6480.0 * z.powi(10)];
    for (acc, d) in k.iter_mut().zip(divisors) {
        *acc = *acc * q * sqrt_2pi / d;
    }

    // The second sums of K₂ and K₃, over all integers k.
    let q = (-pi2 / 2.0 / z2).exp();
    let sqrt3z = 3f64.sqrt() * z;
    let (mut k2extra, mut k3extra) = (0.0, 0.0);
    for kk in (1..=maxk).rev() {
        let k2 = (kk * kk) as f64;
        let qk = q.powi((kk * kk) as i32);
        let kpi = PI * kk as f64;
        k2extra += k2 * qk;
        k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qk;
    }
    k[2] += k2extra * (pi2 * sqrt_2pi / (-36.0 * z3));
    k[3] += k3extra * (pi2 * sqrt_2pi / (216.0 * z6));
    for (i, acc) in k.iter_mut().enumerate() {
        *acc /= nf.powf(i as f64 / 2.0);
    }
    k[0] + k[1] + k[2] + k[3]
}

/// Cephes' MINLOG, ln 2⁻¹⁰⁷⁵: below it exp underflows to 0, and SciPy's `_smirnov` returns
/// P = 0 once −2nx² is below it.
const MIN_LOG: f64 = -745.1332191019412;

/// The one-sided Smirnov survival function P(D_n⁺ ≥ x) (`scipy.special.smirnov(n, x)`):
/// Birnbaum & Tingey's sum x Σ_{v ≤ n(1−x)} C(n, v) (x + v/n)^{v−1} (1 − x − v/n)^{n−v}
/// of positive terms, each from the one before (SciPy computes each term in double-double;
/// the two agree to about 1e-12), with SciPy's special cases: x ≤ 1/n, the underflow for
/// 2nx² > 745, x ≥ 1 − 1/n, and its e^{−(6nx+1)²/18n} approximation above a million.
pub fn smirnov_sf(n: u64, x: f64) -> f64 {
    if n == 0 || x.is_nan() || !(0.0..=1.0).contains(&x) {
        return f64::NAN;
    }
    if n == 1 {
        return 1.0 - x;
    }
    if x == 0.0 {
        return 1.0;
    }
    if x == 1.0 {
        return 0.0;
    }
    let nf = n as f64;
    // floor(n x) and its remainder, from the exact product (SciPy uses double-double).
    let hi = nf * x;
    let lo = nf.mul_add(x, -hi);
    let mut nxfl = hi.floor();
    let mut alpha = (hi - nxfl) + lo;
    if alpha < 0.0 {
        nxfl -= 1.0;
        alpha += 1.0;
    }
    if alpha >= 1.0 {
        nxfl += 1.0;
        alpha = 0.0;
    }
    let nxfl = nxfl as i64;
    let n = n as i64;
    if nxfl == 0 || (nxfl == 1 && alpha == 0.0) {
        let cdf = x * (1.0 + x).powf((n - 1) as f64);
        return (1.0 - cdf).clamp(0.0, 1.0);
    }
    if -2.0 * nf * x * x < MIN_LOG {
        return 0.0;
    }
    if nxfl >= n - 1 {
        return (1.0 - x).powf(nf).clamp(0.0, 1.0);
    }
    if n > 1_000_000 {
        let log_p = -(6.0 * nf * x + 1.0).powi(2) / 18.0 / nf;
        let sf = if log_p < -std::f64::consts::LN_2 { log_p.exp() } else { 1.0 - (-log_p.exp_m1()) };
        return sf.clamp(0.0, 1.0);
    }
    // The last v whose term is not 0, where 1 − x − v/n > 0: n − ⌈nx⌉ (SciPy drops the
    // zero term at α = 0 too).
    let n_terms = n - nxfl;
    // n (x + v/n) = nx + v and n (1 − x − v/n) = n − nx − v, each from exact integers and α.
    let n_up = |v: i64| (v + nxfl) as f64 + alpha;
    let n_down = |v: i64| (n - v - nxfl) as f64 - alpha;
    // Term v is A_v = C(n, v) (x + v/n)^(v−1) (1 − x − v/n)^(n−v). In logarithms the
    // parts are each about n ln 2 and cancel, which costs 1e-9 of accuracy at n = 400,000;
    // instead each term is the previous one times the ratio
    //   A_{v+1}/A_v = (n − v)/(v + 1) · (nx + v)/(n − nx − v)
    //                 · (1 + 1/(nx + v))^v · (1 − 1/(n − nx − v))^(n−v−1),
    // whose powers are exp(k ln(1 ± ε)) with ln_1p, so each step costs a few roundings.
    // A_0 = (1 − x)ⁿ / x can underflow, so terms and sum are carried as value · 2^scale.
    let ln_first = nf * (-x).ln_1p() - x.ln();
    let mut scale = (ln_first / std::f64::consts::LN_2).floor();
    let mut term = (ln_first - scale * std::f64::consts::LN_2).exp();
    let mut sum = 0.0;
    const RESCALE: f64 = 600.0;
    for v in 0..n_terms {
        sum += term;
        // SciPy's early exit: the rest cannot change the sum.
        if 4.0 * (n_terms - v) as f64 * term < f64::EPSILON * sum || v == n_terms - 1 {
            break;
        }
        let (up, down) = (n_up(v), n_down(v));
        let powers = v as f64 * (1.0 / up).ln_1p() + (n - v - 1) as f64 * (-1.0 / down).ln_1p();
        term *= (n - v) as f64 / (v + 1) as f64 * (up / down) * powers.exp();
        if term > RESCALE.exp2() {
            term /= RESCALE.exp2();
            sum /= RESCALE.exp2();
            scale += RESCALE;
        }
    }
    (x * ldexp(sum, scale as i64)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, rel: f64, abs: f64) -> bool {
        actual == expected
            || (actual - expected).abs() <= rel * expected.abs()
            || (actual - expected).abs() <= abs
    }

    #[test]
    fn exact_lattice_probabilities_are_scipys_bit_for_bit() {
        // scipy 1.17.1: scipy.stats._stats_py._compute_prob_outside_square(n, h) and
        // scipy.stats._stats_pythran._compute_outer_prob_inside_method(m, n, gcd, h).
        let square = [
            (5, 1, 1.0000000000000002),
            (6, 1, 0.9999999999999998),
            (30, 7, 0.39294501397971776),
            (75, 44, 2.685462386506051e-12),
            (5000, 122, 0.1018980612381279),
        ];
        for (n, h, expected) in square {
            assert_eq!(prob_outside_square(n, h), expected, "square n={n} h={h}");
        }
        let band = [
            (30, 40, 45, 0.012260660144509307),
            (7, 3, 4, 1.0),
            (40, 30, 60, 0.00021399967060337275),
            (200, 150, 62, 0.30135958956687275),
            (60, 12000, 1000, 0.7704170922345317),
        ];
        for (m, n, h, expected) in band {
            assert_eq!(prob_outside_band(m, n, gcd(m, n), h), Some(expected), "band m={m} n={n} h={h}");
        }
    }

    #[test]
    fn an_exact_value_above_one_falls_back_to_the_asymptotic_one() {
        // scipy 1.17.1: ks_2samp([1, 2, 3, 4, 5], [1.5, 2.5, 3.5, 4.5, 5.5]) warns "Exact
        // calculation unsuccessful" (the series gives 1.0000000000000002) and returns
        // kstwo.sf(0.2, round(2.5) = 2) = 1.0.
        let ks = ks_2samp(&[1.0, 2.0, 3.0, 4.0, 5.0], &[1.5, 2.5, 3.5, 4.5, 5.5]);
        assert_eq!(ks, KsTwoSample { statistic: 0.2, p_value: 1.0, exact: false });
        let ks = ks_2samp(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]);
        assert_eq!(ks, KsTwoSample { statistic: 0.0, p_value: 1.0, exact: true });
    }

    #[test]
    fn kstwo_sf_matches_scipy_in_every_region() {
        // scipy 1.17.1: scipy.stats.kstwo.sf(x, n), one case per branch of _kolmogn.
        let cases = [
            (10, 0.07, 0.9999999619492741),          // t ≤ 1, Ruben–Gambino (t ≤ 0.5 is 1)
            (10, 0.08, 0.9999978058034054),          // t ≤ 1, n ≤ 140
            (500, 0.0015, 1.0),                      // t ≤ 1, n > 140
            (10, 0.95, 1.9531250000000172e-13),      // t ≥ n − 1
            (10, 0.6, 0.0005681672000000003),        // x ≥ 0.5: 2 · smirnov
            (60, 0.1, 0.5521961259289287),           // n ≤ 140, Durbin
            (60, 0.2, 0.014023403960275127),         // n ≤ 140, Pomeranz
            (60, 0.3, 2.7617543388165356e-05),       // n ≤ 140, 2 · smirnov
            (200, 0.036, 0.94947273116952),          // n > 140, Durbin
            (5739, 0.0127, 0.3102488366411147),      // Pelz–Good
            (5739, 0.0303, 5.1876840091448524e-05),  // 2 · smirnov
            (5739, 0.3, 0.0),                        // n x² ≥ 370
            (150000, 0.002, 0.5852546878861703),     // n > 100,000: Pelz–Good
            (2000000, 0.0012, 0.006297183259583361), // n > 10⁶: Smirnov's approximation
            (140, 0.05, 0.8576480297656114),
            (141, 0.05, 0.854845693009663),
        ];
        for (n, x, expected) in cases {
            let got = kolmogorov_sf(n, x);
            assert!(close(got, expected, 1e-10, 1e-14), "kstwo.sf({x}, {n}) = {got:e}, scipy {expected:e}");
        }
    }

    #[test]
    fn the_methods_of_kolmogn_match_scipy() {
        // scipy 1.17.1: scipy.stats._ksstats._kolmogn_DMTW, _kolmogn_Pomeranz,
        // _kolmogn_PelzGood (CDFs) and scipy.special.smirnov. Where SciPy returns a numpy
        // longdouble (its rescaling by 2¹²⁸ promotes), the value is rounded to f64.
        for (n, x, expected) in [
            (200, 0.036, 0.05052726883047994),
            (60, 0.1, 0.44780387407107125),
            (10, 0.2, 0.25128096000000005),
            (5739, 0.0035, 2.9740719636139286e-07),
        ] {
            assert!(
                close(durbin_cdf(n, x), expected, 1e-11, 0.0),
                "durbin({n}, {x}) = {:e}",
                durbin_cdf(n, x)
            );
        }
        for (n, x, expected) in [
            (60, 0.2, 0.9859765960397249),
            (10, 0.3, 0.7294644252000005),
            (140, 0.12, 0.9674736174143836),
            (3, 0.5, 0.6666666666666666),
        ] {
            assert!(
                close(pomeranz_cdf(n, x), expected, 1e-12, 0.0),
                "pomeranz({n}, {x}) = {:e}",
                pomeranz_cdf(n, x)
            );
        }
        for (n, x, expected) in [
            (5739, 0.0127, 0.6897511633588853),
            (150000, 0.002, 0.4147453121138297),
            (300, 0.03, 0.05753350273661568),
        ] {
            assert!(
                close(pelz_good_cdf(n, x), expected, 1e-12, 0.0),
                "pelz_good({n}, {x}) = {:e}",
                pelz_good_cdf(n, x)
            );
        }
        for (n, x, expected) in [
            (10, 0.6, 0.0002840836000000002),
            (60, 0.3, 1.3808771694082678e-05),
            (5739, 0.0303, 2.5938420045724262e-05),
            (1000, 0.05, 0.006506037390545166),
            (3, 0.2, 0.712),
            (20, 0.5, 1.893797620269516e-05),
            (2000000, 0.0012, 0.0031485916297916807),
        ] {
            assert!(
                close(smirnov_sf(n, x), expected, 1e-11, 0.0),
                "smirnov({n}, {x}) = {:e}",
                smirnov_sf(n, x)
            );
        }
    }
}
