//! Numbers as people read them in execution tables and messages.

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

/// A ratio as a percentage with at most one decimal: `0.6%`, `25%`.
pub fn pct(ratio: f64) -> String {
    let text = format!("{:.1}", ratio * 100.0);
    format!("{}%", text.trim_end_matches('0').trim_end_matches('.'))
}

/// A list of names in backticks, at most `limit` of them: "`a`, `b` and 3 more".
pub fn names<S: AsRef<str>>(names: &[S], limit: usize) -> String {
    let shown: Vec<String> = names.iter().take(limit).map(|n| format!("`{}`", n.as_ref())).collect();
    let rest = names.len().saturating_sub(limit);
    if rest > 0 {
        format!("{} and {rest} more", shown.join(", "))
    } else {
        shown.join(", ")
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

    #[test]
    fn percentages_keep_one_decimal() {
        assert_eq!(pct(2.0 / 344.0), "0.6%");
        assert_eq!(pct(0.25), "25%");
        assert_eq!(pct(0.0), "0%");
    }

    #[test]
    fn name_lists_are_cut_with_a_count() {
        assert_eq!(names(&["a", "b", "c"], 2), "`a`, `b` and 1 more");
        assert_eq!(names(&["a"], 5), "`a`");
    }
}
