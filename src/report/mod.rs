//! Consumers of run events. A reporter never calls the browser; it only
//! turns [`Event`](crate::engine::Event)s into output.

pub mod terminal;
