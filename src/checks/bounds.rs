//! The bounds a threshold test checked, with the values it found: what the page's
//! "metric against its threshold" chart draws.
//!
//! Read from the test's parameters and its `observed` value after it ran, so no test kind
//! has to report them twice: `metric_threshold` observes a number, `per_class_metric` a number
//! (one class) or a map of class → value, `cross_validation` `{mean, std, folds}`.

use serde_json::Value;

use super::threshold::{default_metric, Op, Part};
use super::Check;
use crate::report::Bound;
use crate::suite::Task;

/// The bounds of `check` given what it observed; empty for other kinds, or when the test
/// did not produce a value (an error, a skipped test).
pub fn bounds(check: &Check, observed: &Value, task: Option<Task>) -> Vec<Bound> {
    let bound = |name: String, observed: Option<f64>, op: Op, value: f64| {
        observed.map(|observed| Bound {
            name,
            observed,
            op: op.symbol().to_owned(),
            value,
            holds: op.holds(observed, value),
        })
    };
    match check {
        Check::MetricThreshold(p) => {
            let name = match p.on {
                Part::Test => p.metric.name().to_owned(),
                Part::Train => format!("{} (train)", p.metric.name()),
                Part::Cv => format!("{} (cv)", p.metric.name()),
            };
            bound(name, observed.as_f64(), p.op, p.value).into_iter().collect()
        }
        Check::PerClassMetric(p) => {
            let name = |class: &str| format!("{}[{class}]", p.metric.name());
            match (&p.class, observed) {
                (Some(class), _) => {
                    bound(name(class), observed.as_f64(), p.op, p.value).into_iter().collect()
                }
                (None, Value::Object(values)) => values
                    .iter()
                    .filter_map(|(class, value)| bound(name(class), value.as_f64(), p.op, p.value))
                    .collect(),
                _ => Vec::new(),
            }
        }
        Check::CrossValidation(p) => {
            let metric = p.metric.unwrap_or(default_metric(task.unwrap_or(Task::Classification))).name();
            let mean = observed.get("mean").and_then(Value::as_f64);
            let std = observed.get("std").and_then(Value::as_f64);
            let mean_bound = match (p.min_mean, p.max_mean) {
                (Some(min), _) => Some((Op::Ge, min)),
                (_, Some(max)) => Some((Op::Le, max)),
                _ => None,
            };
            let mean = mean_bound.and_then(|(op, value)| bound(format!("mean {metric}"), mean, op, value));
            let std = p.max_std.and_then(|max| bound(format!("std {metric}"), std, Op::Le, max));
            mean.into_iter().chain(std).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::run::{builtin_data, run};
    use crate::suite::{parse, Format};
    use crate::table::LoadOptions;

    #[test]
    fn threshold_tests_report_each_bound_with_its_value() {
        let suite = parse(
            r#"{"version": 1, "data": {"source": "sample:iris"}, "target": "species",
                "task": "classification", "model": {"kind": "gaussian_nb"},
                "tests": [{"id": "acc", "kind": "metric_threshold", "metric": "accuracy", "op": ">", "value": 0.99},
                          {"id": "recall", "kind": "per_class_metric", "metric": "recall", "op": ">=", "value": 0.8},
                          {"id": "cv", "kind": "cross_validation", "folds": 3, "min_mean": 0.9, "max_std": 0.1},
                          {"id": "rows", "kind": "row_count_between", "min": 1}]}"#,
            Format::Json,
            "s.json",
        )
        .unwrap();
        let table = builtin_data(&suite, &LoadOptions::default()).unwrap().unwrap();
        let report = run(&suite, &table);
        let names = |i: usize| report.tests[i].bounds.iter().map(|b| b.name.clone()).collect::<Vec<_>>();
        let acc = &report.tests[0].bounds[0];
        assert_eq!((acc.op.as_str(), acc.value, acc.holds), (">", 0.99, false));
        assert_eq!(Some(acc.observed), report.tests[0].observed.as_f64());
        assert_eq!(names(1), ["recall[setosa]", "recall[versicolor]", "recall[virginica]"]);
        assert_eq!(names(2), ["mean accuracy", "std accuracy"]);
        assert_eq!(report.tests[2].bounds[1].op, "<=");
        assert!(report.tests[3].bounds.is_empty());
    }
}
