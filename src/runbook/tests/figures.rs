//! Screenshots' `compare:` and `mask:` settings: how a step's, its
//! runbook's and an included runbook's combine, and where bad ones are
//! placed.

use super::*;

/// The comparison settings of a runbook's screenshots, in order.
fn screenshot_compares(book: &Runbook) -> Vec<Option<Compare>> {
    book.steps()
        .iter()
        .map(|(_, s)| match &s.action {
            Action::Screenshot(shot) => shot.compare,
            other => panic!("only screenshots expected, found {other:?}"),
        })
        .collect()
}

#[test]
fn compare_of_a_screenshot_is_over_its_runbooks() {
    let book = load_str(
        "name: x\nurl: http://h\ncompare: { max_diff_pixels: 50, threshold: 0.2 }\nsteps:\n  - screenshot: plain\n  - screenshot: { name: own, compare: { max_diff_ratio: 0.01 } }\n  - screenshot: { name: off, compare: false }\n",
    )
    .unwrap();
    let compares = screenshot_compares(&book);
    let runbooks = CompareLimits {
        max_diff_pixels: Some(50),
        max_diff_ratio: None,
        threshold: Some(0.2),
    };
    assert_eq!(
        compares,
        [
            Some(Compare::On(runbooks)),
            Some(Compare::On(CompareLimits {
                max_diff_ratio: Some(0.01),
                ..runbooks
            })),
            Some(Compare::Off),
        ]
    );
    let book = load_str("name: x\nurl: http://h\nsteps:\n  - screenshot: plain\n").unwrap();
    let Action::Screenshot(shot) = &book.steps()[0].1.action else {
        unreachable!()
    };
    assert_eq!(shot.compare, None, "left to --compare");
}

#[test]
fn a_bad_compare_is_placed_exactly() {
    let message = errors(
        "name: x\nurl: http://h\ncompare: yes\nsteps:\n  - screenshot: { name: a, compare: { max_diff_pixel: 3, threshold: 2 } }\n  - screenshot: { name: b, compare: { max_diff_ratio: -1, max_diff_pixels: many } }\n",
    );
    for expected in [
        "`compare` is `true`, `false` or a mapping with `max_diff_pixels`, `max_diff_ratio` and/or `threshold`, found a string\n  --> book.yaml:3:10",
        "unknown key `max_diff_pixel` in `compare`\n  --> book.yaml:5:39",
        "did you mean `max_diff_pixels`?",
        "`compare.threshold` is a number from 0 to 1, found 2\n  --> book.yaml:5:69",
        "`compare.max_diff_ratio` is a number from 0 to 1, found -1\n  --> book.yaml:6:55",
        "`compare.max_diff_pixels` is a whole number, found a string\n  --> book.yaml:6:76",
    ] {
        assert!(message.contains(expected), "{expected}\n---\n{message}");
    }
}

#[test]
fn an_included_runbooks_compare_holds_for_its_own_screenshots() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("part.yaml"),
        "name: part\ncompare: { threshold: 0.3 }\nsteps:\n  - screenshot: inner\n",
    )
    .unwrap();
    let main = dir.path().join("main.yaml");
    std::fs::write(
        &main,
        "name: main\nurl: http://h\ncompare: { max_diff_pixels: 9 }\nsteps:\n  - run: part.yaml\n  - screenshot: outer\n",
    )
    .unwrap();
    let book = load(&main, &LoadOptions::default()).unwrap();
    let compares = screenshot_compares(&book);
    let outer = CompareLimits {
        max_diff_pixels: Some(9),
        ..CompareLimits::default()
    };
    assert_eq!(
        compares,
        [
            Some(Compare::On(CompareLimits {
                threshold: Some(0.3),
                ..outer
            })),
            Some(Compare::On(outer)),
        ],
        "the include's own limits over the including runbook's, and not beyond the include"
    );
}

/// Each screenshot's masks as `mode target` (runbook-wide ones marked `*`).
fn screenshot_masks(book: &Runbook) -> Vec<Vec<String>> {
    book.steps()
        .iter()
        .map(|(_, s)| match &s.action {
            Action::Screenshot(shot) => shot
                .mask
                .iter()
                .map(|m| {
                    let wide = if m.from_runbook { "*" } else { "" };
                    format!("{wide}{} {}", m.mode.word(), m.target)
                })
                .collect(),
            other => panic!("only screenshots expected, found {other:?}"),
        })
        .collect()
}

#[test]
fn masks_take_any_target_with_a_mode_and_the_runbooks_hold_for_every_screenshot() {
    let book = load_str(
        "name: x\nurl: http://h\nmask: [{ css: .clock, mode: ignore }, \"${who}\"]\nvars: { who: Jane Doe }\nsteps:\n  - screenshot: plain\n  - screenshot: { name: own, mask: [{ contains: \"2026/\", mode: ignore }, { testid: ad, mode: remove }, { text: Edit, row: alarm-1 }] }\n  - screenshot: { name: one, mask: { label: Password } }\n",
    )
    .unwrap();
    assert_eq!(
        screenshot_masks(&book),
        [
            vec!["*ignore css `.clock`", "*hide \"Jane Doe\""],
            vec![
                "ignore text containing \"2026/\"",
                "remove test id \"ad\"",
                "hide \"Edit\" in the row of \"alarm-1\"",
                "*ignore css `.clock`",
                "*hide \"Jane Doe\"",
            ],
            vec![
                "hide label \"Password\"",
                "*ignore css `.clock`",
                "*hide \"Jane Doe\""
            ],
        ]
    );
    // A runbook-wide CSS mask is warned about once, at its key, not at
    // every screenshot.
    let warnings: Vec<(u32, u32, &str)> = book
        .warnings
        .iter()
        .map(|w| (w.pos.line, w.pos.column, w.message.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [(3, 1, "`mask` finds its target by CSS or XPath only")]
    );
}

#[test]
fn a_bad_mask_is_placed_exactly() {
    let message = errors(
        "name: x\nurl: http://h\nmask: { css: .a, mode: hidden }\nsteps:\n  - screenshot: { name: a, mask: [{ testid: t, mod: ignore }, { mode: remove }, \"\"] }\n",
    );
    for expected in [
        "`mode` is `hide`, `remove` or `ignore`, found \"hidden\"\n  --> book.yaml:3:24",
        "did you mean `hide`?",
        "unknown key `mod` in `mask`\n  --> book.yaml:5:48",
        "did you mean `mode`?",
        "`mask` does not say what to look for\n  --> book.yaml:5:63",
        "`mask` is given empty text\n  --> book.yaml:5:81",
    ] {
        assert!(message.contains(expected), "{expected}\n---\n{message}");
    }
}

#[test]
fn an_included_runbooks_masks_add_to_the_including_ones_for_its_own_screenshots() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("part.yaml"),
        "name: part\nmask: { testid: inner, mode: remove }\nsteps:\n  - screenshot: inner\n",
    )
    .unwrap();
    let main = dir.path().join("main.yaml");
    std::fs::write(
        &main,
        "name: main\nurl: http://h\nmask: { testid: outer }\nsteps:\n  - run: part.yaml\n  - screenshot: outer\n",
    )
    .unwrap();
    let book = load(&main, &LoadOptions::default()).unwrap();
    assert_eq!(
        screenshot_masks(&book),
        [
            vec!["*hide test id \"outer\"", "*remove test id \"inner\""],
            vec!["*hide test id \"outer\""],
        ]
    );
}
