//! The rules a present cell is judged by, as data.
//!
//! A value kind (`values_between`, `values_in_set`, `matches_regex`, `column_type_is`) says
//! which cells fail as a [`CellRule`]: what the test asked, not code. Each engine makes it a
//! [`Judge`] and asks it of every cell, so a cell passes or fails the same way in memory, in
//! DataFusion and on a cluster's executors, which receive the rule as text inside the query
//! ([`CellRule::to_text`]) and cannot be handed a closure.

use serde::{Deserialize, Serialize};

use super::{Bounds, Cell};
use crate::checks::Pattern;
use crate::table::rows::FastSet;
use crate::table::ColumnType;

/// Which present cells fail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum CellRule {
    /// A number outside the bounds (a cell that is not a number passes: the column's type is
    /// checked before).
    Outside(Bounds),
    /// A value not listed. A numeric cell compares as a number, so `5`, `5.0` and "5" all
    /// allow the value 5 (and `-0` allows 0); any other cell as its text.
    NotIn(Vec<String>),
    /// A value, as text, that the pattern does not match.
    NotMatched(Pattern),
    /// A value that could not be one of the type's.
    NotReadAs(ColumnType),
}

impl CellRule {
    /// The rule as one line of text, for a query that carries it to where the cells are.
    pub fn to_text(&self) -> String {
        // Nothing in a rule fails to serialise (the bounds are written as bits).
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The rule `to_text` wrote.
    pub fn from_text(text: &str) -> Result<CellRule, String> {
        serde_json::from_str(text).map_err(|err| format!("not a cell rule ({err}): {text}"))
    }

    /// The rule ready to judge cells: its sets built once, so a cell is one lookup however
    /// many values are listed.
    pub fn judge(&self) -> Judge<'_> {
        match self {
            CellRule::Outside(bounds) => Judge::Outside(*bounds),
            CellRule::NotIn(listed) => Judge::NotIn {
                numbers: listed.iter().filter_map(|t| t.trim().parse::<f64>().ok()).map(number_key).collect(),
                texts: listed.iter().map(String::as_str).collect(),
            },
            CellRule::NotMatched(pattern) => Judge::NotMatched(pattern),
            CellRule::NotReadAs(ty) => Judge::NotReadAs(*ty),
        }
    }
}

/// A [`CellRule`] ready to be asked of cells.
pub enum Judge<'a> {
    Outside(Bounds),
    NotIn { numbers: FastSet<u64>, texts: FastSet<&'a str> },
    NotMatched(&'a Pattern),
    NotReadAs(ColumnType),
}

impl Judge<'_> {
    /// Whether the present `cell` breaks the rule.
    pub fn fails(&self, cell: &Cell<'_>) -> bool {
        match self {
            Judge::NotIn { numbers, texts } => match cell.number() {
                Some(x) => !numbers.contains(&number_key(x)),
                None => !texts.contains(cell.text().as_ref()),
            },
            Judge::Outside(bounds) => cell.number().is_some_and(|x| !bounds.contains(x)),
            Judge::NotMatched(pattern) => !pattern.regex().is_match(&cell.text()),
            Judge::NotReadAs(ty) => !reads_as(cell, *ty),
        }
    }
}

/// A number as a set's key: `+ 0.0` makes -0 and 0 one key.
fn number_key(x: f64) -> u64 {
    (x + 0.0).to_bits()
}

/// Whether a non-missing cell could be a value of type `ty`.
fn reads_as(cell: &Cell<'_>, ty: ColumnType) -> bool {
    match ty {
        ColumnType::Int => match cell {
            Cell::Float(x) => x.fract() == 0.0 && x.is_finite(),
            _ => cell.text().parse::<i64>().is_ok(),
        },
        ColumnType::Float => cell.text().parse::<f64>().is_ok(),
        ColumnType::Bool => {
            let text = cell.text();
            text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false")
        }
        // Any value can be a label or a text; what fails is the column as a whole.
        ColumnType::Category | ColumnType::Text => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn text(s: &str) -> Cell<'_> {
        Cell::Text(Cow::Borrowed(s))
    }

    #[test]
    fn every_rule_reads_back_from_its_text() {
        let rules = [
            CellRule::Outside(Bounds::new(Some(0.1), Some(f64::INFINITY), true, false)),
            CellRule::Outside(Bounds::new(None, Some(-0.0), false, true)),
            CellRule::NotIn(vec!["a'b".into(), "5".into(), "\"x\"".into()]),
            CellRule::NotMatched(Pattern::new(r"^\d{3}-[a-z]+$").unwrap()),
            CellRule::NotReadAs(ColumnType::Bool),
        ];
        for rule in rules {
            let back = CellRule::from_text(&rule.to_text()).unwrap();
            assert_eq!(format!("{back:?}"), format!("{rule:?}"), "{}", rule.to_text());
        }
        let err = CellRule::from_text("{\"outside\":3}").unwrap_err();
        assert!(err.starts_with("not a cell rule"), "{err}");
    }

    #[test]
    fn judges_cells_as_the_kinds_define() {
        let bounds = CellRule::Outside(Bounds::new(Some(0.0), Some(1.0), false, true));
        let judge = bounds.judge();
        assert!(!judge.fails(&Cell::Float(0.0)));
        assert!(judge.fails(&Cell::Float(1.0)));
        assert!(judge.fails(&Cell::Int(-1)));
        assert!(!judge.fails(&text("words")), "a text cell is the type test's to fail");

        let set = CellRule::NotIn(vec!["5".into(), "-0".into(), "b".into()]);
        let judge = set.judge();
        assert!(!judge.fails(&Cell::Float(5.0)));
        assert!(!judge.fails(&Cell::Int(5)));
        assert!(!judge.fails(&Cell::Float(0.0)), "-0 allows 0");
        assert!(!judge.fails(&text("b")));
        assert!(judge.fails(&text("B")));
        assert!(judge.fails(&Cell::Bool(true)));

        let pattern = CellRule::NotMatched(Pattern::new("^t").unwrap());
        assert!(!pattern.judge().fails(&Cell::Bool(true)), "a bool is matched as `true`");
        assert!(pattern.judge().fails(&Cell::Float(1.5)));

        let int = CellRule::NotReadAs(ColumnType::Int);
        assert!(!int.judge().fails(&Cell::Float(3.0)));
        assert!(int.judge().fails(&Cell::Float(3.5)));
        assert!(int.judge().fails(&text("3.0")));
        assert!(!CellRule::NotReadAs(ColumnType::Bool).judge().fails(&text("FALSE")));
    }
}
