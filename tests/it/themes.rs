//! Themes: choosing one, extending another, and template errors that point at the template.

use crate::support::*;

const SITE: &str = r#"
-- content/_index.md --
---
title: Themed
theme: child
---
-- content/forums/a.md --
---
title: Alpha
date: 2025-01-01
---
-- themes/child/theme.yaml --
name: child
extends: default
-- themes/child/templates/forum.html --
{% extends "base.html" %}
{% block content %}<h1 class="child-forum">{{ forum.title }}</h1>{% endblock content %}
-- themes/child/static/extra.css --
body { color: black; }
"#;

#[test]
fn a_theme_extends_another_and_overrides_only_some_templates() {
    let site = Site::new(SITE);
    site.build();
    let forum = site.page("forums/a/index.html");
    assert_eq!(forum.text("h1.child-forum"), "Alpha");
    // base.html and every other page come from the parent.
    assert_eq!(forum.count("nav[aria-label=Main]"), 1);
    assert_eq!(site.page("speakers/index.html").text("h1"), "Speakers");
    assert!(site.exists("style.css"), "parent static files are copied");
    assert_eq!(site.read("extra.css"), "body { color: black; }\n");
}

#[test]
fn unknown_theme_is_an_error_with_a_hint() {
    let site = Site::new(&SITE.replace("theme: child", "theme: chidl"));
    let err = site.build_err();
    assert!(
        err.contains("unknown theme `chidl`") && err.contains("did you mean `child`?"),
        "{err}"
    );
    // At the value, with its line shown.
    let line = SITE
        .lines()
        .skip_while(|l| *l != "-- content/_index.md --")
        .position(|l| l == "theme: child")
        .unwrap();
    assert!(
        err.contains(&format!("content/_index.md:{line}:8: unknown theme"))
            && err.contains("theme: chidl"),
        "{err}"
    );
}

#[test]
fn template_errors_name_the_template_file_and_line() {
    let site = Site::new(SITE);
    site.write("themes/child/templates/forum.html", "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ forum.title </h1>\n{% endblock content %}\n");
    let err = site.build_err();
    assert!(
        err.contains("themes/child/templates/forum.html:3:"),
        "{err}"
    );

    site.write("themes/child/templates/forum.html", "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ forum.no_such_field }}</h1>\n{% endblock content %}\n");
    let err = site.build_err();
    assert!(
        err.contains("themes/child/templates/forum.html:3:"),
        "{err}"
    );
    assert!(err.contains("while rendering /forums/a/"), "{err}");
}

/// Mistakes Tera finds when the templates are loaded (an unknown filter or include, a
/// missing or circular parent) name the theme's file too, not only the template's name.
#[test]
fn template_errors_found_on_loading_name_the_file() {
    let site = Site::new(SITE);
    let forum = "themes/child/templates/forum.html";
    site.write(forum, "{% extends \"base.html\" %}\n{% block content %}{{ forum.title | no_such_filter }}{% endblock content %}\n");
    let err = site.build_err();
    assert!(err.contains("Unknown filter `no_such_filter`"), "{err}");
    assert!(err.contains(&format!("--> {forum}:2:")), "{err}");

    site.write(forum, "{% extends \"no_such_parent.html\" %}\n");
    let err = site.build_err();
    assert!(err.contains(&format!("{forum}:1:1: template error: Template 'forum.html' is inheriting from 'no_such_parent.html'")), "{err}");

    site.write(forum, "{% extends \"forum.html\" %}\n");
    let err = site.build_err();
    assert!(
        err.contains(&format!("{forum}:1:1: template error: Circular extend")),
        "{err}"
    );
}

#[test]
fn themes_that_extend_each_other_in_a_circle_are_refused() {
    let site = Site::new(SITE);
    site.write("themes/child/theme.yaml", "name: child\nextends: other\n");
    site.write("themes/other/theme.yaml", "name: other\nextends: child\n");
    let err = site.build_err();
    assert!(err.contains("extends itself"), "{err}");
}
