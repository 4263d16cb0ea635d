//! A `drift` test's columns as SVG (PRODUCT.md §12): one bar per column compared, its
//! statistic (a p-value for `ks`, `chi2` and `z`, a distance otherwise) with the column's
//! threshold as a tick across it, drifted columns in the failing colour, columns not tested
//! (free text) grey with the reason. Drawn as the slice chart draws slices. A click on a
//! column opens its histograms, reference and current overlaid ([`Histograms`]), from the
//! bins the report carries; in the HTML report, which nobody can click, the drifted
//! columns' histograms are drawn open.

use yew::prelude::*;

use super::bounds_chart::{bar_row, Track, LABEL, PLOT, ROW};
use crate::report::fmt::{names, num};
use crate::report::{DriftHistogram, DriftOutcome, TestReport};

/// Room on the right for the statistic and the verdict: `p 0.0119 ≤ 0.05`.
const VALUE: f64 = 128.0;

#[derive(Properties, PartialEq)]
pub struct DriftChartProps {
    /// A `drift` test; its `drift` lists the columns.
    pub test: TestReport,
    /// Drawn for the HTML report: the drifted columns' histograms open, nothing to click.
    #[prop_or_default]
    pub snapshot: bool,
}

/// A p-value drifts when it is small, a distance when it is large: how the value compares.
fn comparison(column: &DriftOutcome) -> (&'static str, &'static str) {
    match column.method.as_str() {
        "ks" => ("p", if column.drifted { "≤" } else { ">" }),
        "chi2" | "z" => ("p", if column.drifted { "<" } else { "≥" }),
        _ => ("", if column.drifted { "≥" } else { "<" }),
    }
}

fn outcome(column: &DriftOutcome) -> &'static str {
    match (column.statistic, column.drifted) {
        (None, _) => "not-judged",
        (Some(_), true) => "fail",
        (Some(_), false) => "pass",
    }
}

#[component]
pub fn DriftChart(props: &DriftChartProps) -> Html {
    let opened = use_state(|| None::<usize>);
    let test = &props.test;
    let columns = &test.drift;
    let track =
        Track::over(columns.iter().filter_map(|c| c.statistic).chain(columns.iter().map(|c| c.threshold)));
    let (width, height) = (LABEL + PLOT + VALUE, columns.len() as f64 * ROW + 4.0);
    let drifted: Vec<&str> = columns.iter().filter(|c| c.drifted).map(|c| c.column.as_str()).collect();
    let tested = columns.iter().filter(|c| c.statistic.is_some()).count();
    let caption = match drifted.len() {
        0 => format!("{}: none of {tested} columns drifted from the reference (red: drifted; the tick: each column's threshold)", test.id),
        n => format!("{}: {n} of {tested} columns drifted from the reference: {} (red; the tick: each column's threshold)", test.id, names(&drifted, 5)),
    };
    let described: Vec<String> = columns
        .iter()
        .map(|c| match c.statistic {
            Some(s) => format!(
                "{} {} {}, threshold {}{}",
                c.column,
                c.method,
                num(s),
                num(c.threshold),
                if c.drifted { ", drifted" } else { "" }
            ),
            None => format!("{} not tested", c.column),
        })
        .collect();
    let label = format!("{caption}. {}", described.join("; "));
    html! {
        <figure class="chart slices drift">
            <svg role="img" aria-label={label.clone()} viewBox={format!("0 0 {width} {height}")} width="100%"
                style={format!("max-width: {}px", width * 1.4)} data-testid="drift-chart" data-test-id={test.id.clone()}>
                <title>{ label }</title>
                { for columns.iter().enumerate().map(|(i, column)| {
                    let top = 2.0 + i as f64 * ROW;
                    let (kind, op) = comparison(column);
                    let value = match column.statistic {
                        Some(s) => format!("{kind} {} {op} {}", num(s), num(column.threshold)).trim().to_owned(),
                        None => "not tested".to_owned(),
                    };
                    let name = if column.method.is_empty() { column.column.clone() } else { format!("{} ({})", column.column, column.method) };
                    let toggle = {
                        let opened = opened.clone();
                        Callback::from(move |_: MouseEvent| opened.set((*opened != Some(i)).then_some(i)))
                    };
                    html! {
                        <g class={classes!("slice", outcome(column), (*opened == Some(i)).then_some("opened"))} data-testid="drift-column" data-column={column.column.clone()}
                            data-method={column.method.clone()} data-outcome={outcome(column)}
                            data-statistic={column.statistic.map(|s| s.to_string())} onclick={toggle}>
                            <title>{ format!("{name}: {value}{}", column.note.as_ref().map_or_else(String::new, |n| format!(" — {n}"))) }</title>
                            { bar_row(top, &name, 26, column.statistic.map(|s| track.at(s)), value) }
                            if column.statistic.is_some() {
                                <line class="threshold" x1={format!("{:.2}", track.at(column.threshold))} x2={format!("{:.2}", track.at(column.threshold))}
                                    y1={(top + 1.0).to_string()} y2={(top + 21.0).to_string()} />
                            }
                        </g>
                    }
                }) }
            </svg>
            if props.snapshot {
                <figcaption>{ caption }</figcaption>
                { for columns.iter().filter(|c| c.drifted).filter_map(|c| Some(html! {
                    <Histograms column={AttrValue::from(c.column.clone())} histogram={c.histogram.clone()?} />
                })) }
            } else {
                <figcaption>{ caption }{ " Click a column for its histograms." }</figcaption>
                if let Some(column) = opened.and_then(|i| columns.get(i)) {
                    if let Some(histogram) = &column.histogram {
                        <Histograms column={AttrValue::from(column.column.clone())} histogram={histogram.clone()} />
                    }
                }
            }
        </figure>
    }
}

#[derive(Properties, PartialEq)]
pub struct HistogramsProps {
    pub column: AttrValue,
    pub histogram: DriftHistogram,
}

/// Plot size of the overlaid histograms.
const HIST_WIDTH: f64 = 420.0;
const HIST_HEIGHT: f64 = 120.0;
/// Room under the plot for the first and last bins' labels.
const HIST_AXIS: f64 = 18.0;

/// One column's reference and current histograms overlaid: each bin's two shares as bars on
/// the same place, the reference's outlined behind the current's, so a shift shows as bars
/// that no longer cover each other.
#[component]
pub fn Histograms(props: &HistogramsProps) -> Html {
    let h = &props.histogram;
    let bins = h.bins.len().max(1);
    let highest =
        h.reference.iter().chain(&h.current).copied().fold(0.0_f64, f64::max).max(f64::MIN_POSITIVE);
    let step = HIST_WIDTH / bins as f64;
    let bar = |share: f64| share / highest * HIST_HEIGHT;
    let label = format!(
        "{}: reference and current shares in {} bins. {}",
        props.column,
        h.bins.len(),
        h.bins
            .iter()
            .zip(h.reference.iter().zip(&h.current))
            .map(|(bin, (r, c))| format!("{bin}: {} vs {}", num(*r), num(*c)))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let (first, last) =
        (h.bins.first().cloned().unwrap_or_default(), h.bins.last().cloned().unwrap_or_default());
    html! {
        <div class="drift-histograms" data-testid="drift-histogram" data-column={props.column.clone()}>
            <svg role="img" aria-label={label.clone()} viewBox={format!("0 0 {HIST_WIDTH} {}", HIST_HEIGHT + HIST_AXIS)} width="100%"
                style={format!("max-width: {}px", HIST_WIDTH * 1.4)}>
                <title>{ label }</title>
                { for h.bins.iter().enumerate().map(|(i, bin)| {
                    let x = i as f64 * step;
                    let (r, c) = (h.reference[i], h.current[i]);
                    html! {
                        <g data-testid="drift-bin" data-bin={bin.clone()} data-reference={r.to_string()} data-current={c.to_string()}>
                            <title>{ format!("{bin}: reference {}, current {}", num(r), num(c)) }</title>
                            <rect class="reference" x={format!("{:.2}", x + 1.0)} y={format!("{:.2}", HIST_HEIGHT - bar(r))}
                                width={format!("{:.2}", (step - 2.0).max(1.0))} height={format!("{:.2}", bar(r))} />
                            <rect class="current" x={format!("{:.2}", x + 1.0 + step * 0.2)} y={format!("{:.2}", HIST_HEIGHT - bar(c))}
                                width={format!("{:.2}", (step * 0.6 - 2.0).max(1.0))} height={format!("{:.2}", bar(c))} />
                        </g>
                    }
                }) }
                <line class="axis" x1="0" x2={HIST_WIDTH.to_string()} y1={HIST_HEIGHT.to_string()} y2={HIST_HEIGHT.to_string()} />
                <text x="0" y={(HIST_HEIGHT + 13.0).to_string()}>{ first }</text>
                <text x={HIST_WIDTH.to_string()} y={(HIST_HEIGHT + 13.0).to_string()} text-anchor="end">{ last }</text>
            </svg>
            <p class="legend">
                <span class="swatch reference" />{ " reference · " }
                <span class="swatch current" />{ format!(" current — `{}`, each data set's share of its values per bin", props.column) }
            </p>
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::{render, sample_test};

    fn drift_test(id: &str) -> TestReport {
        sample_test("penguins-drift.json", id)
    }

    #[tokio::test]
    async fn every_column_is_a_bar_and_the_drifted_ones_fail() {
        let html =
            render::<DriftChart>(DriftChartProps { test: drift_test("columns-drift"), snapshot: false })
                .await;
        assert_eq!(html.matches("data-testid=\"drift-column\"").count(), 7, "{html}");
        assert!(
            html.contains("data-column=\"flipper_length_mm\" data-method=\"ks\" data-outcome=\"fail\""),
            "{html}"
        );
        assert!(html.contains("data-column=\"island\" data-method=\"chi2\" data-outcome=\"pass\""), "{html}");
        assert!(html.contains("p 0.0119 ≤ 0.05"), "{html}");
        assert!(
            html.contains("2 of 7 columns drifted from the reference: `flipper_length_mm`, `year`"),
            "{html}"
        );
    }

    #[tokio::test]
    async fn a_snapshot_draws_the_drifted_columns_histograms_open() {
        let html =
            render::<DriftChart>(DriftChartProps { test: drift_test("columns-drift"), snapshot: true }).await;
        let opened: Vec<&str> = html
            .split("data-testid=\"drift-histogram\" data-column=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        assert_eq!(opened, ["flipper_length_mm", "year"], "{html}");
        assert!(!html.contains("Click a column"), "{html}");
    }

    #[tokio::test]
    async fn a_columns_histograms_overlay_reference_and_current() {
        let test = drift_test("label-drift");
        let histogram = test.drift[0].histogram.clone().unwrap();
        let html = render::<Histograms>(HistogramsProps { column: "species".into(), histogram }).await;
        assert_eq!(html.matches("data-testid=\"drift-bin\"").count(), 3, "{html}");
        assert!(html.contains("data-bin=\"Adelie\""), "{html}");
        assert!(html.contains("class=\"reference\"") && html.contains("class=\"current\""), "{html}");
    }

    #[tokio::test]
    async fn a_distance_drifts_at_or_above_its_threshold() {
        let html =
            render::<DriftChart>(DriftChartProps { test: drift_test("mass-wasserstein"), snapshot: false })
                .await;
        assert!(html.contains("data-method=\"wasserstein\" data-outcome=\"fail\""), "{html}");
        assert!(html.contains("0.1537 ≥ 0.1"), "{html}");
    }
}
