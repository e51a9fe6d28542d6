//! Themes: a folder of Tera templates and static files, optionally extending another theme.
//!
//! A site names its theme in `_index.md` (`theme: name`, default `default`). The theme is
//! looked up in `<root>/themes/<name>/`; `default` falls back to the copy compiled into the
//! binary. A theme's `theme.yaml` may say `extends: <parent>`: the parent's templates and
//! static files are loaded first and the child's replace those with the same name, so a
//! theme overrides only what it changes.

use crate::diagnostic::{Diagnostic, Diagnostics, Span, did_you_mean};
use crate::load::documents::ThemeFront;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// Every file of the built-in default theme, as (path inside the theme, bytes).
pub fn default_theme_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    embedded::FILES.iter().copied()
}

/// Where a theme file's bytes come from.
#[derive(Debug, Clone)]
pub enum ThemeFile {
    Disk(PathBuf),
    Embedded(&'static [u8]),
}

/// A loaded theme: templates compiled once, static files to copy.
#[derive(Debug)]
pub struct Theme {
    pub name: String,
    pub tera: tera::Tera,
    /// Output path (relative to the site root) -> file, parent theme files first replaced
    /// by the child's.
    pub static_files: BTreeMap<String, ThemeFile>,
    /// Template name -> where it was read from, to point errors at the right file.
    pub template_origin: BTreeMap<String, String>,
    /// A hash of every template.
    pub digest: u64,
    /// Template name -> a hash of it and of every template it extends, includes or imports,
    /// so `serve` re-renders after a template change only the pages that use it.
    pub uses: BTreeMap<String, u64>,
    /// The templates that may show the site's counts (`site.counts`): they, or a template
    /// they use, mention `counts`. Only their pages change when a report is added.
    pub shows_counts: std::collections::BTreeSet<String>,
    /// The interface's words in every language (`i18n/*.yaml`, see `crate::i18n::words`).
    pub words: std::sync::Arc<crate::i18n::Words>,
    /// (language, key) of each word a site language lacks (it falls back), for warnings.
    pub missing_words: Vec<(String, String)>,
}

impl Theme {
    /// The hash of `template` and everything it uses (`digest` for an unknown name).
    pub fn digest_of(&self, template: &str) -> u64 {
        self.uses.get(template).copied().unwrap_or(self.digest)
    }

    /// Whether `template`'s pages may show the site's counts (an unknown name may).
    pub fn shows_counts(&self, template: &str) -> bool {
        !self.uses.contains_key(template) || self.shows_counts.contains(template)
    }
}

/// The templates a template names in `extends`, `include` and `import` tags; `None` when a
/// tag names one by an expression rather than a string (then it may use any of them).
fn named_templates(text: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for tag in text.split("{%").skip(1) {
        let tag = tag.split("%}").next().unwrap_or_default();
        let tag = tag.trim_start_matches(['-', '+']).trim_start();
        let keyword = tag.split_whitespace().next().unwrap_or_default();
        if !matches!(keyword, "extends" | "include" | "import") {
            continue;
        }
        let rest = &tag[keyword.len()..].trim_start();
        let quote = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))?;
        let name = rest[1..].split(quote).next()?;
        names.push(name.to_string());
    }
    Some(names)
}

/// `Theme::uses`: each template's hash with those of the templates it uses, transitively.
fn template_uses(
    templates: &BTreeMap<String, (String, String)>,
    all: u64,
) -> BTreeMap<String, (u64, bool)> {
    use std::hash::{Hash, Hasher};
    templates
        .keys()
        .map(|name| {
            let mut seen: Vec<&str> = Vec::new();
            let mut todo = vec![name.as_str()];
            let mut dynamic = false;
            while let Some(current) = todo.pop() {
                if seen.contains(&current) {
                    continue;
                }
                seen.push(current);
                let Some((text, _)) = templates.get(current) else {
                    continue;
                };
                match named_templates(text) {
                    Some(names) => todo.extend(
                        names
                            .iter()
                            .filter_map(|n| templates.get_key_value(n.as_str()))
                            .map(|(k, _)| k.as_str()),
                    ),
                    None => dynamic = true,
                }
            }
            if dynamic {
                return (name.clone(), (all, true));
            }
            let counts = seen.iter().any(|t| {
                templates
                    .get(*t)
                    .is_some_and(|(text, _)| text.contains("counts"))
            });
            seen.sort_unstable();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            for used in seen {
                (used, &templates[used].0).hash(&mut h);
            }
            (name.clone(), (h.finish(), counts))
        })
        .collect()
}

/// The longest `extends` chain we follow; deeper is certainly a mistake.
const MAX_DEPTH: usize = 8;

impl Theme {
    /// Load theme `name` for a site in `languages` (the default first).
    pub fn load(root: &Path, name: &str, languages: &[String]) -> Result<Theme, Diagnostics> {
        let mut chain: Vec<(String, Source)> = Vec::new();
        let mut next = Some(name.to_string());
        while let Some(current) = next.take() {
            if chain.iter().any(|(n, _)| *n == current) {
                let names: Vec<&str> = chain.iter().map(|(n, _)| n.as_str()).collect();
                return Err(Diagnostic::error(format!(
                    "theme `{current}` extends itself (through {})",
                    names.join(" -> ")
                ))
                .into());
            }
            if chain.len() >= MAX_DEPTH {
                return Err(Diagnostic::error(format!(
                    "theme `{name}` extends more than {MAX_DEPTH} themes"
                ))
                .into());
            }
            let source = Source::find(root, &current)?;
            next = source
                .manifest(root)?
                .extends
                .map(|e| e.0.trim().to_string());
            chain.push((current, source));
        }
        // Parents first, so the child's files replace theirs.
        let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        let mut catalogs: Vec<(String, String, String)> = Vec::new();
        let mut diags = Diagnostics::new();
        for (_, source) in chain.iter().rev() {
            for (path, file) in source.files(root, &mut diags) {
                if let Some(lang) = catalog_language(&path) {
                    match read_text(&file, &source.display(root, &path)) {
                        Ok(text) => catalogs.push((lang, source.display(root, &path), text)),
                        Err(d) => diags.push(d),
                    }
                } else if let Some(template) = path.strip_prefix("templates/") {
                    match read_text(&file, &source.display(root, &path)) {
                        Ok(text) => {
                            templates
                                .insert(template.to_string(), (text, source.display(root, &path)));
                        }
                        Err(d) => diags.push(d),
                    }
                } else if let Some(asset) = path.strip_prefix("static/") {
                    static_files.insert(asset.to_string(), file);
                }
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        let words = std::sync::Arc::new(
            crate::i18n::Words::new(&catalogs, languages).map_err(Diagnostics::from)?,
        );
        let missing_words = words.missing(languages);
        let mut tera = tera::Tera::new();
        super::filters::register(&mut tera);
        crate::i18n::words::register(&mut tera, words.clone());
        let template_origin: BTreeMap<String, String> = templates
            .iter()
            .map(|(k, (_, origin))| (k.clone(), origin.clone()))
            .collect();
        tera.add_raw_templates(
            templates
                .iter()
                .map(|(k, (text, _))| (k.as_str(), text.as_str())),
        )
        .map_err(|e| Diagnostics::from(template_error(&e, &template_origin, None)))?;
        // The words are part of every template: a changed word changes every page.
        let digest = crate::load::digest(
            &templates
                .iter()
                .map(|(k, (text, _))| format!("{k}\0{text}\0"))
                .chain(catalogs.iter().map(|(l, _, text)| format!("{l}\0{text}\0")))
                .collect::<String>(),
        );
        let words_digest = crate::load::digest(
            &catalogs
                .iter()
                .map(|(l, _, text)| format!("{l}\0{text}\0"))
                .collect::<String>(),
        );
        let uses = template_uses(&templates, digest);
        Ok(Theme {
            name: name.to_string(),
            shows_counts: uses
                .iter()
                .filter(|(_, (_, counts))| *counts)
                .map(|(k, _)| k.clone())
                .collect(),
            uses: uses
                .into_iter()
                .map(|(k, (v, _))| (k, v ^ words_digest))
                .collect(),
            digest,
            tera,
            static_files,
            template_origin,
            words,
            missing_words,
        })
    }
}

/// `i18n/en.yaml` or `i18n/<part>.en.yaml` in a theme: a word catalog, and its language.
fn catalog_language(path: &str) -> Option<String> {
    let name = path.strip_prefix("i18n/")?.strip_suffix(".yaml")?;
    let lang = name.rsplit('.').next()?;
    crate::load::is_language_code(lang).then(|| lang.to_string())
}

/// One theme of a chain: on disk, or the compiled-in default.
enum Source {
    Disk(PathBuf),
    Embedded,
}

impl Source {
    fn find(root: &Path, name: &str) -> Result<Source, Diagnostics> {
        let themes = root.join("themes");
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
        if valid && themes.join(name).is_dir() {
            return Ok(Source::Disk(themes.join(name)));
        }
        if name == "default" {
            return Ok(Source::Embedded);
        }
        let mut available: Vec<String> = std::fs::read_dir(&themes)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        available.push("default".into());
        available.sort();
        available.dedup();
        let hint = did_you_mean(name, available.iter().map(String::as_str))
            .map(|b| format!("did you mean `{b}`? "))
            .unwrap_or_default();
        let site = root.join("content/_index.md");
        let mut d = Diagnostic::error(format!("unknown theme `{name}`")).with_help(format!(
            "{hint}themes are folders in themes/; available: {}",
            available.join(", ")
        ));
        if let Ok(text) = std::fs::read_to_string(&site) {
            // At the value of `theme:` (a line of the front matter at the left margin).
            let place = text.lines().enumerate().skip(1).find_map(|(i, line)| {
                let value = line.strip_prefix("theme:")?;
                let col = line.len() - value.trim_start().len() + 1;
                Some(Span::new("content/_index.md", i + 1, col))
            });
            d = match place {
                Some(span) => d.at_in(span, &text),
                None => d.at(Span::file_start("content/_index.md")),
            };
        }
        Err(d.into())
    }

    fn display(&self, root: &Path, path: &str) -> String {
        match self {
            Source::Disk(dir) => dir
                .join(path)
                .strip_prefix(root)
                .unwrap_or(&dir.join(path))
                .display()
                .to_string(),
            Source::Embedded => format!("themes/default/{path} (built in)"),
        }
    }

    fn manifest(&self, root: &Path) -> Result<ThemeFront, Diagnostics> {
        let (text, display) = match self {
            Source::Disk(dir) => {
                let path = dir.join("theme.yaml");
                if !path.exists() {
                    return Ok(ThemeFront::default());
                }
                let display = self.display(root, "theme.yaml");
                (read_text(&ThemeFile::Disk(path), &display)?, display)
            }
            Source::Embedded => match embedded::FILES.iter().find(|(p, _)| *p == "theme.yaml") {
                Some((_, bytes)) => (
                    String::from_utf8_lossy(bytes).into_owned(),
                    self.display(root, "theme.yaml"),
                ),
                None => return Ok(ThemeFront::default()),
            },
        };
        crate::load::parse_yaml::<ThemeFront>(&text, Path::new(&display), 1, &text)
            .map_err(Diagnostics::from)
    }

    /// Every file of the theme as (path inside the theme with `/`, file), sorted.
    fn files(&self, root: &Path, diags: &mut Diagnostics) -> Vec<(String, ThemeFile)> {
        match self {
            Source::Embedded => embedded::FILES
                .iter()
                .map(|(p, b)| (p.to_string(), ThemeFile::Embedded(b)))
                .collect(),
            Source::Disk(dir) => {
                let mut files = Vec::new();
                for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
                    match entry {
                        Ok(e) if e.file_type().is_file() => {
                            let Ok(relative) = e.path().strip_prefix(dir) else {
                                continue;
                            };
                            let relative: Vec<&str> =
                                relative.iter().filter_map(|c| c.to_str()).collect();
                            if relative.iter().any(|c| crate::load::walk::is_temporary(c)) {
                                continue;
                            }
                            files.push((
                                relative.join("/"),
                                ThemeFile::Disk(e.path().to_path_buf()),
                            ));
                        }
                        Ok(_) => {}
                        Err(e) => diags.push(
                            Diagnostic::error(format!("cannot read theme file: {e}")).at(
                                Span::file_start(
                                    e.path()
                                        .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
                                        .unwrap_or_default(),
                                ),
                            ),
                        ),
                    }
                }
                files
            }
        }
    }
}

fn read_text(file: &ThemeFile, display: &str) -> Result<String, Diagnostic> {
    match file {
        ThemeFile::Embedded(b) => Ok(String::from_utf8_lossy(b).into_owned()),
        ThemeFile::Disk(p) => crate::load::read_source(p, Path::new(display)),
    }
}

/// Turn a Tera error into a diagnostic at the template file, line and column.
pub fn template_error(
    e: &tera::Error,
    origin: &BTreeMap<String, String>,
    page: Option<&str>,
) -> Diagnostic {
    // Tera names templates; an editor needs the file each came from.
    let file_of = |name: &str| {
        origin
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    };
    let (message, at) = match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            (
                report.message().to_string(),
                Some(Span::new(
                    file_of(report.filename()),
                    span.start_line,
                    span.start_col + 1,
                )),
            )
        }
        // Only the template is known, not the place in it: the file, at its start.
        tera::ErrorKind::MissingParent { current: tpl, .. }
        | tera::ErrorKind::CircularExtend { tpl, .. }
        | tera::ErrorKind::CircularInclude { tpl, .. } => {
            (e.to_string(), Some(Span::file_start(file_of(tpl))))
        }
        // The checks made when the templates are loaded (an unknown filter or include) come
        // as one message with a report for each, `--> forum.html:1:62`: the templates'
        // names there become the files they came from, so that an editor can open them.
        tera::ErrorKind::Msg(message) => {
            let located = message
                .lines()
                .map(|line| match line.split_once("--> ") {
                    Some((indent, place)) if indent.trim().is_empty() => {
                        let (name, position) = place.split_once(':').unwrap_or((place, ""));
                        match origin.get(name) {
                            Some(file) => format!("{indent}--> {file}:{position}"),
                            None => line.to_string(),
                        }
                    }
                    _ => line.to_string(),
                })
                .collect::<Vec<_>>()
                .join("\n");
            (located, None)
        }
        _ => (e.to_string(), None),
    };
    let while_rendering = page
        .map(|p| format!(" (while rendering {p})"))
        .unwrap_or_default();
    let diagnostic = Diagnostic::error(format!("template error: {message}{while_rendering}"))
        .with_help("fix the template; the page kinds' variables are listed in docs/themes.md");
    match at {
        Some(span) => diagnostic.at(span),
        None => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(files: &[(&str, &str)]) -> BTreeMap<String, (String, String)> {
        files
            .iter()
            .map(|(n, t)| (n.to_string(), (t.to_string(), n.to_string())))
            .collect()
    }

    #[test]
    fn a_template_depends_on_what_it_extends_includes_and_imports() {
        let base = theme(&[
            (
                "base.html",
                "<body>{% block content %}{% endblock content %}</body>",
            ),
            (
                "forum.html",
                "{% extends \"base.html\" %}{%- include 'partials/item.html' -%}",
            ),
            (
                "speaker.html",
                "{% extends \"base.html\" %}{% import \"macros.html\" as m %}",
            ),
            ("partials/item.html", "item"),
            ("macros.html", "{% macro x() %}{% endmacro x %}"),
        ]);
        let uses = template_uses(&base, 0);
        let mut changed = base.clone();
        changed.get_mut("partials/item.html").unwrap().0 = "another item".into();
        let after = template_uses(&changed, 0);
        assert_ne!(uses["forum.html"], after["forum.html"]);
        assert_eq!(uses["speaker.html"], after["speaker.html"]);
        let mut changed = base.clone();
        changed.get_mut("base.html").unwrap().0 =
            "<main>{% block content %}{% endblock content %}</main>".into();
        let after = template_uses(&changed, 0);
        assert_ne!(uses["forum.html"], after["forum.html"]);
        assert_ne!(uses["speaker.html"], after["speaker.html"]);
    }

    #[test]
    fn a_template_named_by_an_expression_may_use_any() {
        assert_eq!(named_templates("{% include page.template %}"), None);
        assert_eq!(
            named_templates("{% extends \"a.html\" %}{% include \"b.html\" ignore missing %}"),
            Some(vec!["a.html".to_string(), "b.html".to_string()])
        );
        let files = theme(&[("x.html", "{% include name %}"), ("y.html", "y")]);
        assert_eq!(template_uses(&files, 42)["x.html"], (42, true));
    }

    #[test]
    fn a_template_shows_counts_if_it_or_one_it_uses_mentions_them() {
        let files = theme(&[
            (
                "base.html",
                "<footer>{{ site.counts.forums }}</footer>{% block c %}{% endblock c %}",
            ),
            ("forum.html", "{% extends \"base.html\" %}"),
            ("page.html", "{% include \"partials/x.html\" %}"),
            ("partials/x.html", "x"),
        ]);
        let uses = template_uses(&files, 0);
        assert!(uses["forum.html"].1);
        assert!(!uses["page.html"].1);
    }
}
