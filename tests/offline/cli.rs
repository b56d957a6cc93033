//! The command line as a user's shell meets it, without a browser: the
//! completion scripts `docent completions` prints, what `docent run`
//! says when the browser it was told to use is not there, and that a
//! runbook holding control characters cannot reach the terminal through
//! what `validate` or `run` print.

use clap::CommandFactory;
use std::process::{Command, Output};

fn docent(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docent"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("docent runs")
}

fn completions(shell: &str) -> String {
    let output = docent(&["completions", shell]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the script is UTF-8")
}

/// Runs `script` in bash and returns what it printed.
fn bash(script: &str) -> String {
    let output = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", script])
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "bash failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_bash_script_names_every_command_and_bash_accepts_it() {
    let script = completions("bash");
    let commands: Vec<String> = docent::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in [
        "run",
        "validate",
        "schema",
        "console",
        "demo",
        "completions",
    ] {
        assert!(commands.iter().any(|c| c == name), "{name} is a command");
    }
    for name in &commands {
        assert!(
            script.contains(&format!("docent,{name})")),
            "the script completes `{name}`"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("docent.bash");
    std::fs::write(&path, &script).unwrap();
    let checked = Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash runs");
    assert!(
        checked.status.success(),
        "bash -n rejects the script: {}",
        String::from_utf8_lossy(&checked.stderr)
    );
}

#[test]
fn the_bash_script_completes_commands_flags_and_shells() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("docent.bash");
    std::fs::write(&path, completions("bash")).unwrap();
    // What bash offers for the last word of a command line, as it calls
    // the function the script registers for `docent`.
    let complete = |words: &[&str]| {
        let last = words.len() - 1;
        bash(&format!(
            "source '{}'; COMP_WORDS=({}); COMP_CWORD={last}; \
             _docent docent '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path.display(),
            words
                .iter()
                .map(|w| format!("'{w}'"))
                .collect::<Vec<_>>()
                .join(" "),
            words[last],
            words[last - 1],
        ))
    };
    assert_eq!(complete(&["docent", "va"]), "validate\n");
    assert_eq!(
        complete(&["docent", "run", "--chrom"]),
        "--chromium\n--chromedriver\n"
    );
    assert_eq!(
        complete(&["docent", "demo", "--chromed"]),
        "--chromedriver\n"
    );
    assert_eq!(
        complete(&["docent", "completions", ""]),
        "-h\n--help\nbash\nelvish\nfish\npowershell\nzsh\n"
    );
}

#[test]
fn every_shell_gets_a_script() {
    for (shell, mark) in [
        ("bash", "complete -F _docent"),
        ("zsh", "#compdef docent"),
        ("fish", "complete -c docent"),
        ("elvish", "edit:completion:arg-completer[docent]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = completions(shell);
        assert!(script.contains(mark), "{shell}: {script}");
        assert!(script.contains("validate"), "{shell}: {script}");
    }
    let unknown = docent(&["completions", "tcsh"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("possible values: bash"));
}

#[test]
fn a_browser_named_by_flag_that_is_not_there_stops_the_run_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let runbook = dir.path().join("open.yaml");
    std::fs::write(
        &runbook,
        "name: Open the console\nurl: http://127.0.0.1:9\nsteps:\n  - goto: /\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let missing = dir.path().join("no-such-chrome");
    let output = docent(&[
        "run",
        runbook.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--chromium",
        missing.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: cannot find Chromium; looked at:\n  --chromium {}: no such file\n",
            missing.display()
        )),
        "{stderr}"
    );
    // The reports say so too, for a CI job that reads only them.
    let results = std::fs::read_to_string(out.join("results.json")).unwrap();
    assert!(results.contains("cannot find Chromium"), "{results}");
}

/// Bytes no output of docent's may carry from a runbook: ESC (which starts
/// every escape sequence), BEL (which ends a window title), NUL, and the
/// right-to-left override.
fn assert_inert(output: &Output) {
    for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        for raw in ['\x1b', '\x07', '\0', '\u{202e}'] {
            assert!(!text.contains(raw), "{stream} holds {raw:?}: {text:?}");
        }
    }
}

#[test]
fn validate_shows_a_runbooks_control_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    // Escapes written as YAML spells them: the values hold the characters.
    let valid = dir.path().join("titled\x1b[31m.yaml");
    std::fs::write(
        &valid,
        "name: \"Retitled \\e]0;pwned\\a \\e[2J\\0 \\u202Egnp.exe\"\n\
         url: http://127.0.0.1:9\n\
         steps:\n  - click: \"Sub\\0mit\\e[31m\"\n",
    )
    .unwrap();
    let output = docent(&["validate", valid.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_inert(&output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(
            "titled\\e[31m.yaml (Retitled \\e]0;pwned\\a \\e[2J\\0 \\u202egnp.exe, 1 step)"
        ),
        "{stdout}"
    );

    // A value a message quotes, and raw bytes the YAML parser stops at,
    // shown in the line under the caret.
    let quoted = dir.path().join("quoted.yaml");
    std::fs::write(
        &quoted,
        "name: x\nsteps:\n  - click: Next\n    timeout: \"5\\e[31m\\0\"\n",
    )
    .unwrap();
    let raw = dir.path().join("raw.yaml");
    std::fs::write(
        &raw,
        b"name: x\nsteps:\n  - click: \"a\x1b]0;pwned\x07b\x00c\"\n",
    )
    .unwrap();
    let output = docent(&["validate", quoted.to_str().unwrap(), raw.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_inert(&output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: unknown unit `\\e[31m\\0` in `5\\e[31m\\0`"),
        "{stderr}"
    );
    // The caret stays under the culprit, which is shown two columns wide.
    assert!(
        stderr.contains("3 |   - click: \"a\\e]0;pwned\\ab\\0c\"\n  |              ^^\n"),
        "{stderr}"
    );
}

#[test]
fn a_run_prints_control_characters_in_paths_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let runbook = dir.path().join("open.yaml");
    std::fs::write(
        &runbook,
        "name: Open\nurl: http://127.0.0.1:9\nsteps:\n  - goto: /\n",
    )
    .unwrap();
    // Named in the note about the report and in the error about the
    // browser, which stops the run before any step.
    let missing = dir.path().join("no-chrome\x1b[2J\u{202e}");
    for json in [false, true] {
        let out = dir.path().join(format!("out\x1b]0;pwned\x07-{json}"));
        let mut args = vec![
            "run",
            runbook.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--chromium",
            missing.to_str().unwrap(),
        ];
        if json {
            args.push("--json");
        }
        let output = docent(&args);
        assert_eq!(output.status.code(), Some(3), "{output:?}");
        assert_inert(&output);
        let shown = |path: &std::path::Path| {
            path.display()
                .to_string()
                .replace('\x1b', "\\e")
                .replace('\x07', "\\a")
                .replace('\u{202e}', "\\u202e")
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("--chromium {}: no such file", shown(&missing))),
            "{stderr}"
        );
        let notes = if json {
            &stderr
        } else {
            &String::from_utf8_lossy(&output.stdout)
        };
        assert!(
            notes.contains(&format!("report: {}", shown(&out.join("report.html")))),
            "{notes}"
        );
        if json {
            // Still JSON, holding the folder's name as it is.
            let stdout = String::from_utf8(output.stdout).unwrap();
            let last = stdout.lines().last().expect("a run_finished line");
            let event: serde_json::Value = serde_json::from_str(last).unwrap();
            assert_eq!(event["out_dir"], out.to_str().unwrap());
        }
    }
}

#[test]
fn console_settings_it_refuses_are_a_command_line_error() {
    let output = docent(&["console", "--port", "0", "--failure-rate", "2"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("invalid console setting: failure_rate must be between 0 and 1, not 2"),
        "{stderr}"
    );
}
