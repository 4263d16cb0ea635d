//! Running the `mltest` binary and reading what it printed.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// The package's root: the working directory of every run unless a test says otherwise, so
/// paths such as `static/suites/…` read as they do in the README.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture under `tests/data/`, relative to [`root`]: `fixture("suites/csv/empty.csv")`.
pub fn fixture(relative: &str) -> String {
    format!("tests/data/{relative}")
}

/// The longest a run of `mltest` may take in a test: the slowest take seconds.
const RUN_LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

/// What one run of `mltest` did.
#[derive(Debug)]
pub struct Run {
    /// The exit status.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `mltest ARGS` in [`root`].
pub fn mltest<S: AsRef<OsStr>>(args: &[S]) -> Run {
    mltest_in(root(), args)
}

/// Runs `mltest ARGS` in `dir`, and checks that it did not panic, whatever it was given:
/// PRODUCT.md §5, "the tool never exits 101".
pub fn mltest_in<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Run {
    let shown: Vec<_> = args.iter().map(|a| a.as_ref().to_string_lossy()).collect();
    let child = Command::new(env!("CARGO_BIN_EXE_mltest"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mltest binary runs");
    // A run that hangs is a failure of its test, not of the whole `make test` at CI's limit.
    let pid = child.id();
    let (sender, waited) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(child.wait_with_output()));
    let output = match waited.recv_timeout(RUN_LIMIT) {
        Ok(output) => output.expect("the mltest binary runs"),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("mltest {} did not end within {} s", shown.join(" "), RUN_LIMIT.as_secs());
        }
    };
    let run = Run {
        code: output.status.code().unwrap_or_else(|| {
            panic!("mltest {} was killed by a signal: {:?}", shown.join(" "), output.status)
        }),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    assert_no_panic(&run, &shown.join(" "));
    run
}

pub fn assert_no_panic(run: &Run, command: &str) {
    assert_ne!(run.code, 101, "mltest {command} panicked:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "mltest {command} panicked:\n{}", run.stderr);
    assert!(
        !run.stderr.contains("internal error"),
        "mltest {command} hit an internal error:\n{}",
        run.stderr
    );
}

impl Run {
    /// Asserts the exit status, showing both streams when it differs.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "exit status\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr);
        self
    }

    /// Asserts that the run could not happen (status 2): nothing on stdout, one message on
    /// stderr in the CLI's form, which contains every one of `fragments`. Returns stderr.
    pub fn expect_no_run(&self, fragments: &[&str]) -> &str {
        self.expect_code(2);
        assert_eq!(self.stdout, "", "a refused run prints no report");
        assert!(self.stderr.starts_with("mltest: error: "), "stderr: {}", self.stderr);
        for fragment in fragments {
            assert!(self.stderr.contains(fragment), "stderr should name {fragment:?}:\n{}", self.stderr);
        }
        &self.stderr
    }

    pub fn json(&self) -> Value {
        parse_json(&self.stdout)
    }
}

pub fn parse_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// The JSON report's text with its `timings_ms` object cut out: the only part of a report
/// that may differ between two runs (PRODUCT.md §4).
pub fn without_timings(report: &str) -> String {
    let start = report.find("\"timings_ms\": {").expect("the report has timings_ms");
    let mut end = start + report[start..].find('}').expect("timings_ms is closed") + 1;
    if report[end..].starts_with(',') {
        end += 1;
    }
    format!("{}{}", &report[..start], &report[end..])
}

/// The test with this id in a JSON report.
pub fn test<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["tests"]
        .as_array()
        .expect("tests is an array")
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no test {id} in the report:\n{report:#}"))
}

/// The 1-based CSV lines of a test's failing-row sample.
pub fn failing_lines(test: &Value) -> Vec<u64> {
    test["failures"]["sample"]
        .as_array()
        .unwrap_or_else(|| panic!("test {} has no failures sample:\n{test:#}", test["id"]))
        .iter()
        .map(|cell| cell["line"].as_u64().expect("line is a number"))
        .collect()
}

/// A directory of its own under the system's temporary directory, removed on drop.
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "mltest-tests-{}-{}-{name}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).expect("create a scratch directory");
        Scratch { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
