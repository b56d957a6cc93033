//! The JSON Schema of runbooks, generated from [`spec`](super::spec), the
//! same table the loader checks keys against, so the two cannot drift.
//! Editors use it (through the `yaml-language-server` modeline every
//! shipped runbook starts with) to complete keys and flag mistakes as the
//! runbook is typed; `docent validate` remains the full check (variables,
//! regexes, includes, duplicate names).

use super::address;
use super::limits::MAX_SCREENSHOT_NAME_BYTES;
use super::spec::{self, Field, Shape, StepSpec, TargetUse};
use serde_json::{Map, Value, json};

/// Where the committed schema lives, relative to the repository.
pub const SCHEMA_PATH: &str = "schema/runbook.schema.json";

/// A string that uses a variable; its value is only known at load time.
const VARIABLE: &str = r".*\$\{[^}]+\}.*";

/// The schema as pretty-printed JSON, with a final newline.
pub fn json() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).expect("a JSON value serialises");
    text.push('\n');
    text
}

/// The schema of a runbook file.
pub fn schema() -> Value {
    let mut definitions = Map::new();
    definitions.insert(
        "text".into(),
        json!({ "type": ["string", "number", "boolean"] }),
    );
    definitions.insert(
        "duration".into(),
        json!({
            "type": "string",
            "pattern": format!(r"^(\s*[0-9]+(\.[0-9]+)?\s*(ms|s|m|min)\s*|{VARIABLE})$"),
            "description": "a duration such as 500ms, 10s, 1.5s or 2m",
        }),
    );
    definitions.insert(
        "name".into(),
        json!({
            "type": "string",
            "pattern": format!("^([A-Za-z0-9_-]+|{VARIABLE})$"),
            "description": "letters, digits, - and _",
        }),
    );
    definitions.insert(
        "figureName".into(),
        json!({
            "type": "string",
            "anyOf": [
                { "pattern": "^[A-Za-z0-9_-]+$", "maxLength": MAX_SCREENSHOT_NAME_BYTES },
                { "pattern": format!("^{VARIABLE}$") },
            ],
            "description": format!(
                "letters, digits, - and _, at most {MAX_SCREENSHOT_NAME_BYTES}: it names the file NN-<name>.png"
            ),
        }),
    );
    definitions.insert(
        "gotoUrl".into(),
        json!({
            "anyOf": [
                { "type": ["number", "boolean"] },
                { "type": "string", "pattern": address::schema_pattern() },
            ],
            "description": "an http or https URL, or a path joined to the runbook's url",
        }),
    );
    definitions.insert("target".into(), target());
    definitions.insert("targetMap".into(), target_map(&[], &[]));
    definitions.insert(
        "targets".into(),
        json!({ "anyOf": [
            { "$ref": "#/definitions/target" },
            { "type": "array", "items": { "$ref": "#/definitions/target" } },
        ] }),
    );
    definitions.insert(
        "mask".into(),
        json!({
            "anyOf": [
                { "$ref": "#/definitions/text" },
                target_map(spec::MASK_FIELDS, &[]),
            ],
            "description": "visible text, or a mapping of target keys with an optional `mode`",
        }),
    );
    definitions.insert(
        "masks".into(),
        json!({ "anyOf": [
            { "$ref": "#/definitions/mask" },
            { "type": "array", "items": { "$ref": "#/definitions/mask" } },
        ] }),
    );
    definitions.insert("matcher".into(), matcher());
    definitions.insert("condition".into(), condition());
    definitions.insert(
        "keys".into(),
        json!({ "anyOf": [
            { "type": "string" },
            { "type": "array", "items": { "type": "string" }, "minItems": 1 },
        ] }),
    );
    definitions.insert(
        "vars".into(),
        json!({ "type": "object", "additionalProperties": { "$ref": "#/definitions/text" } }),
    );
    definitions.insert(
        "names".into(),
        json!({ "type": "array", "items": { "type": "string" } }),
    );
    definitions.insert(
        "tags".into(),
        json!({ "anyOf": [
            { "$ref": "#/definitions/tag" },
            { "type": "array", "items": { "$ref": "#/definitions/tag" } },
        ] }),
    );
    definitions.insert(
        "tag".into(),
        json!({
            "type": "string",
            "pattern": "^[^\\s,]+$",
            "description": "a word without spaces or commas",
        }),
    );
    definitions.insert(
        "selectors".into(),
        json!({ "anyOf": [
            { "type": "string", "minLength": 1 },
            { "type": "array", "items": { "type": "string", "minLength": 1 }, "minItems": 1 },
        ] }),
    );
    definitions.insert("toasts".into(), object(spec::TOAST_FIELDS, &[]));
    definitions.insert(
        "compare".into(),
        json!({ "anyOf": [
            { "type": "boolean" },
            object(spec::COMPARE_FIELDS, &[]),
        ] }),
    );
    definitions.insert(
        "steps".into(),
        json!({ "type": "array", "items": { "$ref": "#/definitions/entry" } }),
    );

    let mut entries = vec![
        json!({ "$ref": "#/definitions/section" }),
        json!({ "$ref": "#/definitions/include" }),
        json!({
            "enum": spec::STEPS.iter().filter(|s| s.bare).map(|s| s.keyword).collect::<Vec<_>>(),
            "description": "a step without arguments, written alone",
        }),
    ];
    for step in &spec::STEPS {
        let id = format!("step_{}", step.keyword);
        definitions.insert(id.clone(), step_entry(step));
        entries.push(json!({ "$ref": format!("#/definitions/{id}") }));
    }
    definitions.insert("entry".into(), json!({ "anyOf": entries }));
    definitions.insert("section".into(), object(spec::SECTION_FIELDS, &[]));
    definitions.insert("include".into(), object(spec::RUN_FIELDS, &[]));

    let mut root = object(spec::TOP_FIELDS, &[]);
    let root = root.as_object_mut().expect("object() builds an object");
    let mut out = Map::new();
    out.insert(
        "$schema".into(),
        json!("http://json-schema.org/draft-07/schema#"),
    );
    out.insert("title".into(), json!("docent runbook"));
    out.insert(
        "description".into(),
        json!("A web-console procedure that docent runs in a real browser. Reference: docs/runbooks.md"),
    );
    out.append(root);
    out.insert("definitions".into(), Value::Object(definitions));
    Value::Object(out)
}

/// The schema of one value shape.
fn shape(shape: Shape) -> Value {
    let with_variables = |schema: Value| json!({ "anyOf": [schema, { "type": "string", "pattern": format!("^{VARIABLE}$") }] });
    match shape {
        Shape::Text | Shape::Sentence => json!({ "$ref": "#/definitions/text" }),
        Shape::Url => json!({ "$ref": "#/definitions/gotoUrl" }),
        Shape::Duration => json!({ "$ref": "#/definitions/duration" }),
        Shape::Name => json!({ "$ref": "#/definitions/name" }),
        Shape::FigureName => json!({ "$ref": "#/definitions/figureName" }),
        Shape::Bool => json!({ "type": "boolean" }),
        Shape::Int { min } => json!({ "type": "integer", "minimum": min }),
        Shape::Word(words) => with_variables(json!({ "enum": words })),
        Shape::Target => json!({ "$ref": "#/definitions/target" }),
        Shape::Targets => json!({ "$ref": "#/definitions/targets" }),
        Shape::Masks => json!({ "$ref": "#/definitions/masks" }),
        Shape::Matcher => json!({ "$ref": "#/definitions/matcher" }),
        Shape::Keys => json!({ "$ref": "#/definitions/keys" }),
        Shape::Condition => json!({ "$ref": "#/definitions/condition" }),
        Shape::Vars => json!({ "$ref": "#/definitions/vars" }),
        Shape::Names => json!({ "$ref": "#/definitions/names" }),
        Shape::Tags => json!({ "$ref": "#/definitions/tags" }),
        Shape::Selectors => json!({ "$ref": "#/definitions/selectors" }),
        Shape::Toasts => json!({ "$ref": "#/definitions/toasts" }),
        Shape::Fraction => json!({ "type": "number", "minimum": 0, "maximum": 1 }),
        Shape::Compare => json!({ "$ref": "#/definitions/compare" }),
        Shape::Steps => json!({ "$ref": "#/definitions/steps" }),
    }
}

/// A mapping of `fields` (plus `extra`), closed to other keys.
fn object(fields: &[Field], extra: &[Field]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in fields.iter().chain(extra) {
        let mut schema = shape(field.shape);
        schema
            .as_object_mut()
            .expect("shape() builds objects")
            .insert("description".into(), json!(field.doc));
        properties.insert(field.name.into(), schema);
        if field.required {
            required.push(field.name);
        }
    }
    let mut out = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        out["required"] = json!(required);
    }
    out
}

/// One of several keys must be present.
fn one_of_keys(keys: &[&str]) -> Value {
    json!(
        keys.iter()
            .map(|k| json!({ "required": [k] }))
            .collect::<Vec<_>>()
    )
}

fn target() -> Value {
    json!({
        "anyOf": [
            { "$ref": "#/definitions/text" },
            { "$ref": "#/definitions/targetMap" },
        ],
        "description": "visible text, or a mapping of target keys",
    })
}

/// A target mapping with a step's own `fields`; `required_fields` must be
/// present besides one locator key.
fn target_map(fields: &[Field], required_fields: &[&str]) -> Value {
    let mut out = object(spec::TARGET_FIELDS, fields);
    out["anyOf"] = one_of_keys(spec::LOCATOR_KEYS);
    if !required_fields.is_empty() {
        out["required"] = json!(required_fields);
    }
    out
}

fn matcher() -> Value {
    let mut map = object(spec::MATCHER_FIELDS, &[]);
    map["minProperties"] = json!(1);
    map["maxProperties"] = json!(1);
    json!({ "anyOf": [{ "$ref": "#/definitions/text" }, map] })
}

fn condition() -> Value {
    let mut map = object(spec::CONDITION_FIELDS, &[]);
    map["minProperties"] = json!(1);
    map["maxProperties"] = json!(1);
    json!({ "anyOf": [{ "$ref": "#/definitions/target" }, map] })
}

/// The value a step keyword takes: its short form and/or its mapping.
fn step_value(step: &StepSpec) -> Value {
    if step.bare {
        return json!({ "type": "null" });
    }
    let required: Vec<&str> = step
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    let map = match (step.keyword, step.target) {
        ("expect_url" | "expect_title", _) => None,
        ("wait_for", _) => None,
        (_, TargetUse::Required) => Some(target_map(step.fields, &required)),
        (_, TargetUse::Optional) => {
            // The target is optional: the mapping may have no locator key.
            let mut map = object(spec::TARGET_FIELDS, step.fields);
            map["required"] = json!(required);
            Some(map)
        }
        (_, TargetUse::None) if step.fields.is_empty() => None,
        (_, TargetUse::None) => {
            let mut map = object(step.fields, &[]);
            if step.keyword == "expect_toast" || step.keyword == "window" {
                let keys: Vec<&str> = step
                    .fields
                    .iter()
                    .map(|f| f.name)
                    .filter(|k| *k != "kind")
                    .collect();
                map["anyOf"] = one_of_keys(&keys);
            }
            Some(map)
        }
    };
    let short = step.short.map(shape);
    let mut options: Vec<Value> = short.into_iter().collect();
    // A target short form already allows the mapping.
    if step.short != Some(Shape::Target) || step.fields.is_empty() {
        if let Some(map) = map.filter(|_| step.short != Some(Shape::Target)) {
            options.push(map);
        }
    } else if let Some(map) = map {
        options = vec![json!({ "$ref": "#/definitions/text" }), map];
    }
    match options.len() {
        1 => options.remove(0),
        _ => json!({ "anyOf": options }),
    }
}

/// `- keyword: value` with the modifiers a step may carry.
fn step_entry(step: &StepSpec) -> Value {
    let mut properties = Map::new();
    let mut value = step_value(step);
    if let Some(obj) = value.as_object_mut() {
        obj.insert("description".into(), json!(step.doc));
    }
    properties.insert(step.keyword.into(), value);
    for modifier in spec::STEP_MODIFIERS {
        let mut schema = shape(modifier.shape);
        schema
            .as_object_mut()
            .expect("shape() builds objects")
            .insert("description".into(), json!(modifier.doc));
        properties.insert(modifier.name.into(), schema);
    }
    json!({
        "type": "object",
        "properties": properties,
        "required": [step.keyword],
        "additionalProperties": false,
    })
}
