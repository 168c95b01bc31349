"""A user at twauth's sign-in and consent pages, for the Python client
suites: what a browser would do, with requests (cookies kept, redirects
not followed, so that the app's redirect URI need not exist)."""
import re
from urllib.parse import urljoin

import requests

CSRF = re.compile(r'name="csrf" value="([0-9a-z]+)"')


def csrf_of(html):
    m = CSRF.search(html)
    if not m:
        raise RuntimeError('no CSRF field in: ' + html[:300])
    return m.group(1)


def sign_in_and_consent(authorize_url, login, password):
    """Runs authorize_url as the user: signs in, approves if asked, and
    returns the Location the browser is sent back to."""
    s = requests.Session()
    page = s.get(authorize_url, allow_redirects=False)
    if page.status_code == 200 and 'name="password"' in page.text:
        r = s.post(authorize_url, data={'step': 'login', 'csrf': csrf_of(page.text),
                                        'login': login, 'password': password},
                   allow_redirects=False)
        if r.status_code != 303:
            raise RuntimeError('sign-in answered %d: %s' % (r.status_code, r.text[:300]))
        page = s.get(authorize_url, allow_redirects=False)
    if page.status_code == 200 and 'name="decision"' in page.text:
        page = s.post(authorize_url, data={'csrf': csrf_of(page.text), 'decision': 'authorize'},
                      allow_redirects=False)
    if page.status_code not in (302, 303):
        raise RuntimeError('authorize answered %d: %s' % (page.status_code, page.text[:300]))
    return urljoin(authorize_url, page.headers['Location'])
