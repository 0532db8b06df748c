import pytest
from axe_playwright_python.sync_playwright import Axe
from tests.system.conftest import WCAG_TAGS
pytestmark = pytest.mark.django_db(transaction=True)

def test_sanity(page):
    page.goto("/konto/login/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x><input type=text><p style=\"color:#bbb\">low contrast</p><h1>two</h1>')")
    r = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    print([v["id"] for v in r.response["violations"]])
    print(r.response["testEngine"], len(r.response["passes"]), len(r.response["incomplete"]))
    print([ (v["id"], [n["html"][:100] for n in v["nodes"]]) for v in r.response["incomplete"]])
