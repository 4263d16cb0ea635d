//! From text to a JSON value, before any field is read: the bounds a suite's text must keep
//! ([`MAX_SUITE_BYTES`], [`MAX_DEPTH`]), checked by a cheap scan before a parser sees the
//! text, and a value builder that refuses what a reviewer could misread (a key given twice,
//! a YAML `.nan`), naming the field's path and the line.
//!
//! The scan comes first because the YAML parser's cost grows with the square of the nesting
//! (100,000 `[` took 25 s), and a suite arrives from links and pull requests, written by
//! strangers.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::{strip_location, Format, SuiteError};
use crate::report::fmt::excerpt;

/// The largest suite text read, in bytes. A suite is a few KB; the bound is for one that
/// carries its CSV inline (`"source": "inline"`), and equals the largest suite a share link
/// may decompress to ([`crate::share::MAX_SUITE_BYTES`] is this constant), so a file and a
/// link hold the same suites. At this size the YAML parser takes about a second and a few
/// hundred MB at worst (a 10 MB list of one-character items).
pub const MAX_SUITE_BYTES: usize = 10 << 20;

/// The deepest nesting of lists and maps read. The deepest suite field is four levels down
/// (`tests[0].values[1]`, `model.params.…`); 64 leaves room for any hand-written suite
/// while keeping the YAML parser, quadratic in depth, fast and below serde_json's own
/// recursion limit (128), whose message says nothing about a suite.
pub const MAX_DEPTH: usize = 64;

/// The most values (list items, map entries) a suite's text holds, counted by the scan. A
/// suite has tens; a `values_in_set` list of every valid code or a `columns_present` list
/// of a wide table's names can hold a hundred thousand. The parsers keep every value as an
/// event or a node of 50 to 150 bytes, so 10 MB of one-character list items took 700 MB and
/// 14 s before this bound; at 250,000 values they take tens of MB. An inline CSV is one
/// value, whatever its size.
pub const MAX_VALUES: usize = 250_000;

/// The most `[` and `{` open at once when strings and comments are not told apart: a
/// backstop in case the YAML scan misreads a quote and skips brackets the parser will read.
/// No suite has more than a few unclosed brackets in its strings; at 1,000 levels the
/// parser's quadratic cost is still milliseconds.
pub const MAX_OPEN_BRACKETS: usize = 1_000;

/// Checks the text's size and nesting, before it is parsed.
pub fn check_bounds(text: &str, format: Format, file: &str) -> Result<(), SuiteError> {
    if text.len() > MAX_SUITE_BYTES {
        return Err(SuiteError::at_path(
            file,
            "",
            format!(
                "the suite is {} bytes; suites over {} MB ({MAX_SUITE_BYTES} bytes) are refused (give a large CSV with --data, not inline)",
                text.len(),
                MAX_SUITE_BYTES >> 20
            ),
        ));
    }
    let over = |over: Over| {
        let (line, column, message) = match over {
            Over::Depth(line, column) => (
                line,
                column,
                format!("lists and maps are nested more than {MAX_DEPTH} levels deep; a suite needs a handful"),
            ),
            Over::Values(line, column) => (
                line,
                column,
                format!("the suite holds more than {MAX_VALUES} values (list items and map entries); a suite needs far fewer"),
            ),
        };
        SuiteError::at_line(file, line, column, None, message)
    };
    match format {
        // JSON's strings are unambiguous, so its scan is exact and needs no backstop.
        Format::Json => return json_depth(text, MAX_DEPTH, MAX_VALUES).map_err(over),
        Format::Yaml => yaml_depth(text, MAX_DEPTH, MAX_VALUES).map_err(over)?,
    }
    raw_brackets(text, MAX_OPEN_BRACKETS).map_err(|(line, column)| {
        SuiteError::at_line(
            file,
            line,
            column,
            None,
            format!("more than {MAX_OPEN_BRACKETS} `[` or `{{` are open at once; a suite needs a handful"),
        )
    })
}

/// A bound the scan found passed, at a 1-based (line, column).
#[derive(Debug, PartialEq, Eq)]
enum Over {
    Depth(usize, usize),
    Values(usize, usize),
}

/// Where JSON nesting first passes `limit` levels, or its values pass `max_values`. A
/// string's inside is skipped to its next `"` or `\\` at once: a link's suite can carry
/// megabytes of inline CSV in one string, read on the page's thread.
fn json_depth(text: &str, limit: usize, max_values: usize) -> Result<(), Over> {
    let bytes = text.as_bytes();
    let (mut depth, mut line, mut line_start, mut values) = (0usize, 1usize, 0usize, 0usize);
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' => {
                // To the closing quote, stepping over escapes (`\"` does not close). JSON
                // strings hold no raw line breaks, so the line count needs nothing here.
                at += 1;
                loop {
                    match memchr::memchr2(b'"', b'\\', &bytes[at.min(bytes.len())..]) {
                        Some(offset) if bytes[at + offset] == b'\\' => at += offset + 2,
                        Some(offset) => {
                            at += offset;
                            break;
                        }
                        None => return Ok(()),
                    }
                }
            }
            b'[' | b'{' => {
                depth += 1;
                values += 1;
                if depth > limit {
                    return Err(Over::Depth(line, column(text, line_start, at)));
                }
            }
            b',' => {
                values += 1;
                if values > max_values {
                    return Err(Over::Values(line, column(text, line_start, at)));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => (line, line_start) = (line + 1, at + 1),
            _ => {}
        }
        at += 1;
    }
    Ok(())
}

/// The 1-based column of byte `at` on the line that starts at byte `line_start`.
fn column(text: &str, line_start: usize, at: usize) -> usize {
    text.get(line_start..at).map_or(1, |before| before.chars().count() + 1)
}

/// Every `[` and `{` counted, in strings and comments too: see [`MAX_OPEN_BRACKETS`].
fn raw_brackets(text: &str, limit: usize) -> Result<(), (usize, usize)> {
    let (mut depth, mut line, mut line_start) = (0usize, 1usize, 0usize);
    for (at, byte) in text.bytes().enumerate() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Err((line, column(text, line_start, at)));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => (line, line_start) = (line + 1, at + 1),
            _ => {}
        }
    }
    Ok(())
}

/// Where YAML nesting first passes `limit` levels, or its values pass `max_values` (each
/// block line, `- ` and flow `,` counts one). Nesting is block nesting
/// (each deeper indentation, each `- ` or `? ` that opens a compact entry) plus flow nesting
/// (`[`, `{`). Quoted scalars, comments and block scalars (`|`, `>`) are skipped, and a
/// quote or a bracket counts only where YAML reads one (at the start of a value), so
/// `it's`, `^[A-Z` or `# [` in a valid suite are not counted.
fn yaml_depth(text: &str, limit: usize, max_values: usize) -> Result<(), Over> {
    let mut values = 0usize;
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut quote: Option<char> = None;
    // The indentation of the line that opened a block scalar: its lines are more indented.
    let mut block_scalar: Option<usize> = None;
    // In flow context, whether the last significant character lets a value start.
    let mut flow_value_start = true;
    for (index, line) in text.split('\n').enumerate() {
        let number = index + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = line.trim_start_matches([' ', '\t']);
        if let Some(parent) = block_scalar {
            if content.is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        let mut chars = line.char_indices().peekable();
        let mut compact = 0usize;
        // In block context, whether the next token starts a value (or a key).
        let mut value_start = false;
        if quote.is_none() && flow == 0 {
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if indent == 0 && (content.starts_with("---") || content.starts_with("...")) {
                indents.clear();
                chars.nth(2);
            } else {
                while indents.last().is_some_and(|&top| top > indent) {
                    indents.pop();
                }
                if indents.last() != Some(&indent) {
                    indents.push(indent);
                }
            }
            value_start = true;
            values += 1;
        }
        let mut previous = ' ';
        while let Some((at, c)) = chars.next() {
            let next = chars.peek().map_or(' ', |&(_, c)| c);
            let before = previous;
            previous = c;
            if let Some(open) = quote {
                match c {
                    '\\' if open == '"' => {
                        chars.next();
                        previous = ' ';
                    }
                    '\'' if open == '\'' && next == '\'' => {
                        chars.next();
                    }
                    c if c == open => quote = None,
                    _ => {}
                }
                continue;
            }
            if c == ' ' || c == '\t' {
                continue;
            }
            if c == '#' && (before == ' ' || before == '\t') {
                break;
            }
            if flow > 0 {
                match c {
                    '[' | '{' => {
                        flow += 1;
                        if indents.len() + compact + flow > limit {
                            return Err(Over::Depth(number, line[..at].chars().count() + 1));
                        }
                        flow_value_start = true;
                    }
                    ']' | '}' => {
                        flow -= 1;
                        flow_value_start = false;
                    }
                    ',' => {
                        values += 1;
                        if values > max_values {
                            return Err(Over::Values(number, line[..at].chars().count() + 1));
                        }
                        flow_value_start = true;
                    }
                    ':' | '?' => flow_value_start = true,
                    '"' | '\'' if flow_value_start => {
                        quote = Some(c);
                        flow_value_start = false;
                    }
                    _ => flow_value_start = false,
                }
                continue;
            }
            if !value_start {
                // Inside a plain scalar or after a key: `: ` starts the value.
                if c == ':' && (next == ' ' || next == '\t') {
                    value_start = true;
                }
                continue;
            }
            match c {
                '-' | '?' | ':' if next == ' ' || next == '\t' || at + 1 == line.len() => {
                    compact += usize::from(c != ':');
                    values += 1;
                    if indents.len() + compact > limit {
                        return Err(Over::Depth(number, line[..at].chars().count() + 1));
                    }
                }
                '[' | '{' => {
                    flow = 1;
                    flow_value_start = true;
                    value_start = false;
                    if indents.len() + compact + flow > limit {
                        return Err(Over::Depth(number, line[..at].chars().count() + 1));
                    }
                }
                '"' | '\'' => {
                    quote = Some(c);
                    value_start = false;
                }
                '|' | '>' => {
                    block_scalar = Some(indent);
                    break;
                }
                // An anchor or a tag comes before the value it names.
                '&' | '!' => {
                    while chars.peek().is_some_and(|&(_, c)| c != ' ' && c != '\t') {
                        chars.next();
                    }
                }
                _ => value_start = false,
            }
        }
        if indents.len() + compact > limit {
            return Err(Over::Depth(number, 1));
        }
        if values > max_values {
            return Err(Over::Values(number, 1));
        }
    }
    Ok(())
}

/// Parses the text into a value, refusing a key given twice in one object and a YAML
/// number that is not finite. Call [`check_bounds`] first.
pub fn read_value(text: &str, format: Format, file: &str) -> Result<Value, SuiteError> {
    let found = RefCell::new(None);
    let seed = ValueSeed { at: &Path::Root, found: &found };
    let result = match format {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            seed.deserialize(&mut de).and_then(|value| de.end().map(|()| value)).map_err(|e| {
                let message = strip_location(&e.to_string());
                (e.line(), e.column(), message)
            })
        }
        Format::Yaml => seed.deserialize(serde_norway::Deserializer::from_str(text)).map_err(|e| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            (line, column, strip_location(&e.to_string()))
        }),
    };
    result.map_err(|(line, column, message)| match found.into_inner() {
        // The error is ours: its path is known, and the message is ours without the
        // parser's additions.
        Some(Refusal { path, message, key }) => {
            // The YAML parser places an error at the start of the map; the repeated key is
            // further down, where the person has to look.
            let (line, column) = match (format, key) {
                (Format::Yaml, Some(key)) => second_key(text, line, column, &key).unwrap_or((line, column)),
                _ => (line, column),
            };
            SuiteError::at_line(file, line, column, Some(&path), message)
        }
        None => SuiteError::at_line(file, line, column, None, message),
    })
}

/// The (line, column) of the second line from `line` on that starts with `key:` at `column`
/// (1-based): where a block map gives a key again. None for a flow map `{a: 1, a: 2}`.
fn second_key(text: &str, line: usize, column: usize, key: &str) -> Option<(usize, usize)> {
    let is_key = |rest: &str| {
        [key.to_owned(), format!("\"{key}\""), format!("'{key}'")].iter().any(|written| {
            rest.strip_prefix(written.as_str()).is_some_and(|after| after.trim_start().starts_with(':'))
        })
    };
    text.lines()
        .enumerate()
        .skip(line.checked_sub(1)?)
        .filter(|(_, l)| l.char_indices().nth(column - 1).is_some_and(|(at, _)| is_key(&l[at..])))
        .nth(1)
        .map(|(index, _)| (index + 1, column))
}

/// The first value refused while building: its path, the message, and the key when it is a
/// key given twice.
struct Refusal {
    path: String,
    message: String,
    key: Option<String>,
}

/// Where a value is in the suite, built only when an error needs it.
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => write!(f, "{}", excerpt(key)),
            Path::Key(parent, key) => write!(f, "{parent}.{}", excerpt(key)),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// Builds a [`Value`] as serde_json's own `Deserialize` does, with the checks above. The
/// first refusal is recorded in `found` with its path (the parser only carries a message).
#[derive(Clone, Copy)]
struct ValueSeed<'a> {
    at: &'a Path<'a>,
    found: &'a RefCell<Option<Refusal>>,
}

impl ValueSeed<'_> {
    fn refuse<E: de::Error>(&self, at: &Path<'_>, message: String, key: Option<&str>) -> E {
        let error = E::custom(format_args!("{at}: {message}"));
        let path = at.to_string();
        self.found.borrow_mut().get_or_insert(Refusal { path, message, key: key.map(str::to_owned) });
        error
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a number, true, false, null, a list or a map")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        match i64::try_from(v) {
            Ok(v) => self.visit_i64(v),
            Err(_) => self.visit_f64(v as f64),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => self.visit_f64(v as f64),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // YAML writes these `.nan`, `.inf` and `-.inf`; serde_json would turn them into null
        // and the field would be reported as missing or of the wrong type.
        match Number::from_f64(v) {
            Some(n) => Ok(Value::Number(n)),
            None => {
                let shown = match v {
                    v if v.is_nan() => ".nan",
                    v if v > 0.0 => ".inf",
                    _ => "-.inf",
                };
                Err(self.refuse(
                    self.at,
                    format!(
                        "YAML {shown} is not a number a suite can use: write a finite number (a bound that is not needed is left out)"
                    ),
                    None,
                ))
            }
        }
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let at = Path::Index(self.at, items.len());
            match seq.next_element_seed(ValueSeed { at: &at, found: self.found })? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut fields = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let at = Path::Key(self.at, &key);
            if fields.contains_key(&key) {
                // A reviewer reads the first, the parser would keep the last.
                return Err(self.refuse(
                    &at,
                    "duplicate key: the field is given twice in this map; keep one".to_owned(),
                    Some(&key),
                ));
            }
            let value = map.next_value_seed(ValueSeed { at: &at, found: self.found })?;
            fields.insert(key, value);
        }
        Ok(Value::Object(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Result<(), Over> {
        yaml_depth(text, 3, 100)
    }

    #[test]
    fn json_nesting_is_counted_outside_strings() {
        assert_eq!(json_depth(r#"{"a": [[1]]}"#, 3, 100), Ok(()));
        assert_eq!(json_depth("{\"a\":\n [[[1]]]}", 3, 100), Err(Over::Depth(2, 4)));
        assert_eq!(json_depth(r#"{"a": "[[[[\"[[[["}"#, 3, 100), Ok(()));
    }

    #[test]
    fn yaml_flow_and_block_nesting_are_counted() {
        assert_eq!(yaml("a: [[1]]\n"), Ok(()));
        assert_eq!(yaml("a: [[[1]]]\n"), Err(Over::Depth(1, 6)));
        assert_eq!(yaml("a:\n  b:\n    c: 1\n"), Ok(()));
        assert_eq!(yaml("a:\n  b:\n    c:\n      d: 1\n"), Err(Over::Depth(4, 1)));
        assert_eq!(yaml("- - 1\n"), Ok(()));
        assert_eq!(yaml("- - - 1\n"), Err(Over::Depth(1, 5)));
        // A flow collection over several lines.
        assert_eq!(yaml("a: [\n  [\n   [1]]]\n"), Err(Over::Depth(3, 4)));
    }

    #[test]
    fn values_are_counted_outside_strings_and_block_scalars() {
        assert_eq!(json_depth("[1, 2, 3]", 3, 3), Ok(()));
        assert_eq!(json_depth("[1, 2,\n 3, 4]", 3, 3), Err(Over::Values(2, 3)));
        assert_eq!(json_depth(&format!("[\"{}\"]", "a,".repeat(1000)), 3, 3), Ok(()));
        assert_eq!(yaml_depth("a: [1, 2]\n", 3, 2), Ok(()));
        assert_eq!(yaml_depth("a: [1, 2, 3]\n", 3, 2), Err(Over::Values(1, 9)));
        assert_eq!(yaml_depth("a: |\n  x,y\n  1,2\n  3,4\n", 3, 2), Ok(()));
        assert_eq!(yaml_depth("a: 1\nb: 2\nc: 3\n", 3, 2), Err(Over::Values(3, 1)));
    }

    #[test]
    fn yaml_strings_comments_and_block_scalars_are_not_counted() {
        let valid = [
            "a: '[[[['\n",
            "a: \"[[[[\\\"[[\"\n",
            "a: it's [[[[ plain\n",
            "a: ^[A-Z[[[\n",
            "a: 1 # [[[[\n",
            "# [[[[\n",
            "a: |\n  [[[[\n  {{{{\nb: 1\n",
            "a: >-\n      - - - - x\nb: 1\n",
            "a: 'it''s [[[['\n",
            "a: [\"[[[[\", '{{{{', x]\n",
            "a: \"multi\n  line [[[[\"\n",
            "a: &anchor [1]\nb: !tag [2]\n",
        ];
        for text in valid {
            assert_eq!(yaml(text), Ok(()), "{text:?}");
        }
    }

    #[test]
    fn a_repeated_key_is_refused_at_any_depth() {
        let value = read_value(r#"{"a": {"b": [{"c": 1, "c": 2}]}}"#, Format::Json, "s.json").unwrap_err();
        assert_eq!(value.path(), "a.b[0].c");
        assert_eq!(value.line(), Some(1));
        let value = read_value("a:\n  b:\n    - c: 1\n      c: 2\n", Format::Yaml, "s.yaml").unwrap_err();
        assert_eq!(value.path(), "a.b[0].c");
        assert!(value.message().contains("duplicate key"), "{value}");
    }

    #[test]
    fn values_read_as_serde_json_reads_them() {
        let text = r#"{"a": [1, -2, 2.5, "x", null, true, {}], "b": 18446744073709551615}"#;
        let value = read_value(text, Format::Json, "s.json").unwrap();
        assert_eq!(value, serde_json::from_str::<Value>(text).unwrap());
        let yaml = "a: [1, -2, 2.5, x, null, true, {}]\nb: 18446744073709551615\n";
        assert_eq!(read_value(yaml, Format::Yaml, "s.yaml").unwrap(), value);
    }
}
