//! The fonts Chromium renders with. A figure compared with a committed
//! baseline must come out the same on every machine, and text is most of
//! what a console page draws: which font a `font-family` resolves to, and
//! how its glyphs are hinted and smoothed, depends on the fonts installed
//! and on the machine's (and the user's) fontconfig settings. So docent
//! gives Chromium a fontconfig configuration of its own: only the font
//! files of two fixed Debian packages (`fonts-liberation`, metric-compatible
//! with Arial, Helvetica, Times New Roman and Courier New, and
//! `fonts-dejavu-core` for the generic families and as glyph fallback),
//! which `make deps` installs; no user fonts, no other system fonts, no
//! user settings; the rendering settings pinned.
//!
//! The generic families resolve as a stock Debian resolves them with these
//! two packages (DejaVu first), and the metric aliases are Debian's, so the
//! figures of such a machine do not change; named families that neither
//! package stands in for (Segoe UI, Roboto, Helvetica Neue) are not
//! aliased: they are missing, and a CSS font stack goes on to its next
//! entry, as it does on Debian. When the files are not there (another
//! distribution, the packages not installed) Chromium keeps the machine's
//! fonts and the caller says so; `--system-fonts` asks for that on purpose.

use std::path::{Path, PathBuf};

/// Which fonts Chromium may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fonts {
    /// Only the pinned files, with pinned rendering settings, when they are
    /// installed; the machine's fonts otherwise.
    #[default]
    Pinned,
    /// The machine's fonts and fontconfig settings, the user's included.
    System,
}

/// The folders of the pinned packages.
const LIBERATION: &str = "/usr/share/fonts/truetype/liberation";
const DEJAVU: &str = "/usr/share/fonts/truetype/dejavu";

/// The font files docent renders with: every file of Debian's
/// `fonts-liberation` 1.07 and `fonts-dejavu-core` 2.37. `fonts-dejavu-extra`
/// shares the DejaVu folder; its files (condensed faces, DejaVu Math TeX
/// Gyre, which a glyph fallback would otherwise pick) are left out, so a
/// machine with it renders like one without.
pub const PINNED_FILES: [&str; 22] = [
    "liberation/LiberationMono-Bold.ttf",
    "liberation/LiberationMono-BoldItalic.ttf",
    "liberation/LiberationMono-Italic.ttf",
    "liberation/LiberationMono-Regular.ttf",
    "liberation/LiberationSans-Bold.ttf",
    "liberation/LiberationSans-BoldItalic.ttf",
    "liberation/LiberationSans-Italic.ttf",
    "liberation/LiberationSans-Regular.ttf",
    "liberation/LiberationSansNarrow-Bold.ttf",
    "liberation/LiberationSansNarrow-BoldItalic.ttf",
    "liberation/LiberationSansNarrow-Italic.ttf",
    "liberation/LiberationSansNarrow-Regular.ttf",
    "liberation/LiberationSerif-Bold.ttf",
    "liberation/LiberationSerif-BoldItalic.ttf",
    "liberation/LiberationSerif-Italic.ttf",
    "liberation/LiberationSerif-Regular.ttf",
    "dejavu/DejaVuSans.ttf",
    "dejavu/DejaVuSans-Bold.ttf",
    "dejavu/DejaVuSansMono.ttf",
    "dejavu/DejaVuSansMono-Bold.ttf",
    "dejavu/DejaVuSerif.ttf",
    "dejavu/DejaVuSerif-Bold.ttf",
];

/// Families and what they resolve to, first choice first. The metric
/// aliases are Debian's (`30-metric-aliases.conf`); the generic ones are
/// what Debian's `60-latin.conf` picks among these fonts.
const ALIASES: [(&[&str], &[&str]); 6] = [
    (&["Arial", "Helvetica", "Arimo"], &["Liberation Sans"]),
    (
        &["Times New Roman", "Times", "Tinos"],
        &["Liberation Serif"],
    ),
    (&["Courier New", "Courier", "Cousine"], &["Liberation Mono"]),
    (
        &["sans-serif", "sans", "system-ui"],
        &["DejaVu Sans", "Liberation Sans"],
    ),
    (&["serif"], &["DejaVu Serif", "Liberation Serif"]),
    (
        &["monospace", "mono"],
        &["DejaVu Sans Mono", "Liberation Mono"],
    ),
];

/// The pinned files that are not installed, as full paths.
pub fn missing() -> Vec<PathBuf> {
    missing_under(Path::new("/usr/share/fonts/truetype"))
}

fn missing_under(root: &Path) -> Vec<PathBuf> {
    PINNED_FILES
        .iter()
        .map(|file| root.join(file))
        .filter(|path| !path.is_file())
        .collect()
}

/// The fontconfig configuration Chromium gets, with `cache` as the cache
/// folder it may write.
///
/// Nothing is included (neither `/etc/fonts/conf.d` nor the user's
/// `~/.config/fontconfig`), and no folder but the two pinned ones is
/// scanned (neither `~/.fonts` nor `~/.local/share/fonts`). The system
/// cache comes first: fontconfig writes to the first cache folder it may
/// write, which is that one for root (it holds what `fc-cache` writes for
/// these folders anyway) and the run's own for everyone else.
pub fn config(cache: &Path) -> String {
    let mut xml = String::from(concat!(
        "<?xml version=\"1.0\"?>\n",
        "<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n",
        "<!-- docent's own: only the pinned fonts, rendered the same everywhere -->\n",
        "<fontconfig>\n",
    ));
    for dir in [LIBERATION, DEJAVU] {
        xml.push_str(&format!("  <dir>{dir}</dir>\n"));
    }
    xml.push_str("  <cachedir>/var/cache/fontconfig</cachedir>\n");
    xml.push_str(&format!("  <cachedir>{}</cachedir>\n", escape(cache)));
    // Whatever else shares the DejaVu folder is refused; an accepted file
    // wins over a refused glob.
    xml.push_str("  <selectfont>\n");
    xml.push_str(&format!(
        "    <rejectfont><glob>{DEJAVU}/*</glob></rejectfont>\n"
    ));
    xml.push_str("    <acceptfont>\n");
    for file in PINNED_FILES.iter().filter(|f| f.starts_with("dejavu/")) {
        xml.push_str(&format!(
            "      <glob>/usr/share/fonts/truetype/{file}</glob>\n"
        ));
    }
    xml.push_str("    </acceptfont>\n  </selectfont>\n");
    // `binding="same"` keeps the requested family's strength, which
    // Chromium needs to take the stand-in as the family asked for.
    for (families, prefer) in ALIASES {
        for family in families {
            xml.push_str(&format!(
                "  <alias binding=\"same\"><family>{family}</family><prefer>"
            ));
            for name in prefer {
                xml.push_str(&format!("<family>{name}</family>"));
            }
            xml.push_str("</prefer></alias>\n");
        }
    }
    // Debian's defaults, written out so neither the machine's nor the
    // user's settings change them: grayscale antialiasing with slight
    // hinting, no subpixel (LCD) rendering, no embedded bitmaps. Each of
    // antialias, hinting, hintstyle and rgba changes Chromium's pixels.
    // Chromium's own switches add nothing here: `--font-render-hinting`
    // does nothing under `--headless=new`; `--disable-lcd-text` only
    // repeats `rgba`, and it also changes which elements Chromium paints
    // in layers of their own, which moves pixels of figures;
    // `--disable-font-subpixel-positioning` moves every glyph, while its
    // default does not depend on the machine.
    xml.push_str(concat!(
        "  <match target=\"font\">\n",
        "    <edit name=\"antialias\" mode=\"assign\"><bool>true</bool></edit>\n",
        "    <edit name=\"hinting\" mode=\"assign\"><bool>true</bool></edit>\n",
        "    <edit name=\"hintstyle\" mode=\"assign\"><const>hintslight</const></edit>\n",
        "    <edit name=\"autohint\" mode=\"assign\"><bool>false</bool></edit>\n",
        "    <edit name=\"rgba\" mode=\"assign\"><const>none</const></edit>\n",
        "    <edit name=\"lcdfilter\" mode=\"assign\"><const>lcddefault</const></edit>\n",
        "    <edit name=\"embeddedbitmap\" mode=\"assign\"><bool>false</bool></edit>\n",
        "  </match>\n",
        "</fontconfig>\n",
    ));
    xml
}

/// Writes the configuration into `folder` (the driver's private `TMPDIR`)
/// with a cache folder beside it, and returns the file's path for
/// `FONTCONFIG_FILE`.
pub fn write_config(folder: &Path) -> std::io::Result<PathBuf> {
    let cache = folder.join("fontconfig-cache");
    std::fs::create_dir_all(&cache)?;
    let file = folder.join("fonts.conf");
    std::fs::write(&file, config(&cache))?;
    Ok(file)
}

/// A path as XML text.
fn escape(path: &Path) -> String {
    path.display()
        .to_string()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_pinned_folders_are_scanned_and_nothing_is_included() {
        let xml = config(Path::new("/tmp/run"));
        let dirs: Vec<&str> = xml
            .lines()
            .filter_map(|l| l.trim().strip_prefix("<dir>"))
            .collect();
        assert_eq!(
            dirs,
            [
                "/usr/share/fonts/truetype/liberation</dir>",
                "/usr/share/fonts/truetype/dejavu</dir>"
            ]
        );
        for absent in ["<include", "prefix=", "~/", ".fonts", "conf.d"] {
            assert!(!xml.contains(absent), "{absent} in\n{xml}");
        }
        assert!(xml.contains("<cachedir>/tmp/run</cachedir>"));
    }

    #[test]
    fn every_dejavu_file_is_accepted_by_name() {
        let xml = config(Path::new("/tmp/run"));
        for file in PINNED_FILES.iter().filter(|f| f.starts_with("dejavu/")) {
            assert!(xml.contains(&format!("<glob>/usr/share/fonts/truetype/{file}</glob>")));
        }
    }

    #[test]
    fn a_cache_path_is_escaped() {
        assert!(config(Path::new("/tmp/a&b")).contains("<cachedir>/tmp/a&amp;b</cachedir>"));
    }

    #[test]
    fn missing_files_are_listed_by_path() {
        let root = tempfile::tempdir().unwrap();
        assert_eq!(missing_under(root.path()).len(), PINNED_FILES.len());
        for file in PINNED_FILES {
            let path = root.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, b"").unwrap();
        }
        std::fs::remove_file(root.path().join("dejavu/DejaVuSerif.ttf")).unwrap();
        assert_eq!(
            missing_under(root.path()),
            [root.path().join("dejavu/DejaVuSerif.ttf")]
        );
    }
}
