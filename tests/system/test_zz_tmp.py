import time, pytest
from axe_playwright_python.sync_playwright import Axe
from tests.conftest import PASSWORD
from tests.system.conftest import WCAG_TAGS, sign_in
pytestmark = pytest.mark.django_db(transaction=True)

def test_t(page, personas):
    sign_in(page, "sysadmin", PASSWORD)
    t=time.time(); page.goto("/kodlistor/"); print("goto", time.time()-t)
    for opts in [{"runOnly": {"type": "tag", "values": WCAG_TAGS}}, {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "rules": {"color-contrast": {"enabled": False}}}]:
        t=time.time(); r=Axe().run(page, options=opts); print("axe", time.time()-t)
    t=time.time(); page.evaluate("1"); print("eval", time.time()-t)
    print(page.evaluate("document.querySelectorAll('*').length"))
