//! `podium serve`: build the site into memory, serve it on loopback, rebuild on every save,
//! and reload the open pages.
//!
//! Three parts, one direction: the watcher (`watch`) turns file-system events into batches of
//! changed paths; the rebuild loop hands each to the `site::Builder`, which makes the saved
//! page first and the rest in later steps, each published as a new `Snapshot` (a failed
//! build keeps the last good files and records its errors for the overlay); the server
//! (`server`) answers from whatever snapshot is current, holds requests for files a later
//! step will remake, and tells live-reload clients about each new build. A bad file never
//! stops the server. `docs/serve.md` tells the whole story.

pub mod server;
pub mod site;
pub mod watch;

use crate::BuildOptions;
use crate::diagnostic::Diagnostics;
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

pub fn serve(mut options: ServeOptions) -> anyhow::Result<()> {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // The watcher reports absolute paths; the loader must key its files the same way.
    options.build.root = options.build.root.canonicalize().map_err(|e| {
        anyhow::anyhow!(
            "cannot open the site folder {}: {e}",
            options.build.root.display()
        )
    })?;
    let snapshot = Arc::new(RwLock::new(Arc::new(Snapshot::default())));
    let (reload, _) = broadcast::channel(16);
    let published = Arc::new(tokio::sync::watch::Sender::new(0u64));
    let building = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let waiting_requests = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // Watch before the first build, so a save made while it runs is not missed.
    let (changed, changes) = std::sync::mpsc::channel();
    let mut watching = watch::watch(&options.build.root, options.poll, changed.clone())?;
    if let Some(warning) = &watching.warning {
        eprintln!("warning: {warning}");
    }
    // The first build may fail: the server starts anyway and shows the errors.
    let mut builder = site::Builder::new(options.build.clone());
    let everything = watch::Change {
        paths: Vec::new(),
        rescan: true,
        watcher_failed: false,
    };
    let rebuild = Rebuild {
        snapshot: &snapshot,
        reload: &reload,
        published: &published,
        building: &building,
        waiting: &waiting_requests,
        color,
    };
    let mut waiting = rebuild.run(&mut builder, &everything, &changes);

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
        published: published.clone(),
        building: building.clone(),
        clients: Default::default(),
        waiting: waiting_requests.clone(),
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

        let (snapshot, reload, published, building) = (snapshot.clone(), reload.clone(), published.clone(), building.clone());
        let waiting_requests = waiting_requests.clone();
        let root = options.build.root.clone();
        std::thread::spawn(move || {
            let rebuild = Rebuild { snapshot: &snapshot, reload: &reload, published: &published, building: &building, waiting: &waiting_requests, color };
            loop {
                let change = match waiting.take() {
                    Some(change) => change,
                    None => match changes.recv() {
                        Ok(change) => change,
                        Err(_) => break,
                    },
                };
                // Wait for the rest of a burst: briefly after one saved file (its later
                // events may come one debouncer tick after the first), longer after several
                // (a checkout, or saves that came during the last build).
                let mut change = watch::gather(change, &changes);
                if let Err(e) = watch::keep_watching(&mut watching, &mut change, &root, &changed) {
                    eprintln!("error: cannot watch the site any more: {e}; saves are not seen until a restart");
                }
                waiting = rebuild.run(&mut builder, &change, &changes);
            }
        });
        if options.open {
            open_browser(&url);
        }
        tokio::select! {
            () = server::accept(listener, server::router(state)) => Ok(()),
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

/// One rebuild after a change, in its steps (see `site`): each is published as it is done,
/// and open pages reload after the first.
struct Rebuild<'a> {
    snapshot: &'a RwLock<Arc<Snapshot>>,
    reload: &'a broadcast::Sender<u64>,
    published: &'a tokio::sync::watch::Sender<u64>,
    building: &'a std::sync::atomic::AtomicBool,
    /// Requests waiting for a pending file.
    waiting: &'a std::sync::atomic::AtomicUsize,
    color: bool,
}

impl Rebuild<'_> {
    fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn publish(&self, next: Snapshot) {
        *self.snapshot.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(next);
        self.published.send_modify(|n| *n += 1);
    }

    /// Rebuild after `change`. A later change that arrives between two steps cuts the
    /// rebuild short and is returned (the builder keeps the steps left and does them after
    /// that change's first step), unless a request is waiting for a file a step will make:
    /// then the steps go on, so a stream of saves cannot keep a reader waiting.
    fn run(
        &self,
        builder: &mut site::Builder,
        change: &watch::Change,
        changes: &std::sync::mpsc::Receiver<watch::Change>,
    ) -> Option<watch::Change> {
        use std::sync::atomic::Ordering;
        self.building.store(true, Ordering::SeqCst);
        let later = self.steps(builder, change, changes);
        // A change cut this rebuild short: the next one starts at once.
        self.building.store(later.is_some(), Ordering::SeqCst);
        later
    }

    fn steps(
        &self,
        builder: &mut site::Builder,
        change: &watch::Change,
        changes: &std::sync::mpsc::Receiver<watch::Change>,
    ) -> Option<watch::Change> {
        let previous = self.current();
        let version = previous.version + 1;
        let built = builder.rebuild(change, &previous);
        match built.result {
            Ok(fresh) => {
                for w in fresh.warnings.iter() {
                    eprint!("{}", w.render(self.color));
                }
                let how = fresh.how.describe();
                println!(
                    "Built {} pages and feeds in {} ms ({how})",
                    fresh.rendered,
                    built.elapsed.as_millis(),
                );
                self.publish(Snapshot {
                    files: fresh.files,
                    base_path: fresh.base_path,
                    errors: None,
                    version,
                    pending: Some(Arc::new(fresh.pending)),
                });
                let _ = self.reload.send(version);
            }
            Err(errors) => {
                self.fail(errors, &previous, version);
                return None;
            }
        }
        loop {
            if self.waiting.load(std::sync::atomic::Ordering::SeqCst) == 0
                && let Ok(change) = changes.try_recv()
            {
                return Some(change);
            }
            let started = std::time::Instant::now();
            let current = self.current();
            let Some(step) = builder.next_step(&current) else {
                // Nothing left (a step failed earlier, or there was nothing to do).
                if current.pending.is_some() {
                    self.publish(Snapshot {
                        pending: None,
                        ..(*current).clone()
                    });
                }
                return None;
            };
            match step {
                Ok(step) => {
                    for w in step.warnings.iter() {
                        eprint!("{}", w.render(self.color));
                    }
                    println!(
                        "  then {} in {} ms",
                        step.made,
                        started.elapsed().as_millis()
                    );
                    self.publish(Snapshot {
                        files: step.files,
                        pending: step.pending.map(Arc::new),
                        ..(*current).clone()
                    });
                }
                Err(errors) => {
                    // The pages published so far stay; the open pages reload once more,
                    // to show the overlay.
                    self.fail(errors, &current, current.version + 1);
                    return None;
                }
            }
        }
    }

    /// Say what failed, and keep serving `over`'s files with the errors shown over them as
    /// version `version`; open pages reload to show the overlay.
    fn fail(&self, errors: Diagnostics, over: &Snapshot, version: u64) {
        for d in errors.iter() {
            eprint!("{}", d.render(self.color));
        }
        eprintln!(
            "build failed: {} error(s); still serving the last good version",
            errors.error_count()
        );
        self.publish(Snapshot {
            errors: Some(errors),
            version,
            pending: None,
            ..over.clone()
        });
        let _ = self.reload.send(version);
    }
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
