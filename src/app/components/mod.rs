//! The page's components, one per file, each with its `XxxProps`. They hold no app state:
//! they render what their props say and report the user's actions through callbacks, so
//! each renders natively (yew's server renderer) in `cargo test`.

mod cancel_button;
mod catalogue;
mod data_panel;
mod histogram;
mod param_field;
mod pipeline_form;
mod preview;
mod profile;
mod progress;
mod results;
mod run_button;
mod suite_editor;
mod test_card;
mod test_row;

pub use cancel_button::{CancelButton, CancelButtonProps};
pub use catalogue::{Catalogue, CatalogueProps};
pub use data_panel::{DataPanel, DataPanelProps};
pub use histogram::{Bar, Histogram, HistogramProps};
pub use param_field::{ParamField, ParamFieldProps};
pub use pipeline_form::{PipelineForm, PipelineFormProps};
pub use preview::{PreviewProps, PreviewTable};
pub use profile::{Profile, ProfileProps};
pub use progress::{RunProgress, RunProgressProps};
pub use results::{Results, ResultsProps};
pub use run_button::{RunButton, RunButtonProps};
pub use suite_editor::{SuiteEditor, SuiteEditorProps};
pub use test_card::{CardError, TestCard, TestCardProps};
pub use test_row::{TestRow, TestRowProps};

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) async fn render<C>(props: C::Properties) -> String
where
    C: yew::BaseComponent,
{
    yew::LocalServerRenderer::<C>::with_props(props).hydratable(false).render().await
}
