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
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    let post = server.request("POST", "/", "Content-Length: 0\r\n");
    assert_eq!(
        (post.status, post.header("allow")),
        (405, Some("GET, HEAD"))
    );
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
    site.write("content/forums/2025/alpha.md", "---\ntitle: Alpha Forum Renamed\ndate: 2025-03-01\nspeakers: [Ann Lee]\n---\nSecond version.\n");
    let message = loop {
        // A signal to this process (another test stops its server with SIGINT) may interrupt
        // the blocking read; that is not the server's doing.
        match socket.read() {
            Err(tungstenite::Error::Io(e)) if e.kind() == std::io::ErrorKind::Interrupted => {
                continue;
            }
            other => break other.expect("a reload message"),
        }
    };
    assert!(
        message.to_text().unwrap().starts_with("reload "),
        "{message:?}"
    );
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
    site.build();
    for (path, bytes) in site.tree() {
        if path == ".podium-output" {
            continue;
        }
        let reply = server.get(&format!("/{path}"));
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
}

#[test]
fn pages_stay_whole_while_rebuilds_run() {
    let site = Site::new(SITE);
    let server = serve(&site, &[]);
    let port = server.port;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let probe = Server {
                    child: Command::new("true").spawn().unwrap(),
                    port,
                    output: Default::default(),
                };
                let mut seen = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) && seen < 150 {
                    let reply = probe.get(if seen % 3 == 0 {
                        "/style.css"
                    } else {
                        "/forums/2025/alpha/"
                    });
                    assert!(reply.status == 200, "status {}", reply.status);
                    if reply.body.starts_with("<!doctype html>") {
                        assert!(reply.body.trim_end().ends_with("</html>"), "a torn page");
                        assert!(
                            reply.body.contains("<h1>Alpha Forum"),
                            "a page from no build"
                        );
                    }
                    seen += 1;
                }
                seen
            })
        })
        .collect();
    for i in 0..10 {
        site.write(
            "content/forums/2025/alpha.md",
            &format!("---\ntitle: Alpha Forum {i}\ndate: 2025-03-01\n---\nVersion {i}.\n"),
        );
        std::thread::sleep(Duration::from_millis(150));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let served: usize = workers
        .into_iter()
        .map(|w| w.join().expect("no failed request"))
        .sum();
    assert!(served > 100, "{served}");
    server.wait_for("/forums/2025/alpha/", "the last version", |r| {
        r.body.contains("Alpha Forum 9")
    });
}

#[cfg(unix)]
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
    server.wait_for("/forums/2025/", "every file of the burst", |r| {
        (0..40).all(|i| r.body.contains(&format!(">Burst {i}<")))
    });
}
