//! docent runs YAML runbooks of web-console procedures in a real browser.
pub mod runbook;
pub mod suggest;
