//! The registry of step kinds. [`StepKind`] names each keyword of the
//! language, and one exhaustive match ([`StepKind::spec`]) gives each kind's
//! keys, documentation and example, and whether it changes the page or shows
//! in the demo; parsing, lowering, the JSON Schema, the reference check,
//! lints and the engine's flags all read it.
//!
//! A new step kind is a variant and its spec here, its [`Action`](super::Action)
//! (`model/action.rs`), its lowering (`lower/steps.rs`), its run
//! (`engine/actions.rs`) and its guide sentence (`report/guide/sentence.rs`);
//! the compiler names each of those places.

use crate::runbook::spec::{
    CONDITION_FIELDS, MATCHER_FIELDS, Shape, StepSpec, TargetUse, field, required,
};

/// Declares the kinds once, so that [`StepKind::ALL`] cannot miss one.
macro_rules! step_kinds {
    ($($kind:ident),* $(,)?) => {
        /// Every step keyword of the language (`check` and `uncheck` are two).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum StepKind {
            $($kind,)*
        }

        impl StepKind {
            /// Every kind, in the order the reference documents them.
            pub const ALL: &'static [StepKind] = &[$(StepKind::$kind,)*];
        }
    };
}

step_kinds! {
    Goto, Back, Reload, Click, DoubleClick, Hover, Fill, Clear, Select, Check, Uncheck,
    Toggle, Press, Expect, ExpectGone, ExpectAbsent, ExpectUrl, ExpectTitle, ExpectToast,
    WaitFor, Sleep, Screenshot, Dialog, Frame, LeaveFrame, Window, Store,
}

/// Every kind's spec, in [`StepKind::ALL`]'s order.
pub static STEPS: [StepSpec; StepKind::ALL.len()] = {
    let mut out = [StepKind::Goto.spec(); StepKind::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = StepKind::ALL[i].spec();
        i += 1;
    }
    out
};

/// A step that changes the page and shows in the demo.
const ACTS: StepSpec = StepSpec {
    keyword: "",
    doc: "",
    short: Some(Shape::Target),
    bare: false,
    target: TargetUse::Required,
    fields: &[],
    example: None,
    mapping_is_value: false,
    changes_page: true,
    shown: true,
};

/// A step that looks at the page without changing it; the demo shows it.
const CHECKS: StepSpec = StepSpec {
    changes_page: false,
    ..ACTS
};

/// A step with nothing to see: no demo frame, no change to the page.
const QUIET: StepSpec = StepSpec {
    changes_page: false,
    shown: false,
    ..ACTS
};

impl StepKind {
    /// The kind's keyword, as written in runbooks.
    pub const fn keyword(self) -> &'static str {
        self.spec().keyword
    }

    /// The kind whose keyword this is.
    pub fn from_keyword(keyword: &str) -> Option<StepKind> {
        StepKind::ALL
            .iter()
            .copied()
            .find(|k| k.keyword() == keyword)
    }

    /// Everything docent knows of the kind besides how it runs.
    pub const fn spec(self) -> StepSpec {
        match self {
            StepKind::Goto => StepSpec {
                keyword: "goto",
                doc: "open a URL (a path is joined to the runbook's `url`)",
                short: Some(Shape::Url),
                target: TargetUse::None,
                fields: const { &[required("url", Shape::Url, "where to go")] },
                example: Some("goto: /console/home"),
                ..ACTS
            },
            StepKind::Back => bare(ACTS, "back", "go back one page in the history"),
            StepKind::Reload => bare(ACTS, "reload", "reload the page"),
            StepKind::Click => StepSpec {
                keyword: "click",
                doc: "click an element once it is actionable",
                ..ACTS
            },
            StepKind::DoubleClick => StepSpec {
                keyword: "double_click",
                doc: "double-click an element",
                ..ACTS
            },
            StepKind::Hover => StepSpec {
                keyword: "hover",
                doc: "move the pointer over an element",
                ..ACTS
            },
            StepKind::Fill => StepSpec {
                keyword: "fill",
                doc: "replace the text of a field",
                short: None,
                fields: const { &[required("with", Shape::Text, "the text to type")] },
                example: Some("fill: { label: Password, with: \"${CONSOLE_PASSWORD}\" }"),
                ..ACTS
            },
            StepKind::Clear => StepSpec {
                keyword: "clear",
                doc: "empty a field",
                ..ACTS
            },
            StepKind::Select => StepSpec {
                keyword: "select",
                doc: "pick an option of a dropdown (native or listbox)",
                short: None,
                fields: const { &[required("option", Shape::Text, "the option's visible text")] },
                example: Some("select: { label: Severity, option: High }"),
                ..ACTS
            },
            StepKind::Check => StepSpec {
                keyword: "check",
                doc: "tick a checkbox (nothing to do when it is ticked)",
                ..ACTS
            },
            StepKind::Uncheck => StepSpec {
                keyword: "uncheck",
                doc: "untick a checkbox (nothing to do when it is not ticked)",
                ..ACTS
            },
            StepKind::Toggle => StepSpec {
                keyword: "toggle",
                doc: "turn a switch on or off (nothing to do when it already is)",
                short: None,
                fields: const {
                    &[
                        required("to", Shape::Word(&["on", "off"]), "the state to reach"),
                        field(
                            "confirm",
                            Shape::Text,
                            "the button to press in the dialog the switch opens",
                        ),
                    ]
                },
                example: Some("toggle: { label: Transfer to LTS, to: on }"),
                ..ACTS
            },
            StepKind::Press => StepSpec {
                keyword: "press",
                doc: "press keys in the focused element, or in the target",
                short: Some(Shape::Keys),
                target: TargetUse::Optional,
                fields: const {
                    &[required(
                        "key",
                        Shape::Keys,
                        "a key combination such as `Enter` or `Control+A`, or a list of them",
                    )]
                },
                example: Some("press: Enter"),
                ..ACTS
            },
            StepKind::Expect => StepSpec {
                keyword: "expect",
                doc: "an element is visible (and in the given states)",
                fields: const {
                    &[
                        field("has_text", Shape::Matcher, "the element's text"),
                        field("value", Shape::Matcher, "a field's value"),
                        field(
                            "checked",
                            Shape::Bool,
                            "a checkbox or switch is on (true) or off",
                        ),
                        field(
                            "enabled",
                            Shape::Bool,
                            "the element is enabled (true) or disabled",
                        ),
                        field(
                            "editable",
                            Shape::Bool,
                            "a field takes typing (true) or is read-only or disabled",
                        ),
                    ]
                },
                example: Some("expect: { label: Name, value: system }"),
                ..CHECKS
            },
            StepKind::ExpectGone => StepSpec {
                keyword: "expect_gone",
                doc: "an element is not visible (waits for it to go)",
                ..CHECKS
            },
            StepKind::ExpectAbsent => StepSpec {
                keyword: "expect_absent",
                doc: "an element stays absent for a while",
                fields: const {
                    &[field(
                        "for",
                        Shape::Duration,
                        "how long it must stay absent (default 1s)",
                    )]
                },
                example: Some("expect_absent: { text: Operation failed., for: 2s }"),
                ..CHECKS
            },
            StepKind::ExpectUrl => StepSpec {
                keyword: "expect_url",
                doc: "the page's URL (a path is joined to the runbook's `url`)",
                short: Some(Shape::Matcher),
                target: TargetUse::None,
                fields: MATCHER_FIELDS,
                example: Some("expect_url: /console/home"),
                mapping_is_value: true,
                ..CHECKS
            },
            StepKind::ExpectTitle => StepSpec {
                keyword: "expect_title",
                doc: "the page's title",
                short: Some(Shape::Matcher),
                target: TargetUse::None,
                fields: MATCHER_FIELDS,
                example: Some("expect_title: { contains: Console }"),
                mapping_is_value: true,
                ..CHECKS
            },
            StepKind::ExpectToast => StepSpec {
                keyword: "expect_toast",
                doc: "a notification appeared since the last action began",
                short: Some(Shape::Matcher),
                target: TargetUse::None,
                // A matcher's keys, and which toasts count.
                fields: const {
                    &[
                        MATCHER_FIELDS[0],
                        MATCHER_FIELDS[1],
                        MATCHER_FIELDS[2],
                        field(
                            "kind",
                            Shape::Word(&["success", "info", "warning", "error", "any"]),
                            "which toasts count (default: any toast that is not an error)",
                        ),
                    ]
                },
                example: Some("expect_toast: Operation successfully!"),
                ..CHECKS
            },
            StepKind::WaitFor => StepSpec {
                keyword: "wait_for",
                doc: "wait until a target is visible, or until a condition holds",
                short: Some(Shape::Condition),
                target: TargetUse::None,
                fields: CONDITION_FIELDS,
                example: Some("wait_for: { gone: Loading }"),
                mapping_is_value: true,
                ..CHECKS
            },
            StepKind::Sleep => StepSpec {
                keyword: "sleep",
                doc: "wait a fixed time (prefer `wait_for`; `validate` warns)",
                short: Some(Shape::Duration),
                target: TargetUse::None,
                example: Some("sleep: 500ms"),
                ..QUIET
            },
            StepKind::Screenshot => StepSpec {
                keyword: "screenshot",
                doc: "save a figure of the viewport, the full page or one element",
                short: Some(Shape::FigureName),
                target: TargetUse::None,
                fields: const {
                    &[
                        required("name", Shape::FigureName, "names the file NN-<name>.png"),
                        field("caption", Shape::Text, "the figure's caption in the guide"),
                        field("full_page", Shape::Bool, "the whole scrollable page"),
                        field("element", Shape::Target, "only this element"),
                        field("highlight", Shape::Targets, "outline these in red"),
                        field(
                            "mask",
                            Shape::Masks,
                            "keep these out of the figure (hide, remove) or out of its comparison (ignore)",
                        ),
                        field(
                            "compare",
                            Shape::Compare,
                            "compare the figure with its baseline (`true` or `false`), or how strictly",
                        ),
                    ]
                },
                example: Some("screenshot: { name: tracker-list, caption: The tracker list }"),
                ..QUIET
            },
            StepKind::Dialog => StepSpec {
                keyword: "dialog",
                doc: "accept or dismiss the native alert, confirm or prompt that is open",
                short: Some(Shape::Word(&["accept", "dismiss"])),
                target: TargetUse::None,
                fields: const {
                    &[
                        required(
                            "answer",
                            Shape::Word(&["accept", "dismiss"]),
                            "how to close it",
                        ),
                        field("with", Shape::Text, "text to type into a prompt"),
                        field("message", Shape::Matcher, "the dialog's message must match"),
                    ]
                },
                example: Some("dialog: { answer: accept, with: new-name }"),
                ..ACTS
            },
            StepKind::Frame => StepSpec {
                keyword: "frame",
                doc: "act inside an iframe (by name, title or id, or a target) until `leave_frame`",
                short: Some(Shape::Text),
                example: Some("frame: help"),
                ..QUIET
            },
            StepKind::LeaveFrame => bare(QUIET, "leave_frame", "act in the top document again"),
            StepKind::Window => StepSpec {
                keyword: "window",
                doc: "act in another tab or window: `new` (the newest), `first`, or by title or URL",
                short: Some(Shape::Word(&["new", "first"])),
                target: TargetUse::None,
                fields: const {
                    &[
                        field("title", Shape::Matcher, "the window's title"),
                        field("url", Shape::Matcher, "the window's URL"),
                    ]
                },
                example: Some("window: new"),
                ..CHECKS
            },
            StepKind::Store => StepSpec {
                keyword: "store",
                doc: "keep an element's text (a field's value) in a variable for later steps",
                short: None,
                fields: const {
                    &[required(
                        "as",
                        Shape::Name,
                        "the variable's name, used as ${name}",
                    )]
                },
                example: Some("store: { testid: reference, as: ref }"),
                ..QUIET
            },
        }
    }
}

/// A step written alone (`- back`), on the footing of `base`.
const fn bare(base: StepSpec, keyword: &'static str, doc: &'static str) -> StepSpec {
    StepSpec {
        keyword,
        doc,
        short: None,
        bare: true,
        target: TargetUse::None,
        fields: &[],
        example: None,
        ..base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_keyword_and_comes_back_from_it() {
        let mut seen = std::collections::HashSet::new();
        for (kind, spec) in StepKind::ALL.iter().zip(&STEPS) {
            assert_eq!(kind.keyword(), spec.keyword, "STEPS is in ALL's order");
            assert!(seen.insert(spec.keyword), "{} twice", spec.keyword);
            assert_eq!(StepKind::from_keyword(spec.keyword), Some(*kind));
            assert!(!spec.doc.is_empty(), "{} has no doc", spec.keyword);
            assert!(
                !spec.bare || spec.fields.is_empty(),
                "{} is bare but takes keys",
                spec.keyword
            );
        }
        assert_eq!(StepKind::from_keyword("klick"), None);
    }

    #[test]
    fn only_steps_that_change_the_page_open_a_toast_window() {
        let changing: Vec<&str> = STEPS
            .iter()
            .filter(|s| s.changes_page)
            .map(|s| s.keyword)
            .collect();
        assert_eq!(
            changing,
            [
                "goto",
                "back",
                "reload",
                "click",
                "double_click",
                "hover",
                "fill",
                "clear",
                "select",
                "check",
                "uncheck",
                "toggle",
                "press",
                "dialog"
            ]
        );
        let unseen: Vec<&str> = STEPS
            .iter()
            .filter(|s| !s.shown)
            .map(|s| s.keyword)
            .collect();
        assert_eq!(
            unseen,
            ["sleep", "screenshot", "frame", "leave_frame", "store"]
        );
    }
}
