"""Two rules Lighthouse's accessibility score checks that axe leaves out of its default run.

`target-size` (WCAG 2.5.8: a finger or a shaky hand hits the link it aims at) and
`label-content-name-mismatch` (WCAG 2.5.3: a speech user says what they see). `make lighthouse`
runs Lighthouse itself; this keeps the two from regressing on every public page type.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser
PAGES = ["/", "/documents/frus1977-80v26-d285/", "/glossary/", "/people/", "/lessons/", "/timeline/"]


@pytest.mark.parametrize("width", [1280, 390])
def test_public_pages_pass_target_size_and_label_in_name(browser, site, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=site.url)
    page = context.new_page()
    for path in PAGES:
        page.goto(path)
        page.wait_for_load_state("load")
        results = Axe().run(page, options={"runOnly": ["target-size", "label-content-name-mismatch"]})
        assert results.violations_count == 0, f"{path}\n{results.generate_report()}"
    context.close()
