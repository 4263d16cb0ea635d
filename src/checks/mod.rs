//! The test catalogue: every test kind, its parameters and how it runs.
//!
//! [`Check`] is the registry: a serde enum tagged by `kind`, one variant per test kind, so the
//! name in the suite file, the parameter struct and the code that runs it cannot drift apart.
//! The `registry!` list below is the one list of kinds.
//!
//! Each kind also describes itself for the suite editor ([`TestKind::SUMMARY`],
//! [`TestKind::PARAMS`]), listed in [`CATALOG`]; see [`catalog`]. What a kind knows of itself
//! besides running is a [`TestKind`] method too: the bounds the report's chart draws
//! ([`TestKind::bounds`]) and the model fits it starts ([`TestKind::fits`]).
//!
//! A kind's `run` records what it does in a [`Trace`] (the execution table) and returns an
//! [`Evaluation`]; it returns `Err` when the test cannot be evaluated (a missing column, a
//! column of the wrong type), which the runner reports as status `error`.
//!
//! # Layout
//!
//! A folder per family, a file per subject inside it, so a kind is found by what it checks:
//!
//! ```text
//! data/       columns, values, stats, rows, labels, leakage,    checks on the table
//!             drift
//! unit/       scaler, split, impute, encode, seed, predict      the pipeline's functions
//! threshold/  score, cross_validation, time, perturb, slices,   the trained model
//!             calibration
//! integration.rs                                                the whole pipeline
//! metric.rs   Op, Part, the default metric, metric parameter checks (shared by families)
//! budget.rs   the model fits a suite may start
//! params.rs   parameter types valid by construction (Ratio, Pattern, ColumnSel)
//! catalog.rs  each kind as the suite editor lists it (the parameter metadata is in vocab)
//! ```
//!
//! A family's `mod.rs` lists its subjects and kinds, re-exports the kinds
//! (`checks::data::NotNull`) and holds the steps its kinds share. Tests sit beside: a
//! family's `tests.rs` holds the helpers, `tests/<subject>.rs` the tests of each subject; a
//! file with fewer than about 200 lines of tests keeps them inline (`catalog.rs`, `params.rs`).
//!
//! **Adding a kind**: one type implementing [`TestKind`] in the file of its subject (a new
//! file when no subject fits, with a module doc saying what it owns, and a `pub use` in the
//! family's `mod.rs`), its tests in the family's `tests/<subject>.rs`, and one line in the
//! `registry!` list below.

mod budget;
pub mod catalog;
pub mod data;
pub mod integration;
pub mod metric;
mod params;
pub mod threshold;
pub mod unit;

pub use crate::vocab::{Family, Param, ParamError, ParamType};
pub use budget::{check_fit_budget, fit_budget_error, fits_of};
pub use catalog::KindInfo;
pub use params::{ColumnSel, Pattern, Ratio};

use serde::Serialize;
use serde_json::Value;

use crate::pipeline::fit::{PipelineSpec, StageError, Trained};
use crate::report::{Bound, Failures, Trace};
use crate::table::Table;
use crate::vocab::Task;

/// What a test may read while it runs.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The loaded table: what the model trains on and the pipeline's tests read. With an
    /// engine that queries files where they lie (PRODUCT.md §14), a seeded sample of them
    /// for a model mltest trains, every row of the columns it reads for a `predictions` one.
    pub table: &'a Table,
    /// What `no_target_leakage` scores: `table` itself, or on an engine that queries files a
    /// seeded sample of every column.
    pub sample: &'a Table,
    /// What data tests ask about the data: `table` itself, or the files queried whole.
    pub data: &'a dyn data::Facts,
    /// The reference data `drift` compares `data` with, when the run has one: a loaded table,
    /// or files queried whole.
    pub reference: Option<&'a dyn data::Facts>,
    /// The suite names a reference: without one in `reference`, drift is an error (it must
    /// not fall back to the split the suite did not ask for).
    pub reference_named: bool,
    /// The suite's target column, when it names one.
    pub target: Option<&'a str>,
    /// The suite's task, when it names one.
    pub task: Option<Task>,
    /// The suite's `features`, when it lists them.
    pub features: Option<&'a [String]>,
    /// The suite's `drop`: columns that are never features.
    pub drop: &'a [String],
    /// The suite's pipeline, when it has a model.
    pub pipeline: Option<&'a PipelineSpec>,
    /// The pipeline run once for the whole suite, when a test needs it.
    pub trained: Option<&'a Result<Trained<'a>, StageError>>,
}

impl<'a> Context<'a> {
    /// A context for a table alone: no target, task, feature list or model.
    pub fn new(table: &'a Table) -> Context<'a> {
        Context {
            table,
            sample: table,
            data: table,
            reference: None,
            reference_named: false,
            target: None,
            task: None,
            features: None,
            drop: &[],
            pipeline: None,
            trained: None,
        }
    }

    /// The suite's pipeline spec, or why the test cannot run without one.
    pub fn pipeline_spec(&self) -> Result<&'a PipelineSpec, String> {
        self.pipeline
            .ok_or_else(|| "the suite has no `model`: add one (with `target` and `task`) to train".to_owned())
    }

    /// The trained pipeline, or why there is none.
    pub fn trained(&self) -> Result<&'a Trained<'a>, String> {
        match self.trained {
            Some(Ok(trained)) => Ok(trained),
            Some(Err(failed)) => Err(format!("the pipeline did not train: {failed}")),
            None => Err(self.pipeline_spec().err().unwrap_or_else(|| "the pipeline was not run".to_owned())),
        }
    }
}

/// The result of a test that could be evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub passed: bool,
    /// One line in plain words: what was found, against what was allowed.
    pub message: String,
    /// The value the test measured (a ratio, a count, a type name, …).
    pub observed: serde_json::Value,
    /// For row-level tests: how many rows failed, and a sample of them.
    pub failures: Option<Failures>,
}

/// One test kind: its parameters are the implementing type.
pub trait TestKind {
    const FAMILY: Family;

    /// One line for the suite editor's catalogue: what the test checks.
    const SUMMARY: &'static str;

    /// Every parameter the kind reads, for the suite editor's form (tests in `catalog`
    /// check the list against the serde struct).
    const PARAMS: &'static [Param];

    /// Whether the test reads the pipeline the runner trains once for the suite. When that
    /// pipeline fails, such tests cannot run and are `skipped`; a test that runs the stages
    /// it needs itself says `false` and reports the failure as its own.
    const READS_TRAINED_PIPELINE: bool = matches!(Self::FAMILY, Family::Unit | Family::Threshold);

    /// Checks the parameters against each other (a single value's range is checked when it
    /// is read, by the types in `params`).
    fn validate(&self) -> Result<(), ParamError> {
        Ok(())
    }

    /// Runs the test, recording each step in `trace`. `Err` carries the reason the test could
    /// not be evaluated.
    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String>;

    /// The bounds the test checked, with the values it found in `observed` (what it
    /// returned in [`Evaluation::observed`]): what the page's "metric against its threshold"
    /// chart draws. Empty for kinds without a numeric bound, and when the test produced no
    /// value (an error, a skipped test). `task` is the suite's, when it names one.
    fn bounds(&self, observed: &Value, task: Option<Task>) -> Vec<Bound> {
        let _ = (observed, task);
        Vec::new()
    }

    /// Why the test cannot apply to a model that is not trained (the `predictions` model of
    /// PRODUCT.md §9: it trains, retrains, or inspects the split or the preprocessing); the
    /// suite is refused with this reason. `None` for a test that only reads predictions.
    fn needs_training(&self) -> Option<&'static str> {
        None
    }

    /// Model fits the test starts when it runs, besides the suite's one training (see
    /// [`check_fit_budget`]): a fold each for cross-validation, two for the determinism test.
    fn fits(&self) -> usize {
        0
    }

    /// The columns a test of a `predictions` model reads from the data besides the model's
    /// own (target, prediction, scores): a slice's or a group's column. An engine that
    /// queries files loads only these and the model's for such a model (PRODUCT.md §14).
    fn columns_read(&self) -> Vec<&str> {
        Vec::new()
    }
}

macro_rules! registry {
    ($($variant:ident => $name:literal : $ty:ty,)*) => {
        /// Every test kind, tagged by `kind` in the suite file.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "kind")]
        pub enum Check {
            $(#[serde(rename = $name)] $variant($ty),)*
        }

        /// The names of every test kind, in catalogue order.
        pub const KINDS: &[&str] = &[$($name),*];

        /// Every test kind with its summary and parameters, in catalogue order.
        pub const CATALOG: &[KindInfo] = &[$(KindInfo {
            name: $name,
            family: <$ty as TestKind>::FAMILY,
            summary: <$ty as TestKind>::SUMMARY,
            params: <$ty as TestKind>::PARAMS,
        }),*];

        impl Check {
            /// Reads the parameters of the kind named `kind` (the object without `kind`);
            /// `None` when no kind has that name. Errors carry the parameter's path.
            pub fn from_params(
                kind: &str,
                params: serde_json::Value,
            ) -> Option<Result<Check, serde_path_to_error::Error<serde_json::Error>>> {
                match kind {
                    $($name => Some(read_params::<$ty>(params).map(Check::$variant)),)*
                    _ => None,
                }
            }

            /// The kind's name as written in the suite file.
            pub fn kind(&self) -> &'static str {
                match self { $(Check::$variant(_) => $name,)* }
            }

            pub fn family(&self) -> Family {
                match self { $(Check::$variant(_) => <$ty as TestKind>::FAMILY,)* }
            }

            /// See [`TestKind::needs_training`].
            pub fn needs_training(&self) -> Option<&'static str> {
                match self { $(Check::$variant(p) => p.needs_training(),)* }
            }

            /// See [`TestKind::READS_TRAINED_PIPELINE`].
            pub fn reads_trained_pipeline(&self) -> bool {
                match self { $(Check::$variant(_) => <$ty as TestKind>::READS_TRAINED_PIPELINE,)* }
            }

            pub fn validate(&self) -> Result<(), ParamError> {
                match self { $(Check::$variant(p) => p.validate(),)* }
            }

            pub fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
                match self { $(Check::$variant(p) => run_kind(p, ctx, trace),)* }
            }

            /// See [`TestKind::bounds`].
            pub fn bounds(&self, observed: &Value, task: Option<Task>) -> Vec<Bound> {
                match self { $(Check::$variant(p) => p.bounds(observed, task),)* }
            }

            /// See [`TestKind::fits`].
            pub fn fits(&self) -> usize {
                match self { $(Check::$variant(p) => p.fits(),)* }
            }

            /// See [`TestKind::columns_read`].
            pub fn columns_read(&self) -> Vec<&str> {
                match self { $(Check::$variant(p) => p.columns_read(),)* }
            }
        }
    };
}

// A kind's parameters read, and a kind run, each as a function of its own, never inlined into
// the match over every kind: the browser compiles a wasm function whole when it is first
// called, and with every kind inlined, reading a suite compiled every kind's reader (90 KB)
// and a run every kind's code (150 KB). Now a suite compiles what its kinds use.
#[inline(never)]
fn read_params<K: serde::de::DeserializeOwned>(
    params: serde_json::Value,
) -> Result<K, serde_path_to_error::Error<serde_json::Error>> {
    serde_path_to_error::deserialize(params)
}

#[inline(never)]
fn run_kind<K: TestKind>(kind: &K, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
    kind.run(ctx, trace)
}

// The one list of kinds, in catalogue order: `Variant => "name in the suite file": type`.
// A new kind is one type in the file of its subject, its tests, and one line here.
registry! {
    // Data tests on the table.
    NotNull => "not_null": data::NotNull,
    ColumnsPresent => "columns_present": data::ColumnsPresent,
    ColumnType => "column_type": data::ColumnTypeIs,
    ValuesBetween => "values_between": data::ValuesBetween,
    ValuesInSet => "values_in_set": data::ValuesInSet,
    Unique => "unique": data::Unique,
    NoDuplicateRows => "no_duplicate_rows": data::NoDuplicateRows,
    RowCountBetween => "row_count_between": data::RowCountBetween,
    MatchesRegex => "matches_regex": data::MatchesRegex,
    ColumnStatBetween => "column_stat_between": data::ColumnStatBetween,
    NotConstant => "not_constant": data::NotConstant,
    ClassBalance => "class_balance": data::ClassBalance,
    NoConflictingLabels => "no_conflicting_labels": data::NoConflictingLabels,
    NoTargetLeakage => "no_target_leakage": data::NoTargetLeakage,
    Drift => "drift": data::Drift,
    // Unit tests of the pipeline's functions.
    ScalerStandardizes => "scaler_standardizes": unit::ScalerStandardizes,
    ScalerRange => "scaler_range": unit::ScalerRange,
    ScalerInverseRoundtrip => "scaler_inverse_roundtrip": unit::ScalerInverseRoundtrip,
    SplitSizes => "split_sizes": unit::SplitSizes,
    SplitNoOverlap => "split_no_overlap": unit::SplitNoOverlap,
    SplitLabelCoverage => "split_label_coverage": unit::SplitLabelCoverage,
    SplitStratified => "split_stratified": unit::SplitStratified,
    ImputerFillsAll => "imputer_fills_all": unit::ImputerFillsAll,
    OneHotWidth => "one_hot_width": unit::OneHotWidth,
    DeterministicWithSeed => "deterministic_with_seed": unit::DeterministicWithSeed,
    PredictBatchInvariance => "predict_batch_invariance": unit::PredictBatchInvariance,
    PredictionShape => "prediction_shape": unit::PredictionShape,
    // Threshold tests on the trained model.
    MetricThreshold => "metric_threshold": threshold::MetricThreshold,
    PerClassMetric => "per_class_metric": threshold::PerClassMetric,
    BeatsBaseline => "beats_baseline": threshold::BeatsBaseline,
    TrainTestGap => "train_test_gap": threshold::TrainTestGap,
    CrossValidation => "cross_validation": threshold::CrossValidation,
    TimeBudget => "time_budget": threshold::TimeBudget,
    Invariance => "invariance": threshold::Invariance,
    Directional => "directional": threshold::Directional,
    SliceMetric => "slice_metric": threshold::SliceMetric,
    SliceGap => "slice_gap": threshold::SliceGap,
    Fairness => "fairness": threshold::Fairness,
    Calibration => "calibration": threshold::Calibration,
    // The integration test.
    PipelineEndToEnd => "pipeline_end_to_end": integration::PipelineEndToEnd,
}
