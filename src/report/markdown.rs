//! The report as Markdown for a CI job's page (`mltest run --format markdown`, appended to
//! GitHub's `$GITHUB_STEP_SUMMARY`): the verdict line, what was run on what, a table of every
//! test (status, id, kind, message), then each failed or errored test's explanation,
//! execution table and failing rows. Nothing in it changes between two runs of the same
//! suite on the same data (no timings, no date), so summaries compare line by line.
//!
//! Every field that comes from the user goes through [`text`]: made [`printable`] (no line
//! break can end a table row, no control character reaches the page), cut to
//! [`MAX_CELL`] characters, and escaped so that it reads as the characters it is — a `|`
//! cannot open a column, a backtick a code span, a `<` an HTML tag, a `*` or `$` emphasis or
//! mathematics.

use std::fmt::Write;

use super::fmt::{excerpt_to, printable};
use super::{Failures, Report, Status, Step, TestReport, Verdict};

/// The longest a field of a cell or a heading gets; a longer one is cut with its length (the
/// JSON report keeps it whole). GitHub caps a step's summary at 1 MiB.
pub const MAX_CELL: usize = 200;

/// The whole report as Markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let mark = match report.verdict {
        Verdict::Pass => "✅",
        Verdict::Fail => "❌",
    };
    let _ = writeln!(out, "### {mark} mltest: {} — {}\n", report.verdict.label(), text(&report.headline()));
    let d = &report.dataset;
    let _ = writeln!(
        out,
        "Suite **{}** on **{}** ({} rows × {} columns, sha256 `{}`): {}.\n",
        text(&report.suite),
        text(&d.name),
        d.rows,
        d.columns,
        text(d.sha256.get(..12).unwrap_or(&d.sha256)),
        report.summary.line()
    );
    for sample in &report.samples {
        let _ = writeln!(out, "Sample: {}: {}.\n", text(&sample.line()), super::SAMPLE_READERS);
    }
    out.push_str("| Status | Test | Kind | Message |\n| --- | --- | --- | --- |\n");
    for test in &report.tests {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            status(test.status),
            text(&test.id),
            text(&test.kind),
            text(&test.message)
        );
    }
    let failing: Vec<&TestReport> =
        report.tests.iter().filter(|t| matches!(t.status, Status::Fail | Status::Error)).collect();
    if !failing.is_empty() {
        out.push_str("\n#### What failed\n");
    }
    for test in failing {
        let _ = writeln!(out, "\n##### {} {} · {}\n", status(test.status), text(&test.id), text(&test.kind));
        let _ = writeln!(out, "{}\n", text(&test.message));
        out.push_str(&steps_table(&test.steps));
        if let Some(failures) = test.failures.as_ref().filter(|f| !f.is_empty()) {
            out.push('\n');
            out.push_str(&failing_rows(failures));
        }
    }
    out
}

/// A status as the summary shows it: a mark to find it at a glance, and its label.
fn status(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅ PASS",
        Status::Fail => "❌ FAIL",
        Status::Warn => "⚠️ WARN",
        Status::Error => "⛔ ERROR",
        Status::Skipped => "⏭️ SKIPPED",
    }
}

/// An execution table: Step | Action | Evaluation | Result.
fn steps_table(steps: &[Step]) -> String {
    let mut out = String::from("| Step | Action | Evaluation | Result |\n| ---: | --- | --- | --- |\n");
    for s in steps {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            s.step,
            text(&s.action),
            text(&s.evaluation),
            text(&s.result)
        );
    }
    out
}

/// The failing rows: how many, and the sample with their 1-based CSV lines.
fn failing_rows(failures: &Failures) -> String {
    let shown = failures.sample.len();
    let mut out = if shown < failures.count {
        format!("{} failing rows; the first {shown}:\n\n", failures.count)
    } else {
        format!("{} failing {}:\n\n", failures.count, if failures.count == 1 { "row" } else { "rows" })
    };
    out.push_str("| Line | Column | Value |\n| ---: | --- | --- |\n");
    for cell in &failures.sample {
        let value = if cell.value.is_empty() { "(empty)".to_owned() } else { text(&cell.value) };
        let _ = writeln!(out, "| {} | {} | {value} |", cell.line, text(&cell.column));
    }
    out
}

/// A field as Markdown that shows its characters as they are, on one line (see the module's
/// docs): [`printable`], cut to [`MAX_CELL`], then every character Markdown, GitHub's tables
/// or its HTML would read as syntax escaped.
pub fn text(field: &str) -> String {
    let shown = printable(field);
    let shown = excerpt_to(&shown, MAX_CELL);
    let mut out = String::with_capacity(shown.len() + 8);
    for c in shown.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // The backslash first among the escaped: `a\|` must not leave the `|` unescaped.
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '~' | '#' | '$' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::{self, Format};
    use crate::{run, table};

    /// The report of a shipped example suite on its bundled data.
    fn example(name: &str) -> Report {
        let path = format!("{}/static/suites/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        let format = if name.ends_with(".json") { Format::Json } else { Format::Yaml };
        let suite = suite::parse(&text, format, name).unwrap();
        let data = run::builtin_data(&suite, &table::LoadOptions::default()).unwrap().unwrap();
        run::run(&suite, &data)
    }

    /// The table rows of `markdown` that start with `| ` and are not a header or a rule.
    fn rows_of<'a>(markdown: &'a str, header: &str) -> Vec<&'a str> {
        let start = markdown.find(header).unwrap_or_else(|| panic!("no {header} in\n{markdown}"));
        markdown[start..].lines().skip(2).take_while(|l| l.starts_with("| ")).collect()
    }

    #[test]
    fn a_passing_run_is_the_verdict_line_and_a_row_per_test() {
        let report = example("iris-accuracy-gate.json");
        let md = render(&report);
        let first = md.lines().next().unwrap();
        assert_eq!(first, "### ✅ mltest: PASS — 5 of 5 tests pass — ready to deploy");
        assert!(
            md.contains(&format!(
                "Suite **Iris: accuracy gate** on **iris.csv** (150 rows × 5 columns, sha256 `{}`): 5 passed, 0 failed, 0 warned, 0 errored.",
                &report.dataset.sha256[..12]
            )),
            "{md}"
        );
        let rows = rows_of(&md, "| Status | Test | Kind | Message |");
        assert_eq!(rows.len(), report.tests.len(), "{md}");
        for (row, test) in rows.iter().zip(&report.tests) {
            assert!(row.starts_with(&format!("| ✅ PASS | {} | ", text(&test.id))), "{row}");
        }
        assert!(!md.contains("What failed") && !md.contains("| Step |"), "{md}");
    }

    #[test]
    fn a_failing_run_shows_the_failing_tests_tables_and_rows() {
        let report = example("penguins-missing-values.json");
        let md = render(&report);
        assert!(md.starts_with("### ❌ mltest: FAIL — "), "{md}");
        let failing: Vec<&TestReport> = report.tests.iter().filter(|t| t.status == Status::Fail).collect();
        assert!(!failing.is_empty());
        assert_eq!(md.matches("\n##### ❌ FAIL ").count(), failing.len(), "{md}");
        assert_eq!(md.matches("| Step | Action | Evaluation | Result |").count(), failing.len(), "{md}");
        let test = report.tests.iter().find(|t| t.id == "bill-length-known").unwrap();
        let section = &md[md.find("##### ❌ FAIL bill-length-known").unwrap()..];
        assert_eq!(rows_of(section, "| Step |").len(), test.steps.len(), "{section}");
        assert!(section.contains("2 failing rows:"), "{section}");
        let lines: Vec<&str> = rows_of(section, "| Line |");
        assert_eq!(lines, ["| 5 | bill\\_length\\_mm | (empty) |", "| 273 | bill\\_length\\_mm | (empty) |"]);
    }

    #[test]
    fn a_model_that_fails_its_gate_shows_the_threshold_steps() {
        let report = example("breast-cancer-overfit.json");
        let md = render(&report);
        let accuracy = report.tests.iter().find(|t| t.id == "accuracy").unwrap();
        assert_eq!(accuracy.status, Status::Fail);
        let section = &md[md.find("##### ❌ FAIL accuracy · metric\\_threshold").expect(&md)..];
        let steps = rows_of(section, "| Step |");
        assert_eq!(steps.len(), accuracy.steps.len(), "{section}");
        assert!(steps.last().unwrap().ends_with("| FAIL |"), "{section}");
    }

    #[test]
    fn two_runs_of_every_example_give_the_same_summary_with_every_test_once() {
        // A `time_budget` test's message says how long training took: the one line that
        // differs between two runs, as its time differs.
        let stable = |md: &str| -> String {
            md.lines().filter(|l| !l.contains("time\\_budget")).collect::<Vec<_>>().join("\n")
        };
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/suites");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let (a, b) = (example(&name), example(&name));
            let md = render(&a);
            assert_eq!(stable(&md), stable(&render(&b)), "{name}: two runs, two summaries");
            assert_eq!(rows_of(&md, "| Status |").len(), a.tests.len(), "{name}");
        }
    }

    #[test]
    fn cells_escape_markdown_tables_html_and_control_characters() {
        assert_eq!(text("a|b"), "a\\|b");
        assert_eq!(text("a\\|b"), "a\\\\\\|b");
        assert_eq!(
            text("`code` <img src=x> & *b* _i_ [l](u) ~s~ #h $m$ !"),
            "\\`code\\` &lt;img src=x&gt; &amp; \\*b\\* \\_i\\_ \\[l\\](u) \\~s\\~ \\#h \\$m\\$ \\!"
        );
        assert_eq!(text("line\nbreak\u{1b}[31m"), "line\\\\nbreak\\\\u{1b}\\[31m");
        let long = text(&"x".repeat(MAX_CELL + 10));
        assert!(long.ends_with(&format!("… ({} characters)", MAX_CELL + 10)), "{long}");
    }

    #[test]
    fn a_hostile_test_id_stays_in_its_cell() {
        let mut report = example("iris-data-quality.json");
        report.tests[0].id = "x | y\n| forged | row |".into();
        report.tests[0].status = Status::Fail;
        let md = render(&report);
        let rows = rows_of(&md, "| Status |");
        assert_eq!(rows.len(), report.tests.len(), "{md}");
        assert!(rows[0].starts_with("| ❌ FAIL | x \\| y\\\\n\\| forged \\| row \\| | "), "{}", rows[0]);
    }
}
