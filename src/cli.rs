//! The command line: `podium build`, `check`, `serve`, `new`, `init`, `import` and `search`, their
//! flags, and how their results are printed. Kept apart from `main` so tests can run commands without a process.

use crate::diagnostic::Diagnostics;
use crate::{BuildOptions, Today};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// `println!` for what a command prints: when whatever reads it has stopped reading
/// (`podium search forum | head -1`), the command ends quietly, as Unix tools do, instead
/// of `println!`'s panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            $crate::cli::output_closed(e, 0);
        }
    }};
}

/// `eprintln!` for messages, likewise; a command whose messages cannot be read any more
/// ends as failed.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stderr(), $($arg)*) {
            $crate::cli::output_closed(e, 1);
        }
    }};
}

/// End the process when its output was closed (`code`); any other error writing to a
/// terminal or a pipe cannot be told to anyone either, so it ends the same way.
pub(crate) fn output_closed(_error: std::io::Error, code: i32) -> ! {
    std::process::exit(code)
}

#[derive(Debug, Parser)]
#[command(
    name = "podium",
    version,
    about = "Build a static site of forums, speakers and organizations from Markdown reports"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (atomically: a failed build changes nothing).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site [default: <root>/public].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Print nothing but problems.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Serve the site on this machine, rebuild it on every save and reload open pages.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Anything but loopback exposes the site to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Watch by polling instead of file-system events (network drives, containers).
        #[arg(long)]
        poll: bool,
    },
    /// Start a new report: `podium new forum "Title" [--date YYYY-MM-DD] [--city C]`.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Create a new site in DIR that builds at once.
    Init {
        /// The folder to create the site in (created if missing).
        dir: PathBuf,
        /// Also unpack the default theme into themes/default/ for editing.
        #[arg(long)]
        theme: bool,
    },
    /// Bring an archive in: a spreadsheet (CSV) or a conference schedule (pretalx, frab).
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Load, resolve and render the whole site without writing anything; report every problem.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Search the built site the way its search page does: `podium search "Əliyeva"`.
    Search {
        /// What to look for: names, places, topics, in any spelling.
        query: String,
        /// The site folder (its output in <root>/public is searched), or a built output folder.
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// How to print the results.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// How many results to print (all are counted).
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A report under content/forums/<year>/ (or announced/ without a date).
    Forum {
        /// The forum's title; the file name is made from it. With `--lang`: the existing
        /// report (its path, or its title) to translate.
        title: String,
        /// Write a translation skeleton into this language beside an existing report
        /// (`<name>.<code>.md`) instead of a new report.
        #[arg(long, value_name = "CODE")]
        lang: Option<String>,
        /// The day (2025-10-20), or the day and time (2025-10-20T10:00+04:00).
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        city: Option<String>,
        /// The site folder [default: the current folder].
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A spreadsheet saved as CSV (UTF-8, or Excel's UTF-16 "Unicode text"), one row per
    /// appearance; columns in docs/import.md.
    Csv {
        /// The CSV file.
        file: PathBuf,
        #[command(flatten)]
        import: ImportArgs,
    },
    /// A conference schedule: pretalx/frab `schedule.json` or frab/pentabarf `schedule.xml`.
    Schedule {
        /// The schedule export.
        file: PathBuf,
        #[command(flatten)]
        import: ImportArgs,
        /// Write one report per talk instead of one for the conference.
        #[arg(long)]
        per_talk: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The site folder, containing `content/` [default: the current folder].
    #[arg(long, short, default_value = ".")]
    pub root: PathBuf,
    /// Write nothing; print the reports that would be written.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// The site folder, containing `content/` [default: the current folder].
    #[arg(long, short, default_value = ".")]
    pub root: PathBuf,
    /// The date that decides which forums are upcoming (YYYY-MM-DD) [default: SOURCE_DATE_EPOCH, else today].
    #[arg(long)]
    pub today: Option<jiff::civil::Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

impl SiteArgs {
    fn options(&self) -> Result<BuildOptions, String> {
        let today = match (self.today, std::env::var("SOURCE_DATE_EPOCH")) {
            (Some(d), _) => Today::Fixed(d),
            (None, Ok(epoch)) if !epoch.is_empty() => {
                Today::At(crate::model::dates::moment_from_epoch(&epoch)?)
            }
            _ => Today::Clock,
        };
        Ok(BuildOptions {
            root: self.root.clone(),
            output: None,
            today,
            progress: false,
        })
    }
}

pub fn run(cli: Cli) -> ExitCode {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match cli.command {
        Command::Build {
            site,
            output,
            quiet,
        } => run_build(&site, output, quiet, color),
        Command::Serve {
            site,
            port,
            bind,
            open,
            poll,
        } => {
            let build = match site.options() {
                Ok(o) => o,
                Err(e) => return usage_error(&e),
            };
            match crate::serve::serve(crate::serve::ServeOptions {
                build,
                bind,
                port,
                open,
                poll,
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    tell!("error: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::New {
            what:
                NewCommand::Forum {
                    title,
                    lang: Some(lang),
                    root,
                    ..
                },
        } => report_scaffold(
            crate::scaffold::new_translation(&root, &title, &lang)
                .map(|p| vec![format!("created {}", p.display())]),
        ),
        Command::New {
            what:
                NewCommand::Forum {
                    title,
                    lang: None,
                    date,
                    city,
                    root,
                },
        } => {
            let (date, date_written) = match date.as_deref().map(crate::scaffold::new_forum_date) {
                None => (None, None),
                Some(Ok((date, written))) => (Some(date), written),
                Some(Err(e)) => return usage_error(&e),
            };
            let forum = crate::scaffold::NewForum {
                title,
                date,
                date_written,
                city,
            };
            report_scaffold(
                crate::scaffold::new_forum(&root, &forum)
                    .map(|p| vec![format!("created {}", p.display())]),
            )
        }
        Command::Init { dir, theme } => run_init(&dir, theme),
        Command::Import { what } => run_import(what, color),
        Command::Check {
            site,
            deny_warnings,
            format,
        } => run_check(&site, deny_warnings, format, color),
        Command::Search {
            query,
            root,
            format,
            limit,
        } => report_search(&root, &query, format, limit),
    }
}

/// `podium build`: the site built, and what the build did said unless `quiet`.
fn run_build(site: &SiteArgs, output: Option<PathBuf>, quiet: bool, color: bool) -> ExitCode {
    let mut options = match site.options() {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    options.output = output;
    options.progress = !quiet;
    match crate::build(&options) {
        Ok(report) => {
            print_diagnostics(&report.warnings, color);
            if !quiet {
                print_build_report(&report, &options.output_dir());
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            print_diagnostics(&diags, color);
            tell!(
                "{}",
                summary(
                    &diags,
                    "build failed; the previous output was left as it was"
                )
            );
            ExitCode::FAILURE
        }
    }
}

/// What a successful build made, wrote and took from its caches.
fn print_build_report(report: &crate::BuildReport, out: &std::path::Path) {
    if report.unchanged {
        say!(
            "Nothing changed since the last build of {} ({} files, checked in {} ms)",
            out.display(),
            report.written.files,
            report.elapsed.as_millis()
        );
        return;
    }
    let p = &report.pages;
    let w = &report.written;
    say!(
        "Built {} pages ({} forums, {} speakers, {} organizations, {} topics, {} series, {} other) and {} files in {} ms into {} ({} written, {} removed, {} unchanged)",
        p.total(),
        p.forums,
        p.speakers,
        p.organizations,
        p.topics,
        p.series,
        p.other,
        w.files.saturating_sub(p.total()),
        report.elapsed.as_millis(),
        out.display(),
        w.written,
        w.removed,
        w.files - w.written,
    );
    let d = &report.documents;
    if d.reused > 0 {
        say!(
            "Sources: {} parsed, {} unchanged (from the cache)",
            d.parsed,
            d.reused
        );
    }
    let i = &report.images;
    if i.made + i.reused > 0 {
        say!(
            "Images: {} processed, {} unchanged (from the cache)",
            i.made,
            i.reused
        );
    }
}

/// `podium init`: a new site in `dir` (with the default theme unpacked when `theme`), and
/// the next step.
fn run_init(dir: &std::path::Path, theme: bool) -> ExitCode {
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .date();
    let code = report_scaffold(crate::scaffold::init(dir, theme, today).map(|made| {
        made.into_iter()
            .map(|m| match m {
                crate::scaffold::Made::Created(p) => format!("created {}", p.display()),
                crate::scaffold::Made::AddedTo(p) => {
                    format!("added the build's folders to {}", p.display())
                }
            })
            .collect()
    }));
    if code == ExitCode::SUCCESS {
        say!("Next: cd {} && podium serve", dir.display());
    }
    code
}

/// `podium import csv|schedule`: reports written from a spreadsheet or a schedule.
fn run_import(what: ImportCommand, color: bool) -> ExitCode {
    let (file, args, kind) = match what {
        ImportCommand::Csv { file, import } => (file, import, crate::import::Kind::Csv),
        ImportCommand::Schedule {
            file,
            import,
            per_talk,
        } => (file, import, crate::import::Kind::Schedule { per_talk }),
    };
    let options = crate::import::ImportOptions {
        root: args.root,
        file,
        kind,
        dry_run: args.dry_run,
    };
    report_import(&options, crate::import::import(&options), color)
}

/// `podium check`: every problem, for people or (`--format json`) for tools; fails on
/// errors, and on warnings too with `--deny-warnings`.
fn run_check(site: &SiteArgs, deny_warnings: bool, format: Format, color: bool) -> ExitCode {
    let options = match site.options() {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    let diags = crate::check(&options);
    match format {
        Format::Human => {
            print_diagnostics(&diags, color);
            tell!("{}", summary(&diags, "check finished"));
        }
        Format::Json => {
            let list: Vec<_> = diags.iter().collect();
            say!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
        }
    }
    let failed = diags.has_errors() || (deny_warnings && !diags.is_empty());
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `podium search`: the built index of `root` (a site folder or its output) queried.
fn report_search(root: &std::path::Path, query: &str, format: Format, limit: usize) -> ExitCode {
    let in_public = root.join("public");
    let output = if root.join("search/index.json").is_file() || !in_public.is_dir() {
        root
    } else {
        in_public.as_path()
    };
    let found = match crate::search::search(&crate::search::OutputFolder(output), query, limit) {
        Ok(found) => found,
        Err(e) => {
            tell!(
                "error: {e} in {}\n  = help: build the site first (`podium build`), or give its output folder with --root",
                output.display()
            );
            return ExitCode::FAILURE;
        }
    };
    match format {
        Format::Json => say!(
            "{}",
            serde_json::to_string_pretty(&found).unwrap_or_default()
        ),
        Format::Human => {
            for (i, hit) in found.hits.iter().enumerate() {
                let kind = serde_json::to_value(hit.kind).unwrap_or_default();
                say!(
                    "{:>3}. {:<12} {}  /{}",
                    i + 1,
                    kind.as_str().unwrap_or(""),
                    hit.title,
                    hit.path
                );
                if !hit.snippet.is_empty() {
                    say!("{:18}{}", "", hit.snippet);
                }
            }
            say!(
                "{} result(s) for \"{}\"{}",
                found.total,
                query,
                if found.total > found.hits.len() {
                    format!(", {} shown", found.hits.len())
                } else {
                    String::new()
                }
            );
        }
    }
    ExitCode::SUCCESS
}

fn report_import(
    options: &crate::import::ImportOptions,
    result: Result<crate::import::Imported, Diagnostics>,
    color: bool,
) -> ExitCode {
    let imported = match result {
        Ok(i) => i,
        Err(diags) => {
            print_diagnostics(&diags, color);
            tell!("{}", summary(&diags, "import failed; nothing was written"));
            return ExitCode::FAILURE;
        }
    };
    print_diagnostics(&imported.warnings, color);
    let (verb, kept) = if options.dry_run {
        ("would write", "would leave alone")
    } else {
        ("wrote", "left alone")
    };
    for p in &imported.reports {
        if p.exists {
            say!("{kept} (it exists): {}", p.path.display());
        } else if let Some(there) = &p.already_as {
            say!(
                "{kept} (the forum is already there as {}): {}",
                there.display(),
                p.path.display()
            );
        } else if p.written || options.dry_run {
            say!("{verb} {}", p.path.display());
            if options.dry_run {
                for line in p.text.lines() {
                    say!("  | {line}");
                }
            }
        }
    }
    if !imported.write_errors.is_empty() {
        print_diagnostics(&imported.write_errors, color);
        let written = imported.reports.iter().filter(|p| p.written).count();
        tell!(
            "{}",
            summary(
                &imported.write_errors,
                &format!("import stopped; the {written} report(s) written stay")
            )
        );
        return ExitCode::FAILURE;
    }
    let new = imported.new_reports().count();
    let appearances: usize = imported.new_reports().map(|p| p.appearances).sum();
    let kept = imported.kept().count();
    say!(
        "{} {new} report(s) with {appearances} speaker appearance(s) from {}{}; {kept} left alone because they exist; {} warning(s)",
        if options.dry_run {
            "Would import"
        } else {
            "Imported"
        },
        options.file.display(),
        if options.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        },
        imported.warnings.warning_count(),
    );
    ExitCode::SUCCESS
}

/// What `new` or `init` did: each line (`created <path>`), or its error.
fn report_scaffold(result: Result<Vec<String>, String>) -> ExitCode {
    match result {
        Ok(lines) => {
            for line in lines {
                say!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    tell!("error: {message}");
    ExitCode::from(2)
}

fn print_diagnostics(diags: &Diagnostics, color: bool) {
    for d in diags.iter() {
        let rendered = d.render(color);
        tell!("{}", rendered.strip_suffix('\n').unwrap_or(&rendered));
    }
}

fn summary(diags: &Diagnostics, what: &str) -> String {
    format!(
        "{what}: {} error(s), {} warning(s)",
        diags.error_count(),
        diags.warning_count()
    )
}
