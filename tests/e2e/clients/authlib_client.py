"""Authlib (Debian's python3-authlib), with its defaults, against twauth:
each scenario prints one JSON object of what the library got, for
tests/e2e/client_authlib.test.mjs to judge.

  authlib_client.py SCENARIO BASE CLIENT_ID CLIENT_SECRET [LOGIN PASSWORD REDIRECT]
"""
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.common.security import generate_token
from authlib.jose import JsonWebKey, jwt
from authlib.integrations.base_client import OAuthError

from twauth_suite import device_scenario, run, sign_in_and_consent

DEVICE = 'urn:ietf:params:oauth:grant-type:device_code'


def error_of(call):
    """What the library says when call fails: its OAuthError, or what it returned."""
    try:
        return {'returned': call()}
    except OAuthError as e:
        return {'error': e.error, 'description': e.description}


def client_credentials(base, cid, secret):
    # The library's default client authentication: client_secret_basic.
    s = OAuth2Session(cid, secret)
    return error_of(lambda: dict(s.fetch_token(base + '/oauth2/token',
                                               grant_type='client_credentials')))


def code_flow(base, cid, secret, login, password, redirect):
    disc = requests.get(base + '/oauth2/.well-known/openid-configuration').json()
    jwks = JsonWebKey.import_key_set(requests.get(disc['jwks_uri']).json())
    s = OAuth2Session(cid, secret, scope='openid chat:read offline_access',
                      redirect_uri=redirect, code_challenge_method='S256')
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = s.create_authorization_url(disc['authorization_endpoint'],
                                            code_verifier=verifier, nonce=nonce)
    back = sign_in_and_consent(url, login, password)
    tok = s.fetch_token(disc['token_endpoint'], authorization_response=back,
                        code_verifier=verifier)
    claims = jwt.decode(tok['id_token'], jwks, claims_options={
        'iss': {'essential': True, 'value': disc['issuer']},
        'aud': {'essential': True, 'value': cid},
        'nonce': {'essential': True, 'value': nonce}})
    claims.validate()
    refreshed = s.refresh_token(disc['token_endpoint'], refresh_token=tok['refresh_token'])
    info = s.introspect_token(disc['introspection_endpoint'],
                              token=refreshed['access_token']).json()
    revoked = s.revoke_token(disc['revocation_endpoint'], refreshed['access_token'])
    after = s.introspect_token(disc['introspection_endpoint'],
                               token=refreshed['access_token']).json()
    return {'scope': tok['scope'], 'token_type': tok['token_type'], 'sub': claims['sub'],
            'refreshed_scope': refreshed['scope'], 'introspected': info,
            'revoke_status': revoked.status_code, 'after_revoke': after}


def device_flow(base, cid, secret):
    s = OAuth2Session(cid, secret)
    return device_scenario(base, cid, secret, lambda code: dict(s.fetch_token(
        base + '/oauth2/token', grant_type=DEVICE, device_code=code)), error_of)


if __name__ == '__main__':
    run({'client_credentials': client_credentials, 'code_flow': code_flow,
         'device_flow': device_flow})
