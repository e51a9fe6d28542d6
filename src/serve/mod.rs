//! `podium serve`: build the site into memory, serve it on loopback, rebuild on every save,
//! and reload the open pages.
//!
//! Three parts, one direction: the watcher (`watch`) turns file-system events into "something
//! changed"; the rebuild loop turns that into a new `Snapshot` (a failed build keeps the last
//! good files and records its errors for the overlay); the server (`server`) answers from
//! whatever snapshot is current and tells live-reload clients about each new one. A bad file
//! never stops the server.

pub mod server;
pub mod site;
pub mod watch;

use crate::BuildOptions;
use site::Snapshot;
use std::io::IsTerminal;
use std::net::IpAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::broadcast;

/// What `podium serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port, which is printed.
    pub port: u16,
    pub open: bool,
    pub poll: bool,
}

pub fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let snapshot = Arc::new(RwLock::new(Arc::new(Snapshot::default())));
    let (reload, _) = broadcast::channel(16);
    // Watch before the first build, so a save made while it runs is not missed.
    let (changed, changes) = std::sync::mpsc::channel();
    let _watching = watch::watch(&options.build.root, options.poll, changed)?;
    // The first build may fail: the server starts anyway and shows the errors.
    let mut cache = crate::load::LoadCache::default();
    let first = snapshot.read().unwrap_or_else(|p| p.into_inner()).clone();
    apply(
        &snapshot,
        &reload,
        site::build(&options.build, &mut cache, &first),
        color,
    );

    let mut hosts = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ];
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}: other machines on the network can read this site and its drafts",
            options.bind
        );
        hosts.push(options.bind.to_string());
        if options.bind.is_unspecified() {
            hosts.push(crate::serve::hostname());
        }
    }
    let state = server::AppState {
        snapshot: snapshot.clone(),
        reload: reload.clone(),
        hosts: Arc::new(hosts),
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result: anyhow::Result<()> = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind((options.bind, options.port)).await.map_err(|e| {
            anyhow::anyhow!(
                "cannot listen on {}:{}: {e}\n  help: another program (another `podium serve`?) uses the port; pick one with --port, or --port 0 for any free port",
                options.bind,
                options.port
            )
        })?;
        let address = listener.local_addr()?;
        let base = snapshot.read().unwrap_or_else(|p| p.into_inner()).base_path.clone();
        let base = if base.is_empty() { "/".to_string() } else { base };
        let url = if address.is_ipv6() { format!("http://[{}]:{}{base}", address.ip(), address.port()) } else { format!("http://{address}{base}") };
        println!("Serving {} at {url}  (Ctrl-C to stop)", options.build.root.display());

        let rebuild_snapshot = snapshot.clone();
        let build_options = options.build.clone();
        std::thread::spawn(move || {
            // Saves that arrive during a build queue up; they are folded into one more build.
            while let Ok(mut change) = changes.recv() {
                while let Ok(later) = changes.try_recv() {
                    change.merge(later);
                }
                let previous = rebuild_snapshot.read().unwrap_or_else(|p| p.into_inner()).clone();
                apply(&rebuild_snapshot, &reload, site::build(&build_options, &mut cache, &previous), color);
            }
        });
        if options.open {
            open_browser(&url);
        }
        let server = axum::serve(listener, server::router(state));
        tokio::select! {
            served = server => served.map_err(anyhow::Error::from),
            _ = tokio::signal::ctrl_c() => {
                println!("Stopped.");
                Ok(())
            }
        }
    });
    // Open live-reload sockets would otherwise keep the runtime alive.
    runtime.shutdown_timeout(Duration::from_millis(500));
    result
}

/// Make a build the current snapshot (or, if it failed, record its errors over the last
/// good files), say so on the terminal, and tell the open pages.
fn apply(
    snapshot: &RwLock<Arc<Snapshot>>,
    reload: &broadcast::Sender<u64>,
    built: site::Built,
    color: bool,
) {
    let previous = snapshot.read().unwrap_or_else(|p| p.into_inner()).clone();
    let version = previous.version + 1;
    let next = match built.result {
        Ok(fresh) => {
            for w in fresh.warnings.iter() {
                eprint!("{}", w.render(color));
            }
            println!(
                "Built {} files in {} ms ({} pages and feeds remade, {} unchanged)",
                fresh.files.len(),
                built.elapsed.as_millis(),
                fresh.rendered,
                fresh.reused
            );
            Snapshot {
                files: fresh.files,
                base_path: fresh.base_path,
                errors: None,
                version,
                fingerprints: fresh.fingerprints,
            }
        }
        Err(errors) => {
            for d in errors.iter() {
                eprint!("{}", d.render(color));
            }
            eprintln!(
                "build failed: {} error(s); still serving the last good version",
                errors.error_count()
            );
            Snapshot {
                files: previous.files.clone(),
                base_path: previous.base_path.clone(),
                errors: Some(errors),
                version,
                fingerprints: previous.fingerprints.clone(),
            }
        }
    };
    *snapshot.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(next);
    let _ = reload.send(version);
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("cannot open a browser ({opener}: {e}); open {url} yourself");
    }
}

/// This machine's name, for `Host` checks when serving on every interface.
fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}
