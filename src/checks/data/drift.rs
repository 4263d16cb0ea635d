//! Data that changes (PRODUCT.md §12): [`Drift`] compares each column of the data with a
//! reference data set, with Evidently 0.7's statistics (`pipeline::drift`). The reference is
//! the suite's `reference` (or `--reference`, or the page's second data slot); without one,
//! the split's train part is the reference and its test part the current data, as
//! Deepchecks' train-test validation does. Label drift is `drift` on the target; prediction
//! drift is `drift` on a `predictions` model's prediction column.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::facts::level_counts_of;
use crate::checks::data::Facts;
use crate::checks::{ColumnSel, Context, Evaluation, Family, ParamError, Ratio, TestKind};
use crate::pipeline::drift::{drift_and_bins, BinKeys, Binned, DriftMethod, Sample};
use crate::pipeline::fit::split_rows;
use crate::pipeline::prepare::prepare;
use crate::report::fmt::{names, num, pct};
use crate::report::{DriftHistogram, DriftOutcome, Trace};
use crate::table::{ColumnType, Table};
use crate::vocab::{Param, ParamType};

/// With `*`, the test fails when at least this share of the columns drifted (Evidently's
/// `drift_share`).
pub const DEFAULT_DRIFT_SHARE: f64 = 0.5;

const METHODS: &[&str] = &["auto", "ks", "chi2", "z", "wasserstein", "jensen_shannon", "psi"];

/// A column (or every column but the target, `*`) has not drifted from the reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Drift {
    pub column: ColumnSel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<DriftMethod>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift_share: Option<Ratio>,
}

/// The two data sets compared.
struct Pair<'t> {
    reference: Side<'t>,
    current: Side<'t>,
}

/// One data set of a comparison: every row of a data set, asked of its [`Facts`] (on a query
/// engine, the files whole: exact, PRODUCT.md §14), or some rows of the loaded table (a part
/// of the split).
enum Side<'t> {
    Whole(&'t dyn Facts),
    Rows { table: &'t Table, rows: Vec<usize> },
}

impl TestKind for Drift {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "a column (or every column) has not drifted from the reference data";
    const PARAMS: &'static [Param] = &[
        Param::required(
            "column",
            ParamType::ColumnOrAll,
            r#""*""#,
            "the column compared, or * for every column but the target",
        ),
        Param::optional("method", ParamType::Choice(METHODS), "auto (as Evidently chooses)", "the statistic"),
        Param::optional(
            "threshold",
            ParamType::Number,
            "0.05 for a p-value (ks, chi2, z), 0.1 for a distance",
            "where drift starts",
        ),
        Param::optional(
            "drift_share",
            ParamType::Ratio,
            "0.5",
            "with *, the share of drifted columns that fails the test",
        ),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        let fixed = self.method.is_some_and(|m| m != DriftMethod::Auto);
        match (&self.column, self.threshold) {
            (ColumnSel::All, Some(_)) if !fixed => {
                return Err(ParamError::new(
                    "threshold",
                    "with `*` a threshold needs a fixed `method` (auto chooses one per column)",
                ))
            }
            (_, Some(t)) if !t.is_finite() || t < 0.0 => {
                return Err(ParamError::new("threshold", format!("{t} must be zero or a positive number")))
            }
            _ => {}
        }
        if matches!(self.column, ColumnSel::Named(_)) && self.drift_share.is_some() {
            return Err(ParamError::new("drift_share", "is only read with `\"column\": \"*\"`"));
        }
        Ok(())
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let pair = pair(ctx, trace)?;
        let method = self.method.unwrap_or(DriftMethod::Auto);
        let columns: Vec<&str> = match &self.column {
            ColumnSel::Named(name) => vec![name.as_str()],
            // Every column but the target, which has its own test (label drift).
            ColumnSel::All => {
                pair.current.column_names().into_iter().filter(|c| Some(*c) != ctx.target).collect()
            }
        };
        let mut outcomes = Vec::new();
        for name in &columns {
            let (current, reference) =
                (pair.current.column(name, "the data")?, pair.reference.column(name, "the reference")?);
            if matches!(self.column, ColumnSel::All)
                && (current.ty == ColumnType::Text || reference.ty == ColumnType::Text)
            {
                let note = "free text: not tested (Evidently tests text with a classifier)".to_owned();
                trace.step(format!("drift({name})"), "a text column", "not tested");
                let outcome = DriftOutcome {
                    column: name.to_string(),
                    method: String::new(),
                    statistic: None,
                    threshold: 0.0,
                    drifted: false,
                    note: Some(note),
                    histogram: None,
                };
                trace.drift(outcome.clone());
                outcomes.push(outcome);
                continue;
            }
            let (ref_values, cur_values) =
                (pair.reference.values(&reference)?, pair.current.values(&current)?);
            let (ref_sample, cur_sample) = match (ref_values.sample(), cur_values.sample()) {
                (r, c) if r.kind() == c.kind() => (r, c),
                _ => {
                    return Err(format!(
                        "`{name}` is numeric in one data set and not in the other ({} in the reference, {} in the data)",
                        reference.ty, current.ty
                    ))
                }
            };
            let (result, bins) = drift_and_bins(method, ref_sample, cur_sample, self.threshold)
                .map_err(|e| format!("`{name}`: {e}"))?;
            let kind = if result.method.is_test() { "p" } else { "distance" };
            let verdict = if result.drifted { "drifted" } else { "stable" };
            trace.step(
                format!("drift({name})"),
                format!(
                    "{} on {} reference vs {} current values",
                    result.method,
                    ref_values.len(),
                    cur_values.len()
                ),
                format!("{kind} = {}, threshold {}: {verdict}", num(result.score), num(result.threshold)),
            );
            let outcome = DriftOutcome {
                column: name.to_string(),
                method: result.method.name().to_owned(),
                statistic: Some(result.score),
                threshold: result.threshold,
                drifted: result.drifted,
                note: None,
                histogram: bins.map(histogram),
            };
            trace.drift(outcome.clone());
            outcomes.push(outcome);
        }
        let tested: Vec<&DriftOutcome> = outcomes.iter().filter(|o| o.note.is_none()).collect();
        let drifted: Vec<&str> = tested.iter().filter(|o| o.drifted).map(|o| o.column.as_str()).collect();
        match &self.column {
            ColumnSel::Named(name) => {
                let outcome = tested.first().ok_or_else(|| format!("`{name}` could not be tested"))?;
                let score = outcome.statistic.unwrap_or(f64::NAN);
                let passed = !outcome.drifted;
                trace.set("drift_score", num(score));
                trace.assert(
                    format!("`{name}` has not drifted"),
                    format!("{} {}", outcome.method, num(score)),
                    passed,
                );
                let message = format!(
                    "`{name}` {} the reference ({} {}, threshold {})",
                    if passed { "has not drifted from" } else { "has drifted from" },
                    outcome.method,
                    num(score),
                    num(outcome.threshold)
                );
                Ok(Evaluation { passed, message, observed: json!(score), failures: None })
            }
            ColumnSel::All => {
                if tested.is_empty() {
                    return Err(
                        "no column could be tested: every column is the target or free text".to_owned()
                    );
                }
                let share = drifted.len() as f64 / tested.len() as f64;
                let limit = self.drift_share.map_or(DEFAULT_DRIFT_SHARE, Ratio::get);
                trace.step(
                    "drift_share = drifted / tested",
                    format!("{} / {}", drifted.len(), tested.len()),
                    format!("share = {}", num(share)),
                );
                trace.set("drift_share", num(share));
                let passed = share < limit;
                trace.assert(
                    format!("drift_share < {}", num(limit)),
                    format!("{} < {}", num(share), num(limit)),
                    passed,
                );
                let which =
                    if drifted.is_empty() { String::new() } else { format!(": {}", names(&drifted, 10)) };
                let message = format!(
                    "{} of {} columns drifted ({}){which}; the test fails at {} or more",
                    drifted.len(),
                    tested.len(),
                    pct(share),
                    pct(limit)
                );
                Ok(Evaluation { passed, message, observed: json!(share), failures: None })
            }
        }
    }
}

/// The reference and current data: the run's reference against the whole table, else the
/// split's train part against its test part; the two are steps.
fn pair<'t>(ctx: &Context<'t>, trace: &mut Trace) -> Result<Pair<'t>, String> {
    let pair = match (ctx.reference, ctx.pipeline) {
        (None, _) if ctx.reference_named => {
            return Err("the suite names a `reference` this run was not given: give the file with --reference CSV, or in the page load it in the Reference panel".to_owned())
        }
        (Some(reference), _) => Pair { reference: Side::Whole(reference), current: Side::Whole(ctx.data) },
        (None, Some(spec)) if spec.model.reads_outputs().is_some() => {
            return Err("there is no reference data, and a `predictions` model has no split to compare: give a `reference` (or --reference CSV)".to_owned())
        }
        (None, Some(spec)) => {
            // The split the run already made when a model test needed it; else made here
            // (a suite of data tests trains nothing).
            let fresh;
            let (prepared, split) = match ctx.trained {
                Some(Ok(trained)) => (&trained.prepared, &trained.split),
                _ => {
                    let prepared = prepare(ctx.table, &spec.inputs())?;
                    let split = split_rows(&prepared, &spec.split).map_err(|e| e.message)?;
                    fresh = (prepared, split);
                    (&fresh.0, &fresh.1)
                }
            };
            let rows = |positions: &[usize]| positions.iter().map(|&p| prepared.rows.get(p)).collect::<Vec<_>>();
            Pair {
                reference: Side::Rows { table: ctx.table, rows: rows(&split.train) },
                current: Side::Rows { table: ctx.table, rows: rows(&split.test) },
            }
        }
        (None, None) => {
            return Err(
                "drift compares the data with a reference: give a `reference` (or --reference CSV), or a `model` whose split's train part is compared with its test part".to_owned(),
            )
        }
    };
    let (what_ref, what_cur) = match ctx.reference {
        Some(_) => ("reference", "data"),
        None => ("train part", "test part"),
    };
    trace.step(
        "reference_data()",
        format!("{} ({what_ref})", pair.reference.name()),
        format!("{} rows", pair.reference.len()),
    );
    trace.step(
        "current_data()",
        format!("{} ({what_cur})", pair.current.name()),
        format!("{} rows", pair.current.len()),
    );
    Ok(pair)
}

/// A column of one side: its name, type and missing cells (on that side's rows).
struct SideColumn<'n> {
    name: &'n str,
    ty: ColumnType,
    missing: usize,
}

impl Side<'_> {
    fn name(&self) -> &str {
        match self {
            Side::Whole(facts) => facts.name(),
            Side::Rows { table, .. } => table.name(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Side::Whole(facts) => facts.n_rows(),
            Side::Rows { rows, .. } => rows.len(),
        }
    }

    fn column_names(&self) -> Vec<&str> {
        match self {
            Side::Whole(facts) => facts.column_names(),
            Side::Rows { table, .. } => table.column_names().collect(),
        }
    }

    fn column<'n>(&self, name: &'n str, which: &str) -> Result<SideColumn<'n>, String> {
        let found = match self {
            Side::Whole(facts) => facts.column(name).map(|c| (c.ty, c.missing)),
            Side::Rows { table, rows } => {
                table.column(name).map(|c| (c.ty(), rows.iter().filter(|&&r| c.is_missing(r)).count()))
            }
        };
        let (ty, missing) = found.ok_or_else(|| {
            let hint = match self {
                Side::Whole(facts) => facts.column_hint(name),
                Side::Rows { table, .. } => table.column_hint(name),
            };
            format!("`{name}` is not a column of {which} ({}){hint}", self.name())
        })?;
        Ok(SideColumn { name, ty, missing })
    }

    /// The column's present values: numbers for an int or float column, else each label
    /// with its count.
    fn values(&self, column: &SideColumn<'_>) -> Result<Values, String> {
        let name = column.name;
        let numeric = matches!(column.ty, ColumnType::Int | ColumnType::Float);
        Ok(match self {
            Side::Whole(facts) if numeric => Values::Numbers {
                values: facts.numbers(name)?,
                whole: column.ty == ColumnType::Int && column.missing == 0,
            },
            Side::Whole(facts) => Values::Labels(facts.level_counts(name)?),
            Side::Rows { table, rows } => {
                let column_data =
                    table.column(name).ok_or_else(|| format!("`{name}` is not in {}", table.name()))?;
                if numeric {
                    Values::Numbers {
                        values: rows.iter().filter_map(|&r| column_data.number(r)).collect(),
                        whole: column.ty == ColumnType::Int && column.missing == 0,
                    }
                } else {
                    Values::Labels(level_counts_of(column_data, rows.iter().copied()))
                }
            }
        })
    }
}

/// A column's present values.
enum Values {
    /// Numbers; `whole` when the column is `int` without a missing cell on these rows (pandas
    /// then holds it as int64, which changes numpy's histogram bins).
    Numbers { values: Vec<f64>, whole: bool },
    /// Each label with its count.
    Labels(Vec<(String, usize)>),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Numbers { values, .. } => values.len(),
            Values::Labels(counts) => counts.iter().map(|(_, n)| n).sum(),
        }
    }

    /// The sample `pipeline::drift` reads.
    fn sample(&self) -> Sample<'_> {
        match self {
            Values::Numbers { values, whole: true } => Sample::Integer(values),
            Values::Numbers { values, whole: false } => Sample::Numeric(values),
            Values::Labels(counts) => Sample::Counted(counts),
        }
    }
}

/// The page's overlaid histograms of a column: Evidently's bins, labelled, with the least
/// frequent values beyond [`DriftHistogram::MAX_BINS`] summed into one bin.
fn histogram(binned: Binned) -> DriftHistogram {
    let labels: Vec<String> = match &binned.keys {
        BinKeys::Edges(edges) => edges.windows(2).map(|w| format!("{} – {}", num(w[0]), num(w[1]))).collect(),
        BinKeys::Numbers(values) => values.iter().map(|v| num(*v)).collect(),
        BinKeys::Labels(labels) => labels.clone(),
    };
    let (reference, current) = (binned.reference, binned.current);
    // Ranges stay as they are: Sturges' rule makes few (31 for a billion values).
    if labels.len() <= DriftHistogram::MAX_BINS || matches!(binned.keys, BinKeys::Edges(_)) {
        return DriftHistogram { bins: labels, reference, current };
    }
    // The values of a column with many: the most frequent, in their order, and the rest.
    let mut by_share: Vec<usize> = (0..labels.len()).collect();
    by_share.sort_by(|&a, &b| {
        (reference[b] + current[b]).total_cmp(&(reference[a] + current[a])).then(a.cmp(&b))
    });
    let mut kept = by_share[..DriftHistogram::MAX_BINS - 1].to_vec();
    kept.sort_unstable();
    let rest = &by_share[DriftHistogram::MAX_BINS - 1..];
    let sum = |shares: &[f64]| rest.iter().map(|&i| shares[i]).sum::<f64>();
    DriftHistogram {
        bins: kept.iter().map(|&i| labels[i].clone()).chain([format!("{} others", rest.len())]).collect(),
        reference: kept.iter().map(|&i| reference[i]).chain([sum(&reference)]).collect(),
        current: kept.iter().map(|&i| current[i]).chain([sum(&current)]).collect(),
    }
}
