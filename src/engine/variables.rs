//! The values `store` steps keep during a run, and how they are put into
//! later steps' texts where the runbook wrote `${name}` (the loader marks
//! those places). A name no step has stored yet reads as empty.

use crate::runbook::{RUNTIME_CLOSE, RUNTIME_OPEN};
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub(super) struct Variables {
    stored: BTreeMap<String, String>,
}

impl Variables {
    /// Keeps `value` under `name`, replacing an earlier one.
    pub(super) fn store(&mut self, name: &str, value: &str) {
        self.stored.insert(name.to_string(), value.to_string());
    }

    /// `text` with the stored values put in.
    pub(super) fn fill_in(&self, text: &str) -> String {
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
            out.push_str(self.stored.get(name).map(String::as_str).unwrap_or(""));
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
    fn stored_values_are_filled_in_and_unknown_names_are_empty() {
        let mut vars = Variables::default();
        vars.store("ref", "TR-1");
        vars.store("ref", "TR-42");
        let text =
            format!("row {RUNTIME_OPEN}ref{RUNTIME_CLOSE} and {RUNTIME_OPEN}none{RUNTIME_CLOSE}.");
        assert_eq!(vars.fill_in(&text), "row TR-42 and .");
        assert_eq!(vars.fill_in("plain"), "plain");
    }
}
