//! Targets and text matchers: how a step says what it looks for on the page
//! (visible text, label, role, CSS, ...), how it narrows that (`row`,
//! `within`, `nth`), and how texts are compared (exact, contained, regex).

use std::fmt;

/// How a text is compared: exact (whitespace-normalised), contained, or a
/// regular expression (compiled at load time).
#[derive(Debug, Clone)]
pub enum Matcher {
    Exact(String),
    Contains(String),
    Regex(Pattern),
}

/// A compiled regular expression that remembers how it was written.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    pub regex: regex::Regex,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}
impl Eq for Pattern {}
impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Matcher::Exact(a), Matcher::Exact(b))
            | (Matcher::Contains(a), Matcher::Contains(b)) => a == b,
            (Matcher::Regex(a), Matcher::Regex(b)) => a == b,
            _ => false,
        }
    }
}
impl Eq for Matcher {}

impl From<&str> for Matcher {
    fn from(text: &str) -> Self {
        Matcher::Exact(text.to_string())
    }
}

impl Matcher {
    /// Whether `text` (already whitespace-normalised when it comes from
    /// the page) matches.
    pub fn matches(&self, text: &str) -> bool {
        let normal = normalize(text);
        match self {
            Matcher::Exact(want) => normal == normalize(want),
            Matcher::Contains(want) => normal.contains(&normalize(want)),
            Matcher::Regex(p) => p.regex.is_match(text) || p.regex.is_match(&normal),
        }
    }

    /// The text a person would read: the exact or contained text, or the pattern.
    pub fn text(&self) -> &str {
        match self {
            Matcher::Exact(t) | Matcher::Contains(t) => t,
            Matcher::Regex(p) => &p.source,
        }
    }

    pub(super) fn map_text(&self, f: &mut dyn FnMut(&str) -> String) -> Matcher {
        match self {
            Matcher::Exact(t) => Matcher::Exact(f(t)),
            Matcher::Contains(t) => Matcher::Contains(f(t)),
            Matcher::Regex(p) => Matcher::Regex(p.clone()),
        }
    }
}

impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Matcher::Exact(t) => write!(f, "\"{t}\""),
            Matcher::Contains(t) => write!(f, "containing \"{t}\""),
            Matcher::Regex(p) => write!(f, "matching /{}/", p.source),
        }
    }
}

/// Whitespace-normalised text, the way the page compares it.
pub fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Something on the page a step acts on or checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub locator: Locator,
    /// Only inside the table row that contains this text.
    pub row: Option<String>,
    /// Only inside this other element.
    pub within: Option<Box<Target>>,
    /// The n-th (1-based) of several matches, in document order.
    pub nth: Option<usize>,
}

impl Target {
    pub fn new(locator: Locator) -> Self {
        Target {
            locator,
            row: None,
            within: None,
            nth: None,
        }
    }

    /// The target with `f` applied to every text it holds (regexes stay).
    pub fn map_text(&self, f: &mut dyn FnMut(&str) -> String) -> Target {
        let locator = match &self.locator {
            Locator::Text(m) => Locator::Text(m.map_text(f)),
            Locator::Label(t) => Locator::Label(f(t)),
            Locator::Placeholder(t) => Locator::Placeholder(f(t)),
            Locator::Role { role, name } => Locator::Role {
                role: role.clone(),
                name: name.as_ref().map(|m| m.map_text(f)),
            },
            Locator::Css(t) => Locator::Css(f(t)),
            Locator::XPath(t) => Locator::XPath(f(t)),
            Locator::TestId(t) => Locator::TestId(f(t)),
        };
        Target {
            locator,
            row: self.row.as_deref().map(&mut *f),
            within: self.within.as_ref().map(|w| Box::new(w.map_text(f))),
            nth: self.nth,
        }
    }

    /// Only CSS or XPath says what to look for: brittle where visible text would do.
    pub fn is_structural(&self) -> bool {
        matches!(self.locator, Locator::Css(_) | Locator::XPath(_))
    }
}

/// How a target is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Locator {
    /// Visible text, whitespace-normalised: exact, contained, or a pattern.
    Text(Matcher),
    /// A form field or switch by its label (label element, aria-label, aria-labelledby).
    Label(String),
    /// A field by its placeholder text.
    Placeholder(String),
    /// An ARIA role (explicit or implied by the tag), optionally with its accessible name.
    Role { role: String, name: Option<Matcher> },
    /// A CSS selector, for the rare element without text or label.
    Css(String),
    /// An XPath expression.
    XPath(String),
    /// The `data-testid` attribute.
    TestId(String),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(nth) = self.nth {
            write!(f, "{} of ", ordinal(nth))?;
        }
        match &self.locator {
            Locator::Text(Matcher::Exact(text)) => write!(f, "\"{text}\"")?,
            Locator::Text(m) => write!(f, "text {m}")?,
            Locator::Label(label) => write!(f, "label \"{label}\"")?,
            Locator::Placeholder(p) => write!(f, "placeholder \"{p}\"")?,
            Locator::Role {
                role,
                name: Some(name),
            } => write!(f, "{role} {name}")?,
            Locator::Role { role, name: None } => write!(f, "{} {role}", article(role))?,
            Locator::Css(css) => write!(f, "css `{css}`")?,
            Locator::XPath(x) => write!(f, "xpath `{x}`")?,
            Locator::TestId(id) => write!(f, "test id \"{id}\"")?,
        }
        if let Some(row) = &self.row {
            write!(f, " in the row of \"{row}\"")?;
        }
        if let Some(within) = &self.within {
            write!(f, " within {within}")?;
        }
        Ok(())
    }
}

/// "1st", "2nd", "3rd", "4th"...
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "an" before a word that starts with a vowel letter, else "a".
pub fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
