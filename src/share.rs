//! Share links (PRODUCT.md §7): a suite, its seed and, when small, its data, in the fragment
//! of a URL — the part a browser never sends to a server.
//!
//! [`encode`] and [`decode`] are a pair: the page and `mltest link` both go through them, so
//! a link made by one opens in the other. A link looks like
//! `http://127.0.0.1:8080/#s=1.eJyr…&run=1`: `s` is the format version, a dot, and the suite
//! JSON compressed as a zlib stream (deflate with an Adler-32 checksum, so a changed
//! character is caught rather than decoded into a different suite) in unpadded base64url.
//! Other keys are flags of the page: `run=1` runs at once, `editor=0` hides the editor for
//! a focused lesson, `lesson=NAME` opens a lesson.
//!
//! Data goes in the suite's own `data` field, and a reference data set (PRODUCT.md §12) in its
//! `reference` field, the same way: a sample is named; a file is inlined as
//! `"source": "inline"` while the link stays under [`MAX_INLINE_LINK`] characters, and is
//! otherwise replaced by its SHA-256 and row count, so the receiver is asked for the file
//! and a different file is reported instead of silently tested.
//!
//! ```
//! use mltest::{share, suite};
//!
//! let text = r#"{ "version": 1, "data": { "source": "sample:iris" },
//!                 "tests": [ { "id": "ids", "kind": "not_null", "column": "*" } ] }"#;
//! let suite = suite::parse(text, suite::Format::Json, "suite.json").unwrap();
//! let shared = share::encode("http://127.0.0.1:8080/", &suite, None, None, &share::Flags::default());
//! let opened = share::decode(&shared.link).unwrap();
//! assert_eq!(opened.suite, suite);
//! ```
//!
//! Links made by older versions keep working: `tests/data/links/` holds frozen links of each
//! format version, and the tests open them forever.

use std::fmt;

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::{alphabet, Engine as _};
use miniz_oxide::inflate::TINFLStatus;

use crate::suite::{self, DataSpec, Suite, SuiteError};
use crate::table::sha256_hex;

/// The link format this build writes and the newest it reads.
pub const VERSION: u32 = 1;

/// Data is inlined while the whole link stays under this many characters: longer links are
/// cut by chat tools and mail clients.
pub const MAX_INLINE_LINK: usize = 8_000;

/// The largest suite a link may decompress to: the largest suite text read at all. A hostile
/// link can expand a thousandfold; the cap keeps it from filling the page's memory.
pub const MAX_SUITE_BYTES: usize = suite::MAX_SUITE_BYTES;

/// The longest link read at all: a link at the decompression cap is far shorter than this.
pub const MAX_LINK_CHARS: usize = 16 << 20;

/// Unpadded base64url. Decoding also takes padding and stray low bits, so a link that was cut
/// short is reported by the zlib stream (truncated), not as a bad character.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// The file name a decoded suite is given in errors.
pub const LINK_FILE: &str = "link";

/// The page's flags carried beside the suite.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    /// Run the suite as soon as the link is opened (`run=1`).
    pub run: bool,
    /// Hide the editor: a focused lesson (`editor=0`).
    pub hide_editor: bool,
    /// The lesson to open (`lesson=NAME`).
    pub lesson: Option<String>,
}

/// The data a link should carry.
#[derive(Debug, Clone, Copy)]
pub enum Data<'a> {
    /// A bundled sample: the link names it.
    Sample(&'a str),
    /// A file: inlined when the link stays short, else named by its SHA-256 and row count.
    File { name: &'a str, bytes: &'a [u8], rows: usize },
    /// A file whose bytes are not at hand (the page leaves a large file in the browser's
    /// `File`): named by the SHA-256 and row count its reading gave.
    Fingerprint { name: &'a str, sha256: &'a str, rows: usize },
}

/// How a link carries its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carried {
    /// As the suite says (no data was given to [`encode`]).
    AsSuite,
    Sample(String),
    /// The CSV is in the link.
    Inline,
    /// Too large to inline (or not UTF-8): the receiver must supply the file.
    Fingerprint {
        sha256: String,
        rows: usize,
    },
}

/// A link and how it carries the data and the reference (PRODUCT.md §12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    pub link: String,
    pub carried: Carried,
    pub reference: Carried,
}

/// Makes the link of `suite` with `data` and `reference` (each replacing the suite's own when
/// given), on the page at `base` (the address without a fragment).
///
/// Files are inlined while the link stays under [`MAX_INLINE_LINK`]: both when they fit, else
/// the data (the set the suite tests) before the reference, else neither; a file that is not
/// inlined is named by its SHA-256 and rows.
pub fn encode(
    base: &str,
    suite: &Suite,
    data: Option<Data<'_>>,
    reference: Option<Data<'_>>,
    flags: &Flags,
) -> Shared {
    let base = base.split('#').next().unwrap_or(base);
    let (data, reference) = (ways_to_carry(data), ways_to_carry(reference));
    let mut link = String::new();
    let mut chosen = (Carried::AsSuite, Carried::AsSuite);
    // In order of preference; the last (every file by fingerprint) is taken if none fits.
    'choices: for (data_spec, data_carried) in &data {
        for (reference_spec, reference_carried) in &reference {
            let mut suite = suite.clone();
            if let Some(spec) = data_spec {
                suite.data = spec.clone();
            }
            if let Some(spec) = reference_spec {
                suite.reference = Some(spec.clone());
            }
            link = link_of(base, &suite, flags);
            chosen = (data_carried.clone(), reference_carried.clone());
            if link.len() <= MAX_INLINE_LINK {
                break 'choices;
            }
        }
    }
    Shared { link, carried: chosen.0, reference: chosen.1 }
}

/// The ways a link may carry `data`, inline first: the suite's field it becomes (none: the
/// suite's own) and how that carries it.
fn ways_to_carry(data: Option<Data<'_>>) -> Vec<(Option<DataSpec>, Carried)> {
    let fingerprint = |name: &str, sha256: String, rows: usize| {
        (Some(DataSpec::file(name, &sha256, rows)), Carried::Fingerprint { sha256, rows })
    };
    match data {
        None => vec![(None, Carried::AsSuite)],
        Some(Data::Sample(name)) => vec![(Some(DataSpec::sample(name)), Carried::Sample(name.to_owned()))],
        Some(Data::File { name, bytes, rows }) => {
            let inline =
                std::str::from_utf8(bytes).ok().map(|csv| (Some(DataSpec::inline(csv)), Carried::Inline));
            inline.into_iter().chain([fingerprint(name, sha256_hex(bytes), rows)]).collect()
        }
        Some(Data::Fingerprint { name, sha256, rows }) => vec![fingerprint(name, sha256.to_owned(), rows)],
    }
}

fn link_of(base: &str, suite: &Suite, flags: &Flags) -> String {
    // A checked suite holds only strings, numbers, lists and maps: it always serialises.
    let json = serde_json::to_vec(suite).unwrap_or_default();
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&json, 9);
    let mut link = format!("{base}#s={VERSION}.{}", BASE64URL.encode(compressed));
    if flags.run {
        link.push_str("&run=1");
    }
    if flags.hide_editor {
        link.push_str("&editor=0");
    }
    if let Some(lesson) = &flags.lesson {
        link.push_str("&lesson=");
        link.push_str(lesson);
    }
    link
}

/// What a link holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    pub suite: Suite,
    pub flags: Flags,
}

impl Opened {
    /// The suite pretty-printed for an editor. Written on demand from the checked suite (a
    /// link is written from one too, so nothing it carries is lost): a link carrying
    /// megabytes of inline CSV is opened by a page that moves the CSV out of the suite and
    /// never shows this text.
    pub fn text(&self) -> String {
        self.suite.to_json()
    }
}

/// Why a link cannot be opened. Each message says what to do, and the current work is never
/// touched by a link that fails.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkError {
    /// No `s=` key: not a suite link.
    NoSuite,
    TooLong {
        chars: usize,
    },
    /// `s=` without the `VERSION.` prefix, or a version that is not a number.
    BadVersion {
        found: String,
    },
    Newer {
        version: u64,
    },
    /// A character that is not base64url, at its 1-based position in the payload.
    NotBase64 {
        position: usize,
        found: char,
    },
    /// The compressed suite ends early: the link was cut.
    Truncated,
    /// The compressed suite does not decode or fails its checksum: the link was changed.
    Damaged,
    /// The suite would decompress past [`MAX_SUITE_BYTES`].
    TooLarge,
    NotJson {
        message: String,
    },
    /// The suite inside is not valid; the error names its field.
    Suite(SuiteError),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::NoSuite => {
                write!(f, "the link holds no suite: a share link ends in `#s={VERSION}.…`")
            }
            LinkError::TooLong { chars } => write!(
                f,
                "the link is {chars} characters long; links over {MAX_LINK_CHARS} are refused"
            ),
            LinkError::BadVersion { found } => write!(
                f,
                "the link's `s=` starts with `{found}`, not a format version such as `{VERSION}.`: the link is malformed"
            ),
            LinkError::Newer { version } => write!(
                f,
                "the link was made by a newer mltest (link format {version}); this one reads up to format {VERSION}"
            ),
            LinkError::NotBase64 { position, found } => write!(
                f,
                "the link is malformed: character {position} of the suite (`{}`) is not base64url; copy the whole link again",
                found.escape_default()
            ),
            LinkError::Truncated => {
                write!(f, "the link is truncated: its suite ends early; copy the whole link again")
            }
            LinkError::Damaged => write!(
                f,
                "the link is damaged: its suite does not decode (a character was changed); copy the whole link again"
            ),
            LinkError::TooLarge => write!(
                f,
                "the link's suite is over {} MB once decompressed: refused",
                MAX_SUITE_BYTES >> 20
            ),
            LinkError::NotJson { message } => write!(f, "the link's suite is not JSON: {message}"),
            LinkError::Suite(err) => write!(f, "the link's suite is not valid: {err}"),
        }
    }
}

impl std::error::Error for LinkError {}

/// Opens a link: a whole URL, or its fragment (with or without the `#`).
pub fn decode(link: &str) -> Result<Opened, LinkError> {
    let link = link.trim();
    if link.len() > MAX_LINK_CHARS {
        return Err(LinkError::TooLong { chars: link.chars().count() });
    }
    let (payload, flags) = fragment(link);
    let payload = payload.ok_or(LinkError::NoSuite)?;
    let Some((version, body)) = payload.split_once('.') else {
        return Err(LinkError::BadVersion { found: payload.chars().take(8).collect() });
    };
    match version.parse::<u64>() {
        Ok(v) if v == u64::from(VERSION) => {}
        Ok(v) if v > u64::from(VERSION) => return Err(LinkError::Newer { version: v }),
        _ => return Err(LinkError::BadVersion { found: version.chars().take(8).collect() }),
    }
    let json = inflate(body)?;
    let json = std::str::from_utf8(&json).map_err(|err| LinkError::NotJson { message: err.to_string() })?;
    // The same reading as a suite file's: bounded nesting, no key given twice.
    suite::check_bounds(json, suite::Format::Json, LINK_FILE).map_err(LinkError::Suite)?;
    let value = suite::read_value(json, suite::Format::Json, LINK_FILE).map_err(|err| match err.path() {
        "" => LinkError::NotJson { message: err.to_string() },
        _ => LinkError::Suite(err),
    })?;
    let suite = suite::from_value(value, LINK_FILE).map_err(LinkError::Suite)?;
    Ok(Opened { suite, flags })
}

/// The page's flags of a link (a link may carry flags alone, such as `#lesson=NAME`).
pub fn flags(link: &str) -> Flags {
    fragment(link.trim()).1
}

/// The `s=` payload and the flags of a link's fragment.
fn fragment(link: &str) -> (Option<&str>, Flags) {
    let fragment = link.split_once('#').map_or(link, |(_, fragment)| fragment);
    let mut payload = None;
    let mut flags = Flags::default();
    for pair in fragment.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "s" => payload = Some(value),
            "run" => flags.run = value == "1",
            "editor" => flags.hide_editor = value == "0",
            "lesson" if !value.is_empty() => flags.lesson = Some(value.to_owned()),
            // Keys of newer versions are ignored: the suite itself carries its version.
            _ => {}
        }
    }
    (payload, flags)
}

/// base64url → zlib → bytes, refusing output past [`MAX_SUITE_BYTES`].
fn inflate(body: &str) -> Result<Vec<u8>, LinkError> {
    let compressed = BASE64URL.decode(body).map_err(|err| match err {
        base64::DecodeError::InvalidByte(offset, _) | base64::DecodeError::InvalidLastSymbol(offset, _) => {
            let before = body.get(..offset).unwrap_or(body);
            let found = body.get(offset..).and_then(|rest| rest.chars().next()).unwrap_or('?');
            LinkError::NotBase64 { position: before.chars().count() + 1, found }
        }
        // A length no encoder writes: characters are missing at the end.
        base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidPadding => LinkError::Truncated,
    })?;
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&compressed, MAX_SUITE_BYTES).map_err(|err| {
        match err.status {
            TINFLStatus::HasMoreOutput => LinkError::TooLarge,
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => LinkError::Truncated,
            _ => LinkError::Damaged,
        }
    })
}

#[cfg(test)]
mod tests;
