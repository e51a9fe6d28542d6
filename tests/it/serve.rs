//! `podium serve` over real HTTP: a child process on an ephemeral loopback port, raw TCP
//! requests (so nothing normalises hostile paths first), a real WebSocket client for live
//! reload, and files edited, broken, fixed, added and deleted underneath it.

use crate::support::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SITE: &str = r#"
-- content/forums/2025/alpha.md --
---
title: Alpha Forum
date: 2025-03-01
speakers: [Ann Lee]
---
First version.
-- content/static/secret-free.txt --
public text
"#;

struct Server {
    child: Child,
    port: u16,
    /// Everything the server printed.
    output: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(site: &Site, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["serve", "--port", "0", "--today", "2025-11-01", "--root"])
        .arg(site.root())
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let output = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let lines = output.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                let port: u16 = rest.split('/').next().unwrap().parse().unwrap();
                let _ = tx.send(port);
            }
            lines.lock().unwrap().push(line);
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("server printed its address");
    Server {
        child,
        port,
        output,
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Server {
    fn raw(&self, request: &str) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        let text = String::from_utf8_lossy(&bytes).to_string();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap_or_default()
            .split(' ')
            .nth(1)
            .unwrap_or("0")
            .parse()
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    fn request(&self, method: &str, path: &str, extra: &str) -> Reply {
        self.raw(&format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n{extra}\r\n",
            self.port
        ))
    }

    fn get(&self, path: &str) -> Reply {
        self.request("GET", path, "")
    }

    /// A number from `/__podium/status`.
    fn status_field(&self, name: &str) -> u64 {
        let reply = self.get("/__podium/status");
        let v: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        v[name].as_u64().unwrap()
    }

    /// `/__podium/status`: (version, a rebuild under way).
    fn status(&self) -> (u64, bool) {
        let reply = self.get("/__podium/status");
        let v: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        (
            v["version"].as_u64().unwrap(),
            v["pending"].as_bool().unwrap(),
        )
    }

    /// Wait until a rebuild after `version` has done all its steps; returns the new version.
    fn settled_after(&self, version: u64) -> u64 {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let (now, pending) = self.status();
            if now > version && !pending {
                return now;
            }
            assert!(
                Instant::now() < deadline,
                "no rebuild after version {version}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The last "Built ..." line the server printed.
    fn last_build(&self) -> String {
        let output = self.output.lock().unwrap();
        output
            .iter()
            .rev()
            .find(|l| l.starts_with("Built"))
            .cloned()
            .unwrap_or_default()
    }

    /// Every file a full `podium build` of the site writes is served with the same bytes
    /// (less the live-reload script), and every file of `gone` is not served at all.
    fn assert_serves_build(&self, site: &Site, gone: &[String]) {
        site.build();
        for (path, bytes) in site.tree() {
            if path == ".podium-output" {
                continue;
            }
            let reply = self.get(&format!("/{path}"));
            assert_eq!(reply.status, 200, "{path}");
            let served = match reply.body.find("<script src=\"/__podium/livereload.js\"") {
                Some(i) => {
                    let end = reply.body[i..].find("</script>").unwrap() + i + "</script>".len();
                    format!("{}{}", &reply.body[..i], &reply.body[end..])
                }
                None => reply.body.clone(),
            };
            assert_eq!(
                served,
                String::from_utf8_lossy(&bytes),
                "{path} differs from the build"
            );
        }
        for path in gone {
            assert_eq!(
                self.get(&format!("/{path}")).status,
                404,
                "{path} is still served"
            );
        }
    }

    /// Poll until `check` holds for the page, or fail after 15 s.
    fn wait_for(&self, path: &str, what: &str, check: impl Fn(&Reply) -> bool) -> Reply {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let reply = self.get(path);
            if check(&reply) {
                return reply;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} at {path}; last reply {}:\n{}",
                reply.status,
                reply.body
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn websocket(
        &self,
        origin: &str,
    ) -> Result<tungstenite::WebSocket<TcpStream>, tungstenite::Error> {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .unwrap();
        let request = tungstenite::http::Request::builder()
            .uri(format!("ws://127.0.0.1:{}/__podium/livereload", self.port))
            .header("Host", format!("127.0.0.1:{}", self.port))
            .header("Origin", origin)
            .header("Connection", "Upgrade")
            .header("Upgrade", "websocket")
            .header("Sec-WebSocket-Version", "13")
            .header(
                "Sec-WebSocket-Key",
                tungstenite::handshake::client::generate_key(),
            )
            .body(())
            .unwrap();
        tungstenite::client(request, stream)
            .map(|(socket, _)| socket)
            .map_err(|e| match e {
                tungstenite::HandshakeError::Failure(e) => e,
                tungstenite::HandshakeError::Interrupted(_) => tungstenite::Error::ConnectionClosed,
            })
    }
}

/// Poll `check` every few milliseconds until it holds; fail, naming `what`, after `within`.
fn eventually(what: &str, within: Duration, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(3));
    }
}

/// The text of `content/forums/2025/alpha.md` in `RICH_SITE`.
fn rich_alpha() -> String {
    parse_txtar(RICH_SITE)
        .into_iter()
        .find(|(p, _)| p.ends_with("alpha.md"))
        .unwrap()
        .1
}

/// Whether the server ends the socket (a close frame or a closed connection) without saying
/// anything else.
fn ends(socket: &mut tungstenite::WebSocket<TcpStream>) -> bool {
    socket
        .get_mut()
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    loop {
        match socket.read() {
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false;
            }
            Ok(tungstenite::Message::Close(_)) | Err(_) => return true,
            Ok(tungstenite::Message::Ping(_) | tungstenite::Message::Pong(_)) => {}
            Ok(_) => return false,
        }
    }
}

/// The next text message of a live-reload socket (pings are answered on the way).
fn read_text(socket: &mut tungstenite::WebSocket<TcpStream>) -> String {
    loop {
        // A signal to this process (another test stops its server with SIGINT) may interrupt
        // the blocking read; that is not the server's doing.
        match socket.read() {
            Err(tungstenite::Error::Io(e)) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Ok(tungstenite::Message::Text(text)) => return text.to_string(),
            Ok(_) => {}
            Err(e) => panic!("no reload message: {e}"),
        }
    }
}

#[test]
fn serves_the_site_with_the_right_headers() {
    let site = Site::new(SITE);
    let server = serve(&site, &[]);
    let page = server.get("/forums/2025/alpha/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert!(page.header("access-control-allow-origin").is_none());
    assert!(page.body.contains("<h1>Alpha Forum</h1>"));
    assert!(
        page.body.contains("/__podium/livereload.js"),
        "the reload script is injected by serve"
    );
    for (path, expected) in [
        ("/style.css", "text/css"),
        ("/feed.xml", "application/xml"),
        ("/forums/2025/alpha/event.ics", "text/calendar"),
        ("/api/forums.json", "application/json"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            reply.header("content-type").unwrap().starts_with(expected),
            "{path}: {:?}",
            reply.header("content-type")
        );
    }
    // Directories, the site's own 404 page, methods, HEAD and conditional requests.
    let redirect = server.get("/forums");
    assert_eq!(
        (redirect.status, redirect.header("location")),
        (301, Some("/forums/"))
    );
    let with_query = server.get("/speakers?q=aliyeva");
    assert_eq!(
        (with_query.status, with_query.header("location")),
        (301, Some("/speakers/?q=aliyeva"))
    );
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    let post = server.request("POST", "/", "Content-Length: 0\r\n");
    assert_eq!(
        (post.status, post.header("allow")),
        (405, Some("GET, HEAD"))
    );
    // A preflight from another site is granted nothing (S6).
    let preflight = server.request(
        "OPTIONS",
        "/api/forums.json",
        "Origin: http://evil.example\r\nAccess-Control-Request-Method: GET\r\n",
    );
    assert_eq!(preflight.status, 405);
    assert!(preflight.header("access-control-allow-origin").is_none());
    let cross = server.request("GET", "/api/forums.json", "Origin: http://evil.example\r\n");
    assert!(cross.header("access-control-allow-origin").is_none());
    let head = server.request("HEAD", "/forums/2025/alpha/", "");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), page.header("content-length"));
    assert!(head.body.is_empty());
    // Ranges (S9): one range gets 206 with Content-Range; past the end gets 416.
    let css_len = server.get("/style.css").body.len();
    let part = server.request("GET", "/style.css", "Range: bytes=0-0\r\n");
    assert_eq!((part.status, part.body.len()), (206, 1));
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 0-0/{css_len}").as_str())
    );
    let tail = server.request("GET", "/style.css", "Range: bytes=-10\r\n");
    assert_eq!((tail.status, tail.body.len()), (206, 10));
    let past = server.request(
        "GET",
        "/style.css",
        &format!("Range: bytes={}-\r\n", css_len + 5),
    );
    assert_eq!(past.status, 416);
    assert_eq!(
        past.header("content-range"),
        Some(format!("bytes */{css_len}").as_str())
    );
    let etag = page.header("etag").unwrap().to_string();
    assert_eq!(
        server
            .request(
                "GET",
                "/forums/2025/alpha/",
                &format!("If-None-Match: {etag}\r\n")
            )
            .status,
        304
    );
    // The build output itself never carries the reload script.
    site.build();
    assert!(
        !site
            .read("forums/2025/alpha/index.html")
            .contains("livereload")
    );
}

#[test]
fn hostile_paths_and_foreign_hosts_get_nothing() {
    let site = Site::new(SITE);
    let outside = site.root().join("public-leak");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "TOP-SECRET").unwrap();
    let server = serve(&site, &[]);
    let long = format!("/{}", "a".repeat(16 * 1024));
    for path in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/..%5c..%5cetc%5cpasswd",
        "/..\\..\\etc\\passwd",
        "//etc/passwd",
        "/%00",
        "/%c0%ae%c0%ae/etc/passwd",
        "/C:/Windows/win.ini",
        "/CON",
        "/../public-leak/secret.txt",
        "/content/forums/2025/alpha.md",
        long.as_str(),
    ] {
        let reply = server.get(path);
        assert!(
            [400, 404, 414, 431].contains(&reply.status),
            "{path}: {}",
            reply.status
        );
        assert!(
            !reply.body.contains("root:")
                && !reply.body.contains("TOP-SECRET")
                && !reply.body.contains("First version"),
            "{path} leaked"
        );
        assert_eq!(server.get("/").status, 200, "still answering after {path}");
    }
    let foreign = server.raw(
        "GET / HTTP/1.1
Host: evil.example
Connection: close

",
    );
    assert_eq!(foreign.status, 403);
    for host in ["localhost", "127.0.0.1", "[::1]"] {
        let reply = server.raw(&format!(
            "GET / HTTP/1.1\r\nHost: {host}:{}\r\nConnection: close\r\n\r\n",
            server.port
        ));
        assert_eq!(reply.status, 200, "{host}");
    }
    assert!(
        server.websocket("http://evil.example").is_err(),
        "cross-origin live reload is refused"
    );
}

#[test]
fn edits_rebuild_and_reload_open_pages() {
    let site = Site::new(SITE);
    let server = serve(&site, &[]);
    let mut socket = server
        .websocket(&format!("http://127.0.0.1:{}", server.port))
        .expect("same-origin socket");
    // On connecting, a page learns the current build (it may have missed one loading).
    let hello = read_text(&mut socket);
    assert!(hello.starts_with("reload "), "{hello}");
    site.write("content/forums/2025/alpha.md", "---\ntitle: Alpha Forum Renamed\ndate: 2025-03-01\nspeakers: [Ann Lee]\n---\nSecond version.\n");
    let message = read_text(&mut socket);
    assert!(message.starts_with("reload "), "{message}");
    assert_ne!(message, hello, "the rebuild has a new id");
    server.wait_for("/forums/2025/alpha/", "the new title", |r| {
        r.body.contains("Alpha Forum Renamed")
    });
    server.wait_for("/speakers/ann-lee/", "the speaker page updated", |r| {
        r.body.contains("Alpha Forum Renamed")
    });

    // A new report appears, a deleted one disappears (its page and its mentions).
    site.write(
        "content/forums/2025/beta.md",
        "---\ntitle: Beta Forum\ndate: 2025-04-01\nspeakers: [Bob Ray]\n---\n",
    );
    server.wait_for("/forums/2025/beta/", "the new report", |r| r.status == 200);
    std::fs::remove_file(site.root().join("content/forums/2025/beta.md")).unwrap();
    server.wait_for("/forums/2025/beta/", "the deleted report gone", |r| {
        r.status == 404
    });
    server.wait_for("/speakers/bob-ray/", "its only speaker gone", |r| {
        r.status == 404
    });

    // An editor's temporary files change nothing.
    let before = server.get("/").header("etag").unwrap().to_string();
    for name in [".alpha.md.swp", "4913", "alpha.md~", "#alpha.md#"] {
        site.write(&format!("content/forums/2025/{name}"), "junk");
    }
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        server.get("/").header("etag"),
        Some(before.as_str()),
        "no rebuild for temporary files"
    );
}

#[test]
fn a_broken_file_shows_an_overlay_over_the_last_good_page_until_fixed() {
    let site = Site::new(SITE);
    let server = serve(&site, &[]);
    site.write(
        "content/forums/2025/alpha.md",
        "---\ntitle: \"Alpha Forum\ndate: 2025-03-01\n---\n",
    );
    let broken = server.wait_for("/forums/2025/alpha/", "the overlay", |r| {
        r.body.contains("podium-overlay")
    });
    assert!(
        broken.body.contains("<h1>Alpha Forum</h1>"),
        "the last good page is still served"
    );
    assert!(
        broken.body.contains("content/forums/2025/alpha.md:2:8"),
        "{}",
        broken.body
    );
    site.write(
        "content/forums/2025/alpha.md",
        "---\ntitle: Alpha Fixed\ndate: 2025-03-01\n---\n",
    );
    let fixed = server.wait_for("/forums/2025/alpha/", "the fix", |r| {
        r.body.contains("Alpha Fixed")
    });
    assert!(!fixed.body.contains("podium-overlay"));
}

#[test]
fn a_failed_first_build_still_serves_its_errors_then_the_site() {
    let site = Site::new("-- content/forums/a.md --\n---\ntitle: A\ndate: someday\n---\n");
    let server = serve(&site, &[]);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("content/forums/a.md:3:1"),
        "{}",
        page.body
    );
    site.write(
        "content/forums/a.md",
        "---\ntitle: A\ndate: 2025-01-01\n---\n",
    );
    server.wait_for("/forums/a/", "the site after the fix", |r| {
        r.status == 200 && !r.body.contains("podium-overlay")
    });
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let site = Site::new(SITE);
    let server = serve(&site, &[]);
    let output = Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["serve", "--port", &server.port.to_string(), "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{}", server.port))
            && stderr.contains("--port 0"),
        "{stderr}"
    );
}

#[test]
fn served_files_are_exactly_what_a_build_writes() {
    let site = Site::new(SITE);
    let server = serve(&site, &[]);
    site.write(
        "content/forums/2025/gamma.md",
        "---\ntitle: Gamma\ndate: 2025-05-01\nspeakers: [Ann Lee]\n---\n",
    );
    server.wait_for("/forums/2025/gamma/", "the new report", |r| r.status == 200);
    // An edit that changes no page's address re-renders only the pages that show it.
    site.write("content/forums/2025/alpha.md", "---\ntitle: Alpha Forum\ndate: 2025-03-01\nspeakers:\n  - name: Ann Lee\n    title: Chair\n---\nThird version.\n");
    server.wait_for(
        "/speakers/ann-lee/",
        "the new title on the speaker page",
        |r| r.body.contains("Chair"),
    );
    server.wait_for("/forums/2025/alpha/", "the new body", |r| {
        r.body.contains("Third version")
    });
    let last = server
        .output
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find(|l| l.starts_with("Built"))
        .cloned()
        .unwrap();
    assert!(
        last.contains("the saved report read again"),
        "the edit took the whole-site path: {last}"
    );
    server.assert_serves_build(&site, &[]);
}

#[test]
fn pages_stay_whole_while_rebuilds_run() {
    let site = Site::new(RICH_SITE);
    for i in 0..5 {
        site.write(
            &format!("content/forums/2024/more-{i}.md"),
            &format!(
                "---\ntitle: More {i}\ndate: 2024-0{}-01\nspeakers: [Person {i}]\n---\n",
                i + 1
            ),
        );
    }
    // Every file of the site, to spread the requests over.
    site.build();
    // (Not the search index's word shards: the rewrites below change the report's words,
    // and a shard whose words are all gone is rightly gone too.)
    let paths: Vec<String> = site
        .tree()
        .into_keys()
        .filter(|p| p != ".podium-output" && !p.starts_with("search/terms/"))
        .map(|p| format!("/{p}"))
        .collect();
    assert!(paths.len() >= 50, "{} files", paths.len());
    let server = serve(&site, &[]);
    server.settled_after(0);
    let port = server.port;
    let alpha = rich_alpha();
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // 32 workers share 1,000 requests: GET, HEAD and byte ranges, over every file.
    let workers: Vec<_> = (0..32)
        .map(|_| {
            let (next, paths) = (next.clone(), paths.clone());
            std::thread::spawn(move || {
                let probe = Server {
                    child: Command::new("true").spawn().unwrap(),
                    port,
                    output: Default::default(),
                };
                let mut times = Vec::new();
                loop {
                    let n = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if n >= 1000 {
                        return times;
                    }
                    let path = &paths[n % paths.len()];
                    let started = Instant::now();
                    let reply = match n % 3 {
                        0 => probe.get(path),
                        1 => probe.request("HEAD", path, ""),
                        _ => probe.request("GET", path, "Range: bytes=0-99\r\n"),
                    };
                    times.push(started.elapsed());
                    assert!(reply.status < 500, "{path}: status {}", reply.status);
                    assert!(
                        [200, 206].contains(&reply.status),
                        "{path}: status {}",
                        reply.status
                    );
                    if n % 3 == 0 && reply.body.starts_with("<!doctype html>") {
                        assert!(
                            reply.body.trim_end().ends_with("</html>"),
                            "{path}: a torn page"
                        );
                    }
                    if n % 3 == 0 && path == "/forums/2025/alpha/" {
                        // One build's page: the title and the text of the same version.
                        let version =
                            (0..20).find(|i| reply.body.contains(&format!("<h1>Alpha Forum {i}<")));
                        match version {
                            Some(i) => assert!(
                                reply.body.contains(&format!("Version {i}.")),
                                "a page of two builds"
                            ),
                            None => assert!(
                                reply.body.contains("First version"),
                                "a page from no build"
                            ),
                        }
                    }
                }
            })
        })
        .collect();
    // 20 rebuilds while they run.
    for i in 0..20 {
        site.write(
            "content/forums/2025/alpha.md",
            &alpha
                .replace("title: Alpha Forum", &format!("title: Alpha Forum {i}"))
                .replace("First version", &format!("Version {i}.")),
        );
        std::thread::sleep(Duration::from_millis(60));
    }
    let mut times: Vec<Duration> = workers
        .into_iter()
        .flat_map(|w| w.join().expect("no failed request"))
        .collect();
    assert_eq!(times.len(), 1000);
    times.sort();
    eprintln!(
        "1,000 requests from 32 workers during 20 rebuilds: median {:?}, p99 {:?}",
        times[500], times[990]
    );
    server.wait_for("/forums/2025/alpha/", "the last version", |r| {
        r.body.contains("Alpha Forum 19")
    });
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = Site::new(SITE);
    let mut server = serve(&site, &[]);
    let _socket = server
        .websocket(&format!("http://127.0.0.1:{}", server.port))
        .unwrap();
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(3);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running 3 s after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        leftovers.iter().all(|n| n == "content"),
        "nothing left behind: {leftovers:?}"
    );
}

#[test]
fn vim_style_saves_and_bursts_are_picked_up() {
    let site = Site::new(SITE);
    let server = serve(&site, &[]);
    let page = site.root().join("content/forums/2025/alpha.md");
    for round in 0..3 {
        // vim: rename the original away, write a new file, delete the backup.
        let backup = site.root().join("content/forums/2025/alpha.md~");
        std::fs::rename(&page, &backup).unwrap();
        std::fs::write(
            &page,
            format!("---\ntitle: Alpha Round {round}\ndate: 2025-03-01\n---\n"),
        )
        .unwrap();
        std::fs::remove_file(&backup).unwrap();
        server.wait_for("/forums/2025/alpha/", "the vim save", |r| {
            r.body.contains(&format!("Alpha Round {round}"))
        });
    }
    // A burst (a git checkout): many files at once; the final state is what is served.
    for i in 0..40 {
        site.write(
            &format!("content/forums/2025/burst-{i}.md"),
            &format!("---\ntitle: Burst {i}\ndate: 2025-06-01\n---\n"),
        );
    }
    server.wait_for(
        "/forums/2025/burst-39/",
        "the last file of the burst",
        |r| r.status == 200,
    );
    // The year's list runs over two pages.
    server.wait_for("/forums/2025/page/2/", "the burst's second page", |r| {
        r.status == 200
    });
    let listed: String = ["/forums/2025/", "/forums/2025/page/2/"]
        .iter()
        .map(|p| server.get(p).body)
        .collect();
    assert!((0..40).all(|i| listed.contains(&format!(">Burst {i}<"))));
}

const RICH_SITE: &str = r#"
-- content/_index.md --
---
title: Forums Archive
---
-- content/speakers/ann-lee.md --
---
name: Ann Lee
---
Ann works on water policy.
-- content/forums/2025/alpha.md --
---
title: Alpha Forum
date: 2025-03-01
series: Spring Talks
topics: [water]
organizers: [Green Org]
speakers:
  - name: Ann Lee
    title: Director
    organization: Green Org
  - name: Bob Ray
---
First version, see [Beta](@/forums/2025/beta.md).
-- content/forums/2025/beta.md --
---
title: Beta Meeting
date: 2025-04-01
topics: [air, water]
speakers: [Bob Ray, Ann Lee]
---
Second report.
-- content/forums/2024/gamma.md --
---
title: Gamma Hearing
date: 2024-05-01
speakers: [Ann Lee]
---
"#;

#[test]
fn every_kind_of_save_serves_exactly_what_a_build_writes() {
    let site = Site::new(RICH_SITE);
    let server = serve(&site, &[]);
    let mut version = server.settled_after(0);
    let alpha = rich_alpha();
    // (what, file, new contents or None to delete, the path the rebuild should take,
    // output files that must be gone afterwards)
    type Save<'a> = (&'a str, &'a str, Option<String>, &'a str, Vec<String>);
    let saves: Vec<Save> = vec![
        (
            "body",
            "content/forums/2025/alpha.md",
            Some(alpha.replace("First version", "Second version")),
            "the saved report read again",
            vec![],
        ),
        (
            "title",
            "content/forums/2025/alpha.md",
            Some(alpha.replace("title: Alpha Forum", "title: Alpha Forum Renamed")),
            "the saved report read again",
            vec![],
        ),
        (
            "a speaker's title",
            "content/forums/2025/alpha.md",
            Some(alpha.replace("Director", "Chair")),
            "the saved report read again",
            vec![],
        ),
        (
            "a day later",
            "content/forums/2025/alpha.md",
            Some(alpha.replace("2025-03-01", "2025-03-02")),
            "the saved report read again",
            vec![],
        ),
        (
            "after Beta",
            "content/forums/2025/alpha.md",
            Some(alpha.replace("2025-03-01", "2025-05-01")),
            "the whole site read again",
            vec![],
        ),
        (
            "a new speaker",
            "content/forums/2025/alpha.md",
            Some(alpha.replace("Bob Ray", "Carl Diaz")),
            "the whole site read again",
            vec![],
        ),
        (
            "a profile",
            "content/speakers/ann-lee.md",
            Some("---\nname: Ann Lee\n---\nAnn chairs the water network.\n".into()),
            "the whole site read again",
            vec![],
        ),
        (
            "a new report",
            "content/forums/2025/delta.md",
            Some(
                "---\ntitle: Delta Day\ndate: 2025-06-01\nspeakers: [Ann Lee]\n---\nNew.\n".into(),
            ),
            "the new report read and put in its place",
            vec![],
        ),
        (
            "a new report between two, naming a series, topics, an organization, with a quote",
            "content/forums/2025/epsilon.md",
            Some(
                "---\ntitle: Epsilon Round\ndate: 2025-03-15\nseries: Spring Talks\ntopics: [water]\norganizers: [Green Org]\nspeakers:\n  - name: Ann Lee\n    title: Chair\n    organization: Green Org\n  - name: Carl Diaz\n---\nSee [Gamma](@/forums/2024/gamma.md).\n\n> Water belongs to everyone.\n>\n> — Ann Lee\n".into(),
            ),
            "the new report read and put in its place",
            vec![],
        ),
        (
            "a new report naming someone new",
            "content/forums/2025/zeta.md",
            Some("---\ntitle: Zeta\ndate: 2025-02-01\nspeakers: [Zed Quinn]\n---\n".into()),
            "the whole site read again",
            vec![],
        ),
        (
            "a new report spelling a name otherwise",
            "content/forums/2025/eta.md",
            Some("---\ntitle: Eta\ndate: 2025-02-02\nspeakers: [ann lee]\n---\n".into()),
            "the whole site read again",
            vec![],
        ),
        (
            "a deleted report",
            "content/forums/2025/beta.md",
            None,
            "the deleted report's page taken down",
            vec![
                "forums/2025/beta/index.html".into(),
                "topics/air/index.html".into(),
                "speakers/bob-ray/index.html".into(),
            ],
        ),
        (
            "the settings",
            "content/_index.md",
            Some("---\ntitle: Renamed Archive\n---\n".into()),
            "the whole site read again",
            vec![],
        ),
    ];
    for (what, file, contents, path, gone) in saves {
        match contents {
            Some(text) => site.write(file, &text),
            None => std::fs::remove_file(site.root().join(file)).unwrap(),
        }
        version = server.settled_after(version);
        let built = server.last_build();
        assert!(built.contains(path), "{what}: expected {path}, got {built}");
        server.assert_serves_build(&site, &gone);
    }
}

#[test]
fn files_a_save_will_remake_are_never_served_stale() {
    // Enough reports that the later steps take a while after the saved page is out.
    let site = Site::new(RICH_SITE);
    for i in 0..400 {
        site.write(
            &format!("content/forums/2023/filler-{i:03}.md"),
            &format!("---\ntitle: Filler {i}\ndate: 2023-01-01\nspeakers: [Person {i}, Ann Lee]\ntopics: [water]\n---\nText.\n"),
        );
    }
    let server = serve(&site, &[]);
    server.settled_after(0);
    for round in 0..3 {
        let title = format!("Alpha Forum take {round}");
        let alpha = rich_alpha().replace("title: Alpha Forum", &format!("title: {title}"));
        site.write("content/forums/2025/alpha.md", &alpha);
        // The moment the saved page shows the change, every file that shows it must too:
        // later steps' files are either made already or waited for, never the old ones.
        eventually("the saved page", Duration::from_secs(15), || {
            server.get("/forums/2025/alpha/").body.contains(&title)
        });
        let paths = [
            "/forums/2025/",
            "/forums/",
            "/",
            "/speakers/ann-lee/",
            "/topics/water/",
            "/series/spring-talks/",
            "/api/forums.json",
            "/feed.xml",
            "/calendar.ics",
            "/speakers/ann-lee/feed.xml",
        ];
        std::thread::scope(|scope| {
            for path in paths {
                let (server, title) = (&server, &title);
                scope.spawn(move || {
                    let reply = server.get(path);
                    assert_eq!(reply.status, 200, "{path}");
                    assert!(
                        reply.body.contains(title.as_str()),
                        "{path} is stale in round {round}"
                    );
                });
            }
        });
    }
    // The API's kept records (two chunks of forums here) end up as a build writes them.
    let (version, _) = server.status();
    std::thread::sleep(Duration::from_millis(300));
    server.settled_after(version.saturating_sub(1));
    server.assert_serves_build(&site, &[]);
}

#[test]
fn stalled_connections_neither_block_pages_nor_stay_open() {
    let site = Site::new(SITE);
    let server = serve(&site, &[]);
    let stalled: Vec<TcpStream> = (0..300)
        .map(|i| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            // Half a header line, or nothing at all.
            if i % 3 != 0 {
                s.write_all(b"GET / HTTP/1.1\r\nHo").unwrap();
            }
            s
        })
        .collect();
    let started = Instant::now();
    assert_eq!(server.get("/forums/2025/alpha/").status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // The header timeout (10 s) closes every stalled connection.
    for (i, mut s) in stalled.into_iter().enumerate() {
        s.set_read_timeout(Some(Duration::from_secs(14))).unwrap();
        let mut buf = [0u8; 64];
        let read = s.read(&mut buf);
        assert!(
            matches!(read, Ok(0))
                || matches!(&read, Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset),
            "connection {i} still open after {:?}: {read:?}",
            started.elapsed()
        );
    }
    assert!(started.elapsed() < Duration::from_secs(15));
    assert_eq!(server.get("/forums/2025/alpha/").status, 200);
}

#[test]
fn live_reload_reaches_every_tab_and_drops_those_that_stop_reading() {
    let site = Site::new(SITE);
    let server = serve(&site, &[]);
    let origin = format!("http://127.0.0.1:{}", server.port);
    let mut sockets: Vec<_> = (0..50)
        .map(|_| server.websocket(&origin).expect("a socket"))
        .collect();
    let hello: Vec<String> = sockets.iter_mut().map(read_text).collect();
    assert_eq!(server.status_field("clients"), 50);
    // Many tabs hold a socket each, and pages still load (WebSocket, not SSE).
    for _ in 0..10 {
        assert_eq!(server.get("/").status, 200);
    }
    let stuck: Vec<_> = sockets.drain(..5).collect();
    let saved = Instant::now();
    site.write(
        "content/forums/2025/alpha.md",
        "---\ntitle: Alpha\ndate: 2025-03-01\n---\nNew.\n",
    );
    // Each reading tab gets exactly one reload, all within a second of the first; then they
    // keep reading (and so answer the server's pings) until told to stop.
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = sockets
        .into_iter()
        .zip(hello.into_iter().skip(5))
        .map(|(mut socket, hello)| {
            let done = done.clone();
            std::thread::spawn(move || {
                let reload = read_text(&mut socket);
                let at = Instant::now();
                assert_ne!(reload, hello);
                socket
                    .get_mut()
                    .set_read_timeout(Some(Duration::from_millis(200)))
                    .unwrap();
                let mut more = 0;
                while !done.load(std::sync::atomic::Ordering::SeqCst) {
                    match socket.read() {
                        Ok(tungstenite::Message::Text(_)) => more += 1,
                        Ok(_) => {}
                        Err(tungstenite::Error::Io(e))
                            if matches!(
                                e.kind(),
                                std::io::ErrorKind::WouldBlock
                                    | std::io::ErrorKind::TimedOut
                                    | std::io::ErrorKind::Interrupted
                            ) => {}
                        Err(e) => panic!("socket failed: {e}"),
                    }
                }
                (at, more)
            })
        })
        .collect();
    // The tabs that stopped reading do not answer pings and are dropped.
    eventually("the stuck sockets to go", Duration::from_secs(14), || {
        server.status_field("clients") <= 45
    });
    assert_eq!(server.status_field("clients"), 45);
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let results: Vec<(Instant, usize)> = readers.into_iter().map(|r| r.join().unwrap()).collect();
    let first = results.iter().map(|(at, _)| *at).min().unwrap();
    let last = results.iter().map(|(at, _)| *at).max().unwrap();
    assert!(
        last - first < Duration::from_secs(1),
        "fan-out took {:?}",
        last - first
    );
    assert!(
        last - saved < Duration::from_secs(3),
        "reload {:?} after the save",
        last - saved
    );
    assert!(
        results.iter().all(|(_, more)| *more == 0),
        "a tab was told to reload twice"
    );
    drop(stuck);
    // Everyone gone: no socket is left counted.
    eventually("no socket left counted", Duration::from_secs(5), || {
        server.status_field("clients") == 0
    });
}

#[test]
fn polling_sees_an_edit_that_keeps_size_and_modification_time() {
    let site = Site::new(SITE);
    let server = serve(&site, &["--poll"]);
    let version = server.settled_after(0);
    let file = site.root().join("content/forums/2025/alpha.md");
    let before = std::fs::metadata(&file).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replace("First version.", "Other version.");
    assert_eq!(edited.len(), text.len());
    std::fs::write(&file, &edited).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(before.modified().unwrap())
        .unwrap();
    let after = std::fs::metadata(&file).unwrap();
    assert_eq!(
        (after.len(), after.modified().unwrap()),
        (before.len(), before.modified().unwrap())
    );
    server.wait_for("/forums/2025/alpha/", "the edit", |r| {
        r.body.contains("Other version.")
    });
    server.settled_after(version);
    server.assert_serves_build(&site, &[]);
}

#[test]
fn the_watcher_rebuilds_once_per_save_and_never_for_noise() {
    let site = Site::new(RICH_SITE);
    let server = serve(&site, &[]);
    let version = std::cell::Cell::new(server.settled_after(0));
    let root = site.root().to_path_buf();
    let alpha = root.join("content/forums/2025/alpha.md");
    // Run `act`, wait for the rebuilds it causes; how many there were, and how long `act`
    // took. (One save is one rebuild when its file operations fall within the watcher's
    // quiet wait, 8 ms; a test machine under load may stretch them, and then two are fine.)
    let rebuilds = |act: &dyn Fn()| -> (u64, Duration) {
        let started = Instant::now();
        act();
        let took = started.elapsed();
        let now = server.settled_after(version.get());
        // Anything still to come would show up in this time.
        std::thread::sleep(Duration::from_millis(400));
        let (later, pending) = server.status();
        assert!(
            !pending && later == now,
            "a late rebuild ({now} -> {later})"
        );
        let count = now - version.get();
        version.set(now);
        (count, took)
    };
    let once = |(count, took): (u64, Duration)| {
        count == 1 || (count == 2 && took > Duration::from_millis(8))
    };

    // W1: an append in place.
    let appended = rebuilds(&|| {
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&alpha)
            .unwrap();
        file.write_all(b"\nAppended line.\n").unwrap();
    });
    assert!(once(appended), "{appended:?}");
    assert!(
        server
            .get("/forums/2025/alpha/")
            .body
            .contains("Appended line.")
    );

    // W3: editors' temporary files alone cause no rebuild.
    let dir = root.join("content/forums/2025");
    for name in [
        ".alpha.md.swp",
        ".alpha.md.swx",
        "4913",
        "alpha.md~",
        "#alpha.md#",
        ".#alpha.md",
        "alpha.md___jb_tmp___",
        ".DS_Store",
    ] {
        std::fs::write(dir.join(name), "noise").unwrap();
        std::fs::remove_file(dir.join(name)).unwrap();
    }
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        server.status(),
        (version.get(), false),
        "temporary files caused a rebuild"
    );

    // W2: three vim-style saves, three rebuilds; a rename-over save too.
    let before_vim = std::fs::read_to_string(&alpha).unwrap();
    for round in 0..3 {
        let count = rebuilds(&|| {
            let backup = dir.join("alpha.md~");
            std::fs::rename(&alpha, &backup).unwrap();
            let text = before_vim.replace("First version", &format!("Vim {round} version"));
            std::fs::write(&alpha, text).unwrap();
            std::fs::remove_file(&backup).unwrap();
        });
        assert!(once(count), "vim save {round}: {count:?}");
        assert!(
            server
                .get("/forums/2025/alpha/")
                .body
                .contains(&format!("Vim {round} version"))
        );
    }
    let count = rebuilds(&|| {
        let text = std::fs::read_to_string(&alpha).unwrap();
        std::fs::write(
            dir.join("alpha.md.tmp"),
            text.replace("Vim 2 version", "Renamed-over version"),
        )
        .unwrap();
        std::fs::rename(dir.join("alpha.md.tmp"), &alpha).unwrap();
    });
    assert!(once(count), "{count:?}");
    assert!(
        server
            .get("/forums/2025/alpha/")
            .body
            .contains("Renamed-over version")
    );

    // W13: broken and fixed within the watcher's wait: one rebuild, of the fixed file.
    let good = std::fs::read_to_string(&alpha).unwrap();
    let count = rebuilds(&|| {
        std::fs::write(&alpha, "---\ntitle: \"unclosed\n---\n").unwrap();
        std::fs::write(
            &alpha,
            good.replace("Renamed-over version", "Fixed quickly"),
        )
        .unwrap();
    });
    assert!(once(count), "{count:?}");
    let page = server.get("/forums/2025/alpha/").body;
    assert!(page.contains("Fixed quickly") && !page.contains("podium-overlay"));

    // W4: a checkout of 200 files within 100 ms: at most two rebuilds, all of it served.
    let (count, took) = rebuilds(&|| {
        for i in 0..200 {
            std::fs::write(
                dir.join(format!("checkout-{i:03}.md")),
                format!("---\ntitle: Checkout {i}\ndate: 2025-07-01\n---\n"),
            )
            .unwrap();
        }
    });
    assert!(
        count <= 2 || took > Duration::from_millis(100),
        "{count} rebuilds for one checkout (written in {took:?})"
    );
    // The year's list runs over several pages.
    let index: String = (1..=10)
        .map(|n| match n {
            1 => server.get("/forums/2025/").body,
            n => server.get(&format!("/forums/2025/page/{n}/")).body,
        })
        .collect();
    assert!((0..200).all(|i| index.contains(&format!(">Checkout {i}<"))));

    // W9: the settings saved by rename three times: three rebuilds, the last one shown.
    for round in 0..3 {
        let count = rebuilds(&|| {
            let settings = root.join("content/_index.md");
            std::fs::write(
                root.join("content/.settings.tmp"),
                format!("---\ntitle: Archive {round}\n---\n"),
            )
            .unwrap();
            std::fs::rename(root.join("content/.settings.tmp"), &settings).unwrap();
        });
        assert!(once(count), "settings save {round}: {count:?}");
        assert!(server.get("/").body.contains(&format!("Archive {round}")));
    }

    // W6: a renamed folder moves its reports: old addresses gone, new ones served.
    rebuilds(&|| {
        std::fs::rename(
            root.join("content/forums/2024"),
            root.join("content/forums/2023"),
        )
        .unwrap()
    });
    assert_eq!(server.get("/forums/2024/gamma/").status, 404);
    assert_eq!(server.get("/forums/2023/gamma/").status, 200);

    // W12: a report replaced by a folder: the server lives on, the report is gone; back again.
    rebuilds(&|| {
        std::fs::remove_file(root.join("content/forums/2025/beta.md")).unwrap();
        std::fs::create_dir(root.join("content/forums/2025/beta.md")).unwrap();
    });
    assert_eq!(server.get("/forums/2025/beta/").status, 404);
    assert_eq!(server.get("/").status, 200);
    rebuilds(&|| {
        std::fs::remove_dir(root.join("content/forums/2025/beta.md")).unwrap();
        site.write(
            "content/forums/2025/beta.md",
            "---\ntitle: Beta Again\ndate: 2025-04-01\n---\n",
        );
    });
    assert!(server.get("/forums/2025/beta/").body.contains("Beta Again"));
    server.assert_serves_build(&site, &[]);
}

#[test]
fn garbage_on_the_live_reload_socket_closes_only_that_socket() {
    let site = Site::new(SITE);
    let server = serve(&site, &[]);
    let origin = format!("http://127.0.0.1:{}", server.port);
    let big = "x".repeat(1 << 20);
    let messages = [
        tungstenite::Message::Text("hello".into()),
        tungstenite::Message::Binary(vec![0u8, 159, 146, 150].into()),
        tungstenite::Message::Text(big.as_str().into()),
    ];
    for message in messages {
        let mut socket = server.websocket(&origin).expect("a socket");
        read_text(&mut socket);
        let _ = socket.send(message);
        assert!(ends(&mut socket), "the server kept the socket open");
    }
    // Raw garbage instead of a frame.
    let mut socket = server.websocket(&origin).expect("a socket");
    read_text(&mut socket);
    socket.get_mut().write_all(&[0xff; 64]).unwrap();
    assert!(ends(&mut socket), "the server kept the socket open");
    // The server is fine.
    assert_eq!(server.get("/forums/2025/alpha/").status, 200);
    let mut fresh = server
        .websocket(&origin)
        .expect("a socket after the garbage");
    assert!(read_text(&mut fresh).starts_with("reload "));
}

#[test]
fn rapid_saves_across_every_kind_of_rebuild_end_in_what_a_build_writes() {
    // Enough reports that a whole-site rebuild takes several steps, so saves land between.
    let site = Site::new(RICH_SITE);
    for i in 0..2100 {
        site.write(
            &format!("content/forums/2023/filler-{i:03}.md"),
            &format!("---\ntitle: Filler {i}\ndate: 2023-02-01\nspeakers: [Person {}, Ann Lee]\n---\nText.\n", i % 40),
        );
    }
    let server = serve(&site, &[]);
    let version = server.settled_after(0);
    let alpha = rich_alpha();
    let pause = |ms| std::thread::sleep(Duration::from_millis(ms));
    let until = |path: &str, text: &str| {
        eventually(text, Duration::from_secs(20), || {
            server.get(path).body.contains(text)
        })
    };
    // A new report: the whole site is read again, its page first, the others in slices.
    site.write(
        "content/forums/2025/delta.md",
        "---\ntitle: Delta\ndate: 2025-06-01\nspeakers: [Ann Lee]\n---\nDelta text.\n",
    );
    until("/forums/2025/delta/", "Delta text.");
    // An edit while those slices are made (nobody waits for them, so the rebuild gives
    // way): the quick path, with the slices left still pending.
    let (before, _) = server.status();
    site.write(
        "content/forums/2025/alpha.md",
        &alpha.replace("First version", "Quick one"),
    );
    eventually("the edit built", Duration::from_secs(20), || {
        server.status().0 != before
    });
    until("/forums/2025/alpha/", "Quick one");
    // A reader asks for a file a later step remakes, while saves keep coming.
    let reader = {
        let port = server.port;
        std::thread::spawn(move || {
            let probe = Server {
                child: Command::new("true").spawn().unwrap(),
                port,
                output: Default::default(),
            };
            probe.get("/api/forums.json")
        })
    };
    site.write(
        "content/forums/2025/alpha.md",
        &alpha.replace("title: Alpha Forum", "title: Alpha Quick"),
    );
    pause(30);
    std::fs::remove_file(site.root().join("content/forums/2025/delta.md")).unwrap();
    pause(30);
    site.write(
        "content/forums/2025/alpha.md",
        &alpha.replace("title: Alpha Forum", "title: Alpha Final"),
    );
    let reply = reader.join().unwrap();
    assert_eq!(reply.status, 200);
    assert!(reply.body.ends_with("]}\n"), "a whole API file");
    // Let everything settle, then compare with a build.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let now = server.settled_after(version);
        std::thread::sleep(Duration::from_millis(500));
        if server.status() == (now, false) {
            break;
        }
        assert!(Instant::now() < deadline, "the rebuilds never settled");
    }
    assert!(
        server
            .get("/forums/2025/alpha/")
            .body
            .contains("Alpha Final")
    );
    let output = server.output.lock().unwrap().join("\n");
    assert!(output.contains("the saved report read again"), "{output}");
    assert!(output.contains("of pages 1001-2000"), "{output}");
    server.assert_serves_build(&site, &["forums/2025/delta/index.html".to_string()]);
}

#[test]
fn it_listens_on_loopback_unless_told_and_then_warns() {
    let site = Site::new(SITE);
    // The default: the printed address is 127.0.0.1 (the helper reads it from there).
    let server = serve(&site, &[]);
    assert!(TcpStream::connect(("127.0.0.1", server.port)).is_ok());
    drop(server);
    let mut child = Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["serve", "--port", "0", "--bind", "0.0.0.0", "--root"])
        .arg(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let warning = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .find(|l| l.starts_with("warning: serving on 0.0.0.0"));
    let _ = child.kill();
    let _ = child.wait();
    let warning = warning.expect("a warning about the network");
    assert!(warning.contains("other machines"), "{warning}");
}

#[test]
fn a_template_change_rerenders_only_the_pages_that_use_it() {
    let site = Site::new(&format!(
        "{RICH_SITE}\n-- themes/child/theme.yaml --\nname: child\nextends: default\n-- themes/child/templates/forum.html --\n{{% extends \"base.html\" %}}\n{{% block content %}}<h1 class=\"child\">{{{{ forum.title }}}}</h1>{{% endblock content %}}\n"
    ));
    site.write(
        "content/_index.md",
        "---\ntitle: Forums Archive\ntheme: child\n---\n",
    );
    let server = serve(&site, &[]);
    let version = server.settled_after(0);
    // The file's own validator (an HTML page's ETag ends with the build it was served in).
    let etag = |path: &str| {
        let etag = server
            .request("HEAD", path, "")
            .header("etag")
            .unwrap()
            .to_string();
        etag.rsplit_once('-').unwrap().0.to_string()
    };
    let (speaker, forum) = (etag("/speakers/ann-lee/"), etag("/forums/2025/alpha/"));
    // Only forum pages use forum.html.
    site.write(
        "themes/child/templates/forum.html",
        "{% extends \"base.html\" %}\n{% block content %}<h1 class=\"child\">Report: {{ forum.title }}</h1>{% endblock content %}\n",
    );
    server.settled_after(version);
    assert!(
        server
            .get("/forums/2025/alpha/")
            .body
            .contains("Report: Alpha Forum")
    );
    assert_ne!(etag("/forums/2025/alpha/"), forum);
    assert_eq!(
        etag("/speakers/ann-lee/"),
        speaker,
        "a page that does not use forum.html was remade"
    );
    let made = server
        .output
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find(|l| l.contains("whose inputs changed"))
        .cloned()
        .unwrap();
    // 3 forum pages and their calendars; nothing else.
    assert!(
        made.contains("then 6 pages and feeds whose inputs changed"),
        "{made}"
    );
    server.assert_serves_build(&site, &[]);
}

/// Privacy in `serve` (issue 14): a save that names a protected person serves the replaced
/// name, and a takedown while serving removes the person's page at once.
#[test]
fn serve_keeps_protected_names_out_and_takes_people_down_live() {
    let site = Site::new(
        r#"
-- content/speakers/nargiz-safarova.md --
---
name: Nərgiz Səfərova
aliases: [Nargiz Safarova]
privacy: initials
---
-- content/forums/2025/alpha.md --
---
title: Alpha Forum
date: 2025-03-01
speakers: [Nargiz Safarova, Ann Lee]
---
First version.
"#,
    );
    let server = serve(&site, &[]);
    let page = server.wait_for("/forums/2025/alpha/", "the forum", |r| r.status == 200);
    assert!(page.body.contains("N. S.") && !page.body.contains("Safarova"));
    site.write(
        "content/forums/2025/alpha.md",
        "---\ntitle: Alpha Forum\ndate: 2025-03-01\nspeakers: [Nargiz Safarova, Ann Lee]\n---\nThanks to NARGIZ SAFAROVA and Ann Lee.\n",
    );
    let page = server.wait_for("/forums/2025/alpha/", "the edit", |r| {
        r.body.contains("Thanks to N. S. and Ann Lee.")
    });
    assert!(!page.body.to_lowercase().contains("safarova"));
    // Ann Lee asks to be taken down while the server runs.
    assert_eq!(server.get("/speakers/ann-lee/").status, 200);
    site.write(
        "content/speakers/ann-lee.md",
        "---\nname: Ann Lee\nprivacy: unlisted\n---\n",
    );
    server.wait_for("/speakers/ann-lee/", "the takedown", |r| r.status == 404);
    let page = server.get("/forums/2025/alpha/");
    assert!(!page.body.contains("Ann Lee"), "{}", page.body);
    assert!(page.body.contains("Thanks to N. S. and a participant."));
    server.assert_serves_build(&site, &["speakers/ann-lee/index.html".to_string()]);
}

#[test]
fn images_are_served_as_a_build_makes_them_and_a_new_one_is_processed_on_save() {
    let png = |shade: u8| png(200, 100, shade);
    let site = Site::new(SITE);
    std::fs::write(site.root().join("content/forums/2025/hall.png"), png(10)).unwrap();
    site.write(
        "content/forums/2025/alpha.md",
        "---\ntitle: Alpha Forum\ndate: 2025-03-01\nimage: hall.png\nspeakers: [Ann Lee]\n---\nFirst version.\n",
    );
    let server = serve(&site, &[]);
    server.wait_for("/forums/2025/hall-200w.webp", "the processed image", |r| {
        r.status == 200
    });
    assert_eq!(
        server.get("/forums/2025/hall.png").status,
        404,
        "never the original"
    );
    // A new image named by a saved report is processed and served.
    std::fs::write(site.root().join("content/forums/2025/stage.png"), png(200)).unwrap();
    site.write(
        "content/forums/2025/alpha.md",
        "---\ntitle: Alpha Forum\ndate: 2025-03-01\nimage: hall.png\nspeakers: [Ann Lee]\n---\nSecond version.\n\n![The stage](stage.png)\n",
    );
    server.wait_for("/forums/2025/alpha/", "the new picture", |r| {
        r.body.contains("/forums/2025/stage-200w.webp 200w")
    });
    assert_eq!(server.get("/forums/2025/stage-200w.jpg").status, 200);
    server.assert_serves_build(&site, &[]);
}

#[test]
fn serve_remakes_every_language_after_a_translation_or_report_edit() {
    let site = Site::new(
        r#"
-- content/_index.md --
---
title: Forums
languages: [en, az]
---
-- content/forums/2025/alpha.md --
---
title: Alpha Forum
date: 2025-03-01
speakers: [Ann Lee]
---
First version.
"#,
    );
    let server = serve(&site, &[]);
    let page = server.wait_for("/az/forums/2025/alpha/", "the az page", |r| r.status == 200);
    assert!(
        page.body.contains("Alpha Forum"),
        "falls back to the original"
    );
    // A new translation: the az page, and the az pages that list the forum, follow.
    site.write(
        "content/forums/2025/alpha.az.md",
        "---\ntitle: Alfa Forumu\n---\n",
    );
    server.wait_for("/az/forums/2025/alpha/", "the translation", |r| {
        r.body.contains("<h1>Alfa Forumu</h1>")
    });
    server.wait_for("/az/speakers/ann-lee/", "the az speaker page", |r| {
        r.body.contains("Alfa Forumu")
    });
    // The English page gained an hreflang link to it.
    server.wait_for("/forums/2025/alpha/", "the alternate", |r| {
        r.body.contains("hreflang=\"az\"")
    });
    // An edit of the original reaches the translation's page (its body falls back).
    site.write(
        "content/forums/2025/alpha.md",
        "---\ntitle: Alpha Forum\ndate: 2025-03-01\nspeakers: [Ann Lee]\n---\nSecond version.\n",
    );
    server.wait_for("/az/forums/2025/alpha/", "the original's edit", |r| {
        r.body.contains("Second version.")
    });
    server.assert_serves_build(&site, &[]);
}
