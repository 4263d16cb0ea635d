//! "Did you mean `not_null`?": the known name closest to a misspelt one, as cargo and clap
//! suggest a subcommand. Every error that refuses a name from a list (a test kind, a model
//! kind, a metric, a suite field, a column of the data) asks [`did_you_mean`] or, for the
//! messages serde writes itself, [`with_suggestion`], so one rule decides what is close.
//!
//! Close is a few slips of the keys: an edit distance (insertions, deletions, substitutions
//! and swaps of two neighbours, ignoring case) of at most a third of the name, at least one,
//! and less than the whole name. Garbage gets no suggestion: a wrong guess is worse than the
//! list of valid names that follows.

use std::borrow::Cow;

/// Longer names get no suggestion: the comparison's cost grows with the square of the
/// length, and a name this long was pasted, not mistyped.
const MAX_LEN: usize = 64;

/// The known name closest to `given` when it is close enough to be a misspelling of it; the
/// first of equally close names. None when `given` is itself known (nothing to suggest).
pub fn closest<'a>(given: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest_within(given, known, usize::MAX)
}

/// [`closest`], with at most `edits` edits whatever the name's length: for long names of a
/// larger vocabulary than the known list (Great Expectations' types, of which mltest maps a
/// few dozen), where a third of the name would take another real name for a slip.
pub fn closest_within<'a>(
    given: &str,
    known: impl IntoIterator<Item = &'a str>,
    edits: usize,
) -> Option<&'a str> {
    let lower: Vec<char> = given.chars().flat_map(char::to_lowercase).collect();
    if lower.is_empty() || lower.len() > MAX_LEN {
        return None;
    }
    let most = (lower.len() / 3).max(1).min(lower.len() - 1).min(edits);
    let mut best: Option<(usize, &str)> = None;
    for name in known {
        if name == given {
            return None;
        }
        let candidate: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
        // Only a strictly closer name replaces the best so far.
        let bound = best.map_or(Some(most), |(d, _)| d.checked_sub(1));
        if let Some(d) = bound.and_then(|bound| distance_within(&lower, &candidate, bound)) {
            best = Some((d, name));
        }
    }
    best.map(|(_, name)| name)
}

/// `"; did you mean `x`?"` when `x`, among `known` columns, is a close spelling of `given`, a
/// column a suite names and the data lacks; else nothing. The tail of every message that says
/// a column is not in the data, whichever engine reads it.
pub fn column_hint<'a>(given: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    closest(given, known).map(|column| format!("; did you mean `{column}`?")).unwrap_or_default()
}

/// `"did you mean `x`? "` for the name of `known` closest to `given`, or nothing: the words
/// a message that refuses `given` puts before its list of the valid names
/// (`` `not_nul` is not a test kind; did you mean `not_null`? kinds: … ``).
pub fn did_you_mean<'a>(given: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    closest(given, known).map(|name| format!("did you mean `{name}`? ")).unwrap_or_default()
}

/// serde's refusal of a name, `unknown field `x`, expected `a` or `b`` (or `unknown
/// variant`), with the suggestion between the name and the list: `unknown field `x`; did you
/// mean `a`? expected `a` or `b``. Any other message is returned as it is.
pub fn with_suggestion(message: &str) -> Cow<'_, str> {
    let rest = ["unknown field `", "unknown variant `"].iter().find_map(|head| message.strip_prefix(head));
    let Some((given, expected)) = rest.and_then(|rest| rest.split_once("`, expected ")) else {
        return Cow::Borrowed(message);
    };
    let names = expected.split('`').skip(1).step_by(2);
    match closest(given, names) {
        Some(name) => {
            let head = &message[..message.len() - expected.len() - ", expected ".len()];
            Cow::Owned(format!("{head}; did you mean `{name}`? expected {expected}"))
        }
        None => Cow::Borrowed(message),
    }
}

/// The optimal string alignment distance between `a` and `b` (Levenshtein's edits plus the
/// swap of two neighbouring characters), or None when it is over `bound`: a row whose every
/// cell is over the bound ends the comparison.
fn distance_within(a: &[char], b: &[char], bound: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > bound {
        return None;
    }
    // Three rows of the table: two back (for swaps), the last, and the one being filled.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            row[j] = d;
        }
        if row.iter().all(|&d| d > bound) {
            return None;
        }
        std::mem::swap(&mut before, &mut last);
        std::mem::swap(&mut last, &mut row);
    }
    Some(last[b.len()]).filter(|&d| d <= bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: &str, b: &str) -> Option<usize> {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        distance_within(&a, &b, usize::MAX - 1)
    }

    #[test]
    fn distance_counts_insertions_deletions_substitutions_and_swaps() {
        assert_eq!(distance("", ""), Some(0));
        assert_eq!(distance("abc", ""), Some(3));
        assert_eq!(distance("not_nul", "not_null"), Some(1));
        assert_eq!(distance("acuracy", "accuracy"), Some(1));
        assert_eq!(distance("r2", "r3"), Some(1));
        assert_eq!(distance("clomun", "column"), Some(2));
        assert_eq!(distance("kitten", "sitting"), Some(3));
        // Optimal string alignment: a swapped pair is one edit, not two.
        assert_eq!(distance("sepal_lenght", "sepal_length"), Some(1));
        assert_eq!(distance("ca", "abc"), Some(3));
        // Characters, not bytes.
        assert_eq!(distance("café", "cafe"), Some(1));
    }

    #[test]
    fn a_bound_ends_the_comparison_early() {
        let (a, b): (Vec<char>, Vec<char>) = ("abcdef".chars().collect(), "uvwxyz".chars().collect());
        assert_eq!(distance_within(&a, &b, 2), None);
        assert_eq!(distance_within(&a, &a, 0), Some(0));
        let long: Vec<char> = "a".repeat(40).chars().collect();
        assert_eq!(distance_within(&long, &a, 3), None);
    }

    #[test]
    fn a_close_name_is_suggested_and_garbage_is_not() {
        let kinds = ["not_null", "not_constant", "unique", "values_between"];
        assert_eq!(closest("not_nul", kinds), Some("not_null"));
        assert_eq!(closest("Not_Null", kinds), Some("not_null"));
        assert_eq!(closest("Unique", kinds), Some("unique"));
        assert_eq!(closest("uniqe", kinds), Some("unique"));
        assert_eq!(closest("uniq", kinds), None);
        assert_eq!(closest("values_betwen", kinds), Some("values_between"));
        assert_eq!(closest("zz_not_a_parameter", kinds), None);
        assert_eq!(closest("nulls", kinds), None);
        assert_eq!(closest("", kinds), None);
        // A one-letter name is never a misspelling of another one-letter name.
        assert_eq!(closest("x", ["q", "k"]), None);
        assert_eq!(closest("mn", ["min", "max"]), Some("min"));
        // The name itself is no suggestion.
        assert_eq!(closest("unique", kinds), None);
        // The closest wins over the first close one; the first of equals.
        assert_eq!(closest("accuracyy", ["accuracy_x", "accuracy"]), Some("accuracy"));
        assert_eq!(closest("mae", ["mse", "mae2", "max"]), Some("mse"));
        assert_eq!(closest(&"a".repeat(MAX_LEN + 1), [&*"a".repeat(MAX_LEN)]), None);
    }

    #[test]
    fn did_you_mean_is_a_tail_or_nothing() {
        assert_eq!(did_you_mean("acuracy", ["accuracy", "f1"]), "did you mean `accuracy`? ");
        assert_eq!(did_you_mean("banana", ["accuracy", "f1"]), "");
    }

    #[test]
    fn serde_refusals_get_the_suggestion_before_their_list() {
        let cases = [
            (
                "unknown field `colum`, expected `column` or `max_missing_ratio`",
                "unknown field `colum`; did you mean `column`? expected `column` or `max_missing_ratio`",
            ),
            (
                "unknown variant `acuracy`, expected one of `accuracy`, `precision`, `f1`",
                "unknown variant `acuracy`; did you mean `accuracy`? expected one of `accuracy`, `precision`, `f1`",
            ),
            ("unknown field `pth`, expected `path`", "unknown field `pth`; did you mean `path`? expected `path`"),
        ];
        for (serde, suggested) in cases {
            assert_eq!(with_suggestion(serde), suggested);
        }
        for unchanged in [
            "unknown field `zzz_nothing_like`, expected `column` or `max_missing_ratio`",
            "unknown field `x`, there are no fields",
            "invalid type: string \"a\", expected a number",
            "unknown field `",
            "unknown variant `acuracy` expected `accuracy`",
            "missing field `column`",
        ] {
            assert_eq!(with_suggestion(unchanged), unchanged);
        }
    }
}
