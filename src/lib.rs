//! docent runs YAML runbooks of web-console procedures in a real browser
//! through WebDriver, checks what the console answers, and captures figures.
//!
//! The pipeline shows in the modules: [`runbook`] (YAML → typed steps with
//! source positions) → [`engine`] (executes steps on a [`browser::Page`],
//! emitting events) → [`report`] (consumes events); [`folder`] names and
//! writes every file a run leaves; [`printable`] shows the control
//! characters of outside text escaped on the terminal. [`console`] is the
//! simulated cloud console the demo and the tests run against.

pub mod browser;
pub mod cli;
pub mod console;
pub mod engine;
pub mod folder;
pub mod printable;
pub mod report;
pub mod runbook;
pub mod runner;
pub mod secrets;
pub mod suggest;
pub mod visual;
