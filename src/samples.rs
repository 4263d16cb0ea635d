//! The data sets shipped with mltest (`static/data/`, sources and licences in
//! `static/README.md`), compiled in so `sample:NAME` works offline in the CLI.
//!
//! The page's build (`fetch-static`, www/index.html) compiles in only [`PAGE_SAMPLE`], the one
//! it opens with: the others are 200 KB of CSV most visitors never choose, and every visitor
//! would download them with the engine. The page copies `static/` beside itself, and its
//! worker fetches a sample's file when it is chosen (it registers how with [`set_fetch`]).

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::vocab::Task;

/// The sample the page opens with: compiled in in every build.
pub const PAGE_SAMPLE: &str = "iris";

/// The bytes of a sample that is not compiled in, or why they cannot be had: how a build
/// without them reads its samples' files (the page's worker: from the page's `static/data/`).
pub type Fetch = fn(&Sample) -> Result<Vec<u8>, String>;

static FETCH: OnceLock<Fetch> = OnceLock::new();

/// Registers how this build fetches the samples it does not compile in (once; later calls
/// are ignored).
pub fn set_fetch(fetch: Fetch) {
    let _ = FETCH.set(fetch);
}

/// A bundled data set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// The name used in `"source": "sample:NAME"`.
    pub name: &'static str,
    /// The file name shown in reports.
    pub file: &'static str,
    pub target: &'static str,
    pub task: Task,
    pub description: &'static str,
    /// The file's bytes when this build compiles them in (empty otherwise: see
    /// [`Sample::bytes`]).
    pub csv: &'static [u8],
}

impl Sample {
    /// Whether this build holds the file's bytes (every sample does, but in the page).
    pub fn is_bundled(&self) -> bool {
        !self.csv.is_empty()
    }

    /// The file's bytes: compiled in, or fetched (the page's worker).
    pub fn bytes(&self) -> Result<Cow<'static, [u8]>, String> {
        if self.is_bundled() {
            return Ok(Cow::Borrowed(self.csv));
        }
        match FETCH.get() {
            Some(fetch) => fetch(self).map(Cow::Owned),
            None => {
                Err(format!("the sample `{}` is not in this build and cannot be fetched here", self.name))
            }
        }
    }
}

pub const SAMPLES: &[Sample] = &[
    Sample {
        name: "iris",
        file: "iris.csv",
        target: "species",
        task: Task::Classification,
        description: "150 iris flowers, 4 measurements, 3 species",
        csv: include_bytes!("../static/data/iris.csv"),
    },
    Sample {
        name: "penguins",
        file: "penguins.csv",
        target: "species",
        task: Task::Classification,
        description: "344 Palmer penguins, with their real missing values",
        csv: static_file!(include_bytes!("../static/data/penguins.csv")),
    },
    Sample {
        name: "wine",
        file: "wine.csv",
        target: "cultivar",
        task: Task::Classification,
        description: "178 wines, 13 chemical measurements, 3 cultivars",
        csv: static_file!(include_bytes!("../static/data/wine.csv")),
    },
    Sample {
        name: "breast_cancer",
        file: "breast_cancer.csv",
        target: "diagnosis",
        task: Task::Classification,
        description: "569 tumours, 30 features, malignant or benign",
        csv: static_file!(include_bytes!("../static/data/breast_cancer.csv")),
    },
    Sample {
        name: "diabetes",
        file: "diabetes.csv",
        target: "progression",
        task: Task::Regression,
        description: "442 patients, 10 baseline measurements, disease progression after a year",
        csv: static_file!(include_bytes!("../static/data/diabetes.csv")),
    },
    Sample {
        name: "penguins_2007",
        file: "penguins_2007.csv",
        target: "species",
        task: Task::Classification,
        description: "the penguins measured in 2007: a reference for drift",
        csv: static_file!(include_bytes!("../static/data/penguins_2007.csv")),
    },
    Sample {
        name: "penguins_2009",
        file: "penguins_2009.csv",
        target: "species",
        task: Task::Classification,
        description: "the penguins measured in 2009, to compare with 2007",
        csv: static_file!(include_bytes!("../static/data/penguins_2009.csv")),
    },
    Sample {
        name: "penguins_predictions",
        file: "penguins_predictions.csv",
        target: "sex",
        task: Task::Classification,
        description:
            "342 penguins with a scikit-learn model's predicted sex (`sex_pred`) and probability (`p_male`)",
        csv: static_file!(include_bytes!("../static/data/penguins_predictions.csv")),
    },
];

/// The sample named `name`.
pub fn get(name: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.name == name)
}
