//! Colours for the terminal reporter as plain ANSI SGR sequences: a handful
//! of styles is all it needs, and writing them directly keeps the choice of
//! colour or none in [`super::TerminalOptions`] alone. With colours off
//! every style returns the text unchanged, so plain output carries no
//! escape codes at all.

/// Applies styles when colours are on.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub on: bool,
}

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.on && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    pub fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }

    pub fn red(self, text: &str) -> String {
        self.wrap("31", text)
    }

    pub fn bold_red(self, text: &str) -> String {
        self.wrap("1;31", text)
    }

    pub fn green(self, text: &str) -> String {
        self.wrap("32", text)
    }

    pub fn bold_green(self, text: &str) -> String {
        self.wrap("1;32", text)
    }

    pub fn yellow(self, text: &str) -> String {
        self.wrap("33", text)
    }

    pub fn bold_yellow(self, text: &str) -> String {
        self.wrap("1;33", text)
    }

    pub fn cyan(self, text: &str) -> String {
        self.wrap("36", text)
    }
}
