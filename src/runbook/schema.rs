//! The JSON Schema of runbooks, generated from [`spec`](super::spec).
