//! The YAML surface of a runbook: a small document tree in which every node
//! and every mapping key remembers its line and column.
//!
//! The typed runbook is built from this tree by hand (see `lower.rs`) rather
//! than by deriving `Deserialize` on the step types. That keeps the surface
//! forgiving (`- click: Next` and `- click: {text: Next}` are both a click),
//! lets every diagnostic point at the exact key or value at fault, and lets
//! the loader report all problems of a file at once instead of the first.

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A 1-based position in the runbook source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One node of the document with its position.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

/// A mapping key with its position, so "unknown key" errors can point at it.
#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

impl Value {
    /// What the value is, as a user would say it in an error message.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// Scalars written in YAML as plain text (`with: 42`) are accepted where
    /// text is expected; the runbook author should not need to quote numbers.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

impl Node {
    /// Parses a whole YAML document. Booleans are strict (`true`/`false`
    /// only) so that `to: on` stays the word "on".
    pub fn parse(source: &str) -> Result<Node, serde_saphyr::Error> {
        let mut options = serde_saphyr::Options::default();
        options.strict_booleans = true;
        options.budget = Some(super::limits::yaml_budget());
        serde_saphyr::from_str_with_options::<Node>(source, options)
    }
}

fn pos_of<T>(spanned: &Spanned<T>) -> Pos {
    Pos {
        line: u32::try_from(spanned.referenced.line()).unwrap_or(u32::MAX),
        column: u32::try_from(spanned.referenced.column()).unwrap_or(u32::MAX),
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(deserializer)?;
        let pos = pos_of(&spanned);
        Ok(Node {
            value: spanned.value,
            pos,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(node) = seq.next_element::<Node>()? {
            items.push(node);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let name = key.value.as_text().ok_or_else(|| {
                de::Error::custom(format!(
                    "mapping keys must be plain words, found {}",
                    key.value.kind()
                ))
            })?;
            let value = map.next_value::<Node>()?;
            entries.push((Key { name, pos: key.pos }, value));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let doc = Node::parse("name: x\nsteps:\n  - click: {text: Next, row: system}\n").unwrap();
        let Value::Map(entries) = doc.value else {
            panic!("not a map")
        };
        assert_eq!(entries[1].0.name, "steps");
        assert_eq!(entries[1].0.pos, Pos { line: 2, column: 1 });
        let Value::Seq(steps) = &entries[1].1.value else {
            panic!("not a seq")
        };
        assert_eq!(steps[0].pos.line, 3);
        let Value::Map(step) = &steps[0].value else {
            panic!()
        };
        assert_eq!(step[0].0.pos, Pos { line: 3, column: 5 });
        let Value::Map(target) = &step[0].1.value else {
            panic!()
        };
        assert_eq!(target[1].0.name, "row");
        assert_eq!(
            target[1].1.pos,
            Pos {
                line: 3,
                column: 30
            }
        );
    }

    #[test]
    fn on_stays_a_word() {
        let doc = Node::parse("to: on\n").unwrap();
        let Value::Map(entries) = doc.value else {
            panic!()
        };
        assert!(matches!(&entries[0].1.value, Value::Str(s) if s == "on"));
    }
}
