//! The fonts figures are drawn with. Chromium is asked which platform font
//! actually rendered each element of a page of font stacks (CDP
//! `CSS.getPlatformFontsForNode`): generic and named families, a family
//! that exists nowhere and characters that need a fallback font must all
//! land on docent's pinned files, which hold no DejaVu Math TeX Gyre (a
//! fallback a machine with `fonts-dejavu-extra` would otherwise use).
//! And a font the user installed in `~/.fonts` is not used by a run, while
//! the same run with `--system-fonts` does use it, so the check can fail.
//!
//! These tests need Debian's `chromium`, `chromium-driver`,
//! `fonts-liberation` and `fonts-dejavu-core` (`make deps`). Under `CI`
//! anything missing fails the test; locally it skips loudly.

use crate::common::{Harness, browser_available, docent, text};
use docent::browser::{BrowserSession, LaunchOptions, Page, fonts};
use docent::console;
use fantoccini::wd::WebDriverCompatibleCommand;
use futures_util::FutureExt;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::Path;

/// Each paragraph's id says what its font stack should resolve to.
const STACKS: &str = r#"<!doctype html><meta charset="utf-8"><body>
<p id="arial" style="font-family: Arial">Hamburgefonstiv 0123</p>
<p id="helvetica" style="font-family: Helvetica">Hamburgefonstiv 0123</p>
<p id="times" style="font-family: 'Times New Roman'">Hamburgefonstiv 0123</p>
<p id="courier" style="font-family: 'Courier New'">Hamburgefonstiv 0123</p>
<p id="system-ui" style="font-family: system-ui">Hamburgefonstiv 0123</p>
<p id="console" style="font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'Liberation Sans', sans-serif">Hamburgefonstiv 0123</p>
<p id="labs" style="font-family: -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif">Hamburgefonstiv 0123</p>
<p id="sans-serif" style="font-family: sans-serif">Hamburgefonstiv 0123</p>
<p id="serif" style="font-family: serif">Hamburgefonstiv 0123</p>
<p id="monospace" style="font-family: monospace">Hamburgefonstiv 0123</p>
<p id="nowhere" style="font-family: 'No Such Family Anywhere'">Hamburgefonstiv 0123</p>
<p id="dejavu-extra" style="font-family: 'DejaVu Math TeX Gyre'">Hamburgefonstiv 0123</p>
<p id="fallback" style="font-family: Arial">Ωμέγα ∀∂ ⅓ ∞ ● ☃</p>
</body>"#;

/// The families of the pinned files.
const PINNED_FAMILIES: [&str; 7] = [
    "Liberation Sans",
    "Liberation Sans Narrow",
    "Liberation Serif",
    "Liberation Mono",
    "DejaVu Sans",
    "DejaVu Serif",
    "DejaVu Sans Mono",
];

/// True when the browser and the pinned fonts are installed.
fn fonts_available() -> bool {
    if !browser_available() {
        return false;
    }
    let missing = fonts::missing();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but the pinned fonts are missing ({missing:?}): run `make deps`"
    );
    eprintln!("\n!!! SKIPPED: the pinned fonts are not installed; run `make deps` !!!\n");
    false
}

#[tokio::test]
async fn font_stacks_resolve_to_the_pinned_fonts_only() {
    if !fonts_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("stacks.html");
    std::fs::write(&page, STACKS).unwrap();
    // The panic tests count this process's browsers: take turns with them.
    let _turn = crate::common::IN_PROCESS_BROWSER.lock().await;
    let session = BrowserSession::launch(&LaunchOptions::default())
        .await
        .expect("the browser starts");
    let rendered = AssertUnwindSafe(platform_fonts(&session, &page))
        .catch_unwind()
        .await;
    session.close().await;
    let rendered = rendered.unwrap_or_else(|panic| std::panic::resume_unwind(panic));

    let expected = [
        ("arial", "Liberation Sans"),
        ("helvetica", "Liberation Sans"),
        ("times", "Liberation Serif"),
        ("courier", "Liberation Mono"),
        ("system-ui", "DejaVu Sans"),
        ("console", "DejaVu Sans"),
        // Segoe UI, Roboto and Helvetica Neue are missing: the stack
        // reaches Arial.
        ("labs", "Liberation Sans"),
        // Chromium's own defaults: Arial for sans-serif, Times New Roman
        // for serif and for a family that exists nowhere, Monospace.
        ("sans-serif", "Liberation Sans"),
        ("serif", "Liberation Serif"),
        ("nowhere", "Liberation Serif"),
        // In the pinned folder when `fonts-dejavu-extra` is installed, but
        // not a pinned file: missing too.
        ("dejavu-extra", "Liberation Serif"),
        ("monospace", "DejaVu Sans Mono"),
    ];
    for (id, family) in expected {
        assert_eq!(rendered[id], [family], "#{id}: {rendered:#?}");
    }
    // Arial has no ∀, ⅓ or ☃: a fallback font draws them.
    assert!(rendered["fallback"].len() > 1, "{rendered:#?}");
    for (id, families) in &rendered {
        for family in families {
            assert!(
                PINNED_FAMILIES.contains(&family.as_str()),
                "#{id} was drawn with {family}, which docent does not pin: {rendered:#?}"
            );
        }
    }
}

/// Which platform fonts drew each paragraph of `page`, by id.
async fn platform_fonts(session: &BrowserSession, page: &Path) -> BTreeMap<String, Vec<String>> {
    let url = url::Url::from_file_path(page).unwrap();
    session.goto(url.as_str()).await.expect("the page opens");
    let client = session.client();
    let cdp = |method: &'static str, params: Value| async move {
        client
            .issue_cmd(Cdp { method, params })
            .await
            .unwrap_or_else(|e| panic!("{method}: {e}"))
    };
    cdp("DOM.enable", json!({})).await;
    cdp("CSS.enable", json!({})).await;
    let root = cdp("DOM.getDocument", json!({})).await["root"]["nodeId"].clone();
    let nodes = cdp(
        "DOM.querySelectorAll",
        json!({ "nodeId": root, "selector": "p" }),
    )
    .await;
    let mut rendered = BTreeMap::new();
    for node in nodes["nodeIds"].as_array().expect("node ids") {
        let attributes = cdp("DOM.getAttributes", json!({ "nodeId": node })).await;
        let id = attributes["attributes"][1]
            .as_str()
            .expect("an id")
            .to_string();
        let fonts = cdp("CSS.getPlatformFontsForNode", json!({ "nodeId": node })).await;
        let families = fonts["fonts"]
            .as_array()
            .expect("fonts")
            .iter()
            .map(|font| font["familyName"].as_str().expect("a family").to_string())
            .collect();
        rendered.insert(id, families);
    }
    rendered
}

/// A CDP command through chromedriver's passthrough.
#[derive(Debug)]
struct Cdp {
    method: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.method, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Three boxes of one size with one text: in the user's font, in what a
/// missing family becomes (Liberation Serif), and in DejaVu Serif, whose
/// glyphs the user's font has.
const BOXES: &str = r#"<!doctype html><meta charset="utf-8">
<style>div { width: 320px; height: 48px; font-size: 28px; line-height: 48px; background: #fff; color: #000; }</style>
<body>
<div id="user" style="font-family: 'Docent Serif'">Hamburgefonstiv</div>
<div id="missing" style="font-family: 'Liberation Serif'">Hamburgefonstiv</div>
<div id="dejavu" style="font-family: 'DejaVu Serif'">Hamburgefonstiv</div>
</body>"#;

const FIGURES: &str = r##"name: Fonts
steps:
  - goto: /libs/fonts/index.html
  - screenshot: { name: user, element: { css: "#user" } }
  - screenshot: { name: missing, element: { css: "#missing" } }
  - screenshot: { name: dejavu, element: { css: "#dejavu" } }
"##;

#[tokio::test]
async fn a_font_in_the_users_home_is_not_used() {
    if !fonts_available() {
        return;
    }
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("fonts")).unwrap();
    std::fs::write(site.path().join("fonts/index.html"), BOXES).unwrap();
    let h = Harness::with(console::Config {
        libs: Some(site.path().to_path_buf()),
        ..console::Config::default()
    })
    .await;
    // DejaVu Serif renamed: the family is a name of the same length in
    // the font's name table, in both encodings it is stored in.
    let home = h.dir.path().join("home");
    std::fs::create_dir_all(home.join(".fonts")).unwrap();
    let serif = std::fs::read("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf").unwrap();
    let renamed = replace(
        &replace(&serif, b"DejaVu Serif", b"Docent Serif"),
        &utf16(b"DejaVu Serif"),
        &utf16(b"Docent Serif"),
    );
    assert_ne!(renamed, serif, "the family name was found");
    std::fs::write(home.join(".fonts/DocentSerif.ttf"), renamed).unwrap();
    let runbook = h.write("fonts.yaml", FIGURES);

    let figures = |flags: &'static [&'static str]| {
        let out = h.dir.path().join(format!("out{}", flags.len()));
        let url = h.console.url();
        let runbook = runbook.clone();
        let home = home.clone();
        async move {
            let mut args = vec![
                "run".to_string(),
                runbook.display().to_string(),
                "--url".into(),
                url,
                "--out".into(),
                out.display().to_string(),
            ];
            args.extend(flags.iter().map(|f| f.to_string()));
            let output = docent()
                .args(&args)
                .env("HOME", &home)
                .env_remove("XDG_DATA_HOME")
                .env_remove("XDG_CONFIG_HOME")
                .env_remove("XDG_CACHE_HOME")
                .output()
                .await
                .expect("docent runs");
            assert!(output.status.success(), "{}", text(&output));
            let read = |name: &str| std::fs::read(out.join(name)).expect("the figure");
            (
                read("01-user.png"),
                read("02-missing.png"),
                read("03-dejavu.png"),
            )
        }
    };
    let (user, missing, dejavu) = figures(&[]).await;
    assert_ne!(missing, dejavu, "the two references look different");
    assert!(user == missing, "the user's font was used");
    let (user, missing, dejavu) = figures(&["--system-fonts"]).await;
    assert!(
        user == dejavu && user != missing,
        "with --system-fonts the user's font is used"
    );
    h.console.shutdown().await;
}

fn utf16(ascii: &[u8]) -> Vec<u8> {
    ascii.iter().flat_map(|b| [0, *b]).collect()
}

fn replace(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len(), "the font's tables keep their sizes");
    let mut out = haystack.to_vec();
    let mut i = 0;
    while i + from.len() <= out.len() {
        if &out[i..i + from.len()] == from {
            out[i..i + from.len()].copy_from_slice(to);
            i += from.len();
        } else {
            i += 1;
        }
    }
    out
}
