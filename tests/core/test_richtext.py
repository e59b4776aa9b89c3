from carrefour.core.richtext import render_markdown, sanitize


def test_markdown_is_rendered_with_headings_below_the_page_title():
    html = render_markdown("# Titre\n\nTexte en **gras**.")
    assert "<h3>Titre</h3>" in html
    assert "<strong>gras</strong>" in html


def test_sanitiser_removes_scripts_handlers_and_javascript_links():
    html = sanitize('<p onclick="x()">a</p><script>alert(1)</script><a href="javascript:alert(1)">b</a><img src=x>')
    assert "script" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert "<img" not in html


def test_links_get_safe_rel():
    assert 'rel="nofollow noopener noreferrer ugc"' in render_markdown("[site](https://www.example.org)")
