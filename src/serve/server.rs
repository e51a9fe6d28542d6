//! HTTP for `serve`: the in-memory site, the live-reload socket, and the guards around them.
//!
//! - Only files of the current snapshot are served; a path is decoded once, and anything
//!   with `.`/`..` segments, backslashes or NUL is simply not a key (404).
//! - The `Host` header must name this machine (DNS rebinding), and the live-reload socket
//!   checks `Origin`; no `Access-Control-Allow-Origin` is ever sent.
//! - HTML gets the live-reload script (serve only; `build` output never has it) and, while
//!   the latest build has failed, an overlay with its errors over the last good page.

use super::site::{Served, Snapshot};
use axum::body::Body;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, RwLock};
use tokio::sync::broadcast;

pub const RELOAD_PATH: &str = "/__podium/livereload";
const SCRIPT_PATH: &str = "/__podium/livereload.js";
const OVERLAY_CSS_PATH: &str = "/__podium/overlay.css";
/// Where tools (and our tests and benchmarks) learn whether the latest rebuild is done.
pub const STATUS_PATH: &str = "/__podium/status";

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub snapshot: Arc<RwLock<Arc<Snapshot>>>,
    pub reload: broadcast::Sender<u64>,
    /// Counts every snapshot published, for requests waiting on a pending file.
    pub published: Arc<tokio::sync::watch::Sender<u64>>,
    /// A rebuild is under way (its first step may not be published yet).
    pub building: Arc<std::sync::atomic::AtomicBool>,
    /// Live-reload sockets open now.
    pub clients: Arc<std::sync::atomic::AtomicUsize>,
    /// Requests waiting for a pending file now.
    pub waiting: Arc<std::sync::atomic::AtomicUsize>,
    /// Host names (without port) requests may use.
    pub hosts: Arc<Vec<String>>,
}

impl AppState {
    fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

pub fn router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route(RELOAD_PATH, axum::routing::get(reload_socket))
        .route(
            SCRIPT_PATH,
            axum::routing::get(|| async { asset("text/javascript", LIVERELOAD_JS) }),
        )
        .route(
            OVERLAY_CSS_PATH,
            axum::routing::get(|| async { asset("text/css", OVERLAY_CSS) }),
        )
        .route(STATUS_PATH, axum::routing::get(status))
        .fallback(site_file)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            check_host,
        ))
        .with_state(state)
}

/// How long a client may take to send a request's headers (or its first byte) before its
/// connection is closed, so connections that stall (slowloris) do not pile up.
const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Accept connections for ever, each served on its own task. Like `axum::serve`, but with a
/// timeout on reading headers (which `axum::serve` does not set), and a failed `accept`
/// (out of file descriptors, say) waits a moment rather than ending the server.
pub async fn accept(listener: tokio::net::TcpListener, router: axum::Router) {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            // A connection that sends nothing at all is closed after the same time.
            let mut first = [0u8; 1];
            if tokio::time::timeout(HEADER_TIMEOUT, stream.peek(&mut first))
                .await
                .is_err()
            {
                return;
            }
            let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT);
            // A client that goes away mid-answer is not our problem.
            let _ = builder
                .serve_connection_with_upgrades(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Refuse requests whose `Host` is not this machine: a page on another site must not be
/// able to read this one through a DNS name pointed at 127.0.0.1.
async fn check_host(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if allowed_host(host, &state.hosts) {
        next.run(request).await
    } else {
        (
            StatusCode::FORBIDDEN,
            "this server answers only to its own address\n",
        )
            .into_response()
    }
}

fn allowed_host(host_and_port: &str, hosts: &[String]) -> bool {
    let host = if let Some(rest) = host_and_port.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host_and_port
            .rsplit_once(':')
            .map_or(host_and_port, |(h, _)| h)
    };
    hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut response = Response::new(Body::from(body));
    dev_headers(response.headers_mut(), content_type);
    response
}

/// What every answer of the dev server carries: its type, "always revalidate" (a rebuilt file
/// must never be served stale) and no content sniffing.
fn dev_headers(headers: &mut HeaderMap, content_type: &'static str) {
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

async fn site_file(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    request: Request,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let raw_path = request.uri().path();
    let Some(path) = decode_path(raw_path) else {
        return not_found(&state.current());
    };
    let mut snapshot = state.current();
    let mut key = file_key(&snapshot, &path);
    if snapshot.must_wait(&key) {
        // The file is being made again: wait for the step that makes it rather than answer
        // with the previous version's (or a 404 for a file about to exist).
        let mut published = state.published.subscribe();
        let deadline = tokio::time::Instant::now() + PENDING_WAIT;
        // While someone waits, the rebuild finishes its steps before it takes a new save.
        let _waiting = Waiting::count(state.waiting.clone());
        loop {
            snapshot = state.current();
            key = file_key(&snapshot, &path);
            if !snapshot.must_wait(&key) {
                break;
            }
            match tokio::time::timeout_at(deadline, published.changed()).await {
                Ok(Ok(())) => {}
                _ => break,
            }
        }
    }
    match snapshot.files.get(&key) {
        Some(file) => respond(&snapshot, &key, file, &headers, StatusCode::OK),
        None if snapshot.files.contains_key(&format!("{key}/index.html")) => {
            let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
            // The query goes along (`/speakers?q=x` to `/speakers/?q=x`), as a host's does.
            let query = request
                .uri()
                .query()
                .map_or_else(String::new, |q| format!("?{q}"));
            if let Ok(location) = HeaderValue::from_str(&format!("{raw_path}/{query}")) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        None => not_found(&snapshot),
    }
}

/// How long a request for a pending file waits for it before it is answered from what there
/// is (a step takes well under this even for 100,000 reports).
const PENDING_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// The output file a decoded request path names: `/forums/` -> `forums/index.html`.
fn file_key(snapshot: &Snapshot, path: &str) -> String {
    let inner = path
        .strip_prefix(snapshot.base_path.as_str())
        .or_else(|| path.strip_prefix('/'))
        .unwrap_or(path);
    if inner.is_empty() || inner.ends_with('/') {
        format!("{inner}index.html")
    } else {
        inner.to_string()
    }
}

/// Decode percent-escapes once and keep only plain paths: no `.` or `..` segment, no
/// backslash, no NUL, valid UTF-8. Anything else names nothing we serve.
fn decode_path(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    if !path.starts_with('/') || path.contains(['\\', '\0']) || path.len() > 4096 {
        return None;
    }
    if path
        .split('/')
        .any(|segment| segment == "." || segment == "..")
        || path.contains("//")
    {
        return None;
    }
    Some(path)
}

fn not_found(snapshot: &Snapshot) -> Response {
    match snapshot.files.get("404.html") {
        Some(page) => respond(
            snapshot,
            "404.html",
            page,
            &HeaderMap::new(),
            StatusCode::NOT_FOUND,
        ),
        None if snapshot.errors.is_some() => {
            // The very first build failed: there is no site yet, only the errors.
            let page = Served { bytes: "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body></body></html>".into(), etag: String::new() };
            respond(
                snapshot,
                "error.html",
                &page,
                &HeaderMap::new(),
                StatusCode::OK,
            )
        }
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

fn respond(
    snapshot: &Snapshot,
    key: &str,
    file: &Served,
    request: &HeaderMap,
    status: StatusCode,
) -> Response {
    let content_type = content_type(key);
    let is_html = content_type.starts_with("text/html");
    // HTML varies with the build's errors (the overlay), so its validator includes them.
    let etag = if is_html {
        format!("{}-{}", file.etag.trim_end_matches('"'), snapshot.version) + "\""
    } else {
        file.etag.clone()
    };
    if status == StatusCode::OK
        && request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            == Some(etag.as_str())
    {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(v) = HeaderValue::from_str(&etag) {
            response.headers_mut().insert(header::ETAG, v);
        }
        return response;
    }
    let bytes: axum::body::Bytes = if is_html {
        inject(&file.bytes, snapshot).into()
    } else {
        file.bytes.clone()
    };
    // One byte range, for media players and resumed downloads; HTML is always sent whole.
    let range = request
        .get(header::RANGE)
        .and_then(|r| r.to_str().ok())
        .filter(|_| status == StatusCode::OK && !is_html);
    let (status, bytes, content_range) = match range.map(|r| byte_range(r, bytes.len() as u64)) {
        None => (status, bytes, None),
        Some(Some((start, end))) => {
            let part = bytes.slice(start as usize..=end as usize);
            (
                StatusCode::PARTIAL_CONTENT,
                part,
                Some(format!("bytes {start}-{end}/{}", bytes.len())),
            )
        }
        Some(None) => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            axum::body::Bytes::new(),
            Some(format!("bytes */{}", bytes.len())),
        ),
    };
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    dev_headers(headers, content_type);
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Some(v) = content_range.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(header::CONTENT_RANGE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, v);
    }
    response
}

/// The first and last byte of a single `Range: bytes=…` request over `len` bytes; `None` when
/// it cannot be satisfied (past the end, malformed, or several ranges, which we do not serve).
fn byte_range(header: &str, len: u64) -> Option<(u64, u64)> {
    let spec = header.trim().strip_prefix("bytes=")?;
    if spec.contains(',') || len == 0 {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (start, end) = match (first.trim(), last.trim()) {
        ("", suffix) => {
            let n: u64 = suffix.parse().ok()?;
            if n == 0 {
                return None;
            }
            (len.saturating_sub(n), len - 1)
        }
        (from, "") => (from.parse().ok()?, len - 1),
        (from, to) => (from.parse().ok()?, to.parse::<u64>().ok()?.min(len - 1)),
    };
    (start <= end && start < len).then_some((start, end))
}

/// Add the live-reload script, and the error overlay while the latest build has failed.
fn inject(html: &[u8], snapshot: &Snapshot) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let mut extra = format!(
        "<script src=\"{SCRIPT_PATH}\" data-version=\"{}\" defer></script>",
        build_id(snapshot.version)
    );
    if let Some(errors) = &snapshot.errors {
        let listing: String = errors
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.render(false))
            .collect();
        extra.push_str(&format!(
            "<link rel=\"stylesheet\" href=\"{OVERLAY_CSS_PATH}\"><aside id=\"podium-overlay\" role=\"alert\"><h2>The site did not build</h2>\
             <p>Showing the last good version. Fix the problem below and save; this page reloads by itself.</p><pre>{}</pre></aside>",
            crate::render::html_escape(&listing)
        ));
    }
    match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

pub fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" | "oga" => "audio/ogg",
        "wav" => "audio/wav",
        "vtt" => "text/vtt; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "zip" => "application/zip",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        _ => "application/octet-stream",
    }
}

/// `{"version": 7, "pending": false, "errors": 0, "clients": 2}`: the current snapshot's
/// version, whether a rebuild is under way (including steps still to come), how many errors
/// the latest build had, and how many live-reload sockets are open.
async fn status(State(state): State<AppState>) -> Response {
    let snapshot = state.current();
    let building = state.building.load(std::sync::atomic::Ordering::SeqCst);
    let body = serde_json::json!({
        "version": snapshot.version,
        "pending": building || snapshot.pending.is_some(),
        "errors": snapshot.errors.as_ref().map_or(0, |e| e.error_count()),
        "clients": state.clients.load(std::sync::atomic::Ordering::SeqCst),
    });
    let mut response = (StatusCode::OK, format!("{body}\n")).into_response();
    dev_headers(response.headers_mut(), "application/json");
    response
}

/// The live-reload WebSocket: one message per build; only pages of this server may open it.
async fn reload_socket(
    State(state): State<AppState>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin.strip_prefix("http://").unwrap_or("");
    if !allowed_host(origin_host, &state.hosts) {
        return (StatusCode::FORBIDDEN, "cross-origin live reload refused\n").into_response();
    }
    let builds = state.reload.subscribe();
    let current = state.current().version;
    let clients = Client::count(state.clients.clone());
    upgrade
        .max_message_size(64 * 1024)
        .on_upgrade(move |socket| notify_reloads(socket, builds, current, clients))
}

/// Names a build for live reload: the server's start time and the build's number, so a page
/// from before a restart never mistakes the new server's build 1 for its own.
fn build_id(version: u64) -> String {
    static STARTED: std::sync::OnceLock<u128> = std::sync::OnceLock::new();
    let started = STARTED.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    });
    format!("{started:x}.{version}")
}

/// How often the server pings a live-reload client, and how long it may stay silent (no
/// pong, no message) before it is dropped: a client that stopped reading must not hold
/// its socket for ever.
const PING_EVERY: std::time::Duration = std::time::Duration::from_secs(3);
const SILENCE_LIMIT: std::time::Duration = std::time::Duration::from_secs(8);

/// Counts something while it lives: an open live-reload socket (`/__podium/status` shows
/// the count), a request waiting for a pending file.
struct Counted(Arc<std::sync::atomic::AtomicUsize>);

impl Counted {
    fn count(counter: Arc<std::sync::atomic::AtomicUsize>) -> Counted {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Counted(counter)
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

type Client = Counted;
type Waiting = Counted;

/// Tell a page about the current build at once (it may have missed one while loading, or
/// come from before a restart), then about each new one.
async fn notify_reloads(
    mut socket: WebSocket,
    mut builds: broadcast::Receiver<u64>,
    current: u64,
    _client: Client,
) {
    let send = |version: u64| Message::Text(format!("reload {}", build_id(version)).into());
    let mut ping = tokio::time::interval(PING_EVERY);
    let mut heard = tokio::time::Instant::now();
    if socket.send(send(current)).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            build = builds.recv() => match build {
                Ok(version) | Err(broadcast::error::RecvError::Lagged(version)) => {
                    let sent = tokio::time::timeout(SILENCE_LIMIT, socket.send(send(version))).await;
                    if !matches!(sent, Ok(Ok(()))) {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                // Clients have nothing to say; anything but pings and pongs ends the connection.
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => heard = tokio::time::Instant::now(),
                _ => return,
            },
            _ = ping.tick() => {
                if heard.elapsed() > SILENCE_LIMIT {
                    return;
                }
                let sent = tokio::time::timeout(SILENCE_LIMIT, socket.send(Message::Ping(Default::default()))).await;
                if !matches!(sent, Ok(Ok(()))) {
                    return;
                }
            }
        }
    }
}

const LIVERELOAD_JS: &str = r#"// Podium live reload (served by `podium serve` only).
(function () {
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : null;
  var delay = 250;
  function connect() {
    var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__podium/livereload");
    socket.onopen = function () { delay = 250; };
    socket.onmessage = function (event) {
      var next = String(event.data).split(" ")[1];
      if (next !== version) { location.reload(); }
    };
    socket.onclose = function () {
      // The server restarted or went away: try again, more slowly each time.
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  }
  connect();
})();
"#;

const OVERLAY_CSS: &str = "#podium-overlay{position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;\
margin:0;padding:1rem 1.25rem;background:#2b0f0f;color:#ffe9e9;border-top:4px solid #ff6b6b;font:14px/1.45 system-ui,sans-serif}\
#podium-overlay h2{margin:0 0 .25rem;font-size:1.1rem}#podium-overlay pre{white-space:pre-wrap;font:13px/1.4 ui-monospace,monospace}\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_paths_decode_to_nothing() {
        for raw in [
            "/../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/..%2f..%2fx",
            "/..%5c..%5cx",
            "/a/./b",
            "//etc/passwd",
            "/%00",
            "/%c0%ae%c0%ae/",
            "/%zz",
            "/a%2F..%2F..%2Fb",
        ] {
            assert_eq!(decode_path(raw), None, "{raw}");
        }
        // `%252e` decodes once, to the harmless name `%2e`.
        assert_eq!(decode_path("/%252e%252e/").as_deref(), Some("/%2e%2e/"));
        assert_eq!(
            decode_path("/forums/2025/").as_deref(),
            Some("/forums/2025/")
        );
    }

    #[test]
    fn hosts_are_matched_without_ports() {
        let hosts = vec![
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "::1".to_string(),
        ];
        for ok in ["localhost:1111", "127.0.0.1:8", "[::1]:9", "LOCALHOST"] {
            assert!(allowed_host(ok, &hosts), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "",
        ] {
            assert!(!allowed_host(bad, &hosts), "{bad}");
        }
    }

    #[test]
    fn byte_ranges() {
        assert_eq!(byte_range("bytes=0-0", 10), Some((0, 0)));
        assert_eq!(byte_range("bytes=-3", 10), Some((7, 9)));
        assert_eq!(byte_range("bytes=5-", 10), Some((5, 9)));
        assert_eq!(byte_range("bytes=2-100", 10), Some((2, 9)));
        for bad in [
            "bytes=10-",
            "bytes=5-2",
            "bytes=0-1,3-4",
            "items=0-1",
            "bytes=x-y",
            "bytes=-0",
        ] {
            assert_eq!(byte_range(bad, 10), None, "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/xml");
        assert_eq!(content_type("x/event.ics"), "text/calendar; charset=utf-8");
        assert_eq!(content_type("f.woff2"), "font/woff2");
        assert_eq!(content_type("m.wasm"), "application/wasm");
        assert_eq!(content_type("talk.MP4"), "video/mp4");
        assert_eq!(content_type("clip.webm"), "video/webm");
        assert_eq!(content_type("interview.mp3"), "audio/mpeg");
        assert_eq!(content_type("weird"), "application/octet-stream");
    }
}
