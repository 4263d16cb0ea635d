//! The data sets shipped with mltest (`static/data/`, sources and licences in
//! `static/README.md`), compiled in so `sample:NAME` works offline in the CLI and the page.

use crate::vocab::Task;

/// A bundled data set.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// The name used in `"source": "sample:NAME"`.
    pub name: &'static str,
    /// The file name shown in reports.
    pub file: &'static str,
    pub target: &'static str,
    pub task: Task,
    pub description: &'static str,
    pub csv: &'static [u8],
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
        csv: include_bytes!("../static/data/penguins.csv"),
    },
    Sample {
        name: "wine",
        file: "wine.csv",
        target: "cultivar",
        task: Task::Classification,
        description: "178 wines, 13 chemical measurements, 3 cultivars",
        csv: include_bytes!("../static/data/wine.csv"),
    },
    Sample {
        name: "breast_cancer",
        file: "breast_cancer.csv",
        target: "diagnosis",
        task: Task::Classification,
        description: "569 tumours, 30 features, malignant or benign",
        csv: include_bytes!("../static/data/breast_cancer.csv"),
    },
    Sample {
        name: "diabetes",
        file: "diabetes.csv",
        target: "progression",
        task: Task::Regression,
        description: "442 patients, 10 baseline measurements, disease progression after a year",
        csv: include_bytes!("../static/data/diabetes.csv"),
    },
    Sample {
        name: "penguins_2007",
        file: "penguins_2007.csv",
        target: "species",
        task: Task::Classification,
        description: "the penguins measured in 2007: a reference for drift",
        csv: include_bytes!("../static/data/penguins_2007.csv"),
    },
    Sample {
        name: "penguins_2009",
        file: "penguins_2009.csv",
        target: "species",
        task: Task::Classification,
        description: "the penguins measured in 2009, to compare with 2007",
        csv: include_bytes!("../static/data/penguins_2009.csv"),
    },
    Sample {
        name: "penguins_predictions",
        file: "penguins_predictions.csv",
        target: "sex",
        task: Task::Classification,
        description:
            "342 penguins with a scikit-learn model's predicted sex (`sex_pred`) and probability (`p_male`)",
        csv: include_bytes!("../static/data/penguins_predictions.csv"),
    },
];

/// The sample named `name`.
pub fn get(name: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.name == name)
}
