//! A profile per column (`mltest::table::profile`): type, missing, range, mean, distinct
//! values, top values and a small histogram.

use std::rc::Rc;

use yew::prelude::*;

use super::histogram::{bars, number, Histogram};
use crate::table::ColumnProfile;

/// Wider tables start with their cards folded, so the suite editor below stays in reach.
const OPEN_UP_TO: usize = 12;

/// The cards drawn before "Show all": a card is a chart and a dozen elements, and a table of
/// thousands of columns (a shared link can carry one) took over a second to draw whole on
/// the page's thread. Fifty is more than any bundled sample has (31 at most).
pub const PROFILE_CARDS: usize = 50;

#[derive(Properties, PartialEq)]
pub struct ProfileProps {
    pub columns: Rc<Vec<ColumnProfile>>,
}

#[component]
pub fn Profile(props: &ProfileProps) -> Html {
    let show_all = use_state(|| false);
    let opt = |x: Option<f64>| x.map(number).unwrap_or_else(|| "—".into());
    let total = props.columns.len();
    let shown = if *show_all { total } else { total.min(PROFILE_CARDS) };
    let on_show_all = {
        let show_all = show_all.clone();
        Callback::from(move |_: MouseEvent| show_all.set(true))
    };
    html! {
        <details class="profile" open={total <= OPEN_UP_TO}>
            <summary><h3>{ format!("Columns ({total})") }</h3></summary>
            if shown < total {
                <p class="capped" data-testid="profile-capped">
                    { format!("The first {shown} of {total} columns. ") }
                    <button type="button" onclick={on_show_all}>{ format!("Show all {total} columns") }</button>
                </p>
            }
            <ul class="profile-cards">
                { for props.columns.iter().take(shown).map(|c| {
                    let top = c.top.iter().map(|t| format!("{} ({})", t.value, t.count)).collect::<Vec<_>>().join(", ");
                    let title = if c.histogram.is_some() {
                        format!("{}: histogram of {} values", c.name, c.rows - c.missing)
                    } else {
                        format!("{}: counts of its most frequent values", c.name)
                    };
                    html! {
                        <li class="card" data-testid="column-profile" data-column={c.name.clone()} data-missing={c.missing.to_string()}>
                            <div class="card-head">
                                <strong class="name">{ &c.name }</strong>
                                <span class="type">{ c.ty.name() }</span>
                            </div>
                            <Histogram title={AttrValue::from(title)} bars={bars(c)} />
                            <dl>
                                <dt>{ "missing" }</dt>
                                <dd class={classes!((c.missing > 0).then_some("has-missing"))}>{ c.missing }</dd>
                                <dt>{ "distinct" }</dt><dd>{ c.distinct }</dd>
                                if c.min.is_some() {
                                    <dt>{ "min" }</dt><dd>{ opt(c.min) }</dd>
                                    <dt>{ "max" }</dt><dd>{ opt(c.max) }</dd>
                                    <dt>{ "mean" }</dt><dd>{ opt(c.mean) }</dd>
                                }
                            </dl>
                            <p class="top-values"><span class="label">{ "top: " }</span>{ top }</p>
                        </li>
                    }
                }) }
            </ul>
        </details>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;
    use crate::app::state::{Action, AppState, DataState};

    #[tokio::test]
    async fn penguins_bill_length_has_two_missing_and_a_histogram() {
        let state = AppState::default().apply(Action::SelectSample("penguins".into()));
        let DataState::Loaded(data) = state.data else { panic!() };
        let html = render::<Profile>(ProfileProps { columns: data.profile.clone() }).await;
        assert!(html.contains("data-column=\"bill_length_mm\" data-missing=\"2\""), "{html}");
        assert_eq!(html.matches("<svg").count(), 8, "one chart per column");
        assert!(html.contains("<title>species: counts of its most frequent values</title>"), "{html}");
        assert!(html.starts_with("<details open=\"open\" class=\"profile\">"), "8 columns start open");
        assert!(!html.contains("profile-capped"), "every card of a sample is drawn");
    }

    #[tokio::test]
    async fn regression_a_table_of_2000_columns_draws_the_first_cards_and_says_so() {
        let header: Vec<String> = (0..2000).map(|i| format!("c{i}")).collect();
        let csv = format!("{}\n{}\n", header.join(","), vec!["1"; 2000].join(","));
        let summary = crate::app::state::summarize(csv.as_bytes(), "wide.csv").unwrap();
        let html = render::<Profile>(ProfileProps { columns: Rc::new(summary.profile) }).await;
        assert_eq!(html.matches("data-testid=\"column-profile\"").count(), PROFILE_CARDS);
        assert!(
            html.contains("The first 50 of 2000 columns.") && html.contains("Show all 2000 columns"),
            "{html}"
        );
    }

    #[tokio::test]
    async fn a_wide_table_starts_folded() {
        let state = AppState::default().apply(Action::SelectSample("breast_cancer".into()));
        let DataState::Loaded(data) = state.data else { panic!() };
        let html = render::<Profile>(ProfileProps { columns: data.profile.clone() }).await;
        assert!(
            html.starts_with("<details class=\"profile\">") && html.contains("Columns (31)"),
            "a wide table starts folded"
        );
    }
}
