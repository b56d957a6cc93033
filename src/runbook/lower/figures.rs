//! A figure's settings: `compare:` (on, off, or the limits a comparison
//! with the baseline allows) and `mask:` (targets hidden, removed or left
//! out of the comparison), both taken on a screenshot and as the runbook's
//! default.

use super::Lowerer;
use crate::runbook::diagnostic::Diagnostic;
use crate::runbook::model::*;
use crate::runbook::spec;
use crate::runbook::yaml::{Key, Node, Value};
use crate::suggest::did_you_mean;

impl Lowerer<'_> {
    /// `compare:` of a runbook or a screenshot: `true`, `false`, or a
    /// mapping of limits (which turns comparing on).
    pub(super) fn compare(&mut self, node: &Node, what: &str) -> Option<Compare> {
        let entries = match &node.value {
            Value::Bool(false) => return Some(Compare::Off),
            Value::Bool(true) => return Some(Compare::On(CompareLimits::default())),
            Value::Map(entries) => entries,
            other => {
                self.error(
                    Diagnostic::new(
                        node.pos,
                        format!(
                            "`{what}` is `true`, `false` or a mapping with `max_diff_pixels`, `max_diff_ratio` and/or `threshold`, found {}",
                            other.kind()
                        ),
                    )
                    .help("write it like `compare: true` or `compare: { max_diff_pixels: 20 }`"),
                );
                return None;
            }
        };
        self.check_keys(
            entries,
            &spec::names(spec::COMPARE_FIELDS),
            &format!("`{what}`"),
        );
        let mut limits = CompareLimits::default();
        let mut ok = true;
        for (key, value) in entries {
            let name = format!("{what}.{}", key.name);
            match key.name.as_str() {
                "max_diff_pixels" => match self.count(value, &name, 0) {
                    Some(n) => limits.max_diff_pixels = Some(n as u64),
                    None => ok = false,
                },
                "max_diff_ratio" => match self.fraction(value, &name) {
                    Some(f) => limits.max_diff_ratio = Some(f),
                    None => ok = false,
                },
                "threshold" => match self.fraction(value, &name) {
                    Some(f) => limits.threshold = Some(f),
                    None => ok = false,
                },
                _ => {}
            }
        }
        ok.then_some(Compare::On(limits))
    }

    /// `mask:` of a runbook (`from_runbook`) or a screenshot: a mask or a
    /// list of them, each a target with an optional `mode`.
    pub(super) fn masks(&mut self, node: &Node, from_runbook: bool) -> Option<Vec<Mask>> {
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        let mut allowed = spec::names(spec::TARGET_FIELDS);
        allowed.extend(spec::names(spec::MASK_FIELDS));
        let mut masks = Vec::new();
        let mut ok = true;
        for item in items {
            let mut mode = MaskMode::default();
            if let Value::Map(entries) = &item.value {
                self.check_keys(entries, &allowed, "`mask`");
                if let Some((_, word)) = entries.iter().find(|(k, _)| k.name == "mode") {
                    match self.text(word, "mode") {
                        Some(text) => match MaskMode::from_word(&text) {
                            Some(m) => mode = m,
                            None => {
                                let mut d = Diagnostic::new(
                                    word.pos,
                                    format!(
                                        "`mode` is `hide`, `remove` or `ignore`, found \"{text}\""
                                    ),
                                )
                                .width(text.chars().count().max(1));
                                if let Some(s) =
                                    did_you_mean(&text, MaskMode::WORDS.iter().copied())
                                {
                                    d = d.help(format!("did you mean `{s}`?"));
                                }
                                self.error(d);
                                ok = false;
                            }
                        },
                        None => ok = false,
                    }
                }
            }
            let target = match &item.value {
                // Without `mode`, which is no target key: a mapping of
                // `mode` alone says nothing of what to look for.
                Value::Map(entries) => {
                    let keys: Vec<(Key, Node)> = entries
                        .iter()
                        .filter(|(k, _)| k.name != "mode")
                        .cloned()
                        .collect();
                    self.target_map(item, &keys, "mask")
                }
                _ => self.target(item, "mask"),
            };
            match target {
                Some(target) => masks.push(Mask {
                    target,
                    mode,
                    from_runbook,
                }),
                None => ok = false,
            }
        }
        ok.then_some(masks)
    }
}
