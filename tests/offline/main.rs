//! The tests that need no browser, in one binary: the loader's diagnostics
//! over a corpus of broken runbooks, the language reference held to the
//! language, the committed JSON Schema, and the command line's shell
//! completions and browser lookup, and `docent.toml`'s settings as they
//! reach a (fake) WebDriver endpoint. The loader's fuzzing has a
//! binary of its own (`tests/loader_fuzz`), the browser tests another
//! (`tests/browser`).

mod batch;
mod cli;
mod config;
mod diagnostics;
mod hostile;
mod reference;
mod schema;
