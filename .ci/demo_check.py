"""Try the demo served by `make run` as a newcomer would, with nothing but the standard library.

    python3 .ci/demo_check.py http://127.0.0.1:8765 run.log

Reads the demo password that `make run` printed in its log, logs in through the login form as
every demo login, and checks that each lands on its home page in Italian; then that a missing
page answers with the portal's own Italian 404 (not Django's debug page), that the portal
serves Bootstrap itself and that /healthz answers. Exits non-zero on the first failure.
"""

import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

# Demo login -> the Italian label of its role, shown on its home page.
LOGINS = {
    "admin": "Amministratore",
    "staff": "Referente matching",
    "recruiter": "Selezionatore",
    "caseworker": "Operatore sociale",
    "caseworker2": "Operatore sociale",
    "hr": "HR aziendale",
    "hr2": "HR aziendale",
}


def fail(message: str) -> None:
    print(f"demo check failed: {message}", file=sys.stderr)
    sys.exit(1)


def fetch(opener, url: str, data: dict | None = None, referer: str | None = None):
    """(status, final URL, body) of a GET, or of a POST when `data` is given."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body)  # noqa: S310 - a loopback URL of our own
    if referer:
        request.add_header("Referer", referer)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.url, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode()


def log_in(base: str, username: str, password: str, role_label: str) -> None:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login_url = f"{base}/accounts/login/"
    status, _url, html = fetch(opener, login_url)
    if status != 200 or "Accedi" not in html:
        fail(f"the login page answered {status}, or not in Italian")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not token:
        fail("the login form has no CSRF token")
    form = {"csrfmiddlewaretoken": token[1], "username": username, "password": password}
    status, url, html = fetch(opener, login_url, form, referer=login_url)
    if status != 200 or urllib.parse.urlparse(url).path != "/":
        fail(f"{username} did not reach the home page (status {status}, at {url})")
    if '<html lang="it"' not in html:
        fail(f"{username}'s home page is not in Italian")
    role = re.search(r'data-testid="home-role">([^<]*)<', html)
    if not role or role_label not in role[1]:
        fail(f"{username}'s home page does not show the role {role_label!r}")
    print(f"  {username:<12} home page 200, in Italian, as {role_label}")


def main(base: str, log_file: str) -> None:
    with open(log_file, encoding="utf-8") as handle:
        printed = re.search(r"Password of every demo login: (\S+)", handle.read())
    if not printed:
        fail("make run did not print the demo password")
    for username, role_label in LOGINS.items():
        log_in(base, username, printed[1], role_label)

    opener = urllib.request.build_opener()
    status, _url, html = fetch(opener, f"{base}/accounts/non-esiste/")
    if status != 404 or "Pagina non trovata" not in html or "Traceback" in html:
        fail(f"a missing page answered {status} without the portal's Italian 404 page")
    print("  a missing page: the portal's own 404, in Italian")
    status, _url, _css = fetch(opener, f"{base}/static/vendor/bootstrap/css/bootstrap.min.css")
    if status != 200:
        fail(f"Bootstrap is not served by the portal ({status})")
    status, _url, health = fetch(opener, f"{base}/healthz")
    if status != 200 or '"db": "ok"' not in health:
        fail(f"/healthz answered {status}: {health}")
    print("  Bootstrap served by the portal itself; /healthz ok")


if __name__ == "__main__":
    main(*sys.argv[1:3])
