//! `podium new forum` and `podium init`: files an editor starts from, filled in and
//! commented so that they build at once and explain themselves. Neither ever overwrites.

use crate::model::slug::slugify;
use std::path::{Path, PathBuf};

/// What to put in a new report.
#[derive(Debug, Clone, Default)]
pub struct NewForum {
    pub title: String,
    pub date: Option<jiff::civil::Date>,
    /// `date` as given, when it has a time too (`2025-10-20T10:00+04:00`): written as it is.
    pub date_written: Option<String>,
    pub city: Option<String>,
}

/// `--date` of `podium new forum`: a day (`2025-10-20`), or a day and time with or without
/// an offset (`2025-10-20T10:00+04:00`, `2025-10-20 10:00`), which is kept as written.
pub fn new_forum_date(text: &str) -> Result<(jiff::civil::Date, Option<String>), String> {
    let text = text.trim();
    let bad = || {
        format!("`{text}` is not a date: write 2025-10-20, or 2025-10-20T10:00+04:00 with its time")
    };
    if text.len() == 10 {
        return text
            .parse::<jiff::civil::Date>()
            .map(|d| (d, None))
            .map_err(|_| bad());
    }
    let at = text.parse::<jiff::civil::DateTime>().map_err(|_| bad())?;
    Ok((at.date(), Some(text.to_string())))
}

/// Write `content/forums/<year>/<slug>.md` (or `announced/` without a date) and return its
/// path. Refuses to overwrite.
pub fn new_forum(root: &Path, forum: &NewForum) -> Result<PathBuf, String> {
    must_be_a_site(root)?;
    // Long titles make unwieldy file names (and past 255 bytes, impossible ones).
    let slug = crate::model::slug::cut(&slugify(&forum.title), 80).to_string();
    if slug.is_empty() {
        return Err(format!(
            "cannot make a file name from the title `{}`; give it some letters or digits",
            forum.title
        ));
    }
    let folder = forum
        .date
        .map_or_else(|| "announced".to_string(), |d| d.year().to_string());
    let path = root
        .join("content/forums")
        .join(&folder)
        .join(format!("{slug}.md"));
    if let Some(taken) = address_taken(&path, &slug) {
        return Err(format!(
            "{} already has this report's address (forums/{folder}/{slug}/); nothing was changed: give the new report another title, or edit that one",
            taken.display()
        ));
    }
    write_new(&path, &report(forum))?;
    Ok(path)
}

/// Another report beside `path` whose address would be `slug` too: by its file name
/// (`Xankendi Forum.md` and `xankendi-forum.md` are one address) or its `slug:` line. (The
/// file at `path` itself is told by `write_new`.)
fn address_taken(path: &Path, slug: &str) -> Option<PathBuf> {
    std::fs::read_dir(path.parent()?)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            if p == path {
                return false;
            }
            let Some(stem) = p
                .extension()
                .filter(|e| *e == "md")
                .and(p.file_stem())
                .and_then(|s| s.to_str())
            else {
                return false;
            };
            // A translation (`x.az.md`) shares its original's address.
            if stem
                .rsplit_once('.')
                .is_some_and(|(_, code)| crate::load::is_language_code(code))
            {
                return false;
            }
            let own_slug = std::fs::read_to_string(p).ok().and_then(|text| {
                let front = text.strip_prefix("---")?.split("\n---").next()?.to_string();
                front.lines().find_map(|l| {
                    let value = l.strip_prefix("slug:")?.trim().trim_matches(['"', '\'']);
                    Some(slugify(value))
                })
            });
            own_slug.unwrap_or_else(|| slugify(stem)) == slug
        })
}

/// A new report goes into a site: run elsewhere (in an empty folder, or inside `content/`),
/// `new` would make a `content/` of its own that no build reads. Names the site folder
/// above, if there is one.
fn must_be_a_site(root: &Path) -> Result<(), String> {
    if root.join("content").is_dir() {
        return Ok(());
    }
    let absolute = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let above = absolute
        .ancestors()
        .skip(1)
        .find(|dir| dir.join("content").join("_index.md").is_file());
    Err(match above {
        Some(site) => format!(
            "{} is not a site's folder (it has no `content/`); the site is {}: run `podium new` there, or pass `--root {}`",
            absolute.display(),
            site.display(),
            site.display()
        ),
        None => format!(
            "{} is not a site's folder (it has no `content/`): run `podium new` in the site's folder, pass `--root`, or make a site with `podium init`",
            absolute.display()
        ),
    })
}

/// Write `<name>.<lang>.md` beside an existing report (named by its path, or by its title)
/// with the original's texts to translate, commented out so that nothing untranslated passes
/// for a translation. Refuses to overwrite.
pub fn new_translation(root: &Path, report: &str, lang: &str) -> Result<PathBuf, String> {
    must_be_a_site(root)?;
    if !crate::load::is_language_code(lang) {
        return Err(format!(
            "`{lang}` is not a language code; write a lower-case ISO 639 code such as `az` or `ru`"
        ));
    }
    // A translation into a language the site does not list, or into its default (the
    // original's), would be refused by the next build: refused here instead.
    let settings = root.join("content").join("_index.md");
    if let Ok(text) = std::fs::read_to_string(&settings)
        && let Ok(doc) = crate::load::parse_document::<crate::load::documents::SiteFront>(
            &settings,
            PathBuf::new(),
            &text,
        )
    {
        let languages = crate::model::translate::languages_of(
            Some(&doc),
            &mut crate::diagnostic::Diagnostics::new(),
        );
        if languages[0] == lang && languages.len() == 1 {
            return Err(format!(
                "`{lang}` is the site's only language, the language of the originals; list the language to translate into in `languages:` in content/_index.md first (e.g. `languages: [{lang}, az]`)"
            ));
        }
        if languages[0] == lang {
            return Err(format!(
                "`{lang}` is the site's default language, the language of the originals; a translation is into one of the others ({})",
                languages[1..].join(", ")
            ));
        }
        if !languages.iter().any(|l| l == lang) {
            return Err(format!(
                "the site's languages are {}; add `{lang}` to `languages:` in content/_index.md first (e.g. `languages: [{}, {lang}]`)",
                languages.join(", "),
                languages.join(", ")
            ));
        }
    }
    let original = find_report(root, report)?;
    let text = std::fs::read_to_string(&original)
        .map_err(|e| format!("cannot read {}: {e}", original.display()))?;
    let doc = crate::load::parse_document::<crate::load::documents::ReportFront>(
        &original,
        PathBuf::new(),
        &text,
    )
    .map_err(|d| format!("{}: {}", original.display(), d.message))?;
    let stem = original
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let path = original.with_file_name(format!("{stem}.{lang}.md"));
    write_new(&path, &translation(&doc.front, lang, &original))?;
    Ok(path)
}

/// The report a user named: a path to a `.md` file, or the title of one under
/// `content/forums/`.
fn find_report(root: &Path, report: &str) -> Result<PathBuf, String> {
    let as_path = PathBuf::from(report);
    for candidate in [root.join(&as_path), as_path.clone()] {
        if candidate.extension().is_some_and(|e| e == "md") && candidate.is_file() {
            return Ok(candidate);
        }
    }
    let slug = slugify(report);
    let forums = root.join("content/forums");
    let reports: Vec<PathBuf> = walkdir::WalkDir::new(&forums)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        // Not translations (`x.az.md`): a translation is made of an original.
        .filter(|p| {
            !p.file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.rsplit_once('.'))
                .is_some_and(|(_, code)| crate::load::is_language_code(code))
        })
        .collect();
    // By file name first, then by the title written in the front matter.
    let stem = |p: &PathBuf| p.file_stem().and_then(|s| s.to_str()) == Some(slug.as_str());
    let titled = |p: &PathBuf| {
        std::fs::read_to_string(p).is_ok_and(|text| {
            text.lines()
                .filter_map(|l| l.strip_prefix("title:"))
                .any(|t| slugify(t.trim().trim_matches(['"', '\''])) == slug)
        })
    };
    reports
        .iter()
        .find(|p| stem(p))
        .or_else(|| reports.iter().find(|p| titled(p)))
        .cloned()
        .ok_or_else(|| {
            format!(
                "no report `{report}`: give the path of its file (content/forums/2025/x.md) or its title as written"
            )
        })
}

fn translation(front: &crate::load::documents::ReportFront, lang: &str, original: &Path) -> String {
    let line = |key: &str, value: &Option<crate::load::documents::Text>| {
        value
            .as_ref()
            .map(|v| format!("# {key}: {}\n", quoted(v)))
            .unwrap_or_default()
    };
    let mut out = format!(
        "---\n# The `{lang}` text of {}: translate each line and remove its `#`.\n\
# Only text for readers goes here; dates, speakers, organizations and topics stay in the\n\
# original (docs/content.md, \"Languages and translations\"). What you leave out shows the original.\n",
        original.display()
    );
    for (key, value) in [
        ("title", &front.title),
        ("summary", &front.summary),
        ("theme", &front.theme),
        ("venue", &front.venue),
        ("city", &front.city),
        ("country", &front.country),
    ] {
        out.push_str(&line(key, value));
    }
    // Everyone with a title or topic to translate: under `speakers:`, and each session's
    // moderator and speakers; each name once (a translation's entry is matched by name).
    let mut named = std::collections::HashSet::new();
    let people: Vec<_> = front
        .speakers
        .0
        .iter()
        .chain(
            front
                .sessions
                .0
                .iter()
                .flat_map(|s| s.moderator.iter().chain(&s.speakers.0)),
        )
        .filter(|a| a.title.is_some() || a.topic.is_some())
        .filter(|a| {
            a.name
                .as_ref()
                .is_some_and(|n| named.insert(n.trim().to_lowercase()))
        })
        .collect();
    if !people.is_empty() {
        out.push_str("# speakers:                # `name` as in the original, to say whose\n");
        for a in people {
            if let Some(name) = &a.name {
                out.push_str(&format!("#   - name: {}\n", quoted(name)));
                for (key, value) in [("title", &a.title), ("topic", &a.topic)] {
                    if let Some(v) = value {
                        out.push_str(&format!("#     {key}: {}\n", quoted(v)));
                    }
                }
            }
        }
    }
    if !front.sessions.0.is_empty() {
        out.push_str("# sessions:                # in the original's order\n");
        for s in &front.sessions.0 {
            out.push_str(&format!(
                "#   - title: {}\n",
                quoted(s.title.as_deref().unwrap_or_default())
            ));
            if let Some(summary) = &s.summary {
                out.push_str(&format!("#     summary: {}\n", quoted(summary)));
            }
        }
    }
    if let Some(title) = front.source.as_ref().and_then(|s| s.title.as_ref()) {
        out.push_str(&format!("# source:\n#   title: {}\n", quoted(title)));
    }
    out.push_str("# Below the closing line: the report in this language, or nothing to show the original's.\n---\n");
    out
}

fn quoted(text: &str) -> String {
    // A JSON string is a valid YAML double-quoted scalar, escapes and all.
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

fn report(forum: &NewForum) -> String {
    let when = match forum.date {
        Some(d) => format!(
            "date: {}                # a date, or a date-time with offset: {d}T10:00:00+04:00\n# end: {d}               # the last day, if it lasts longer\n# status: held            # left out: held once the date has passed, announced before it; or postponed | cancelled\n",
            forum.date_written.clone().unwrap_or_else(|| d.to_string())
        ),
        None => "# date: 2025-10-20        # not known yet; add it when it is\nstatus: announced         # held | announced | postponed | cancelled\n".to_string(),
    };
    let city = forum.city.as_deref().map_or_else(
        || "# city: Baku\n".to_string(),
        |c| format!("city: {}\n", quoted(c)),
    );
    format!(
        "---\ntitle: {title}\n{when}{city}# country: Azerbaijan\n# venue: Congress Center\n# series: Annual Forum of Azerbaijani NGOs\n\
organizers: []            # e.g. [State Support Agency for NGOs]\n\
speakers: []              # one entry per person, as they were at this forum:\n\
#  - name: Full Name\n\
#    title: Their title at the time\n\
#    organization: Who they spoke for\n\
#    role: speaker          # speaker | host | moderator | panelist | video\n\
topics: []                # e.g. [civic space, youth]\n\
# summary: One or two sentences for lists, feeds and search engines.\n\
# source: {{ publisher: Trend, date: 2025-10-21, url: \"https://...\" }}\n\
---\n\
Write the report here, in Markdown. Link to a speaker as `[Full Name](@/speakers/full-name)`,\n\
to another report as `[its title](@/forums/2025/other-forum.md)`.\n\
Every field is explained in docs/content.md.\n",
        title = quoted(&forum.title),
    )
}

/// What `init` did to a file: made it, or added lines to the one there (`.gitignore`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Made {
    Created(PathBuf),
    AddedTo(PathBuf),
}

/// Create a new site in `dir`: settings, one sample report, and (with `theme`) the default
/// theme unpacked into `themes/default/` for editing. Refuses, changing nothing, if
/// `dir/content` exists, or with `theme` if `dir/themes/default` does (an editor's own
/// theme of that name is never overwritten).
pub fn init(dir: &Path, theme: bool, today: jiff::civil::Date) -> Result<Vec<Made>, String> {
    if dir.join("content").exists() {
        return Err(format!(
            "{} already has a content/ folder; nothing was changed",
            dir.display()
        ));
    }
    let theme_dir = dir.join("themes/default");
    if theme && theme_dir.exists() {
        return Err(format!(
            "{} already exists; nothing was changed (move it aside to unpack the default theme there, or run `podium init` without `--theme`)",
            theme_dir.display()
        ));
    }
    let mut written = Vec::new();
    let settings = dir.join("content/_index.md");
    write_new(
        &settings,
        "---\ntitle: \"My forums\"              # the site's name\ndescription: \"Reports of the forums we organize and attend.\"\n\
base_url: \"https://example.org/\"     # where the site will be published\nlanguage: en\ntimezone: UTC                 # e.g. Asia/Baku: local times in reports are read in it\n\
theme: default\n---\nWelcome! This introduction is the text of the home page. Edit it in content/_index.md.\n",
    )?;
    written.push(Made::Created(settings));
    written.push(Made::Created(new_forum(
        dir,
        &NewForum {
            title: "Our first forum".into(),
            date: Some(today),
            date_written: None,
            city: Some("Baku".into()),
        },
    )?));
    written.extend(ignore_build_files(dir)?);
    if theme {
        for (path, bytes) in crate::render::theme::default_theme_files() {
            let target = theme_dir.join(path);
            write_new_bytes(&target, bytes)?;
            written.push(Made::Created(target));
        }
    }
    Ok(written)
}

/// What `podium build` writes besides the content: the output, and what Podium keeps beside
/// it to rebuild only what changed (see docs/publishing.md).
const IGNORED: &[&str] = &["/public/", "/.public.podium/"];

/// Add the build's files to the site's `.gitignore` (made if missing); says so if changed.
fn ignore_build_files(dir: &Path) -> Result<Option<Made>, String> {
    let path = dir.join(".gitignore");
    let had = path.exists();
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    let present: Vec<&str> = existing.lines().map(str::trim).collect();
    let missing: Vec<&str> = IGNORED
        .iter()
        .copied()
        .filter(|line| !present.contains(line) && !present.contains(&line.trim_start_matches('/')))
        .collect();
    if missing.is_empty() {
        return Ok(None);
    }
    let mut text = existing.clone();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("# Made by `podium build`: the site, and what it keeps to rebuild quickly.\n");
    for line in missing {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(Some(if had {
        Made::AddedTo(path)
    } else {
        Made::Created(path)
    }))
}

fn write_new(path: &Path, text: &str) -> Result<(), String> {
    write_new_bytes(path, text.as_bytes())
}

/// Write a file that must not exist yet.
fn write_new_bytes(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!("{} already exists; nothing was changed", path.display())
            }
            _ => format!("cannot create {}: {e}", path.display()),
        })?;
    std::io::Write::write_all(&mut file, bytes)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
