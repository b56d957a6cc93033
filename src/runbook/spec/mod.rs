//! The surface of the runbook language as data: every top-level key, step
//! keyword, target key and modifier, with the shape of its value and a
//! one-line description. It is the single source of truth for what a
//! runbook may say: the lowering checks keys against it (and suggests the
//! closest one), `docent schema` generates the JSON Schema from it, and the
//! reference test checks that `docs/runbooks.md` covers every entry. The
//! step keywords come from the registry of step kinds, [`StepKind`].

pub use super::model::{STEPS, StepKind};

/// The shape of a value, as the schema describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Text; numbers and booleans written plainly are read as text.
    Text,
    /// `500ms`, `10s`, `1.5s`, `2m`.
    Duration,
    Bool,
    /// A whole number of at least `min`.
    Int {
        min: i64,
    },
    /// One of these words.
    Word(&'static [&'static str]),
    /// A plain string (visible text) or a mapping of target keys.
    Target,
    /// A target or a list of targets.
    Targets,
    /// A mask (a target, with an optional `mode`) or a list of them.
    Masks,
    /// A string (exact text) or a mapping with one of `text`, `contains`, `regex`.
    Matcher,
    /// An absolute URL or a path joined to the runbook's `url`.
    Url,
    /// A key combination (`Enter`, `Control+A`) or a list of them.
    Keys,
    /// A target (visible), or a mapping with one of `visible`, `gone`, `url`, `title`.
    Condition,
    /// A mapping of variable names to values.
    Vars,
    /// A list of names.
    Names,
    /// A word or a list of words without spaces or commas (`tags:`).
    Tags,
    /// One CSS selector or a list of them.
    Selectors,
    /// The `toasts` mapping: the console's own notification selectors.
    Toasts,
    /// A number from 0 to 1.
    Fraction,
    /// `compare:`: `true`, `false`, or a mapping of [`COMPARE_FIELDS`].
    Compare,
    /// A list of steps and sections.
    Steps,
    /// A name of letters, digits, `-` and `_`.
    Name,
    /// A screenshot's name: a [`Name`](Shape::Name) short enough that its
    /// figure's file name `NNNNN-<name>.png` is a valid one.
    FigureName,
    /// The guide's own sentence for a step or section, or `false` to leave
    /// it out of the guide.
    Sentence,
}

/// A key of a mapping.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub shape: Shape,
    pub required: bool,
    pub doc: &'static str,
}

pub(crate) const fn field(name: &'static str, shape: Shape, doc: &'static str) -> Field {
    Field {
        name,
        shape,
        required: false,
        doc,
    }
}

pub(crate) const fn required(name: &'static str, shape: Shape, doc: &'static str) -> Field {
    Field {
        name,
        shape,
        required: true,
        doc,
    }
}

/// Whether a step acts on a target given by target keys in its mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetUse {
    None,
    Required,
    Optional,
}

/// One step keyword.
#[derive(Debug, Clone, Copy)]
pub struct StepSpec {
    pub keyword: &'static str,
    pub doc: &'static str,
    /// The value when it is not a mapping (`- click: Next`); `None` when
    /// only a mapping will do.
    pub short: Option<Shape>,
    /// The step may be written alone (`- back`).
    pub bare: bool,
    pub target: TargetUse,
    /// Keys of the mapping form besides target keys.
    pub fields: &'static [Field],
    /// How the step is written, for help lines.
    pub example: Option<&'static str>,
    /// Its mapping form is itself the value (a matcher or a condition),
    /// checked where the value is read rather than key by key.
    pub mapping_is_value: bool,
    /// It changes the page: `expect_toast` looks at toasts that appeared
    /// since the most recent such step began.
    pub changes_page: bool,
    /// It changes or checks what the page shows, so the demo has a frame
    /// of it; figures, stored values, pauses and frame switches add nothing
    /// to see.
    pub shown: bool,
}

impl StepSpec {
    /// Every key its mapping form accepts, target keys first.
    pub fn keys(&self) -> Vec<&'static str> {
        let mut keys = Vec::new();
        if self.target != TargetUse::None {
            keys.extend(TARGET_FIELDS.iter().map(|f| f.name));
        }
        keys.extend(self.fields.iter().map(|f| f.name));
        keys
    }
}

/// Keys that say what to look for (exactly one) and how to narrow it.
pub const TARGET_FIELDS: &[Field] = &[
    field(
        "text",
        Shape::Text,
        "visible text, whitespace-normalised, exact; with `role`, the accessible name",
    ),
    field("contains", Shape::Text, "visible text containing this"),
    field(
        "regex",
        Shape::Text,
        "visible text matching this regular expression",
    ),
    field("label", Shape::Text, "a form field or switch by its label"),
    field("placeholder", Shape::Text, "a field by its placeholder"),
    field(
        "role",
        Shape::Text,
        "an ARIA role (button, link, checkbox, option, ...), named by `text`, `contains` or `regex`",
    ),
    field("css", Shape::Text, "a CSS selector"),
    field("xpath", Shape::Text, "an XPath expression"),
    field("testid", Shape::Text, "the `data-testid` attribute"),
    field(
        "row",
        Shape::Text,
        "only inside the table row that contains this text",
    ),
    field("within", Shape::Target, "only inside this other element"),
    field(
        "nth",
        Shape::Int { min: 1 },
        "the n-th match (1-based) when several match",
    ),
];

/// The keys of `TARGET_FIELDS` that say what to look for.
pub const LOCATOR_KEYS: &[&str] = &[
    "text",
    "contains",
    "regex",
    "label",
    "placeholder",
    "role",
    "css",
    "xpath",
    "testid",
];

/// The keys of a matcher mapping (exactly one).
pub const MATCHER_FIELDS: &[Field] = &[
    field(
        "text",
        Shape::Text,
        "exactly this text (whitespace-normalised)",
    ),
    field("contains", Shape::Text, "text containing this"),
    field(
        "regex",
        Shape::Text,
        "text matching this regular expression",
    ),
];

/// The keys of a condition mapping (exactly one).
pub const CONDITION_FIELDS: &[Field] = &[
    field("visible", Shape::Target, "the target is visible"),
    field("gone", Shape::Target, "the target is not visible"),
    field("url", Shape::Matcher, "the page's URL matches"),
    field("title", Shape::Matcher, "the page's title matches"),
];

/// Keys a step entry may carry beside its keyword.
pub const STEP_MODIFIERS: &[Field] = &[
    field("timeout", Shape::Duration, "how long the step may wait"),
    field(
        "when",
        Shape::Condition,
        "run only when this holds (checked once, without waiting)",
    ),
    field(
        "retry",
        Shape::Int { min: 0 },
        "how many more times to try after a failure",
    ),
    field(
        "optional",
        Shape::Bool,
        "a failure is reported but does not fail the run",
    ),
    field(
        "guide",
        Shape::Sentence,
        "the guide's sentence for this step instead of the generated one (Markdown), or `false` to leave it out",
    ),
];

/// Keys of a section entry.
pub const SECTION_FIELDS: &[Field] = &[
    required(
        "section",
        Shape::Text,
        "the title; sections become the numbered steps of the guide",
    ),
    required("steps", Shape::Steps, "the section's steps and subsections"),
    field(
        "when",
        Shape::Condition,
        "run the section only when this holds",
    ),
    field(
        "retry",
        Shape::Int { min: 0 },
        "run it again after a failure",
    ),
    field("optional", Shape::Bool, "a failure does not fail the run"),
    field(
        "guide",
        Shape::Sentence,
        "the guide's line for this section instead of its title (Markdown), or `false` to leave the section out",
    ),
];

/// Keys of an include entry (`- run: login.yaml`).
pub const RUN_FIELDS: &[Field] = &[
    required(
        "run",
        Shape::Text,
        "another runbook, relative to this one; its steps run here as a section",
    ),
    field(
        "vars",
        Shape::Vars,
        "its variables, overriding its own `vars`",
    ),
    field("when", Shape::Condition, "run it only when this holds"),
    field(
        "retry",
        Shape::Int { min: 0 },
        "run it again after a failure",
    ),
    field("optional", Shape::Bool, "a failure does not fail the run"),
    field(
        "guide",
        Shape::Sentence,
        "the guide's line for this section instead of the runbook's name (Markdown), or `false` to leave it out",
    ),
];

/// Keys at the top of a runbook.
pub const TOP_FIELDS: &[Field] = &[
    required("name", Shape::Text, "the procedure's title"),
    field(
        "description",
        Shape::Text,
        "what the procedure is for (the guide's introduction)",
    ),
    field(
        "url",
        Shape::Text,
        "the console's base URL; `goto` paths are joined to it",
    ),
    field(
        "vars",
        Shape::Vars,
        "variables used as ${name}; overridden by --var and the environment",
    ),
    field(
        "secrets",
        Shape::Names,
        "environment variables whose values are masked in every output",
    ),
    field(
        "timeout",
        Shape::Duration,
        "how long a step may wait unless it says otherwise (default 10s)",
    ),
    field(
        "toasts",
        Shape::Toasts,
        "how to recognise the console's notifications beyond the built-in ones",
    ),
    field(
        "compare",
        Shape::Compare,
        "compare every screenshot with its baseline (`true`), or how strictly; a screenshot's own `compare` wins",
    ),
    field(
        "mask",
        Shape::Masks,
        "masks for every screenshot of the runbook, besides each screenshot's own",
    ),
    field(
        "tags",
        Shape::Tags,
        "words that `docent run --tag` selects the runbook by, like `smoke`",
    ),
    required("steps", Shape::Steps, "the steps and sections"),
];

/// Keys of `toasts:` at the top of a runbook.
pub const TOAST_FIELDS: &[Field] = &[
    field(
        "selectors",
        Shape::Selectors,
        "CSS selectors of the console's notifications, added to the built-in ones",
    ),
    field(
        "errors",
        Shape::Selectors,
        "CSS selectors of notifications that report an error (they fail the step they appear in)",
    ),
    field(
        "ignore",
        Shape::Selectors,
        "CSS selectors of elements that are never toasts, nor anything inside them",
    ),
];

/// Keys of a `compare:` mapping, at the top of a runbook or on a
/// screenshot. A key left out on a screenshot takes the runbook's value.
pub const COMPARE_FIELDS: &[Field] = &[
    field(
        "max_diff_pixels",
        Shape::Int { min: 0 },
        "how many pixels may change before the figure fails (default 0)",
    ),
    field(
        "max_diff_ratio",
        Shape::Fraction,
        "what share of the pixels, from 0 to 1, may change before the figure fails",
    ),
    field(
        "threshold",
        Shape::Fraction,
        "how different, from 0 to 1, two colours must look to count as a change (default 0.1)",
    ),
];

/// Keys of a mask mapping besides its target keys.
pub const MASK_FIELDS: &[Field] = &[field(
    "mode",
    Shape::Word(&["hide", "remove", "ignore"]),
    "`hide` (default): paint a block over it; `remove`: take it out of the layout; `ignore`: leave it, but do not compare its box",
)];

/// The spec of a step keyword.
pub fn step_spec(keyword: &str) -> Option<&'static StepSpec> {
    STEPS.iter().find(|s| s.keyword == keyword)
}

/// Every step keyword.
pub fn keywords() -> impl Iterator<Item = &'static str> {
    STEPS.iter().map(|s| s.keyword)
}

/// Names of a list of fields.
pub fn names(fields: &[Field]) -> Vec<&'static str> {
    fields.iter().map(|f| f.name).collect()
}
