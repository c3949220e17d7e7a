//! The canonical same-event example (two outlets, one Biden–Putin call), read from
//! `/work/shared/examples/same-event` when present. Third-party text: read, never copied here.

#[allow(dead_code)]
mod support;

use samestory_engine::analysis::{analyze_story, DocText, StoryAnalysis};

fn load() -> Option<Vec<String>> {
    let dir = support::shared_or_skip("examples/same-event")?;
    let a = std::fs::read_to_string(dir.join("000_442a550e561fbf62.txt")).unwrap();
    let b = std::fs::read_to_string(dir.join("001_ef0239c1efbde0f8.txt")).unwrap();
    Some(vec![a, b])
}

fn analyze(texts: &[String]) -> StoryAnalysis {
    let docs: Vec<DocText> = texts
        .iter()
        .enumerate()
        .map(|(k, t)| DocText {
            doc: k,
            outlet: ["first", "second"][k].to_owned(),
            text: t,
        })
        .collect();
    analyze_story(&docs)
}

#[test]
fn same_event_example() {
    let Some(texts) = load() else { return };
    let a = analyze(&texts);
    println!("{}", serde_json::to_string_pretty(&a).unwrap());
    let group = |needle: &str| {
        a.quotes
            .iter()
            .find(|g| g.variants.iter().any(|v| v.text.contains(needle)))
            .unwrap_or_else(|| panic!("no shared quote with {needle:?}"))
    };
    for needle in [
        "professional and substantive",
        "no fundamental change in the dynamic",
        "clear-eyed about the prospects of that",
        "The stakes of this are too high not to give Russia every chance",
    ] {
        let g = group(needle);
        assert_eq!(g.docs, [0, 1], "{needle}: {g:?}");
        let speaker = g.speaker.as_deref().unwrap_or("");
        assert!(
            speaker.contains("official"),
            "{needle}: speaker {speaker:?}"
        );
    }
    // Two wordings of one utterance are one group with two variants.
    let eyed = group("clear-eyed about the prospects of that");
    assert!(eyed
        .variants
        .iter()
        .any(|v| v.text.contains("clear eyed about the prospect of that")));
    // One outlet cuts the "stakes" quote mid-sentence: still one group.
    let stakes = group("The stakes of this are too high");
    assert!(stakes.variants.len() >= 2);
    assert_eq!(
        a.quotes
            .iter()
            .filter(|g| g.canonical.contains("stakes of this"))
            .count(),
        1
    );

    let unique_text =
        |d: usize| -> Vec<&str> { a.unique[d].iter().map(|s| s.slice(&texts[d])).collect() };
    let (u0, u1) = (unique_text(0), unique_text(1));
    assert!(
        u0.iter()
            .any(|s| s.contains("safety and security of Americans")),
        "{u0:#?}"
    );
    assert!(
        u1.iter().any(|s| s.contains("more depending on China")),
        "{u1:#?}"
    );
    // Shared content is not unique.
    assert!(!u1.iter().any(|s| s.contains("clear eyed")), "{u1:#?}");
    assert!(!u0.iter().any(|s| s.contains("stakes of this")), "{u0:#?}");

    assert!(!a.passages.is_empty());
    assert!(!a.brief.is_empty());
    assert!(a.brief.iter().all(|b| b.outlets.len() == 2));
}
