//! The language reference, `docs/runbooks.md`, is held to the language
//! itself:
//!
//! - every ```` ```yaml ```` block loads as a runbook; a block fenced
//!   ```` ```yaml invalid ```` must fail to load instead;
//! - a block that has a top-level `steps:` key is a whole runbook; any other
//!   block is a list of step entries and is loaded inside a small runbook
//!   (see [`wrap`]);
//! - a block fenced ```` ```yaml file=NAME ```` is also written to `NAME` in
//!   a scratch folder, where every block is loaded from, so that `run:`
//!   includes find the files the reference shows;
//! - a ```` ```console ```` block right after a yaml block that starts with
//!   `$ docent validate NAME` shows what docent says about that file: for
//!   an invalid block exactly the rendered error, for a valid one each of
//!   its warnings;
//! - every entry of the spec table (`src/runbook/spec.rs`) is documented:
//!   step keywords and target keys under a `` ### `key` `` heading of their
//!   own, the keys of each step in a table of its section, and the other
//!   keys as a heading or in the first column of a table;
//! - every step keyword has at least one loadable example that uses it;
//! - every link to `#anchor` leads to a heading of the document.

use docent::runbook::diagnostic::Rendered;
use docent::runbook::{self, LoadError, LoadOptions, Runbook, spec};
use std::collections::BTreeSet;
use std::path::Path;

/// The environment the examples are loaded with: nothing of the machine
/// running the test, only what the reference's examples read.
const ENV: &[(&str, &str)] = &[("CONSOLE_USER", "demo")];

/// A fenced block of the document.
struct Block {
    /// The line of the opening fence (1-based).
    line: usize,
    /// The words after the backticks: `yaml`, `invalid`, `file=NAME`, ...
    info: Vec<String>,
    text: String,
}

impl Block {
    fn is_yaml(&self) -> bool {
        self.info.first().is_some_and(|w| w == "yaml")
    }

    fn invalid(&self) -> bool {
        self.info.iter().any(|w| w == "invalid")
    }

    fn file(&self) -> Option<&str> {
        self.info.iter().find_map(|w| w.strip_prefix("file="))
    }

    /// The name the block is loaded as: its `file=`, or one made up from its line.
    fn name(&self) -> String {
        match self.file() {
            Some(name) => name.to_string(),
            None => format!("example-at-line-{}.yaml", self.line),
        }
    }

    /// A whole runbook, rather than a list of step entries.
    fn is_runbook(&self) -> bool {
        self.text.lines().any(|l| l.starts_with("steps:"))
    }
}

fn document() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/runbooks.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every fenced code block, in order.
fn blocks(doc: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize, Vec<String>, Vec<&str>)> = None;
    for (i, line) in doc.lines().enumerate() {
        let trimmed = line.trim_start();
        let ticks = trimmed.chars().take_while(|&c| c == '`').count();
        match &mut open {
            None if ticks >= 3 => {
                let info = trimmed[ticks..]
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
                open = Some((i + 1, ticks, info, Vec::new()));
            }
            None => {}
            Some((start, fence, info, lines)) => {
                if ticks >= *fence && trimmed[ticks..].trim().is_empty() {
                    out.push(Block {
                        line: *start,
                        info: std::mem::take(info),
                        text: lines.join("\n") + "\n",
                    });
                    open = None;
                } else {
                    lines.push(line);
                }
            }
        }
    }
    assert!(
        open.is_none(),
        "docs/runbooks.md has an unclosed code block"
    );
    out
}

/// A list of step entries inside the runbook the reference says step
/// snippets belong to.
fn wrap(block: &Block) -> String {
    let first = block
        .text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    assert!(
        first.is_some_and(|l| l.starts_with("- ")),
        "the yaml block at docs/runbooks.md:{} is neither a runbook (no top-level `steps:`) \
         nor a list of steps (entries start with `- `)",
        block.line
    );
    let mut source = String::from(
        "name: example\n\
         url: http://127.0.0.1:8480\n\
         vars:\n  user: demo\n  notification: disk-alarm\n\
         secrets: [CONSOLE_PASSWORD]\n\
         steps:\n",
    );
    for line in block.text.lines() {
        source.push_str("  ");
        source.push_str(line);
        source.push('\n');
    }
    source
}

fn load(source: &str, path: &Path) -> Result<Runbook, LoadError> {
    let env = |name: &str| {
        ENV.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
    };
    runbook::parse(
        source,
        path,
        &LoadOptions {
            env: &env,
            require_secrets: false,
            ..Default::default()
        },
    )
}

/// Output as the reader sees it: paths relative to the folder the
/// examples were loaded from.
fn shown(text: &str, dir: &Path) -> String {
    let prefix = format!("{}/", dir.display());
    text.replace(&prefix, "")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// The file a `console` block runs `docent validate` on, and what it shows.
fn validate_output(block: &Block) -> Option<(String, String)> {
    if block.info.first().map(String::as_str) != Some("console") {
        return None;
    }
    let mut lines = block.text.lines();
    let command = lines.next()?.strip_prefix("$ docent validate ")?;
    let output: Vec<&str> = lines.collect();
    Some((command.trim().to_string(), output.join("\n")))
}

#[test]
fn every_example_loads_and_every_invalid_one_fails() {
    let doc = document();
    let blocks = blocks(&doc);
    let yaml: Vec<&Block> = blocks.iter().filter(|b| b.is_yaml()).collect();
    assert!(
        yaml.len() >= 40,
        "docs/runbooks.md has only {} yaml examples",
        yaml.len()
    );

    let dir = tempfile::tempdir().unwrap();
    let mut names = BTreeSet::new();
    for block in &yaml {
        let name = block.name();
        assert!(
            names.insert(name.clone()),
            "two blocks are named {name} (the second at docs/runbooks.md:{})",
            block.line
        );
        if block.file().is_some() {
            std::fs::write(dir.path().join(&name), &block.text).unwrap();
        }
    }

    let mut problems = Vec::new();
    let mut keywords = BTreeSet::new();
    let mut invalid = 0;
    for (i, block) in blocks.iter().enumerate() {
        if !block.is_yaml() {
            continue;
        }
        let source = if block.is_runbook() {
            block.text.clone()
        } else {
            wrap(block)
        };
        let path = dir.path().join(block.name());
        let loaded = load(&source, &path);
        let output = blocks.get(i + 1).and_then(validate_output);
        if let Some((file, _)) = &output {
            assert_eq!(
                *file,
                block.name(),
                "the console block after docs/runbooks.md:{} validates another file",
                block.line
            );
        }
        match (loaded, block.invalid()) {
            (Ok(book), false) => {
                keywords.extend(book.steps().iter().map(|(_, s)| s.action.keyword()));
                if let Some((_, shown_output)) = output {
                    for warning in &book.warnings {
                        let rendered = Rendered {
                            path: &path.display().to_string(),
                            source: &source,
                            diagnostic: warning,
                        }
                        .to_string();
                        let rendered = shown(&rendered, dir.path());
                        if !shown(&shown_output, dir.path()).contains(&rendered) {
                            problems.push(format!(
                                "docs/runbooks.md:{}: the output shown lacks the warning\n{rendered}",
                                block.line
                            ));
                        }
                    }
                }
            }
            (Err(e), false) => problems.push(format!(
                "docs/runbooks.md:{}: this example does not load:\n{}\n--- as loaded:\n{source}",
                block.line,
                shown(&e.to_string(), dir.path())
            )),
            (Ok(_), true) => problems.push(format!(
                "docs/runbooks.md:{}: this example is marked invalid but loads",
                block.line
            )),
            (Err(e), true) => {
                invalid += 1;
                if matches!(e, LoadError::Io { .. }) {
                    problems.push(format!(
                        "docs/runbooks.md:{}: could not be read: {e}",
                        block.line
                    ));
                }
                if let Some((_, expected)) = output {
                    let actual = shown(&e.to_string(), dir.path());
                    if actual != shown(&expected, dir.path()) {
                        problems.push(format!(
                            "docs/runbooks.md:{}: docent says\n{actual}\n--- but the reference shows\n{expected}",
                            block.line
                        ));
                    }
                }
            }
        }
    }
    assert!(
        invalid >= 1,
        "the reference shows no invalid example (```yaml invalid)"
    );

    for step in spec::STEPS {
        if !keywords.contains(step.keyword) {
            problems.push(format!(
                "no loadable example uses the step `{}`",
                step.keyword
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s) in docs/runbooks.md:\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

/// The lines of a heading: `### `goto`` gives (3, "`goto`").
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|&c| c == '#').count();
    (level > 0 && line[level..].starts_with(' ')).then(|| (level, line[level..].trim()))
}

/// The first cell of a table row, without the header separator row.
fn first_cell(line: &str) -> Option<&str> {
    let row = line.trim().strip_prefix('|')?;
    let cell = row.split('|').next()?.trim();
    (!cell.chars().all(|c| matches!(c, '-' | ':' | ' '))).then_some(cell)
}

/// The document without its code blocks (their lines left empty).
fn prose(doc: &str) -> Vec<&str> {
    let mut fence: Option<usize> = None;
    doc.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let ticks = trimmed.chars().take_while(|&c| c == '`').count();
            match fence {
                None if ticks >= 3 => {
                    fence = Some(ticks);
                    ""
                }
                None => line,
                Some(n) => {
                    if ticks >= n && trimmed[ticks..].trim().is_empty() {
                        fence = None;
                    }
                    ""
                }
            }
        })
        .collect()
}

/// Whether `name` (in backticks) is the subject of a heading or of a table row.
fn documented(prose: &[&str], name: &str) -> bool {
    let code = format!("`{name}`");
    prose.iter().any(|line| {
        heading(line).is_some_and(|(_, title)| title.contains(&code))
            || first_cell(line).is_some_and(|cell| cell.contains(&code))
    })
}

/// The lines under the heading `title`, up to the next heading of its level or above.
fn section<'d>(prose: &[&'d str], level: usize, title: &str) -> Option<Vec<&'d str>> {
    let start = prose
        .iter()
        .position(|l| heading(l) == Some((level, title)))?;
    Some(
        prose[start + 1..]
            .iter()
            .take_while(|l| heading(l).is_none_or(|(n, _)| n > level))
            .copied()
            .collect(),
    )
}

#[test]
fn every_entry_of_the_spec_is_documented() {
    let doc = document();
    let doc = prose(&doc);
    let mut missing = Vec::new();
    for step in spec::STEPS {
        let title = format!("`{}`", step.keyword);
        let Some(lines) = section(&doc, 3, &title) else {
            missing.push(format!("a `### {title}` heading for the step"));
            continue;
        };
        for field in step.fields {
            let code = format!("`{}`", field.name);
            if !lines
                .iter()
                .any(|l| first_cell(l).is_some_and(|c| c.contains(&code)))
            {
                missing.push(format!(
                    "`{}` in the table of keys under `### {title}`",
                    field.name
                ));
            }
        }
        if step.target != spec::TargetUse::None
            && !lines.iter().any(|l| {
                first_cell(l).is_some_and(|c| c.contains("target")) || l.contains("(#targets)")
            })
        {
            missing.push(format!(
                "a word on the target of `{}` (a table row or a link to #targets)",
                step.keyword
            ));
        }
    }
    for field in spec::TARGET_FIELDS {
        let title = format!("`{}`", field.name);
        if section(&doc, 3, &title).is_none() {
            missing.push(format!("a `### {title}` heading for the target key"));
        }
    }
    let groups: &[(&str, &[spec::Field])] = &[
        ("top-level key", spec::TOP_FIELDS),
        ("step modifier", spec::STEP_MODIFIERS),
        ("section key", spec::SECTION_FIELDS),
        ("include key", spec::RUN_FIELDS),
        ("matcher key", spec::MATCHER_FIELDS),
        ("condition key", spec::CONDITION_FIELDS),
    ];
    for (what, fields) in groups {
        for field in *fields {
            if !documented(&doc, field.name) {
                missing.push(format!(
                    "the {what} `{}` as a heading or in a table",
                    field.name
                ));
            }
        }
    }
    for modifier in spec::STEP_MODIFIERS {
        let title = format!("`{}`", modifier.name);
        if section(&doc, 3, &title).is_none() {
            missing.push(format!("a `### {title}` heading for the modifier"));
        }
    }
    assert!(
        missing.is_empty(),
        "docs/runbooks.md lacks:\n- {}",
        missing.join("\n- ")
    );
}

/// Step snippets are loaded inside [`wrap`]'s runbook, which must itself be
/// valid: a snippet's error is then the snippet's own.
#[test]
fn the_snippet_wrapper_loads() {
    let block = Block {
        line: 0,
        info: vec!["yaml".into()],
        text: "- goto: /login\n- fill: { label: Password, with: \"${CONSOLE_PASSWORD}\" }\n".into(),
    };
    let book = load(&wrap(&block), Path::new("wrapper.yaml")).unwrap();
    let steps = book.steps();
    let described: Vec<String> = steps.iter().map(|(_, s)| s.action.describe()).collect();
    assert_eq!(described[0], "goto /login");
    assert_eq!(described.len(), 2);
}

/// The anchor GitHub gives a heading: lowercase, spaces as `-`, other
/// punctuation dropped.
fn slug(title: &str) -> String {
    title
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_link_within_the_document_leads_to_a_heading() {
    let doc = document();
    let prose = prose(&doc);
    let mut anchors = BTreeSet::new();
    for line in &prose {
        if let Some((_, title)) = heading(line) {
            let mut anchor = slug(title);
            let mut n = 0;
            while anchors.contains(&anchor) {
                n += 1;
                anchor = format!("{}-{n}", slug(title));
            }
            anchors.insert(anchor);
        }
    }
    let mut broken = Vec::new();
    for (i, line) in prose.iter().enumerate() {
        for (at, _) in line.match_indices("](#") {
            let rest = &line[at + 3..];
            let anchor = rest.split(')').next().unwrap_or(rest);
            if !anchors.contains(anchor) {
                broken.push(format!("docs/runbooks.md:{}: #{anchor}", i + 1));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links to no heading:\n{}",
        broken.join("\n")
    );
}
