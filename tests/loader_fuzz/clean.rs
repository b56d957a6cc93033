//! Well-formed runbooks built from the spec, so that whole documents load
//! and the success path of the loader is exercised too.

use super::*;

// ---------------------------------------------------------------------------
// Well-formed runbooks, so that whole documents load and the success path of
// every step kind is lowered too (then lightly mutated, for near misses)

#[rustfmt::skip]
pub(crate) const CLEAN_TEXT: &[&str] = &[
    "Next", "Log In", "Operation successfully!", "Transfer to LTS", "日本語", "é", "🦀 crab",
    "$${literal}", "${user}", "${tracker} row", "two\nlines",
];

pub(crate) const CLEAN_DURATIONS: &[&str] = &["500ms", "10s", "1.5s", "2m", "100ms"];
#[rustfmt::skip]
pub(crate) const CLEAN_KEYS: &[&str] = &[
    "Enter", "Tab", "Control+A", "Shift+Tab", "a", "Esc", "Space", "F5", "Cmd+Option+k",
];
pub(crate) const CLEAN_REGEXES: &[&str] = &["^Next$", "Tracker \\d+", "Log [Ii]n", ".+"];

/// Names that must be unique in a runbook: screenshots and stored variables.
pub(crate) struct Unique(usize);

impl Unique {
    pub(crate) fn next(&mut self, prefix: &str) -> String {
        self.0 += 1;
        format!("{prefix}-{}", self.0)
    }
}

pub(crate) fn clean_text(rng: &mut Rng) -> Y {
    Y::S(rng.pick(CLEAN_TEXT).to_string())
}

pub(crate) fn word(w: &str) -> Y {
    Y::S(w.to_string())
}

pub(crate) fn clean_target_entries(rng: &mut Rng, depth: usize) -> Vec<(String, Y)> {
    let mut entries = Vec::new();
    match rng.below(9) {
        0 => entries.push(("regex".into(), word(rng.one(CLEAN_REGEXES)))),
        1 => {
            entries.push((
                "role".into(),
                word(rng.one(&["button", "link", "option", "switch"])),
            ));
            if rng.chance(70) {
                let key = *rng.pick(&["text", "contains"]);
                entries.push((key.into(), clean_text(rng)));
            }
        }
        2 => entries.push(("css".into(), word("#app .btn"))),
        3 => entries.push(("xpath".into(), word("//button[1]"))),
        4 => entries.push(("testid".into(), word("tracker-name"))),
        5 => entries.push(("placeholder".into(), clean_text(rng))),
        6 => entries.push(("label".into(), clean_text(rng))),
        7 => entries.push(("contains".into(), clean_text(rng))),
        _ => entries.push(("text".into(), clean_text(rng))),
    }
    if rng.chance(20) {
        entries.push(("row".into(), clean_text(rng)));
    }
    if depth < 4 && rng.chance(15) {
        entries.push(("within".into(), clean_target(rng, depth + 1)));
    }
    if rng.chance(15) {
        entries.push(("nth".into(), word(rng.one(&["1", "2", "3"]))));
    }
    entries
}

pub(crate) fn clean_target(rng: &mut Rng, depth: usize) -> Y {
    if rng.chance(40) {
        clean_text(rng)
    } else {
        Y::M(clean_target_entries(rng, depth))
    }
}

pub(crate) fn clean_matcher(rng: &mut Rng) -> Y {
    match rng.below(4) {
        0 => clean_text(rng),
        1 => Y::M(vec![("text".into(), clean_text(rng))]),
        2 => Y::M(vec![("contains".into(), clean_text(rng))]),
        _ => Y::M(vec![("regex".into(), word(rng.one(CLEAN_REGEXES)))]),
    }
}

pub(crate) fn clean_condition(rng: &mut Rng, depth: usize) -> Y {
    match rng.below(5) {
        0 => clean_target(rng, depth),
        1 => Y::M(vec![("visible".into(), clean_target(rng, depth))]),
        2 => Y::M(vec![("gone".into(), clean_target(rng, depth))]),
        3 => Y::M(vec![("url".into(), clean_matcher(rng))]),
        _ => Y::M(vec![("title".into(), clean_matcher(rng))]),
    }
}

pub(crate) fn clean_keys(rng: &mut Rng) -> Y {
    if rng.chance(70) {
        word(rng.one(CLEAN_KEYS))
    } else {
        Y::L(
            (0..1 + rng.below(3))
                .map(|_| word(rng.one(CLEAN_KEYS)))
                .collect(),
        )
    }
}

pub(crate) fn clean_value(rng: &mut Rng, shape: Shape, depth: usize, unique: &mut Unique) -> Y {
    match shape {
        Shape::Text => clean_text(rng),
        Shape::Sentence if rng.chance(30) => word("false"),
        Shape::Sentence => clean_text(rng),
        Shape::Duration => word(rng.one(CLEAN_DURATIONS)),
        Shape::Bool => word(rng.one(&["true", "false"])),
        Shape::Int { min } => word(&(min + rng.below(3) as i64).to_string()),
        Shape::Word(words) => word(rng.one(words)),
        Shape::Target => clean_target(rng, depth),
        Shape::Targets => {
            if rng.chance(50) {
                clean_target(rng, depth)
            } else {
                Y::L(
                    (0..1 + rng.below(2))
                        .map(|_| clean_target(rng, depth))
                        .collect(),
                )
            }
        }
        Shape::Masks => {
            let mask = |rng: &mut Rng| {
                let mut entries = clean_target_entries(rng, depth);
                if rng.chance(50) {
                    entries.push(("mode".into(), word(rng.one(&["hide", "remove", "ignore"]))));
                }
                Y::M(entries)
            };
            if rng.chance(50) {
                mask(rng)
            } else {
                Y::L((0..1 + rng.below(2)).map(|_| mask(rng)).collect())
            }
        }
        Shape::Matcher => clean_matcher(rng),
        Shape::Url => word(rng.one(&["/login", "http://127.0.0.1:8480/trackers", "trackers"])),
        Shape::Keys => clean_keys(rng),
        Shape::Condition => clean_condition(rng, depth),
        Shape::Vars => Y::M(vec![("user".into(), word("admin"))]),
        Shape::Names => Y::L(vec![word("CONSOLE_PASSWORD")]),
        Shape::Tags if rng.chance(50) => word(rng.one(&["smoke", "team-a"])),
        Shape::Tags => Y::L(vec![word("smoke"), word("nightly")]),
        Shape::Selectors => word(rng.one(&[".acme-flash", "[data-toast]"])),
        Shape::Toasts => Y::M(vec![
            ("selectors".into(), Y::L(vec![word(".acme-flash")])),
            ("errors".into(), word(".acme-flash--bad")),
        ]),
        Shape::Fraction => word(rng.one(&["0", "0.05", "1"])),
        Shape::Compare => {
            if rng.chance(50) {
                word(rng.one(&["true", "false"]))
            } else {
                Y::M(vec![
                    ("max_diff_pixels".into(), word("20")),
                    ("threshold".into(), word("0.2")),
                ])
            }
        }
        Shape::Steps => clean_steps(rng, depth + 1, unique),
        Shape::Name | Shape::FigureName => word(&unique.next("name")),
    }
}

pub(crate) fn clean_step(rng: &mut Rng, depth: usize, unique: &mut Unique) -> Y {
    let step = &spec::STEPS[rng.below(spec::STEPS.len())];
    let k = step.keyword;
    if step.bare {
        return word(k);
    }
    let value = match k {
        "goto" if rng.chance(50) => clean_value(rng, Shape::Url, depth, unique),
        "expect_url" | "expect_title" => clean_matcher(rng),
        "wait_for" => clean_condition(rng, depth),
        "sleep" => word(rng.one(CLEAN_DURATIONS)),
        "dialog" if rng.chance(50) => word(rng.one(&["accept", "dismiss"])),
        "window" => match rng.below(4) {
            0 => word("new"),
            1 => word("first"),
            2 => Y::M(vec![("title".into(), clean_matcher(rng))]),
            _ => Y::M(vec![("url".into(), clean_matcher(rng))]),
        },
        "expect_toast" => match clean_matcher(rng) {
            Y::M(mut entries) if rng.chance(50) => {
                entries.push(("kind".into(), word(rng.one(&["success", "error", "any"]))));
                Y::M(entries)
            }
            other => other,
        },
        "screenshot" => {
            let name = word(&unique.next("figure"));
            if rng.chance(40) {
                name
            } else {
                let mut entries = vec![("name".into(), name)];
                if rng.chance(50) {
                    entries.push(("caption".into(), clean_text(rng)));
                }
                match rng.below(3) {
                    0 => entries.push(("full_page".into(), word("true"))),
                    1 => entries.push(("element".into(), clean_target(rng, depth))),
                    _ => {}
                }
                for (key, shape) in [("highlight", Shape::Targets), ("mask", Shape::Masks)] {
                    if rng.chance(25) {
                        entries.push((key.into(), clean_value(rng, shape, depth, unique)));
                    }
                }
                Y::M(entries)
            }
        }
        "store" => {
            let mut entries = clean_target_entries(rng, depth);
            entries.push(("as".into(), word(&unique.next("stored").replace('-', "_"))));
            Y::M(entries)
        }
        _ => {
            let short_ok = step.short.is_some() && !step.fields.iter().any(|f| f.required);
            if k == "press" && rng.chance(50) {
                clean_keys(rng)
            } else if short_ok && rng.chance(40) {
                match step.short {
                    Some(Shape::Target) | Some(Shape::Text) => clean_text(rng),
                    Some(shape) => clean_value(rng, shape, depth, unique),
                    None => clean_text(rng),
                }
            } else {
                let mut entries = match step.target {
                    TargetUse::Required => clean_target_entries(rng, depth),
                    TargetUse::Optional if rng.chance(50) => clean_target_entries(rng, depth),
                    _ => Vec::new(),
                };
                for field in step.fields {
                    if field.required || rng.chance(30) {
                        entries.push((
                            field.name.to_string(),
                            clean_value(rng, field.shape, depth, unique),
                        ));
                    }
                }
                Y::M(entries)
            }
        }
    };
    let mut entries = vec![(k.to_string(), value)];
    for modifier in spec::STEP_MODIFIERS {
        if rng.chance(8) {
            entries.push((
                modifier.name.to_string(),
                clean_value(rng, modifier.shape, depth, unique),
            ));
        }
    }
    Y::M(entries)
}

pub(crate) fn clean_steps(rng: &mut Rng, depth: usize, unique: &mut Unique) -> Y {
    let n = 1 + rng.below(if depth > 3 { 2 } else { 6 });
    Y::L(
        (0..n)
            .map(|_| match rng.below(100) {
                0..=7 if depth < 4 => Y::M(vec![
                    ("section".into(), clean_text(rng)),
                    ("steps".into(), clean_steps(rng, depth + 1, unique)),
                ]),
                8..=11 => {
                    let target = *rng.pick(&["good.yaml", "uses-vars.yaml", "nested/deep.yaml"]);
                    let mut entries = vec![("run".into(), word(target))];
                    if rng.chance(50) {
                        entries.push(("vars".into(), Y::M(vec![("user".into(), word("admin"))])));
                    }
                    Y::M(entries)
                }
                _ => clean_step(rng, depth, unique),
            })
            .collect(),
    )
}

/// A runbook that loads (with a base URL, `user` and `tracker` defined).
pub(crate) fn clean_document(rng: &mut Rng) -> Y {
    let mut unique = Unique(0);
    let mut entries = vec![
        ("name".to_string(), clean_text(rng)),
        ("url".to_string(), word("http://127.0.0.1:8480")),
        (
            "vars".to_string(),
            Y::M(vec![
                ("user".into(), word("demo")),
                ("tracker".into(), word("system")),
            ]),
        ),
    ];
    if rng.chance(30) {
        entries.push(("description".into(), clean_text(rng)));
    }
    if rng.chance(30) {
        entries.push(("secrets".into(), Y::L(vec![word("CONSOLE_PASSWORD")])));
    }
    if rng.chance(30) {
        entries.push(("timeout".into(), word(rng.one(CLEAN_DURATIONS))));
    }
    entries.push(("steps".into(), clean_steps(rng, 0, &mut unique)));
    Y::M(entries)
}
