//! Numbers as people read them in execution tables, messages and logs.

/// A number with at most four decimals, trailing zeros dropped: `0.9667`, `344`, `43.9219`.
/// Very small magnitudes keep three significant digits (`1.23e-5`) instead of reading as 0.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    if x != 0.0 && x.abs() < 1e-4 {
        return format!("{x:.2e}");
    }
    let text = format!("{x:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_four_decimals_without_trailing_zeros() {
        assert_eq!(num(0.96666666), "0.9667");
        assert_eq!(num(344.0), "344");
        assert_eq!(num(0.8), "0.8");
        assert_eq!(num(-0.00001), "-1.00e-5");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(f64::INFINITY), "inf");
    }
}
