//! The page's components, one per file, each with its `XxxProps`. They hold no app state:
//! they render what their props say and report the user's actions through callbacks, so
//! each renders natively (yew's server renderer) in `cargo test`.

use yew::prelude::*;

mod bounds_chart;
mod cancel_button;
mod catalogue;
mod charts;
mod confusion_matrix;
mod data_panel;
mod drift_chart;
mod export;
mod failing_rows;
mod histogram;
mod import_notice;
mod lesson_menu;
mod lesson_panel;
mod param_field;
mod pipeline_form;
mod preview;
mod profile;
mod progress;
mod reliability_chart;
mod report_file;
mod results;
mod roc_chart;
mod run_button;
mod share_panel;
mod slice_chart;
mod stage_strip;
mod suite_editor;
mod suite_open;
mod test_card;
mod test_row;
mod variables_table;

pub use bounds_chart::{BoundsChart, BoundsChartProps};

pub use cancel_button::{CancelButton, CancelButtonProps};
pub use catalogue::{Catalogue, CatalogueProps};
pub use charts::{Charts, ChartsProps};
pub use confusion_matrix::{ConfusionMatrix, ConfusionMatrixProps};
pub use data_panel::{DataPanel, DataPanelProps, Slot};
pub use drift_chart::{DriftChart, DriftChartProps};
pub use export::{ci_command, Export, ExportProps};
pub use failing_rows::{FailingRows, FailingRowsProps};
pub use histogram::{Bar, Histogram, HistogramProps};
pub use import_notice::{ImportNoticeBanner, ImportNoticeBannerProps};
pub use lesson_menu::{LessonMenu, LessonMenuProps};
pub use lesson_panel::{LessonPanel, LessonPanelProps, CHOICES};
pub use param_field::{ParamField, ParamFieldProps};
pub use pipeline_form::{PipelineForm, PipelineFormProps};
pub use preview::{PreviewProps, PreviewTable};
pub use profile::{Profile, ProfileProps};
pub use progress::{RunProgress, RunProgressProps};
pub use reliability_chart::{ReliabilityDiagram, ReliabilityDiagramProps};
pub use report_file::{source_line, ReportFile, ReportFileProps};
pub use results::{Results, ResultsProps};
pub use roc_chart::{RocChart, RocChartProps};
pub use run_button::{RunButton, RunButtonProps};
pub use share_panel::{SharePanel, SharePanelProps, ShareView};
pub use slice_chart::{SliceChart, SliceChartProps};
pub use stage_strip::{StageStrip, StageStripProps};
pub use suite_editor::{SuiteEditor, SuiteEditorProps};
pub use suite_open::{SuiteOpen, SuiteOpenProps};
pub use test_card::{CardError, TestCard, TestCardProps};
pub use test_row::{TestRow, TestRowProps};
pub use variables_table::{VariablesTable, VariablesTableProps};

/// The `change` handler of a file input: emits the picked file, then clears the input so that
/// picking the same file again (edited on disk) fires `change` again.
pub(crate) fn on_file_picked(on_file: Callback<web_sys::File>) -> Callback<Event> {
    Callback::from(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            on_file.emit(file);
        }
        input.set_value("");
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) async fn render<C>(props: C::Properties) -> String
where
    C: yew::BaseComponent,
{
    yew::LocalServerRenderer::<C>::with_props(props).hydratable(false).render().await
}

/// The report of a shipped example suite (`static/suites/NAME`) on its bundled sample, as the
/// page would show it: a real run with a real trained model, for the components' tests.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) fn sample_report(name: &str) -> std::rc::Rc<crate::report::Report> {
    let path = format!("{}/static/suites/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    suite_report(&text, name)
}

/// The test `id` of [`sample_report`]`(name)`.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) fn sample_test(name: &str, id: &str) -> crate::report::TestReport {
    let report = sample_report(name);
    report.tests.iter().find(|t| t.id == id).unwrap_or_else(|| panic!("{name}: no test {id}")).clone()
}

/// The report of the suite `text` (the file `name`, whose extension says JSON or YAML) on the
/// bundled sample or inline data it names.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) fn suite_report(text: &str, name: &str) -> std::rc::Rc<crate::report::Report> {
    use crate::{run, suite, table};
    let format = if name.ends_with(".json") { suite::Format::Json } else { suite::Format::Yaml };
    let suite = suite::parse(text, format, name).unwrap_or_else(|err| panic!("{name}: {err}"));
    let table = run::builtin_data(&suite, &table::LoadOptions::default()).unwrap().unwrap();
    std::rc::Rc::new(run::run(&suite, &table))
}
