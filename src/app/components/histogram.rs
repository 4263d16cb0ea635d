//! A small bar chart drawn as inline SVG: a numeric column's histogram bins, or a
//! categorical column's most frequent values.

use yew::prelude::*;

use crate::table::ColumnProfile;

const WIDTH: f64 = 160.0;
const HEIGHT: f64 = 40.0;

/// One bar: what it counts and how many.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub count: usize,
}

#[derive(Properties, PartialEq)]
pub struct HistogramProps {
    /// Read by screen readers and shown on hover (the SVG's `<title>`).
    pub title: AttrValue,
    pub bars: Vec<Bar>,
}

/// The bars of a column's profile: its histogram bins when it is numeric, else its top values.
pub fn bars(column: &ColumnProfile) -> Vec<Bar> {
    match &column.histogram {
        Some(h) => h
            .counts
            .iter()
            .enumerate()
            .map(|(i, &count)| Bar {
                label: format!("{} – {}", number(h.edges[i]), number(h.edges[i + 1])),
                count,
            })
            .collect(),
        None => column.top.iter().map(|t| Bar { label: t.value.clone(), count: t.count }).collect(),
    }
}

/// A number as the profile shows it: integers without decimals, others to 4 significant places.
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let digits = (3 - x.abs().log10().floor() as i32).clamp(0, 8) as usize;
        let text = format!("{x:.digits$}");
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            text
        }
    }
}

#[component]
pub fn Histogram(props: &HistogramProps) -> Html {
    let max = props.bars.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let slot = WIDTH / props.bars.len().max(1) as f64;
    html! {
        <svg class="histogram" role="img" width={WIDTH.to_string()} height={HEIGHT.to_string()}
            viewBox={format!("0 0 {WIDTH} {HEIGHT}")} preserveAspectRatio="none" aria-label={props.title.clone()}>
            <title>{ props.title.clone() }</title>
            { for props.bars.iter().enumerate().map(|(i, bar)| {
                let h = (bar.count as f64 / max * (HEIGHT - 2.0)).max(if bar.count > 0 { 1.0 } else { 0.0 });
                html! {
                    <rect x={format!("{:.2}", i as f64 * slot + 0.5)} y={format!("{:.2}", HEIGHT - h)}
                        width={format!("{:.2}", (slot - 1.0).max(0.5))} height={format!("{h:.2}")}>
                        <title>{ format!("{}: {}", bar.label, bar.count) }</title>
                    </rect>
                }
            }) }
        </svg>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;

    #[tokio::test]
    async fn draws_one_bar_per_count_with_a_title() {
        let bars = vec![Bar { label: "a".into(), count: 4 }, Bar { label: "b".into(), count: 2 }];
        let html = render::<Histogram>(HistogramProps { title: "x: histogram".into(), bars }).await;
        assert!(html.contains("<title>x: histogram</title>"), "{html}");
        assert_eq!(html.matches("<rect").count(), 2);
        assert!(html.contains("<title>b: 2</title>"), "{html}");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(43.92193), "43.92");
        assert_eq!(number(0.123456), "0.1235");
        assert_eq!(number(5.5), "5.5");
    }
}
