//! The values `store` steps keep during a run, and how they are put into
//! later steps' texts where the runbook wrote `${name}` (the loader marks
//! those places). The loader only lets a step use a name an earlier
//! `store` keeps, but that `store` may not have run (its `when:` did not
//! hold, or its optional section failed before it): such a name is
//! reported, and the step that uses it fails rather than run with a hole.

use crate::runbook::{RUNTIME_CLOSE, RUNTIME_OPEN};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default)]
pub(super) struct Variables {
    stored: BTreeMap<String, String>,
}

impl Variables {
    /// Keeps `value` under `name`, replacing an earlier one.
    pub(super) fn store(&mut self, name: &str, value: &str) {
        self.stored.insert(name.to_string(), value.to_string());
    }

    /// `text` with the stored values put in; names nothing has stored yet
    /// are added to `unset` and left empty.
    pub(super) fn fill_in(&self, text: &str, unset: &mut BTreeSet<String>) -> String {
        if !text.contains(RUNTIME_OPEN) {
            return text.to_string();
        }
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find(RUNTIME_OPEN) {
            out.push_str(&rest[..start]);
            let after = &rest[start + RUNTIME_OPEN.len_utf8()..];
            let end = after.find(RUNTIME_CLOSE).unwrap_or(after.len());
            let name = &after[..end];
            match self.stored.get(name) {
                Some(value) => out.push_str(value),
                None => {
                    unset.insert(name.to_string());
                }
            }
            rest = after.get(end + RUNTIME_CLOSE.len_utf8()..).unwrap_or("");
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_are_filled_in_and_unset_names_are_reported() {
        let mut vars = Variables::default();
        vars.store("ref", "TR-1");
        vars.store("ref", "TR-42");
        let text =
            format!("row {RUNTIME_OPEN}ref{RUNTIME_CLOSE} and {RUNTIME_OPEN}none{RUNTIME_CLOSE}.");
        let mut unset = BTreeSet::new();
        assert_eq!(vars.fill_in(&text, &mut unset), "row TR-42 and .");
        assert_eq!(unset, BTreeSet::from(["none".to_string()]));
        let mut unset = BTreeSet::new();
        assert_eq!(vars.fill_in("plain", &mut unset), "plain");
        assert!(unset.is_empty());
    }
}
