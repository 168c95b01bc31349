"""What the Python client suites share: a user at twauth's sign-in and
consent pages (what a browser would do, with requests: cookies kept,
redirects not followed, so that the app's redirect URI need not exist),
the device-flow scenario, and the command line every script takes."""
import json
import re
import sys
import time
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


def device_scenario(base, cid, secret, poll, outcome):
    """The device flow as a library polls it (poll(device_code); outcome(call)
    says what it returned or raised), started with the client's secret by
    Basic.  Waits for a line on stdin after printing the link, while the
    test approves it."""
    start = lambda: requests.post(base + '/oauth2/device', data={'scope': 'chat:read'},
                                  auth=(cid, secret)).json()
    d = start()
    first = outcome(lambda: poll(d['device_code']))
    print(json.dumps({'verification_uri': d['verification_uri']}), flush=True)
    sys.stdin.readline()
    time.sleep(d['interval'])	# as RFC 8628 3.5 asks between polls
    done = outcome(lambda: poll(d['device_code']))
    other = start()
    pending = outcome(lambda: poll(other['device_code']))
    fast = outcome(lambda: poll(other['device_code']))
    return {'first': first, 'done': done, 'pending': pending, 'too_fast': fast}


def run(scenarios):
    """SCRIPT SCENARIO BASE CLIENT_ID CLIENT_SECRET [MORE...]: prints the
    scenario's result as one JSON line."""
    scenario, base, cid, secret = sys.argv[1:5]
    print(json.dumps(scenarios[scenario](base, cid, secret, *sys.argv[5:])), flush=True)
