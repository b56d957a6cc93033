//! Every test that drives a real browser, in one binary (one link of the
//! crate instead of one per file). The real `docent` binary runs against
//! the simulated console, started in this process on an ephemeral port, or
//! against the component-library labs; each module's opening paragraph
//! says what it proves.
//!
//! These tests need Debian's `chromium` and `chromium-driver` (`make deps`).
//! Under `CI` a missing browser fails the test; locally it skips loudly.
//! Run one module with `cargo test --test browser fidelity::`.

mod common;

mod demo_outputs;
mod e2e;
mod fidelity;
mod firefox;
mod fonts;
mod grid;
mod pages;
mod panic_shutdown;
mod results;
mod shutdown;
mod steps;
mod visual;
mod workers;
