//! The guide's sentence for each kind of step, made from the typed step
//! itself: "Click **Configure** in the row of *system*.", "Toggle on
//! **Transfer to LTS**.", "**Operation successfully!** is displayed in the
//! upper right corner." Controls and texts on the page are bold, values
//! typed or chosen are italic, as help pages write them. Steps that only
//! serve the run (figures, pauses, stored values, frame switches) have no
//! sentence; the figure itself stands in the guide for a screenshot.

use crate::engine::Point;
use crate::runbook::{
    Action, Condition, Dialog, Expect, Locator, Matcher, Target, ToastKind, Window, ordinal,
};

/// The sentence for `action`, in Markdown; `toast` is where the toast an
/// `expect_toast` matched was seen, when known.
pub fn for_action(action: &Action, toast: Option<Point>) -> Option<String> {
    let sentence = match action {
        Action::Goto(goto) => format!("Go to `{}`.", code(&goto.written)),
        Action::Back => "Go back to the previous page.".into(),
        Action::Reload => "Reload the page.".into(),
        Action::Click(c) => format!("Click {}.", target(&c.target)),
        Action::DoubleClick(c) => format!("Double-click {}.", target(&c.target)),
        Action::Hover(c) => format!("Point to {}.", target(&c.target)),
        Action::Fill(f) if f.value.is_empty() => format!("Clear {}.", target(&f.target)),
        Action::Fill(f) => format!("Enter {} in {}.", value(&f.value), target(&f.target)),
        Action::Clear(c) => format!("Clear {}.", target(&c.target)),
        Action::Select(s) => format!("Select {} in {}.", value(&s.option), target(&s.target)),
        Action::Check(c) => format!(
            "{} {}.",
            if c.on { "Select" } else { "Deselect" },
            target(&c.target)
        ),
        Action::Toggle(t) => {
            let mut out = format!(
                "Toggle {} {}.",
                if t.on { "on" } else { "off" },
                target(&t.target)
            );
            if let Some(confirm) = &t.confirm {
                out.push_str(&format!(
                    " In the displayed dialog box, click **{}**.",
                    text(confirm)
                ));
            }
            out
        }
        Action::Press(p) => {
            let keys: Vec<String> = p
                .keys
                .iter()
                .map(|k| format!("**{}**", text(&k.written)))
                .collect();
            let keys = list(&keys);
            match &p.target {
                Some(t) => format!("Press {keys} in {}.", target(t)),
                None => format!("Press {keys}."),
            }
        }
        Action::Expect(e) => expect(e),
        Action::ExpectGone(e) => format!("{} disappears.", capital(&target(&e.target))),
        Action::ExpectAbsent(e) => format!("{} does not appear.", capital(&target(&e.target))),
        Action::ExpectUrl(m) => format!("The address {}.", relation(m, "is")),
        Action::ExpectTitle(m) => format!("The page title {}.", relation(m, "is")),
        Action::ExpectToast(t) => {
            let shown = match &t.text {
                Matcher::Exact(text) => format!("**{}**", self::text(text)),
                Matcher::Contains(text) => format!("A message containing **{}**", self::text(text)),
                Matcher::Regex(_) => "A message".into(),
            };
            let shown = match t.kind {
                ToastKind::Error => format!("{shown} is displayed as an error"),
                ToastKind::Warning => format!("{shown} is displayed as a warning"),
                ToastKind::NotError | ToastKind::Success | ToastKind::Info | ToastKind::Any => {
                    format!("{shown} is displayed")
                }
            };
            match toast.and_then(place) {
                Some(place) => format!("{shown} {place}."),
                None => format!("{shown}."),
            }
        }
        Action::WaitFor(c) => format!("Wait until {}.", condition(c)),
        Action::Dialog(d) => dialog(d),
        Action::Window(w) => match w {
            Window::Newest => "Switch to the window that opens.".into(),
            Window::First => "Switch back to the first window.".into(),
            Window::Title(m) => format!("Switch to the window whose title {}.", relation(m, "is")),
            Window::Url(m) => format!("Switch to the window whose address {}.", relation(m, "is")),
        },
        Action::Sleep(_)
        | Action::Screenshot(_)
        | Action::Store(_)
        | Action::Frame(_)
        | Action::LeaveFrame => return None,
    };
    Some(sentence)
}

fn expect(e: &Expect) -> String {
    // "**Management** is displayed in the row of *system*": the place reads
    // better after the verb.
    let mut bare = e.target.clone();
    let row = bare.row.take();
    let what = capital(&target(&bare));
    let row = row
        .map(|r| format!(" in the row of *{}*", text(&r)))
        .unwrap_or_default();
    let mut states = Vec::new();
    if let Some(m) = &e.has_text {
        states.push(relation(m, "shows"));
    }
    if let Some(m) = &e.value {
        states.push(relation(m, "is set to"));
    }
    match e.checked {
        Some(true) => states.push("is selected".into()),
        Some(false) => states.push("is not selected".into()),
        None => {}
    }
    match e.enabled {
        Some(true) => states.push("is available".into()),
        Some(false) => states.push("is unavailable".into()),
        None => {}
    }
    match e.editable {
        Some(true) => states.push("can be edited".into()),
        Some(false) => states.push("cannot be edited".into()),
        None => {}
    }
    if states.is_empty() {
        format!("{what} is displayed{row}.")
    } else {
        format!("{what}{row} {}.", list(&states))
    }
}

fn dialog(d: &Dialog) -> String {
    match (&d.text, d.accept) {
        (Some(t), _) => format!("Enter {} in the dialog box and click **OK**.", value(t)),
        (None, true) => "In the displayed dialog box, click **OK**.".into(),
        (None, false) => "In the displayed dialog box, click **Cancel**.".into(),
    }
}

fn condition(c: &Condition) -> String {
    match c {
        Condition::Visible(t) => format!("{} is displayed", target(t)),
        Condition::Gone(t) => format!("{} disappears", target(t)),
        Condition::Url(m) => format!("the address {}", relation(m, "is")),
        Condition::Title(m) => format!("the page title {}", relation(m, "is")),
    }
}

/// How a guide names a target: its visible text or label in bold, then
/// where it is ("in the row of *system*").
fn target(t: &Target) -> String {
    let nth = t.nth.map(|n| format!("the {} ", ordinal(n)));
    let mut out = match &t.locator {
        Locator::Text(Matcher::Exact(s)) | Locator::Label(s) => match &nth {
            Some(nth) => format!("{nth}**{}**", text(s)),
            None => format!("**{}**", text(s)),
        },
        Locator::Text(Matcher::Contains(s)) => format!(
            "{}item containing **{}**",
            nth.clone().unwrap_or_else(|| "the ".into()),
            text(s)
        ),
        Locator::Text(Matcher::Regex(p)) => format!(
            "{}item matching `{}`",
            nth.clone().unwrap_or_else(|| "the ".into()),
            code(&p.source)
        ),
        Locator::Role { role, name } => {
            let role = role_word(role);
            let lead = nth.clone().unwrap_or_else(|| "the ".into());
            match name {
                Some(Matcher::Exact(s)) => format!("{lead}**{}** {role}", text(s)),
                Some(Matcher::Contains(s)) => format!("{lead}{role} containing **{}**", text(s)),
                Some(Matcher::Regex(p)) => {
                    format!("{lead}{role} matching `{}`", code(&p.source))
                }
                None => format!("{lead}{role}"),
            }
        }
        Locator::Placeholder(p) => format!(
            "{}box that reads *{}*",
            nth.clone().unwrap_or_else(|| "the ".into()),
            text(p)
        ),
        Locator::TestId(id) => format!(
            "{}element `{}`",
            nth.clone().unwrap_or_else(|| "the ".into()),
            code(id)
        ),
        Locator::Css(css) => format!(
            "{}element `{}`",
            nth.clone().unwrap_or_else(|| "the ".into()),
            code(css)
        ),
        Locator::XPath(x) => format!(
            "{}element `{}`",
            nth.clone().unwrap_or_else(|| "the ".into()),
            code(x)
        ),
    };
    if let Some(row) = &t.row {
        out.push_str(&format!(" in the row of *{}*", text(row)));
    }
    if let Some(within) = &t.within {
        out.push_str(&format!(" in {}", target(within)));
    }
    out
}

/// The words a help page uses for an ARIA role.
fn role_word(role: &str) -> String {
    match role {
        "button" => "button".into(),
        "link" => "link".into(),
        "checkbox" => "check box".into(),
        "switch" => "switch".into(),
        "tab" => "tab".into(),
        "menuitem" => "menu item".into(),
        "option" => "option".into(),
        "textbox" | "searchbox" => "box".into(),
        "combobox" | "listbox" => "list".into(),
        "radio" => "option".into(),
        "row" => "row".into(),
        "dialog" | "alertdialog" => "dialog box".into(),
        other => other.replace(['-', '_'], " "),
    }
}

/// How a text compares, as a verb phrase: "is *x*" (with `exact` as the
/// verb), "contains *x*", "matches `re`", or "is empty" for `^$`.
fn relation(m: &Matcher, exact: &str) -> String {
    match m {
        Matcher::Exact(s) => format!("{exact} *{}*", text(s)),
        Matcher::Contains(s) => format!("contains *{}*", text(s)),
        Matcher::Regex(p) if p.source == "^$" => "is empty".into(),
        Matcher::Regex(p) => format!("matches `{}`", code(&p.source)),
    }
}

fn value(v: &str) -> String {
    format!("*{}*", text(v))
}

/// Where on the screen a toast showed, in a help page's words.
fn place(at: Point) -> Option<&'static str> {
    if !(0.0..=1.0).contains(&at.x) || !(0.0..=1.0).contains(&at.y) {
        return None;
    }
    let column = if at.x < 0.34 {
        0
    } else if at.x > 0.66 {
        2
    } else {
        1
    };
    let row = if at.y < 0.34 {
        0
    } else if at.y > 0.66 {
        2
    } else {
        1
    };
    Some(match (row, column) {
        (0, 0) => "in the upper left corner",
        (0, 1) => "at the top of the page",
        (0, _) => "in the upper right corner",
        (1, 0) => "on the left",
        (1, 1) => "in the middle of the page",
        (1, _) => "on the right",
        (_, 0) => "in the lower left corner",
        (_, 1) => "at the bottom of the page",
        (_, _) => "in the lower right corner",
    })
}

/// "a", "a and b", "a, b and c".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The first letter in upper case, for a sentence that starts with a
/// target ("The **Configure** button is displayed.").
fn capital(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// Page text inside Markdown emphasis: characters Markdown would read as
/// marks are escaped.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text inside a code span, which cannot escape a backtick.
fn code(s: &str) -> String {
    s.replace('`', "'")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::{self, LoadOptions};
    use std::path::Path;

    /// The sentence of each step of `steps` (a YAML list), in order.
    fn sentences(steps: &str) -> Vec<Option<String>> {
        let source = format!("name: t\nurl: http://127.0.0.1:1\nsteps:\n{steps}");
        let book = runbook::parse(&source, Path::new("t.yaml"), &LoadOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        book.steps()
            .into_iter()
            .map(|(_, step)| for_action(&step.action, Some(Point { x: 0.9, y: 0.05 })))
            .collect()
    }

    fn one(step: &str) -> String {
        sentences(&format!("  - {step}\n"))[0].clone().unwrap()
    }

    #[test]
    fn steps_read_as_a_help_page_writes_them() {
        assert_eq!(
            one("click: { text: Configure, row: system }"),
            "Click **Configure** in the row of *system*."
        );
        assert_eq!(
            one("toggle: { label: Transfer to LTS, to: on }"),
            "Toggle on **Transfer to LTS**."
        );
        assert_eq!(
            one("expect_toast: Operation successfully!"),
            "**Operation successfully!** is displayed in the upper right corner."
        );
        assert_eq!(
            one("toggle: { label: Cloud Trace Service (CTS), to: off, confirm: OK }"),
            "Toggle off **Cloud Trace Service (CTS)**. In the displayed dialog box, click **OK**."
        );
        assert_eq!(
            one("fill: { label: IAM User Name, with: demo }"),
            "Enter *demo* in **IAM User Name**."
        );
        assert_eq!(
            one("click: { role: button, text: Configure }"),
            "Click the **Configure** button."
        );
        assert_eq!(
            one("expect_gone: No threats have been found"),
            "**No threats have been found** disappears."
        );
        assert_eq!(one("goto: /login"), "Go to `/login`.");
        assert_eq!(
            one("window: { title: { contains: Alarm } }"),
            "Switch to the window whose title contains *Alarm*."
        );
        assert_eq!(
            one("expect: { label: Description, value: { regex: \"^$\" } }"),
            "**Description** is empty."
        );
        assert_eq!(
            one("expect: { label: Severity, value: High }"),
            "**Severity** is set to *High*."
        );
        assert_eq!(
            one("expect: { text: Management, row: system }"),
            "**Management** is displayed in the row of *system*."
        );
        assert_eq!(
            one("select: { label: Region, option: CN North-Beijing4 }"),
            "Select *CN North-Beijing4* in **Region**."
        );
        assert_eq!(
            one("press: { key: [Control+A, Delete], label: Name }"),
            "Press **Control+A** and **Delete** in **Name**."
        );
        assert_eq!(
            one("expect: { label: Transfer to LTS, checked: true }"),
            "**Transfer to LTS** is selected."
        );
        assert_eq!(
            one("click: { text: Edit, nth: 2 }"),
            "Click the 2nd **Edit**."
        );
    }

    #[test]
    fn steps_that_only_serve_the_run_have_no_sentence() {
        let all = sentences(
            "  - screenshot: { name: a }\n  - sleep: 1s\n  - store: { label: Name, as: name }\n",
        );
        assert_eq!(all, vec![None, None, None]);
    }

    #[test]
    fn page_text_cannot_break_the_markdown() {
        assert_eq!(
            one("click: \"*Save* [draft]\""),
            "Click **\\*Save\\* \\[draft\\]**."
        );
    }

    #[test]
    fn toasts_are_placed_where_they_showed() {
        let at = |x, y| place(Point { x, y });
        assert_eq!(at(0.9, 0.1), Some("in the upper right corner"));
        assert_eq!(at(0.5, 0.95), Some("at the bottom of the page"));
        assert_eq!(at(0.5, 0.5), Some("in the middle of the page"));
        assert_eq!(at(1.5, 0.5), None);
    }
}
