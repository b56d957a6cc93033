//! Rewriting every text a step holds: the engine puts the values that
//! `store` steps kept at run time into the later steps that use them.

use super::action::*;
use super::{RUNTIME_OPEN, Target};

// Rewriting every text a step holds: the engine puts values that `store`
// steps kept at run time into later steps with it.
impl Action {
    /// Whether the step uses a variable that `store` sets at run time.
    pub fn uses_runtime_vars(&self) -> bool {
        let mut found = false;
        self.map_text(&mut |t| {
            found |= t.contains(RUNTIME_OPEN);
            t.to_string()
        });
        found
    }

    /// The step with `f` applied to every text it holds; the engine uses it
    /// to put values stored at run time into later steps.
    pub fn map_text(&self, f: &mut dyn FnMut(&str) -> String) -> Action {
        let t = |t: &Target, f: &mut dyn FnMut(&str) -> String| t.map_text(f);
        match self {
            Action::Goto(g) => Action::Goto(Goto {
                url: f(&g.url),
                written: f(&g.written),
            }),
            Action::Back => Action::Back,
            Action::Reload => Action::Reload,
            Action::LeaveFrame => Action::LeaveFrame,
            Action::Click(c) => Action::Click(Click {
                target: t(&c.target, f),
            }),
            Action::DoubleClick(c) => Action::DoubleClick(Click {
                target: t(&c.target, f),
            }),
            Action::Hover(c) => Action::Hover(Click {
                target: t(&c.target, f),
            }),
            Action::Clear(c) => Action::Clear(Click {
                target: t(&c.target, f),
            }),
            Action::Fill(x) => Action::Fill(Fill {
                target: t(&x.target, f),
                value: f(&x.value),
            }),
            Action::Select(x) => Action::Select(Select {
                target: t(&x.target, f),
                option: f(&x.option),
            }),
            Action::Check(x) => Action::Check(Check {
                target: t(&x.target, f),
                on: x.on,
            }),
            Action::Toggle(x) => Action::Toggle(Toggle {
                target: t(&x.target, f),
                on: x.on,
                confirm: x.confirm.as_deref().map(&mut *f),
            }),
            Action::Press(x) => Action::Press(Press {
                keys: x.keys.clone(),
                target: x.target.as_ref().map(|x| t(x, f)),
            }),
            Action::Expect(x) => Action::Expect(Expect {
                target: t(&x.target, f),
                has_text: x.has_text.as_ref().map(|m| m.map_text(f)),
                value: x.value.as_ref().map(|m| m.map_text(f)),
                checked: x.checked,
                enabled: x.enabled,
                editable: x.editable,
            }),
            Action::ExpectGone(x) => Action::ExpectGone(ExpectGone {
                target: t(&x.target, f),
            }),
            Action::ExpectAbsent(x) => Action::ExpectAbsent(ExpectAbsent {
                target: t(&x.target, f),
                during: x.during,
            }),
            Action::ExpectUrl(m) => Action::ExpectUrl(m.map_text(f)),
            Action::ExpectTitle(m) => Action::ExpectTitle(m.map_text(f)),
            Action::ExpectToast(x) => Action::ExpectToast(ExpectToast {
                text: x.text.map_text(f),
                kind: x.kind,
            }),
            Action::WaitFor(c) => Action::WaitFor(c.map_text(f)),
            Action::Sleep(d) => Action::Sleep(*d),
            Action::Screenshot(s) => Action::Screenshot(Screenshot {
                name: s.name.clone(),
                caption: s.caption.as_deref().map(&mut *f),
                area: match &s.area {
                    Area::Element(e) => Area::Element(t(e, f)),
                    other => other.clone(),
                },
                highlight: s.highlight.iter().map(|x| t(x, f)).collect(),
                mask: s
                    .mask
                    .iter()
                    .map(|m| Mask {
                        target: t(&m.target, f),
                        ..m.clone()
                    })
                    .collect(),
                compare: s.compare,
            }),
            Action::Dialog(d) => Action::Dialog(Dialog {
                accept: d.accept,
                text: d.text.as_deref().map(&mut *f),
                message: d.message.as_ref().map(|m| m.map_text(f)),
            }),
            Action::Frame(x) => Action::Frame(Frame {
                target: t(&x.target, f),
                name: x.name.clone(),
            }),
            Action::Window(w) => Action::Window(match w {
                Window::Title(m) => Window::Title(m.map_text(f)),
                Window::Url(m) => Window::Url(m.map_text(f)),
                other => other.clone(),
            }),
            Action::Store(s) => Action::Store(Store {
                target: t(&s.target, f),
                var: s.var.clone(),
            }),
        }
    }
}
