//! Parameter types that are valid by construction: a value out of range is rejected when
//! the suite is read, with the value named, so no test has to re-check it.

use std::fmt;

use regex::Regex;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// A fraction from 0 to 1 inclusive (`mostly`, `max_missing_ratio`, …).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Ratio(f64);

impl Ratio {
    pub const ZERO: Ratio = Ratio(0.0);
    pub const ONE: Ratio = Ratio(1.0);

    pub fn new(value: f64) -> Option<Ratio> {
        (0.0..=1.0).contains(&value).then_some(Ratio(value))
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// Zero: the default of every "at most this share may fail" parameter.
impl Default for Ratio {
    fn default() -> Ratio {
        Ratio::ZERO
    }
}

impl<'de> Deserialize<'de> for Ratio {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Ratio, D::Error> {
        let value = f64::deserialize(deserializer)?;
        Ratio::new(value)
            .ok_or_else(|| de::Error::custom(format_args!("{value} is not a ratio: it must be from 0 to 1")))
    }
}

/// The longest pattern compiled, in characters. The regex crate parses a pattern into a
/// syntax tree about a hundred times its size before its size limit applies (a 10 MB
/// pattern took 1 GB); a pattern a person writes for a column is a line.
pub const MAX_PATTERN_CHARS: usize = 10_000;

/// The most memory a compiled pattern may take: a pattern from a shared link must not eat
/// the page's memory.
pub const MAX_PATTERN_BYTES: usize = 1 << 20;

/// A regular expression, compiled when the suite is read.
#[derive(Debug, Clone)]
pub struct Pattern(Regex);

impl Pattern {
    pub fn new(pattern: &str) -> Result<Pattern, regex::Error> {
        // Counted in bytes first: a long pattern is refused without walking it.
        if pattern.len() > MAX_PATTERN_CHARS && pattern.chars().count() > MAX_PATTERN_CHARS {
            return Err(regex::Error::Syntax(format!(
                "the pattern is {} characters long; patterns over {MAX_PATTERN_CHARS} are refused",
                pattern.chars().count()
            )));
        }
        regex::RegexBuilder::new(pattern).size_limit(MAX_PATTERN_BYTES).build().map(Pattern)
    }

    pub fn regex(&self) -> &Regex {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Serialize for Pattern {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Pattern, D::Error> {
        let text = String::deserialize(deserializer)?;
        Pattern::new(&text).map_err(|err| {
            // The regex crate's message spans several lines; the first one says what is wrong.
            let reason = err.to_string();
            let reason = reason.lines().last().unwrap_or("invalid pattern").trim();
            de::Error::custom(format_args!(
                "`{}` is not a valid regular expression: {reason}",
                crate::report::fmt::excerpt(&text)
            ))
        })
    }
}

/// A column by name, or `*` for every column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnSel {
    All,
    Named(String),
}

impl ColumnSel {
    /// The column names this selection stands for in a table with `names`.
    pub fn resolve<'a>(&'a self, names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
        match self {
            ColumnSel::All => names.collect(),
            ColumnSel::Named(name) => vec![name.as_str()],
        }
    }
}

impl fmt::Display for ColumnSel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnSel::All => f.write_str("*"),
            ColumnSel::Named(name) => f.write_str(name),
        }
    }
}

impl Serialize for ColumnSel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ColumnSel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ColumnSel, D::Error> {
        let name = String::deserialize(deserializer)?;
        match name.as_str() {
            "*" => Ok(ColumnSel::All),
            "" => Err(de::Error::custom("the column name is empty")),
            _ => Ok(ColumnSel::Named(name)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_outside_zero_one_is_rejected_with_its_value() {
        let err = serde_json::from_str::<Ratio>("1.5").unwrap_err().to_string();
        assert!(err.contains("1.5 is not a ratio"), "{err}");
        assert_eq!(serde_json::from_str::<Ratio>("0.25").unwrap().get(), 0.25);
    }

    #[test]
    fn bad_pattern_is_rejected_with_the_pattern() {
        let err = serde_json::from_str::<Pattern>(r#""(ab""#).unwrap_err().to_string();
        assert!(err.contains("`(ab` is not a valid regular expression"), "{err}");
    }

    #[test]
    fn regression_a_huge_pattern_is_refused_before_compiling_with_a_short_message() {
        let huge = format!("\"{}\"", "a".repeat(10 << 20));
        let started = std::time::Instant::now();
        let err = serde_json::from_str::<Pattern>(&huge).unwrap_err().to_string();
        assert!(started.elapsed().as_secs_f64() < 1.0, "{:?}", started.elapsed());
        assert!(err.len() < 400, "{} bytes of error", err.len());
        assert!(err.contains("10485760 characters"), "{err}");
        assert!(err.contains(&format!("over {MAX_PATTERN_CHARS} are refused")), "{err}");
        // At the limit, a pattern still compiles.
        assert!(Pattern::new(&"a".repeat(MAX_PATTERN_CHARS)).is_ok());
    }

    #[test]
    fn star_selects_every_column() {
        let all: ColumnSel = serde_json::from_str(r#""*""#).unwrap();
        assert_eq!(all.resolve(["a", "b"].into_iter()), ["a", "b"]);
        let one: ColumnSel = serde_json::from_str(r#""b""#).unwrap();
        assert_eq!(one.resolve(["a", "b"].into_iter()), ["b"]);
        assert!(serde_json::from_str::<ColumnSel>(r#""""#).is_err());
    }
}
