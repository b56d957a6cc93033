//! Random YAML built from the language's own grammar (the keys and shapes
//! of `docent::runbook::spec`), well-formed or not.

use super::*;

// ---------------------------------------------------------------------------
// Random YAML from the language's grammar

/// A YAML tree; scalars hold their text before quoting.
pub(crate) enum Y {
    S(String),
    L(Vec<Y>),
    M(Vec<(String, Y)>),
}

#[rustfmt::skip]
pub(crate) const WORDS: &[&str] = &[
    "Next", "Log In", "Create Tracker", "Operation successfully!", "system", "IAM User Name", "a",
    "0", "-", "on", "off", "yes", "no", "true", "false", "null", "~", "accept", "dismiss", "new",
    "first", "success", "error", "any", "button", "buton", "option", "switch", "Enter", "Entr",
    "Control+A", "Ctrl+Shift+Tab", "Hyper+X", "+", "Space", "F13", "500ms", "10s", "1.5s", "2m",
    "0s", "10", "3h", "-1s", "1e9s", "99999999999999999999s", ".s", "ms", "/login",
    "http://127.0.0.1:8480/", "http://[::1", "about:blank", "://", "file:///etc/passwd",
    "#app > .btn", "//div[@id='x']", "(unclosed", "[a-", "a{2,1}", ".*", "tracker-list",
    "My Figure", "ref", "é", "日本語", "🦀", "\u{202e}reversed", "e\u{301}", "\u{200b}",
    "\u{feff}bom", "\t", " ", "", "\\", "\"", "'", "a: b", "- x", "# not a comment", "{", "}",
    "[", "&anchor", "*alias", "!tag", "%", "@", "`", "|", ">",
];

#[rustfmt::skip]
pub(crate) const VARIABLES: &[&str] = &[
    "${user}", "${tracker}", "${region}", "${CONSOLE_PASSWORD}", "${ref}", "${inc}", "${nope}",
    "${env.HOME}", "${env.DOCENT_FUZZ}", "${env.NOT_SET_ANYWHERE}", "${env.}", "${}", "${ }",
    "${", "${user", "$${user}", "$${", "$", "$$", "${${user}}", "${é}",
];

#[rustfmt::skip]
pub(crate) const NAMES: &[&str] = &[
    "user", "tracker", "region", "ref", "inc", "CONSOLE_PASSWORD", "DOCENT_FUZZ", "HOME", "x",
    "a b", "", "env.HOME", "日本",
];

pub(crate) fn text(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=3 => rng.pick(WORDS).to_string(),
        4 | 5 => rng.pick(VARIABLES).to_string(),
        6 => format!(
            "{} {} {}",
            rng.pick(WORDS),
            rng.pick(VARIABLES),
            rng.pick(WORDS)
        ),
        7 => {
            // Very long, sometimes with a variable in the middle or at the end.
            // (Variables are fewer: each costs the loader a pass over its line.)
            let piece = *rng.pick(&["a", "é", "日本", "ab ", "🦀", "x${user}"]);
            let times = if piece.contains('$') {
                1 + rng.below(100)
            } else {
                50 + rng.below(3000)
            };
            let mut s = piece.repeat(times);
            if rng.chance(50) {
                s.push_str(rng.one(VARIABLES));
            }
            s
        }
        8 => {
            // Arbitrary characters, including control characters.
            let n = rng.below(20);
            (0..n)
                .map(|_| char::from_u32(rng.below(0x3000) as u32).unwrap_or('?'))
                .collect()
        }
        _ => rng.pick(NAMES).to_string(),
    }
}

/// A scalar as the YAML parser would produce it from plain text: numbers,
/// booleans and nulls are written bare.
pub(crate) fn scalar(rng: &mut Rng) -> Y {
    Y::S(match rng.below(12) {
        0 => rng
            .pick(&[
                "0",
                "1",
                "-1",
                "2",
                "100",
                "1.5",
                "-0.0",
                "1e400",
                ".nan",
                ".inf",
                "0x1F",
                "0o17",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775809",
                "99999999999999999999",
            ])
            .to_string(),
        1 => rng.pick(&["true", "false", "null", "~", ""]).to_string(),
        _ => text(rng),
    })
}

/// Any value: a scalar, or a (possibly empty, possibly deep) collection.
pub(crate) fn anything(rng: &mut Rng, depth: usize) -> Y {
    if depth > 6 || rng.chance(60) {
        return scalar(rng);
    }
    let n = rng.below(4);
    if rng.chance(50) {
        Y::L((0..n).map(|_| anything(rng, depth + 1)).collect())
    } else {
        Y::M(
            (0..n)
                .map(|_| (key_name(rng, &[]), anything(rng, depth + 1)))
                .collect(),
        )
    }
}

/// A key: usually one of `allowed`, sometimes another key of the language,
/// a misspelling or junk.
pub(crate) fn key_name(rng: &mut Rng, allowed: &[&str]) -> String {
    if !allowed.is_empty() && rng.chance(80) {
        return rng.pick(allowed).to_string();
    }
    match rng.below(6) {
        0 => spec::STEPS[rng.below(spec::STEPS.len())]
            .keyword
            .to_string(),
        1 => spec::TARGET_FIELDS[rng.below(spec::TARGET_FIELDS.len())]
            .name
            .to_string(),
        2 => spec::STEP_MODIFIERS[rng.below(spec::STEP_MODIFIERS.len())]
            .name
            .to_string(),
        3 => {
            // A misspelling of a real key: one character dropped or doubled.
            let word: Vec<char> = spec::TOP_FIELDS[rng.below(spec::TOP_FIELDS.len())]
                .name
                .chars()
                .collect();
            let i = rng.below(word.len());
            let mut out: String = word[..i].iter().collect();
            if rng.chance(50) {
                out.push(word[i]);
            }
            out.extend(&word[i..]);
            out
        }
        4 => rng
            .pick(&["section", "run", "vars", "steps", "name", "<<"])
            .to_string(),
        _ => text(rng),
    }
}

/// A value of the given shape, or now and then something else.
pub(crate) fn shaped(rng: &mut Rng, shape: Shape, depth: usize) -> Y {
    if rng.chance(12) {
        return anything(rng, depth + 1);
    }
    match shape {
        Shape::Text
        | Shape::Url
        | Shape::Name
        | Shape::FigureName
        | Shape::Duration
        | Shape::Sentence => scalar(rng),
        Shape::Bool => Y::S(rng.pick(&["true", "false", "yes", "on", "1"]).to_string()),
        Shape::Int { .. } => Y::S(rng.pick(&["0", "1", "3", "-1", "1.5", "x"]).to_string()),
        Shape::Word(words) => Y::S(if rng.chance(80) {
            rng.pick(words).to_string()
        } else {
            text(rng)
        }),
        Shape::Target => target(rng, depth),
        Shape::Targets => {
            if rng.chance(50) {
                target(rng, depth)
            } else {
                Y::L((0..rng.below(4)).map(|_| target(rng, depth + 1)).collect())
            }
        }
        Shape::Masks => {
            let mask = |rng: &mut Rng| {
                if depth > 8 || rng.chance(30) {
                    scalar(rng)
                } else {
                    mapping(rng, spec::TARGET_FIELDS, spec::MASK_FIELDS, depth)
                }
            };
            if rng.chance(50) {
                mask(rng)
            } else {
                Y::L((0..rng.below(4)).map(|_| mask(rng)).collect())
            }
        }
        Shape::Matcher => {
            if rng.chance(50) {
                scalar(rng)
            } else {
                mapping(rng, spec::MATCHER_FIELDS, &[], depth)
            }
        }
        Shape::Keys => {
            if rng.chance(70) {
                scalar(rng)
            } else {
                Y::L((0..rng.below(4)).map(|_| scalar(rng)).collect())
            }
        }
        Shape::Condition => {
            if rng.chance(40) {
                target(rng, depth)
            } else {
                let field = rng.pick(spec::CONDITION_FIELDS);
                let mut entries =
                    vec![(field.name.to_string(), shaped(rng, field.shape, depth + 1))];
                if rng.chance(15) {
                    let other = rng.pick(spec::CONDITION_FIELDS);
                    entries.push((other.name.to_string(), shaped(rng, other.shape, depth + 1)));
                }
                Y::M(entries)
            }
        }
        Shape::Vars => Y::M(
            (0..rng.below(5))
                .map(|_| (rng.pick(NAMES).to_string(), scalar(rng)))
                .collect(),
        ),
        Shape::Tags if rng.chance(40) => scalar(rng),
        Shape::Tags => Y::L((0..rng.below(4)).map(|_| scalar(rng)).collect()),
        Shape::Names => Y::L(
            (0..rng.below(4))
                .map(|_| Y::S(rng.pick(NAMES).to_string()))
                .collect(),
        ),
        Shape::Selectors => {
            if rng.chance(50) {
                scalar(rng)
            } else {
                Y::L((0..rng.below(3)).map(|_| scalar(rng)).collect())
            }
        }
        Shape::Toasts => mapping(rng, spec::TOAST_FIELDS, &[], depth),
        Shape::Fraction => scalar(rng),
        Shape::Compare => {
            if rng.chance(50) {
                scalar(rng)
            } else {
                mapping(rng, spec::COMPARE_FIELDS, &[], depth)
            }
        }
        Shape::Steps => steps(rng, depth + 1),
    }
}

pub(crate) fn target(rng: &mut Rng, depth: usize) -> Y {
    if depth > 8 || rng.chance(40) {
        return scalar(rng);
    }
    mapping(rng, spec::TARGET_FIELDS, &[], depth)
}

/// A mapping of a random selection of `fields` (usually one or two of the
/// locator keys among them), plus `extra` fields that are required.
pub(crate) fn mapping(rng: &mut Rng, fields: &[Field], extra: &[Field], depth: usize) -> Y {
    let mut entries = Vec::new();
    let n = rng.below(3) + usize::from(rng.chance(20)) * 2;
    for _ in 0..n {
        let field = rng.pick(fields);
        entries.push((field.name.to_string(), shaped(rng, field.shape, depth + 1)));
    }
    for field in extra {
        if rng.chance(85) {
            entries.push((field.name.to_string(), shaped(rng, field.shape, depth + 1)));
        }
    }
    if rng.chance(10) {
        entries.push((key_name(rng, &[]), anything(rng, depth + 1)));
    }
    if rng.chance(20) {
        let i = rng.below(entries.len() + 1);
        let j = rng.below(entries.len() + 1);
        if i < entries.len() && j < entries.len() {
            entries.swap(i, j);
        }
    }
    Y::M(entries)
}

/// One entry of `steps`.
pub(crate) fn entry(rng: &mut Rng, depth: usize) -> Y {
    let roll = rng.below(100);
    if depth < 6 && roll < 10 {
        let mut entries = vec![
            ("section".to_string(), scalar(rng)),
            ("steps".to_string(), steps(rng, depth + 1)),
        ];
        add_modifiers(rng, &mut entries, spec::SECTION_FIELDS, depth);
        return Y::M(entries);
    }
    if roll < 18 {
        let mut entries = vec![("run".to_string(), Y::S(rng.pick(RUN_TARGETS).to_string()))];
        if rng.chance(40) {
            entries.push(("vars".to_string(), shaped(rng, Shape::Vars, depth + 1)));
        }
        add_modifiers(rng, &mut entries, spec::RUN_FIELDS, depth);
        return Y::M(entries);
    }
    if roll < 22 {
        // A bare word: `- back`, or a step keyword that needs a value.
        return Y::S(
            spec::STEPS[rng.below(spec::STEPS.len())]
                .keyword
                .to_string(),
        );
    }
    if roll < 24 {
        return anything(rng, depth + 1);
    }
    let step: &StepSpec = &spec::STEPS[rng.below(spec::STEPS.len())];
    let value = step_value(rng, step, depth);
    let mut entries = vec![(step.keyword.to_string(), value)];
    add_modifiers(rng, &mut entries, spec::STEP_MODIFIERS, depth);
    if rng.chance(4) {
        // Two steps in one entry.
        let other = &spec::STEPS[rng.below(spec::STEPS.len())];
        entries.push((other.keyword.to_string(), step_value(rng, other, depth)));
    }
    Y::M(entries)
}

pub(crate) fn step_value(rng: &mut Rng, step: &StepSpec, depth: usize) -> Y {
    if step.bare {
        return if rng.chance(85) {
            Y::S(String::new())
        } else {
            anything(rng, depth + 1)
        };
    }
    match step.short {
        Some(shape) if rng.chance(50) => shaped(rng, shape, depth + 1),
        _ => {
            let mut fields: Vec<Field> = Vec::new();
            if step.target != TargetUse::None {
                fields.extend_from_slice(spec::TARGET_FIELDS);
            }
            let optional: Vec<Field> = step
                .fields
                .iter()
                .filter(|f| !f.required)
                .copied()
                .collect();
            fields.extend(optional);
            let required: Vec<Field> = step.fields.iter().filter(|f| f.required).copied().collect();
            if fields.is_empty() {
                fields.extend_from_slice(step.fields);
            }
            if fields.is_empty() {
                return anything(rng, depth + 1);
            }
            mapping(rng, &fields, &required, depth + 1)
        }
    }
}

pub(crate) fn add_modifiers(
    rng: &mut Rng,
    entries: &mut Vec<(String, Y)>,
    fields: &[Field],
    depth: usize,
) {
    for field in fields {
        if !matches!(field.name, "section" | "steps" | "run" | "vars") && rng.chance(10) {
            entries.push((field.name.to_string(), shaped(rng, field.shape, depth + 1)));
        }
    }
}

pub(crate) fn steps(rng: &mut Rng, depth: usize) -> Y {
    let n = if depth > 5 {
        rng.below(2)
    } else {
        rng.below(6)
    };
    Y::L((0..n).map(|_| entry(rng, depth)).collect())
}

/// A whole runbook: the top-level keys (most of the time `name` and
/// `steps`), in random order, with the occasional stranger.
pub(crate) fn document(rng: &mut Rng) -> Y {
    let mut entries: Vec<(String, Y)> = Vec::new();
    for field in spec::TOP_FIELDS {
        let wanted = if field.required { 90 } else { 35 };
        if rng.chance(wanted) {
            let value = match field.name {
                "url" if rng.chance(70) => Y::S(
                    rng.pick(&["http://127.0.0.1:8480", "https://x/", "ftp://x", "${base}"])
                        .to_string(),
                ),
                "timeout" if rng.chance(70) => Y::S(rng.pick(WORDS).to_string()),
                _ => shaped(rng, field.shape, 0),
            };
            entries.push((field.name.to_string(), value));
        }
    }
    if rng.chance(10) {
        entries.push((key_name(rng, &[]), anything(rng, 1)));
    }
    if rng.chance(30) && entries.len() > 1 {
        let i = rng.below(entries.len());
        let j = rng.below(entries.len());
        entries.swap(i, j);
    }
    if rng.chance(3) {
        return anything(rng, 0);
    }
    Y::M(entries)
}
