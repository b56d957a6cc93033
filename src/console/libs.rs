//! The component-library labs: consoles of the seed procedure built with real published
//! component libraries (OpenTiny Vue, Ant Design Vue, Element Plus), so docent is proven on
//! markup that nobody here wrote. Their sources live in `labs/`; `make labs` installs the
//! pinned npm packages and bundles each lab into a folder of static files, which the console
//! serves under `/libs/<lab>/` when started with `--libs DIR`. The files are read from disk on
//! each request (they are built output, not part of the binary), and only files below that
//! folder are ever served.

use std::path::{Component, Path, PathBuf};

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

/// Routes under `/libs`, serving the built labs in `dir`.
pub fn routes<S: Clone + Send + Sync + 'static>(dir: Option<PathBuf>) -> Router<S> {
    Router::new()
        .route("/libs", get(|| async { Redirect::to("/libs/") }))
        .route("/libs/", get(index))
        .route("/libs/{*path}", get(file))
        .with_state(Labs { dir })
}

#[derive(Clone)]
struct Labs {
    dir: Option<PathBuf>,
}

async fn index(State(labs): State<Labs>) -> Response {
    serve(&labs, "index.html").await
}

async fn file(State(labs): State<Labs>, UrlPath(path): UrlPath<String>) -> Response {
    // `/libs/antd` without its slash would resolve `./app.js` against `/libs/`.
    if !path.contains('/') && !path.contains('.') {
        return Redirect::to(&format!("/libs/{path}/")).into_response();
    }
    let path = if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path
    };
    serve(&labs, &path).await
}

async fn serve(labs: &Labs, relative: &str) -> Response {
    let Some(dir) = &labs.dir else {
        return (
            StatusCode::NOT_FOUND,
            "The component-library labs are not served: build them with `make labs` and start \
             the console with `--libs target/labs`.\n",
        )
            .into_response();
    };
    let Some(path) = inside(dir, relative) else {
        return (StatusCode::NOT_FOUND, "no such file\n").into_response();
    };
    match tokio::fs::read(&path).await {
        Ok(body) => ([(header::CONTENT_TYPE, content_type(&path))], body).into_response(),
        Err(_) => (
            StatusCode::NOT_FOUND,
            format!(
                "{relative} is not in {}; run `make labs` to build the labs\n",
                dir.display()
            ),
        )
            .into_response(),
    }
}

/// `relative` joined to `dir`, or none when it would step outside it.
fn inside(dir: &Path, relative: &str) -> Option<PathBuf> {
    let relative = Path::new(relative);
    relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| dir.join(relative))
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_below_the_folder_are_served() {
        let dir = Path::new("/srv/labs");
        assert_eq!(
            inside(dir, "antd/app.js"),
            Some(PathBuf::from("/srv/labs/antd/app.js"))
        );
        assert_eq!(inside(dir, "../etc/passwd"), None);
        assert_eq!(inside(dir, "antd/../../x"), None);
        assert_eq!(inside(dir, "/etc/passwd"), None);
    }
}
