//! The report as text for a terminal or a CI log: each test's execution table, its
//! explanation and failing rows, the trained classifier's confusion matrix, then the verdict
//! and the closing count line.
//!
//! Every field that comes from the user (the suite's name and ids, the data's column names
//! and cells, messages that quote them) goes through [`super::fmt::printable`]: a CSV
//! header must not be able to colour a terminal or forge a CI runner's `::error::` line.

use std::fmt::Write;

use super::fmt::printable as p;
use super::{Report, Step, TestReport};

/// The whole report as text.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let d = &report.dataset;
    let _ = writeln!(out, "mltest {} — {}", report.mltest, p(&report.suite));
    let _ = writeln!(
        out,
        "data: {} · {} rows × {} columns · sha256 {}",
        p(&d.name),
        d.rows,
        d.columns,
        p(d.sha256.get(..12).unwrap_or(&d.sha256))
    );
    for sample in &report.samples {
        let _ = writeln!(out, "sample: {}: {}", p(&sample.line()), super::SAMPLE_READERS);
    }
    for test in &report.tests {
        out.push('\n');
        render_test(&mut out, test);
    }
    if let Some(model) = report.model.as_ref().filter(|m| !m.confusion_matrix.is_empty()) {
        let _ = writeln!(
            out,
            "\nConfusion matrix of {} on {} test rows (rows: true class, columns: predicted)",
            p(&model.description),
            model.test_rows
        );
        out.push_str(&confusion_grid(model));
    }
    let _ = writeln!(out, "\nVerdict: {} — {}", report.verdict.label(), p(&report.headline()));
    let _ = writeln!(out, "{}", report.summary.line());
    out
}

const INDENT: &str = "      ";

/// The confusion matrix as a grid: a row per true class, a column per predicted class.
fn confusion_grid(model: &super::ModelSummary) -> String {
    let mut header = vec!["true \\ predicted"];
    header.extend(model.classes.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = model
        .confusion_matrix
        .iter()
        .zip(&model.classes)
        .map(|(counts, class)| {
            std::iter::once(class.clone()).chain(counts.iter().map(usize::to_string)).collect()
        })
        .collect();
    grid(&header, &rows)
}

fn render_test(out: &mut String, test: &TestReport) {
    // Labels are padded to line the ids up; SKIPPED, the one longer label, keeps a space.
    let label = format!("{:<5} ", test.status.label());
    let _ = writeln!(out, "{label}{} · {} · {}", p(&test.id), p(&test.kind), test.family.name());
    let _ = writeln!(out, "{INDENT}{}", p(&test.message));
    for line in steps_table(&test.steps).lines() {
        let _ = writeln!(out, "{INDENT}{line}");
    }
    let tracked: Vec<String> = test
        .variables
        .iter()
        .filter_map(|v| {
            v.values.last().cloned().flatten().map(|value| format!("{} = {}", p(&v.name), p(&value)))
        })
        .collect();
    if !tracked.is_empty() {
        let _ = writeln!(out, "{INDENT}Tracked: {}", tracked.join(", "));
    }
    if let Some(failures) = test.failures.as_ref().filter(|f| f.count > 0) {
        let _ =
            writeln!(out, "{INDENT}Failing rows: {} (first {} shown)", failures.count, failures.sample.len());
        let width = failures.sample.iter().map(|c| c.line.to_string().len()).max().unwrap_or(1);
        for cell in &failures.sample {
            let value = if cell.value.is_empty() {
                "(missing)".to_owned()
            } else {
                format!("\"{}\"", p(&cell.value))
            };
            let _ = writeln!(out, "{INDENT}  line {:<width$}  {} = {value}", cell.line, p(&cell.column));
        }
    }
}

/// An execution table as a Markdown-style table, columns padded to their widest cell. Cells
/// longer than [`MAX_CELL`] characters are cut with `…` (the JSON report keeps them whole).
pub fn steps_table(steps: &[Step]) -> String {
    let rows: Vec<Vec<String>> = steps
        .iter()
        .map(|s| vec![s.step.to_string(), cut(&s.action), cut(&s.evaluation), cut(&s.result)])
        .collect();
    grid(&["Step", "Action", "Evaluation", "Result"], &rows)
}

/// The widest a cell of a text execution table gets, so a table fits a terminal.
pub const MAX_CELL: usize = 64;

fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_CELL {
        return text.to_owned();
    }
    let kept: String = text.chars().take(MAX_CELL - 1).collect();
    format!("{kept}…")
}

/// Any table as a Markdown-style table: a header, a rule, then the rows, each column padded
/// to its widest cell.
pub fn grid(header: &[&str], rows: &[Vec<String>]) -> String {
    // A line break in a cell (a quoted newline in a CSV value) would cut its row in two, and
    // a header can be a column's name.
    let header: Vec<String> = header.iter().map(|h| p(h).into_owned()).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> =
        rows.iter().map(|row| row.iter().map(|cell| p(cell).into_owned()).collect()).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let padded: Vec<String> = cells
            .zip(&widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.chars().count())))
            .collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let mut out = line(&mut header.iter().copied());
    let rules: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(&mut rules.iter().map(String::as_str)));
    for row in &rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_table_pads_every_column_to_its_widest_cell() {
        let steps = vec![
            Step {
                step: 1,
                action: "evaluate_model(model)".into(),
                evaluation: "accuracy".into(),
                result: "accuracy = 0.9667".into(),
            },
            Step {
                step: 2,
                action: "assert accuracy > 0.8".into(),
                evaluation: "0.9667 > 0.8".into(),
                result: "PASS".into(),
            },
        ];
        let table = steps_table(&steps);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[0], "| Step | Action                | Evaluation   | Result            |");
        assert_eq!(lines[1], "| ---- | --------------------- | ------------ | ----------------- |");
        assert_eq!(lines[3], "| 2    | assert accuracy > 0.8 | 0.9667 > 0.8 | PASS              |");
    }

    #[test]
    fn the_confusion_matrix_is_a_grid_of_true_by_predicted() {
        let model = super::super::ModelSummary {
            description: "gaussian_nb".into(),
            task: crate::vocab::Task::Classification,
            target: "y".into(),
            test_rows: 5,
            classes: vec!["no".into(), "yes".into()],
            confusion_matrix: vec![vec![2, 1], vec![0, 2]],
            roc: Vec::new(),
            calibration: None,
        };
        assert_eq!(
            confusion_grid(&model),
            "| true \\ predicted | no | yes |\n| ---------------- | -- | --- |\n| no               | 2  | 1   |\n| yes              | 0  | 2   |\n"
        );
    }

    #[test]
    fn long_cells_are_cut_to_fit_a_terminal() {
        let long = "x".repeat(100);
        let steps = vec![Step { step: 1, action: long.clone(), evaluation: "e".into(), result: "r".into() }];
        let table = steps_table(&steps);
        let row = table.lines().nth(2).unwrap();
        assert!(row.contains(&format!("{}…", "x".repeat(MAX_CELL - 1))), "{row}");
        assert!(!row.contains(&long));
    }
}
