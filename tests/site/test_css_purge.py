"""The notebook stylesheet cut to what the tutorial pages use (annlab_site.css_purge)."""

from __future__ import annotations

from annlab_site.css_purge import drop_unused_properties, used_css

CSS = """
.jupyter-wrapper :root { --jp-icon-big: url(data:image/svg+xml,AAAA); --jp-a: red; }
.jupyter-wrapper body { margin: 0 }
.jupyter-wrapper {
  --jp-a: blue; --jp-b: var(--jp-a); --jp-c: 3px; --jp-unread: var(--jp-c); --jp-d: 1em;
}
.jupyter-wrapper .used { color: var(--jp-b) !important; }
.jupyter-wrapper .absent { padding: var(--jp-c); }
@media print { .used { margin: var(--jp-d) } .absent { margin: 0 } }
"""


def test_rules_for_absent_classes_and_the_root_inside_an_element_go() -> None:
    kept = used_css(CSS, {"jupyter-wrapper", "used"})
    assert ".used" in kept and ".absent" not in kept
    assert ":root" not in kept and "body" not in kept, "they can match no element"
    assert "@media print {.used{margin:var(--jp-d)}}" in kept


def test_custom_properties_stay_only_when_something_reads_them() -> None:
    kept = used_css(CSS, {"jupyter-wrapper", "used"})
    # --jp-b is read by .used, --jp-a through --jp-b, --jp-d inside @media.
    assert "--jp-b:var(--jp-a)" in kept and "--jp-a:blue" in kept and "--jp-d:1em" in kept
    assert "color:var(--jp-b)!important" in kept
    # --jp-c was read only by the dropped .absent rule; --jp-unread by nothing.
    assert "--jp-c" not in kept and "--jp-unread" not in kept and "icon" not in kept


def test_a_property_read_by_another_stylesheet_stays() -> None:
    css = ".a { --jp-x: 1px; --jp-y: 2px; }"
    assert drop_unused_properties(css, read_elsewhere=".b { width: var(--jp-y) }") == (
        ".a{--jp-y:2px}\n"
    )
    assert drop_unused_properties(css) == "\n", "a rule left empty goes"
