//! The committed JSON Schema is the one `docent schema` generates, it
//! accepts every shipped runbook, and a real validator rejects broken ones.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> serde_json::Value {
    docent::runbook::schema::schema()
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).expect("the generated schema is a valid JSON Schema")
}

/// YAML text as the JSON value an editor's validator sees (booleans strict, as docent reads them).
fn as_json(yaml: &str) -> serde_json::Value {
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    serde_saphyr::from_str_with_options(yaml, options).expect("test YAML parses")
}

#[test]
fn committed_schema_is_up_to_date() {
    let path = root().join(docent::runbook::schema::SCHEMA_PATH);
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == docent::runbook::schema::json(),
        "{} is stale; regenerate it with `make schema` and commit it",
        path.display()
    );
}

#[test]
fn shipped_runbooks_validate_and_carry_the_modeline() {
    let validator = validator();
    let mut count = 0;
    for entry in std::fs::read_dir(root().join("runbooks")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        count += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schema/runbook.schema.json\n"),
            "{} must start with the yaml-language-server modeline",
            path.display()
        );
        let errors: Vec<String> = validator
            .iter_errors(&as_json(&text))
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
    assert!(count > 0, "no shipped runbooks found");
}

#[test]
fn the_whole_vocabulary_validates() {
    let runbook = r#"
name: every step
description: one of each
url: http://127.0.0.1:8480
vars: { tracker: system, count: 3, on: true }
secrets: [CONSOLE_PASSWORD]
timeout: 15s
steps:
  - goto: /lab/form
  - goto: { url: /lab/form }
  - back
  - reload
  - click: Save
  - click: { text: Edit, row: alarm-2 }
    timeout: 2s
    retry: 2
    optional: true
    when: { visible: alarm-2 }
  - double_click: { text: alarm-1, nth: 1 }
  - hover: { role: button, text: More }
  - fill: { label: Notification Name, with: "${tracker}" }
  - clear: { placeholder: Search notifications }
  - select: { label: Severity, option: High }
  - check: Send email
  - uncheck: { label: Send SMS }
  - toggle: { label: Enable notification, to: off, confirm: OK }
  - press: Enter
  - press: [Tab, Control+A]
  - press: { key: Enter, placeholder: Search notifications }
  - expect: { label: Severity, value: High, enabled: true }
  - expect: { testid: summary, has_text: { contains: alarm } }
  - expect: { role: checkbox, text: Send SMS, checked: false }
  - expect_gone: Draft saved
  - expect_absent: { text: Operation failed., for: 2s }
  - expect_url: { contains: /lab/form }
  - expect_title: Alarm Notifications - Console
  - expect_toast: Operation successfully!
  - expect_toast: { regex: "^Operation", kind: any }
  - wait_for: Ready
  - wait_for: { gone: Loading }
  - sleep: 100ms
  - screenshot: form
  - screenshot: { name: full, caption: The form, full_page: true, highlight: Save, mask: [{ testid: reference }] }
  - screenshot: { name: part, element: { css: form } }
  - dialog: accept
  - dialog: { answer: accept, with: renamed, message: { contains: name } }
  - frame: help
  - frame: { css: iframe }
  - leave_frame
  - window: new
  - window: { title: { contains: Documentation } }
  - store: { testid: reference, as: ref }
  - run: login.yaml
    vars: { user: demo }
  - section: Nested
    when: Accept cookies
    retry: 1
    optional: false
    steps:
      - click: { text: Add, within: { role: region, text: Recipients } }
"#;
    let errors: Vec<String> = validator()
        .iter_errors(&as_json(runbook))
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn broken_runbooks_are_rejected() {
    let validator = validator();
    let broken = [
        ("an unknown step", "- clik: Save"),
        ("an unknown key in a target", "- click: { txt: Save }"),
        ("a target without a locator", "- click: { row: alarm-1 }"),
        ("fill without `with`", "- fill: { label: Name }"),
        (
            "a toggle to a third state",
            "- toggle: { label: A, to: maybe }",
        ),
        ("a bad duration", "- sleep: soon"),
        (
            "a timeout inside the target",
            "- click: { text: A, timeout: 2s }",
        ),
        ("nth below one", "- click: { text: A, nth: 0 }"),
        ("a screenshot name with spaces", "- screenshot: My Figure"),
        ("retry that is not a number", "- click: A\n    retry: often"),
        ("a bare step with a value", "- back: yes"),
        ("a dialog answered with a third word", "- dialog: maybe"),
    ];
    for (what, step) in broken {
        let text = format!("name: x\nsteps:\n  {step}\n");
        assert!(
            !validator.is_valid(&as_json(&text)),
            "the schema accepts {what}:\n{text}"
        );
    }
    assert!(
        !validator.is_valid(&as_json("steps: []\n")),
        "a runbook without a name"
    );
    assert!(
        !validator.is_valid(&as_json("name: x\nstep: []\n")),
        "a misspelt top-level key"
    );
}

/// The loader's rules for `goto` URLs (http, https or a path) and
/// screenshot names (a plain name that fits a file name with the figure's
/// number) are in the schema, so editors flag them as the runbook is typed;
/// the schema and `docent validate` agree on every example.
#[test]
fn goto_urls_and_screenshot_names_follow_the_loaders_rules() {
    use docent::runbook::limits::MAX_SCREENSHOT_NAME_BYTES;
    let validator = validator();
    let longest = "a".repeat(MAX_SCREENSHOT_NAME_BYTES);
    let too_long = "a".repeat(MAX_SCREENSHOT_NAME_BYTES + 1);
    let good = [
        "- goto: http://127.0.0.1:8480/login".to_string(),
        "- goto: HTTPS://example.com/".into(),
        "- goto: /lab/form".into(),
        "- goto: lab/form?tab=1".into(),
        "- goto: { url: \"${page}\" }".into(),
        "- screenshot: tracker-list_2".into(),
        format!("- screenshot: {longest}"),
        format!("- screenshot: {{ name: {longest} }}"),
        "- screenshot: \"${figure}\"".into(),
    ];
    let bad = [
        "- goto: file:///etc/passwd".to_string(),
        "- goto: \"javascript:alert(1)\"".into(),
        "- goto: { url: \"data:text/html,<p>x\" }".into(),
        "- goto: about:blank".into(),
        "- goto: chrome://settings".into(),
        "- goto: \" JavaScript:alert(1)\"".into(),
        format!("- screenshot: {too_long}"),
        format!("- screenshot: {{ name: {too_long} }}"),
        "- screenshot: ../outside".into(),
        "- screenshot: a/b".into(),
        "- screenshot: \".\"".into(),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.yaml");
    let options = docent::runbook::LoadOptions {
        env: &|_| None,
        require_secrets: false,
        ..Default::default()
    };
    for (examples, valid) in [(&good[..], true), (&bad[..], false)] {
        for step in examples {
            let text = format!(
                "name: x\nurl: http://127.0.0.1:8480\nvars: {{ page: /a, figure: b }}\nsteps:\n  {step}\n"
            );
            assert_eq!(
                validator.is_valid(&as_json(&text)),
                valid,
                "the schema on:\n{text}"
            );
            std::fs::write(&path, &text).unwrap();
            assert_eq!(
                docent::runbook::load_file(&path, &options).is_ok(),
                valid,
                "docent validate on:\n{text}"
            );
        }
    }
}
