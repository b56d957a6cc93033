//! Loading good and bad runbooks: the typed result, and the exact
//! `file:line:column` and wording of every diagnostic. How screenshots
//! are compared and masked is in [`figures`].

use super::*;

mod figures;
mod tags;

fn env(name: &str) -> Option<String> {
    match name {
        "CONSOLE_PASSWORD" => Some("s3cret".into()),
        "FROM_ENV" => Some("env-value".into()),
        _ => None,
    }
}

fn load_str(source: &str) -> Result<Runbook, LoadError> {
    let options = LoadOptions {
        env: &env,
        ..LoadOptions::default()
    };
    parse(source, Path::new("book.yaml"), &options)
}

fn errors(source: &str) -> String {
    load_str(source)
        .expect_err("runbook should be rejected")
        .to_string()
}

const GOOD: &str = r#"name: Create a tracker
url: http://127.0.0.1:8480/
vars: { tracker: system }
secrets: [CONSOLE_PASSWORD]
timeout: 5s
steps:
  - section: Log in
    steps:
      - goto: /login
      - fill: { label: Password, with: "${CONSOLE_PASSWORD}" }
      - click: Log In
  - section: Configure
    steps:
      - click: { text: Configure, row: "${tracker}" }
        timeout: 20s
      - toggle: { label: Transfer to LTS, to: on }
      - toggle: { label: CTS, to: off, confirm: OK }
      - expect_toast: Operation successfully!
      - expect: { role: button, text: Next }
      - expect_gone: No threats
      - screenshot: { name: configure-transfer, caption: Configure Transfer }
"#;

#[test]
fn loads_a_good_runbook() {
    let book = load_str(GOOD).unwrap();
    assert_eq!(book.name, "Create a tracker");
    assert_eq!(book.id, "book");
    assert_eq!(book.timeout, std::time::Duration::from_secs(5));
    let steps = book.steps();
    assert_eq!(steps.len(), 10);
    let (sections, goto) = &steps[0];
    assert_eq!(sections[0].title, "Log in");
    assert_eq!(goto.pos, Pos { line: 9, column: 9 });
    assert!(matches!(&goto.action, Action::Goto(g) if g.url == "http://127.0.0.1:8480/login"));
    assert!(matches!(&steps[1].1.action, Action::Fill(f) if f.value == "s3cret"));
    let (_, click) = &steps[3];
    assert_eq!(click.timeout, Some(std::time::Duration::from_secs(20)));
    let Action::Click(c) = &click.action else {
        panic!()
    };
    assert_eq!(c.target.row.as_deref(), Some("system"));
    assert_eq!(c.target.locator, Locator::Text("Configure".into()));
    assert!(matches!(&steps[4].1.action, Action::Toggle(t) if t.on && t.confirm.is_none()));
    assert!(
        matches!(&steps[5].1.action, Action::Toggle(t) if !t.on && t.confirm.as_deref() == Some("OK"))
    );
    assert!(
        matches!(&steps[7].1.action, Action::Expect(e) if e.target.locator == Locator::Role { role: "button".into(), name: Some("Next".into()) })
    );
    assert_eq!(book.redact("typed s3cret"), "typed •••");
}

#[test]
fn overrides_beat_environment_and_vars() {
    let mut overrides = BTreeMap::new();
    overrides.insert("tracker".to_string(), "audit".to_string());
    let options = LoadOptions {
        overrides,
        env: &env,
        base_url: Some("http://127.0.0.1:9999".into()),
        require_secrets: true,
    };
    let book = parse(GOOD, Path::new("book.yaml"), &options).unwrap();
    assert_eq!(book.base_url.as_deref(), Some("http://127.0.0.1:9999"));
    let Action::Click(c) = &book.steps()[3].1.action else {
        panic!()
    };
    assert_eq!(c.target.row.as_deref(), Some("audit"));
    let Action::Goto(g) = &book.steps()[0].1.action else {
        panic!()
    };
    assert_eq!(g.url, "http://127.0.0.1:9999/login");
}

#[test]
fn syntax_error_names_line_and_column() {
    let message = errors("name: x\nsteps:\n  - click: [Next\n");
    assert!(message.contains("--> book.yaml:"), "{message}");
    assert!(message.starts_with("error: invalid YAML"), "{message}");
}

#[test]
fn unknown_step_is_pointed_at_with_a_suggestion() {
    let message = errors("name: x\nsteps:\n  - clik: Next\n");
    assert_eq!(
        message,
        "error: unknown step `clik`\n  --> book.yaml:3:5\n  |\n3 |   - clik: Next\n  |     ^^^^\n  = help: did you mean `click`?\n"
    );
}

#[test]
fn all_problems_are_reported_together() {
    let message = errors(
        "name: x\nnmae: y\nsteps:\n  - toggle: { label: A, to: maybe }\n  - click: { text: A, css: .b }\n  - expect: \"${trackr}\"\n",
    );
    assert!(
        message.contains("unknown key `nmae` in runbook\n  --> book.yaml:2:1"),
        "{message}"
    );
    assert!(
        message.contains("`to` is `on` or `off`, found \"maybe\"\n  --> book.yaml:4:29"),
        "{message}"
    );
    assert!(
        message
            .contains("`text` and `css` both say what to look for; give one\n  --> book.yaml:5:23"),
        "{message}"
    );
    assert!(
        message.contains("undefined variable `trackr`\n  --> book.yaml:6:14"),
        "{message}"
    );
    assert!(message.ends_with("4 problems in book.yaml"), "{message}");
}

#[test]
fn missing_secret_says_how_to_provide_it() {
    let message = errors("name: x\nsecrets: [NOPE]\nsteps:\n  - goto: http://x/\n");
    assert!(
        message.contains("secret `NOPE` is not set in the environment\n  --> book.yaml:2:11"),
        "{message}"
    );
    assert!(message.contains("export NOPE=..."), "{message}");
}

#[test]
fn relative_goto_needs_a_base_url() {
    let message = errors("name: x\nsteps:\n  - goto: /login\n");
    assert!(message.contains("book.yaml:3:11"), "{message}");
    assert!(message.contains("has no `url`"), "{message}");
}

#[test]
fn fill_without_with_and_bad_screenshot_name() {
    let message = errors(
        "name: x\nurl: http://h\nsteps:\n  - fill: { label: User }\n  - screenshot: My Figure\n",
    );
    assert!(
        message.contains("`fill` needs `with` (the text to type)\n  --> book.yaml:4:11"),
        "{message}"
    );
    assert!(
        message.contains("screenshot name \"My Figure\" must be letters"),
        "{message}"
    );
}

#[test]
fn two_steps_in_one_entry_and_missing_name() {
    let message = errors("steps:\n  - click: A\n    expect: B\n");
    assert!(message.contains("the runbook has no `name`"), "{message}");
    assert!(
        message.contains(
            "one step per list entry: `click` and `expect` are both here\n  --> book.yaml:3:5"
        ),
        "{message}"
    );
}

#[test]
fn bad_timeout_units() {
    let message = errors("name: x\ntimeout: 10\nsteps:\n  - click: A\n    timeout: 3h\n");
    assert!(message.contains("`10` needs a unit"), "{message}");
    assert!(
        message.contains("unknown unit `h` in `3h`; use `ms`, `s` or `m`\n  --> book.yaml:5:14"),
        "{message}"
    );
}

#[test]
fn a_plain_string_entry_hints_at_the_colon() {
    let message = errors("name: x\nsteps:\n  - click Next\n");
    assert!(
        message.contains("write `click: ...` with a colon"),
        "{message}"
    );
}

#[test]
fn the_shipped_runbook_loads() {
    let options = LoadOptions {
        env: &env,
        ..LoadOptions::default()
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks/mtd-create-tracker.yaml");
    let book = load(&path, &options).unwrap_or_else(|e| panic!("{e}"));
    let screenshots = book
        .steps()
        .iter()
        .filter(|(_, s)| matches!(s.action, Action::Screenshot(_)))
        .count();
    assert_eq!(screenshots, 6);
}

#[test]
fn empty_targets_and_step_less_entries_are_rejected() {
    let message = errors(
        "name: x\nsteps:\n  - expect: \"\"\n  - expect_toast: \" \"\n  - timeout: 5s\n  - {}\n  - goto: \"http://[::1\"\n",
    );
    assert!(
        message.contains("`expect` is given empty text\n  --> book.yaml:3:13"),
        "{message}"
    );
    assert!(
        message.contains("`expect_toast` is given empty text\n  --> book.yaml:4:19"),
        "{message}"
    );
    assert!(
        message.contains("this entry has no step\n  --> book.yaml:5:5"),
        "{message}"
    );
    assert!(
        message.contains("this entry has no step\n  --> book.yaml:6:5"),
        "{message}"
    );
    assert!(
        message.contains("`http://[::1` is not a valid URL"),
        "{message}"
    );
}

#[test]
fn yaml_errors_speak_of_runbooks() {
    let message = errors("name: x\nname: y\nsteps:\n  - click: A\n");
    assert!(
        message.contains("error: `name` is given twice\n  --> book.yaml:2:1"),
        "{message}"
    );
    let message = errors("name: x\nsteps:\n  - click: A\n---\nname: y\n");
    assert!(
        message.contains("a runbook is one YAML document"),
        "{message}"
    );
    let long = format!("name: x\nsteps:\n  - click: \"{}\n", "a".repeat(5000));
    let message = errors(&long);
    assert!(
        message.lines().all(|l| l.chars().count() < 200),
        "{message}"
    );
}

#[test]
fn the_whole_vocabulary_is_typed_at_load_time() {
    let source = "name: x\nurl: http://h:1\nsteps:\n  - store: { testid: reference, as: ref }\n  - fill: { placeholder: Search, with: \"id ${ref}\" }\n  - press: [Control+a, Enter]\n  - expect_url: /lab/form\n  - expect_toast: { regex: \"^Op.*!$\", kind: error }\n  - expect_absent: { text: Busy, for: 1.5s }\n  - wait_for: { gone: { css: .mask } }\n  - click: { contains: Creat, within: { role: region, text: Recipients }, nth: 2 }\n    retry: 2\n    optional: true\n    when: Accept cookies\n  - back\n";
    let book = parse(source, Path::new("book.yaml"), &LoadOptions::default()).unwrap();
    let steps: Vec<&Action> = book.steps().into_iter().map(|(_, s)| &s.action).collect();
    let Action::Fill(fill) = steps[1] else {
        panic!()
    };
    assert!(steps[1].uses_runtime_vars(), "{fill:?}");
    let Action::Press(press) = steps[2] else {
        panic!()
    };
    assert_eq!(press.keys[0].modifiers, [Modifier::Control]);
    assert_eq!(press.keys[1].key, "Enter");
    let Action::ExpectUrl(Matcher::Exact(url)) = steps[3] else {
        panic!()
    };
    assert_eq!(url, "http://h:1/lab/form");
    let Action::ExpectToast(toast) = steps[4] else {
        panic!()
    };
    assert_eq!(toast.kind, ToastKind::Error);
    assert!(toast.text.matches("Operation successfully!"));
    let Action::ExpectAbsent(absent) = steps[5] else {
        panic!()
    };
    assert_eq!(absent.during, std::time::Duration::from_millis(1500));
    assert!(matches!(steps[6], Action::WaitFor(Condition::Gone(_))));
    let Action::Click(click) = steps[7] else {
        panic!()
    };
    assert_eq!(click.target.nth, Some(2));
    assert!(click.target.within.is_some());
    assert!(matches!(
        click.target.locator,
        Locator::Text(Matcher::Contains(_))
    ));
    let (_, step) = book.steps()[7];
    assert_eq!((step.flow.retry, step.flow.optional), (2, true));
    assert!(step.flow.when.is_some());
    assert!(matches!(steps[8], Action::Back));
}

#[test]
fn env_variables_and_escapes() {
    let env = |name: &str| (name == "REGION").then(|| "CN-Hong Kong".to_string());
    let options = LoadOptions {
        env: &env,
        ..LoadOptions::default()
    };
    let book = parse(
        "name: x\nvars: { literal: \"$${not}\" }\nsteps:\n  - expect: \"${env.REGION} ${literal}\"\n",
        Path::new("book.yaml"),
        &options,
    )
    .unwrap();
    let Action::Expect(expect) = &book.steps()[0].1.action else {
        panic!()
    };
    assert_eq!(
        expect.target.locator,
        Locator::Text(Matcher::Exact("CN-Hong Kong ${not}".into()))
    );
    let message = parse(
        "name: x\nsteps:\n  - expect: \"a ${env.MISSING}\"\n",
        Path::new("book.yaml"),
        &options,
    )
    .unwrap_err()
    .to_string();
    assert!(
        message.contains("environment variable `MISSING` is not set\n  --> book.yaml:3:16"),
        "{message}"
    );
}

#[test]
fn only_files_that_start_like_a_runbook_are_quoted() {
    use super::diagnostic::looks_like_runbook;
    for runbook in [
        "name: x\nsteps: []\n",
        "# a comment\n\n---\nname: x\n",
        "\u{feff}name:\n  x\n",
        "%YAML 1.2\n--- \nurl: http://x\n",
        "{name: x, steps: [back]}\n",
        "- click: Next\n",
        "name : spaced\n",
        "\"name\": \"x\"\n",
        "my key: x\n",
        "",
    ] {
        assert!(looks_like_runbook(runbook), "{runbook:?}");
    }
    for other in [
        "root:$6$hash:19000:0:99999:7:::\n",
        "root:x:0:0:root:/root:/bin/bash\n",
        "-----BEGIN OPENSSH PRIVATE KEY-----\n",
        "127.0.0.1 localhost\n",
        "[section]\nkey = value\n",
        "  indented: value\n",
        "\"unclosed: x\n",
        "'quoted' not a key: x\n",
        "\u{fffd}PNG\r\n",
    ] {
        assert!(!looks_like_runbook(other), "{other:?}");
    }
}

#[test]
fn a_file_that_does_not_start_like_a_runbook_is_not_parsed_or_quoted() {
    let message = errors("root:$6$hash:19000:0:99999:7:::\nname: x\n");
    assert_eq!(
        message,
        "error: this file is not a runbook: it does not start with a `key: value` line\n  \
         --> book.yaml:1:1\n  = note: its lines are not shown: it does not start like a runbook (`name: ...`)\n  \
         = help: a runbook is YAML that starts like `name: Create a tracker`\n"
    );
}

#[test]
fn the_step_cap_counts_steps_and_stops_lowering() {
    let steps = "  - back\n".repeat(limits::MAX_STEPS + 5);
    let message = errors(&format!("name: x\nurl: http://x\nsteps:\n{steps}"));
    assert!(
        message.starts_with(
            "error: this is step number 10001: a runbook may have at most 10000 steps, its includes' steps counted\n  --> book.yaml:10004:5\n"
        ),
        "{message}"
    );
    assert_eq!(message.matches("error:").count(), 1, "{message}");
}

/// Where a stored value stands in place of the scheme, the URL is left for
/// the engine to resolve; a path or a scheme before it is settled at load.
#[test]
fn a_goto_that_a_stored_value_begins_is_resolved_at_run_time() {
    let store = "  - store: { testid: link, as: link }\n";
    let book = load_str(&format!(
        "name: x\nsteps:\n{store}  - goto: \"${{link}}\"\n  - goto: \"https://h/${{link}}\"\n"
    ))
    .unwrap();
    let urls: Vec<String> = book
        .steps()
        .iter()
        .filter_map(|(_, step)| match &step.action {
            Action::Goto(g) => Some(g.url.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        urls,
        [
            format!("{RUNTIME_OPEN}link{RUNTIME_CLOSE}"),
            format!("https://h/{RUNTIME_OPEN}link{RUNTIME_CLOSE}")
        ]
    );
    // A path needs `url` at load time, a literal scheme is checked then.
    let message = errors(&format!(
        "name: x\nsteps:\n{store}  - goto: \"/t/${{link}}\"\n"
    ));
    assert!(
        message.contains("is relative but the runbook has no `url`"),
        "{message}"
    );
    let message = errors(&format!(
        "name: x\nurl: http://x\nsteps:\n{store}  - goto: \"javascript:${{link}}\"\n"
    ));
    assert!(message.contains("not `javascript:` URLs"), "{message}");
}

#[test]
fn goto_refuses_schemes_other_than_http() {
    let message =
        errors("name: x\nurl: http://x\nsteps:\n  - goto: { url: 'file:///etc/passwd' }\n");
    assert!(
        message.starts_with(
            "error: `goto` opens http, https or relative URLs, not `file:` URLs\n  --> book.yaml:4:19\n"
        ),
        "{message}"
    );
}

#[test]
fn a_misspelt_key_of_a_target_given_as_a_value_is_named() {
    let message = errors(
        "name: x\nurl: http://h\nsteps:\n  - screenshot: { name: a, highlight: { txt: Save }, element: { tetsid: form } }\n  - click: { text: Add, within: { rol: region, text: Recipients } }\n  - wait_for: { gone: { txt: Loading } }\n",
    );
    for expected in [
        "unknown key `txt` in `highlight`\n  --> book.yaml:4:41",
        "unknown key `tetsid` in `element`\n  --> book.yaml:4:65",
        "did you mean `testid`?",
        "unknown key `rol` in `within`\n  --> book.yaml:5:35",
        "unknown key `txt` in `gone`\n  --> book.yaml:6:25",
    ] {
        assert!(message.contains(expected), "{expected}\n---\n{message}");
    }
}
