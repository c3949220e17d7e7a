//! The learned story decision's fit, on rows made here.

#[allow(dead_code)]
mod support;

use samestory_engine::stories::model::{probability, Features, StoryModel};
use support::Rng;

#[test]
fn the_fit_recovers_a_separating_direction() {
    // Candidates of the event have a high centroid cosine, the others a low one, with noise.
    let mut rng = Rng(7);
    let rows: Vec<(Features, bool, f32)> = (0..2000)
        .map(|i| {
            let noise = rng.below(1000) as f32 / 1000.0 * 0.3;
            let same = i % 3 == 0;
            let mut f = Features::default();
            f.0[0] = 1.0;
            f.0[1] = if same { 0.5 } else { 0.2 } + noise - 0.15;
            (f, same, 1.0)
        })
        .collect();
    let w = StoryModel::fit(&rows, 1e-3);
    let at = |cos: f32| {
        let mut f = Features::default();
        f.0[0] = 1.0;
        f.0[1] = cos;
        probability(&w, &f)
    };
    assert!(w[1] > 0.0, "{w:?}");
    assert!(at(0.6) > 0.9 && at(0.1) < 0.1, "{} {}", at(0.6), at(0.1));
}
