//! The engine is a line of layers whose imports all point down:
//!
//! ```text
//! vocab → samples → table → pipeline → report → checks → suite → run → share, gx, lessons, source, synth → bench, query → app
//! ```
//!
//! (read "→" as "is below"). A module may name (`use crate::x`, or an inline `crate::x::…`
//! path) only the modules of lower layers, so no module imports one that imports it back.
//! `vocab` holds the shared words and imports nothing; `samples` is the bundled data and
//! names only the task from `vocab`, so the suite reader, the runner and every layer's
//! tests can use it. `bin` is outside the crate (it sees `mltest::…`) and is not checked.
//!
//! The test reads every `.rs` file under `src/` as text: comments, doc comments and string
//! literals are blanked first, so a doc link or a suite in a string is not an import.
//!
//! Test code keeps the rule too, with the exceptions in [`TEST_MAY_ALSO_IMPORT`]: a test that
//! runs a whole suite (`run::run`, `suite::parse`) to check one kind, or that loads a
//! generated file (`synth`) to check the loader. Test code is a file named `tests.rs`, a file
//! under a `tests/` folder, a file declared by `#[cfg(test)] mod name;`, and the body of a
//! `#[cfg(test)] mod name { … }` block.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every top module of the crate with its layer: a module may import only lower layers.
/// Modules on one layer are siblings and do not import each other.
const LAYERS: &[(&str, u8)] = &[
    ("vocab", 0),
    ("samples", 1),
    ("table", 2),
    ("pipeline", 3),
    ("report", 4),
    ("checks", 5),
    ("suite", 6),
    ("run", 7),
    ("share", 8),
    ("gx", 8),
    ("source", 8),
    ("query", 9),
    ("lessons", 8),
    ("synth", 8),
    ("bench", 9),
    ("app", 10),
];

/// Upward imports allowed in test code only, each with the reason.
const TEST_MAY_ALSO_IMPORT: &[(&str, &str, &str)] = &[
    ("table", "synth", "the loader's tests read a generated 100k-row file"),
    ("checks", "suite", "a kind's tests read the suite that declares it"),
    ("checks", "run", "a kind's tests run it the way a suite runs, context and all"),
    ("suite", "run", "the suggested suites are run on every sample to show they pass"),
    ("report", "suite", "the Markdown report's tests read the bundled example suites"),
    ("report", "run", "the Markdown report's tests render real runs of the example suites"),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(name, _)| *name == module).map(|&(_, rank)| rank)
}

/// The text of a Rust file with comments, string and char literals replaced by spaces
/// (newlines kept, so line numbers stay), leaving only code.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            loop {
                if i >= chars.len() {
                    break;
                }
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if (c == 'r' || c == 'b') && raw_string_start(&chars, i).is_some() {
            let (hashes, open) = raw_string_start(&chars, i).unwrap();
            for &ch in &chars[i..open] {
                out.push(blank(ch));
            }
            i = open;
            // Until a quote followed by the same number of hashes.
            while i < chars.len() {
                if chars[i] == '"' && (0..hashes).all(|k| chars.get(i + 1 + k) == Some(&'#')) {
                    for _ in 0..=hashes {
                        out.push(' ');
                    }
                    i += 1 + hashes;
                    break;
                }
                out.push(blank(chars[i]));
                i += 1;
            }
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && next == Some('\\') {
            // An escaped char literal: '\n', '\'', '\u{7f}'.
            out.push_str("  ");
            i += 2;
            while i < chars.len() && chars[i] != '\'' {
                out.push(' ');
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            out.push_str("   ");
            i += 3;
        } else {
            // Code, or a lifetime ('a), which holds no brace or path.
            out.push(c);
            i += 1;
        }
    }
    out
}

/// When a raw string (`r"`, `r#"`, `br#"`) starts at `i` and `i` starts a token: the number of
/// hashes and the index after the opening quote.
fn raw_string_start(chars: &[char], i: usize) -> Option<(usize, usize)> {
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    let mut j = i;
    if chars[j] == 'b' {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    (chars.get(j) == Some(&'"')).then_some((hashes, j + 1))
}

/// The line ranges (0-based, inclusive) of each `#[cfg(test)] mod name { … }` block, and the
/// names of the modules declared `#[cfg(test)] mod name;`.
fn test_parts(code: &str) -> (Vec<(usize, usize)>, Vec<String>) {
    let lines: Vec<&str> = code.lines().collect();
    let mut blocks = Vec::new();
    let mut declared = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "#[cfg(test)]" {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < lines.len() && (lines[j].trim().is_empty() || lines[j].trim().starts_with("#[")) {
            j += 1;
        }
        let Some(line) = lines.get(j) else { break };
        let item = line.trim().trim_start_matches("pub(crate) ").trim_start_matches("pub ");
        if let Some(rest) = item.strip_prefix("mod ") {
            if let Some(name) = rest.strip_suffix(';') {
                declared.push(name.trim().to_string());
            } else {
                // Count braces from the `mod` line to the one that closes it.
                let mut depth = 0i64;
                let mut end = j;
                'lines: for (k, text) in lines.iter().enumerate().skip(j) {
                    for ch in text.chars() {
                        match ch {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    end = k;
                                    break 'lines;
                                }
                            }
                            _ => {}
                        }
                    }
                    end = k;
                }
                blocks.push((i, end));
                i = end;
            }
        }
        i += 1;
    }
    (blocks, declared)
}

/// The top modules a line of code names through `crate::`.
fn crate_paths(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = line.as_bytes();
    let mut from = 0;
    while let Some(at) = line[from..].find("crate::") {
        let start = from + at;
        from = start + "crate::".len();
        if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
            continue;
        }
        let rest = &line[from..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c, d::{e, f}}`: the first name of each top-level item.
            let mut depth = 0;
            let mut item_start = true;
            for (k, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_ascii_alphabetic() || c == '_') => {
                        found.push(ident(&group[k..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                found.push(name);
            }
        }
    }
    found
}

fn ident(text: &str) -> String {
    text.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file's children: `checks/unit/mod.rs` and `checks/unit.rs` → `checks/unit`.
fn module_dir(relative: &str) -> String {
    let stem = relative.trim_end_matches(".rs");
    stem.strip_suffix("/mod").unwrap_or(stem).to_string()
}

/// One import that breaks the layering, as a line of the failure message.
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let relative = |path: &Path| path.strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/");

    let texts: BTreeMap<String, String> = files
        .iter()
        .map(|path| (relative(path), code_only(&std::fs::read_to_string(path).unwrap())))
        .collect();
    // Files that are test code as a whole.
    let mut test_files = BTreeSet::new();
    for (file, code) in &texts {
        let (_, declared) = test_parts(code);
        for name in declared {
            let dir = if file == "lib.rs" { String::new() } else { module_dir(file) };
            let dir = if dir.is_empty() { dir } else { format!("{dir}/") };
            test_files.insert(format!("{dir}{name}.rs"));
            test_files.insert(format!("{dir}{name}/mod.rs"));
            // Its children are test code too.
            let folder = format!("{dir}{name}/");
            test_files.extend(texts.keys().filter(|other| other.starts_with(&folder)).cloned());
        }
    }

    let mut problems = Vec::new();
    let mut used = BTreeSet::new();
    for (file, code) in &texts {
        // This file names modules only in strings and tests the others.
        if file == "lib.rs" || file == "layers.rs" || file.starts_with("bin/") {
            continue;
        }
        let top = file.split('/').next().unwrap().trim_end_matches(".rs");
        let Some(rank) = layer(top) else {
            problems.push(format!("src/{file}: module `{top}` has no layer in LAYERS"));
            continue;
        };
        let whole_file_is_test = test_files.contains(file)
            || file.ends_with("/tests.rs")
            || file.split('/').any(|part| part == "tests");
        let (blocks, _) = test_parts(code);
        for (number, line) in code.lines().enumerate() {
            let in_test = whole_file_is_test || blocks.iter().any(|&(a, b)| (a..=b).contains(&number));
            for dep in crate_paths(line) {
                if dep == top || dep == "self" || dep == "super" {
                    continue;
                }
                let down = layer(&dep).is_some_and(|dep_rank| dep_rank < rank);
                let test_exception =
                    in_test && TEST_MAY_ALSO_IMPORT.iter().any(|&(from, to, _)| from == top && to == dep);
                if !down && test_exception {
                    used.insert((top.to_string(), dep.clone()));
                }
                if !down && !test_exception {
                    let lower: Vec<&str> =
                        LAYERS.iter().filter(|&&(_, r)| r < rank).map(|&(name, _)| name).collect();
                    let may = if lower.is_empty() {
                        "nothing of the crate".to_string()
                    } else {
                        format!("only {}", lower.join(", "))
                    };
                    problems.push(format!(
                        "src/{file}:{} imports crate::{dep} ({top} may import {may}{})",
                        number + 1,
                        if in_test { "; add a TEST_MAY_ALSO_IMPORT line if a test needs it" } else { "" }
                    ));
                }
            }
        }
    }
    // An exception no test needs any more is taken out, so the list stays the true one.
    for &(from, to, _) in TEST_MAY_ALSO_IMPORT {
        if !used.contains(&(from.to_string(), to.to_string())) {
            problems.push(format!(
                "TEST_MAY_ALSO_IMPORT allows {from} tests to import {to}, and none does: remove it"
            ));
        }
    }
    problems
}

#[test]
fn imports_point_down_the_layers() {
    let problems = violations(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(problems.is_empty(), "imports that point up or sideways:\n{}", problems.join("\n"));
}

#[test]
fn the_reader_sees_imports_and_skips_comments_and_strings() {
    let code = code_only(
        "use crate::{run, samples::get, suite::{self, Task}};\n\
         // crate::app in a comment\n\
         let s = \"crate::app in a string\"; let r = r#\"crate::app \"raw\"\"#;\n\
         let c = '{'; let x: &'static str = crate::report::fmt::num(1.0);\n",
    );
    let lines: Vec<Vec<String>> = code.lines().map(crate_paths).collect();
    assert_eq!(lines[0], ["run", "samples", "suite"]);
    assert!(lines[1].is_empty() && lines[2].is_empty(), "{lines:?}");
    assert_eq!(lines[3], ["report"]);
}

#[test]
fn a_cfg_test_block_is_found_by_its_braces() {
    let code = code_only("fn a() {}\n#[cfg(test)]\nmod tests {\n    fn b() { let c = '}'; }\n}\nfn d() {}\n");
    assert_eq!(test_parts(&code).0, [(1, 4)]);
}
