//! The progress of a run: a bar that advances with the stages and the stage's name.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RunProgressProps {
    pub stage: AttrValue,
}

/// How far along a run is at `stage` (0–100): the worker's two stages, the engine's pipeline
/// stages, then `test k of n: id` spread over the rest. An unknown stage counts as the start.
pub fn percent(stage: &str) -> u8 {
    match stage {
        "reading the suite" => 2,
        "reading the data" => 5,
        "prepare" => 8,
        "split" => 10,
        "preprocess" => 12,
        "train" => 15,
        "predict" => 35,
        _ => test_percent(stage).unwrap_or(0),
    }
}

fn test_percent(stage: &str) -> Option<u8> {
    let rest = stage.strip_prefix("test ")?;
    let (k, rest) = rest.split_once(" of ")?;
    let n = rest.split(':').next()?;
    let (k, n): (u64, u64) = (k.parse().ok()?, n.trim().parse().ok()?);
    (1..=n).contains(&k).then(|| (40 + 60 * (k - 1) / n) as u8)
}

#[component]
pub fn RunProgress(props: &RunProgressProps) -> Html {
    let value = percent(&props.stage);
    html! {
        <div class="progress" data-testid="progress" role="progressbar" aria-label="run in progress"
            aria-valuemin="0" aria-valuemax="100" aria-valuenow={value.to_string()}
            aria-valuetext={props.stage.clone()}>
            <progress max="100" value={value.to_string()} aria-hidden="true"></progress>
            <span class="stage" data-testid="progress-stage">{ &props.stage }{ "…" }</span>
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_bar_advances_with_the_stages() {
        let stages = ["starting", "reading the suite", "reading the data", "prepare", "split", "train"];
        let values: Vec<u8> = stages
            .iter()
            .map(|s| percent(s))
            .chain((1..=12).map(|k| percent(&format!("test {k} of 12: t{k}"))))
            .collect();
        assert!(values.windows(2).all(|w| w[0] < w[1]), "{values:?}");
        assert_eq!((values[0], percent("test 1 of 12: acc"), percent("test 12 of 12: x")), (0, 40, 95));
        assert_eq!(percent("test 13 of 12: x"), 0);
    }

    #[tokio::test]
    async fn it_names_the_stage_and_reports_its_value() {
        let html = crate::app::components::render::<RunProgress>(RunProgressProps {
            stage: "test 3 of 12: acc".into(),
        })
        .await;
        assert!(html.contains(r#"role="progressbar""#), "{html}");
        assert!(html.contains(r#"aria-valuenow="50""#), "{html}");
        assert!(html.contains("test 3 of 12: acc…"), "{html}");
    }
}
