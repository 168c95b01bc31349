"""requests-oauthlib (Debian's python3-requests-oauthlib, on oauthlib),
with its defaults, against twauth: each scenario prints one JSON object
of what the library got, for tests/e2e/client_requests_oauthlib.test.mjs.

  requests_oauthlib_client.py SCENARIO BASE CLIENT_ID CLIENT_SECRET [LOGIN PASSWORD REDIRECT]
"""
import os
import time

# The library's own switch for a plain-HTTP test server (its docs' advice).
os.environ['OAUTHLIB_INSECURE_TRANSPORT'] = '1'

import requests
from authlib.jose import JsonWebKey, jwt
from oauthlib.oauth2 import BackendApplicationClient, DeviceClient
from oauthlib.oauth2.rfc6749.errors import OAuth2Error
from requests_oauthlib import OAuth2Session

from twauth_suite import device_scenario, run, sign_in_and_consent


def outcome(call):
    """What the library returns, or the OAuth error it raises."""
    try:
        return {'returned': dict(call())}
    except OAuth2Error as e:
        return {'error': e.error, 'description': e.description}


def client_credentials(base, cid, secret):
    s = OAuth2Session(client=BackendApplicationClient(client_id=cid))
    return outcome(lambda: s.fetch_token(base + '/oauth2/token', client_secret=secret))


def code_flow(base, cid, secret, login, password, redirect):
    disc = requests.get(base + '/oauth2/.well-known/openid-configuration').json()
    jwks = JsonWebKey.import_key_set(requests.get(disc['jwks_uri']).json())
    nonce = 'n0nce-' + str(time.time_ns())
    s = OAuth2Session(cid, redirect_uri=redirect, scope=['openid', 'user:read:email'])
    url, state = s.authorization_url(disc['authorization_endpoint'], nonce=nonce)
    back = sign_in_and_consent(url, login, password)
    tok = s.fetch_token(disc['token_endpoint'], client_secret=secret, authorization_response=back)
    claims = jwt.decode(tok['id_token'], jwks, claims_options={
        'iss': {'essential': True, 'value': disc['issuer']},
        'aud': {'essential': True, 'value': cid},
        'nonce': {'essential': True, 'value': nonce}})
    claims.validate()
    refreshed = s.refresh_token(disc['token_endpoint'], client_id=cid, client_secret=secret)
    return {'scope': tok['scope'], 'sub': claims['sub'], 'state_kept': state in back,
            'refreshed': sorted(refreshed.keys()), 'refreshed_scope': refreshed['scope'],
            'new_access': refreshed['access_token'] != tok['access_token']}


def device_flow(base, cid, secret):
    s = OAuth2Session(client=DeviceClient(client_id=cid))
    return device_scenario(base, cid, secret, lambda code: s.fetch_token(
        base + '/oauth2/token', device_code=code, client_secret=secret), outcome)


if __name__ == '__main__':
    run({'client_credentials': client_credentials, 'code_flow': code_flow,
         'device_flow': device_flow})
