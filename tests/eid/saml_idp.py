"""A real SAML 2.0 IdP (pysaml2, signing with the xmlsec1 binary) served over HTTP from a thread.

- ``GET /sso/redirect`` (HTTP-Redirect binding) answers an AuthnRequest with a sign-in form
  (test account and AuthnContextClassRef);
- ``POST /sso/login`` signs the account in and answers with the HTML form that posts the signed
  Response to the SP's assertion consumer service (HTTP-POST binding), as a browser would get.

``mode`` makes the next responses misbehave as a misconfigured or hostile IdP would:
``audience`` (issued for another SP, e.g. ``OTHER_SP``), ``issued_ago`` (seconds: an old,
expired assertion), ``forged`` (signed with a key the SP does not trust).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_TRANSIENT
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

HSA_ATTRIBUTE = "urn:oid:1.2.752.29.6.2.1"
OTHER_SP = "https://annan-tjanst.example/sp"
# Another service registered at the same IdP (its responses must not sign anyone in to Stegvis).
OTHER_SP_METADATA = f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{OTHER_SP}">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
        Location="https://annan-tjanst.example/acs" index="1"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>"""


def make_key_pair(directory: Path, name: str) -> tuple[Path, Path]:
    """A self-signed RSA certificate and its key, as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def _fields(encoded: str) -> dict[str, str]:
    """Form or query fields, empty ones kept (an empty RelayState is part of the signature)."""
    return {k: v[0] for k, v in parse_qs(encoded, keep_blank_values=True).items()}


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class SamlIdp:
    def __init__(
        self,
        *,
        port: int,
        directory: Path,
        xmlsec_binary: str,
        accounts: dict[str, dict[str, list[str]]],
    ) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.entity_id = f"{self.base}/idp"
        self.sso_url = f"{self.base}/sso/redirect"
        self.accounts = accounts
        self.mode: dict[str, Any] = {}
        self.xmlsec_binary = xmlsec_binary
        self.keys = make_key_pair(directory, "idp")
        self.forged_keys = make_key_pair(directory, "forged")
        self.cert_pem = self.keys[1].read_text()
        self.sp_metadata = ""
        self.signed_requests = False
        self.httpd = make_server("127.0.0.1", port, self.app, handler_class=_QuietHandler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def trust_sp(self, sp_metadata: str, *, require_signed_requests: bool = False) -> None:
        """Load the SP's metadata (as an IT department would register Stegvis at its IdP)."""
        if (sp_metadata, require_signed_requests) != (self.sp_metadata, self.signed_requests):
            self.sp_metadata = sp_metadata
            self.signed_requests = require_signed_requests
            self.server = self._server(*self.keys)
            self.forged = self._server(*self.forged_keys)

    def _server(self, key: Path, cert: Path) -> Server:
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": self.xmlsec_binary,
                "key_file": str(key),
                "cert_file": str(cert),
                "metadata": {"inline": [self.sp_metadata, OTHER_SP_METADATA]},
                "allow_unknown_attributes": True,
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [(self.sso_url, BINDING_HTTP_REDIRECT)]
                        },
                        "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                        "want_authn_requests_signed": self.signed_requests,
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": 5},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                    }
                },
            }
        )
        return Server(config=config)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- WSGI ---------------------------------------------------------------------------------

    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        if path == "/sso/redirect" and environ["REQUEST_METHOD"] == "GET":
            query = _fields(environ.get("QUERY_STRING", ""))
            return self._page(start_response, self._login_form(query))
        if path == "/sso/login" and environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = _fields(environ["wsgi.input"].read(length).decode())
            return self._page(start_response, self._respond(form))
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    @staticmethod
    def _page(start_response: Any, body: str) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [body.encode()]

    @staticmethod
    def _login_form(query: dict[str, str]) -> str:
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
            if k in {"SAMLRequest", "RelayState", "SigAlg", "Signature"}
        )
        return (
            '<!doctype html><title>Test-IdP</title><form method="post" action="/sso/login">'
            f'{hidden}<input name="account"><input name="acr"><button>Logga in</button></form>'
        )

    def _respond(self, form: dict[str, str]) -> str:
        request = self.server.parse_authn_request(
            form["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=form.get("RelayState"),
            sigalg=form.get("SigAlg"),
            signature=form.get("Signature"),
        )
        message = request.message
        acs_url = message.assertion_consumer_service_url
        signer = self.forged if self.mode.get("forged") else self.server
        kwargs = {
            "identity": self.accounts[form["account"]],
            "in_response_to": message.id,
            "destination": acs_url,
            "sp_entity_id": self.mode.get("audience") or message.issuer.text,
            "userid": form["account"],
            "authn": {"class_ref": form["acr"], "authn_auth": self.entity_id},
            "sign_assertion": True,
            "sign_response": True,
            "sign_alg": SIG_RSA_SHA256,
            "digest_alg": DIGEST_SHA256,
        }
        issued_ago = self.mode.get("issued_ago")
        if issued_ago:
            then = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=issued_ago)
            with time_machine.travel(then, tick=False):
                response = signer.create_authn_response(**kwargs)
        else:
            response = signer.create_authn_response(**kwargs)
        http_args = signer.apply_binding(
            BINDING_HTTP_POST, str(response), destination=acs_url,
            relay_state=form.get("RelayState", ""), response=True,
        )
        return http_args["data"]


def parse_post_form(page: str) -> tuple[str, dict[str, str]]:
    """The action and fields of the auto-posting form a SAML HTTP-POST binding answers with."""
    action = re.search(r'<form[^>]*action="([^"]+)"', page)
    assert action, page
    fields = {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(
            r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page
        )
    }
    return html.unescape(action.group(1)), fields
