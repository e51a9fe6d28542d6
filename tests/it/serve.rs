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
    let alpha = parse_txtar(RICH_SITE)
        .into_iter()
        .find(|(p, _)| p.ends_with("alpha.md"))
        .unwrap()
        .1;
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
            "the whole site read again",
            vec![],
        ),
        (
            "a deleted report",
            "content/forums/2025/beta.md",
            None,
            "the whole site read again",
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
        let alpha = parse_txtar(RICH_SITE)
            .into_iter()
            .find(|(p, _)| p.ends_with("alpha.md"))
            .unwrap()
            .1
            .replace("title: Alpha Forum", &format!("title: {title}"));
        site.write("content/forums/2025/alpha.md", &alpha);
        // The moment the saved page shows the change, every file that shows it must too:
        // later steps' files are either made already or waited for, never the old ones.
        let deadline = Instant::now() + Duration::from_secs(15);
        while !server.get("/forums/2025/alpha/").body.contains(&title) {
            assert!(Instant::now() < deadline, "the saved page never changed");
            std::thread::sleep(Duration::from_millis(2));
        }
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
    let deadline = Instant::now() + Duration::from_secs(14);
    while server.status_field("clients") > 45 {
        assert!(
            Instant::now() < deadline,
            "stuck sockets kept: {}",
            server.status_field("clients")
        );
        std::thread::sleep(Duration::from_millis(200));
    }
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
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.status_field("clients") > 0 {
        assert!(
            Instant::now() < deadline,
            "sockets left: {}",
            server.status_field("clients")
        );
        std::thread::sleep(Duration::from_millis(100));
    }
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
