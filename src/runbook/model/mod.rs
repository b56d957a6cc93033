//! The typed runbook the engine executes: sections and steps with their
//! source positions, every value already checked and converted (URLs joined,
//! durations parsed, variables substituted). The engine never re-parses text.

use super::yaml::Pos;
mod action;
mod kind;
mod rewrite;
mod target;

pub use action::*;
pub use kind::*;
pub use target::*;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// A loaded, validated runbook.
#[derive(Debug, Clone)]
pub struct Runbook {
    /// The title from `name:`.
    pub name: String,
    /// What the procedure is for, from `description:` (the guide's introduction).
    pub description: Option<String>,
    /// The file it was loaded from, as the user named it (used in messages).
    pub path: PathBuf,
    /// The file stem; names the output folder `screenshots/<id>/`.
    pub id: String,
    /// The base URL that relative `goto` paths were joined to.
    pub base_url: Option<String>,
    /// How long a step may wait for its condition unless it says otherwise.
    pub timeout: Duration,
    pub items: Vec<Item>,
    /// Values of the runbook's secrets, masked in every output.
    pub secret_values: Vec<String>,
    /// Things that load but deserve a second look (fixed sleeps, CSS-only targets).
    pub warnings: Vec<super::Diagnostic>,
    /// The console's own notification selectors, from `toasts:` (includes add theirs).
    pub toasts: ToastRules,
    /// Words from `tags:` that `docent run --tag` selects runbooks by.
    pub tags: Vec<String>,
    /// Every file its `run:` steps include, at any depth (canonical paths):
    /// a folder given to `docent run` does not run those on their own.
    pub includes: Vec<std::path::PathBuf>,
}

/// What the in-page recorder counts as a toast beyond its built-in list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToastRules {
    /// CSS selectors of notifications.
    pub selectors: Vec<String>,
    /// CSS selectors of notifications that report an error.
    pub errors: Vec<String>,
    /// CSS selectors of elements that are never toasts (nor anything inside them).
    pub ignore: Vec<String>,
}

/// An entry of a step list: a titled section or a single step.
// Steps are most entries; boxing them would add an indirection per step to
// save memory only on sections.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Item {
    Section(Section),
    Step(Step),
}

/// A titled group of steps; sections become the numbered steps of a guide.
/// A runbook included with `run:` becomes a section titled with its name.
#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    pub file: Arc<Path>,
    pub pos: Pos,
    pub items: Vec<Item>,
    pub flow: Flow,
    /// What the guide says instead of the title, from `guide:`.
    pub guide: GuideText,
}

/// One action or check, where it was written, and its own time limit.
#[derive(Debug, Clone)]
pub struct Step {
    /// Its place among the runbook's steps in document order (included
    /// steps counted where they are included), from 1; given once the whole
    /// runbook is read, and the id every event and output names it by.
    pub id: usize,
    pub action: Action,
    /// The file the step was written in (an included runbook's, for its steps).
    pub file: Arc<Path>,
    pub pos: Pos,
    pub timeout: Option<Duration>,
    pub flow: Flow,
    /// What the guide says of the step, from `guide:`.
    pub guide: GuideText,
}

/// A step's or section's line in the generated guide.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum GuideText {
    /// A sentence made from the step itself (a section's title).
    #[default]
    Generated,
    /// The runbook's own words (Markdown).
    Own(String),
    /// Left out of the guide (`guide: false`).
    Hidden,
}

/// `when:`, `retry:` and `optional:`, which a step or a section may carry.
#[derive(Debug, Clone, Default)]
pub struct Flow {
    /// Run only when this holds (checked once, without waiting).
    pub when: Option<Condition>,
    /// How many more times to try after a failure.
    pub retry: u32,
    /// A failure is reported but does not fail the run.
    pub optional: bool,
}

/// Marks a use of a variable set at run time by `store`; the engine
/// replaces `RUNTIME_OPEN name RUNTIME_CLOSE` with the stored text.
pub const RUNTIME_OPEN: char = '\u{E000}';
pub const RUNTIME_CLOSE: char = '\u{E001}';

/// What `wait_for` and `when:` look at.
#[derive(Debug, Clone)]
pub enum Condition {
    Visible(Target),
    Gone(Target),
    Url(Matcher),
    Title(Matcher),
}

impl Condition {
    /// The condition with `f` applied to every text it holds (see
    /// [`Action::map_text`]).
    pub fn map_text(&self, f: &mut dyn FnMut(&str) -> String) -> Condition {
        match self {
            Condition::Visible(t) => Condition::Visible(t.map_text(f)),
            Condition::Gone(t) => Condition::Gone(t.map_text(f)),
            Condition::Url(m) => Condition::Url(m.map_text(f)),
            Condition::Title(m) => Condition::Title(m.map_text(f)),
        }
    }
}

impl Condition {
    /// The element it looks at, if it looks at one.
    pub fn target(&self) -> Option<&Target> {
        match self {
            Condition::Visible(t) | Condition::Gone(t) => Some(t),
            Condition::Url(_) | Condition::Title(_) => None,
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::Visible(t) => write!(f, "{t} is visible"),
            Condition::Gone(t) => write!(f, "{t} is gone"),
            Condition::Url(m) => write!(f, "the URL is {m}"),
            Condition::Title(m) => write!(f, "the title is {m}"),
        }
    }
}

impl Runbook {
    /// Every step in document order, with the titles of the sections around it.
    pub fn steps(&self) -> Vec<(Vec<&Section>, &Step)> {
        fn walk<'a>(
            items: &'a [Item],
            path: &mut Vec<&'a Section>,
            out: &mut Vec<(Vec<&'a Section>, &'a Step)>,
        ) {
            for item in items {
                match item {
                    Item::Step(step) => out.push((path.clone(), step)),
                    Item::Section(section) => {
                        path.push(section);
                        walk(&section.items, path, out);
                        path.pop();
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.items, &mut Vec::new(), &mut out);
        out
    }

    /// Replaces every secret value in `text`, in every spelling, with `•••`.
    pub fn redact(&self, text: &str) -> String {
        crate::secrets::Secrets::new(&self.secret_values).mask(text)
    }
}
