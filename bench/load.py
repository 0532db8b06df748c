"""Closed-loop load against a running Stegvis server (loopback only). Prints figures; not a test.

    # 1. once per database: users of each role (national analyst, förbund report reader,
    #    coach with TOTP) in the national bench data, credentials written to a JSON file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stegvis_bench \\
        .venv/bin/python bench/load.py setup --out var/load-users.json
    # 2. against the server (e.g. `stegvis serve` = gunicorn, 2 workers, on port 8110)
    .venv/bin/python bench/load.py run --base http://127.0.0.1:8110 \\
        --users var/load-users.json --clients 20 --seconds 30

Each client signs in with its own session (password, and the TOTP code for the coach), then
loops over one page: request, wait 0.5–1.5 s (``--think 0.5 1.5``), request again, for
``--seconds`` per page. ``--think 0 0`` gives the throughput a page sustains with no waiting.
Per page it prints p50/p95/max latency, the number of requests, errors and requests per
second. A small asyncio HTTP/1.1 client (one connection per request, as gunicorn's sync
workers close them); no third-party client.

Coaches: allauth refuses a TOTP code that was already used, so coach clients sign in one after
the other, each waiting for a fresh 30-second code window when needed (``--coach-clients``
limits how many there are; the default 2 keeps start-up short).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import ipaddress
import json
import os
import random
import re
import struct
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

PAGES: dict[str, list[str]] = {
    # role -> pages it loads ({a} = its förbund id, {i} = an insats id)
    "national": ["/", "/rapporter/nationellt/", "/rapporter/indikatorer/",
                 "/rapporter/standard/", "/rapporter/standard/?period=2025&sex=K",
                 "/rapporter/insatser/", "/rapporter/forbund/{a}/"],
    "reader": ["/", "/rapporter/standard/", "/rapporter/tackning/",
               "/rapporter/forbund/{a}/"],
    "coach": ["/", "/deltagare/", "/deltagare/insats/{i}/"],
}


# --- setup (needs Django and the database) --------------------------------------------------


def setup(out: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")
    import django

    django.setup()
    from stegvis.access.models import InterventionAssignment
    from stegvis.access.roles import Role
    from stegvis.associations.models import Association
    from stegvis.demo import generator
    from stegvis.demo.generator import DEMO_PASSWORD, DemoResult

    assignment = (InterventionAssignment.objects.filter(user__username__startswith="bench")
                  .select_related("user", "intervention").order_by("intervention_id").first())
    if assignment is None:
        sys.exit("no bench data: run bench/national.py first")
    association = Association.objects.get(pk=assignment.intervention.association_id)
    actor = generator.demo_system_admin(DemoResult())
    national = generator.demo_user(actor, "load.nationell", None, Role.REPORT_READER)
    reader = generator.demo_user(actor, "load.forbund", association, Role.REPORT_READER)
    coach = assignment.user
    generator.demo_totp(actor, coach)
    users = [
        {"role": "national", "username": national.get_username(), "password": DEMO_PASSWORD},
        {"role": "reader", "username": reader.get_username(), "password": DEMO_PASSWORD},
        {"role": "coach", "username": coach.get_username(), "password": DEMO_PASSWORD,
         "totp": generator.demo_totp_secret(coach.get_username())},
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"association": association.pk,
                               "intervention": assignment.intervention_id, "users": users},
                              indent=2))
    out.chmod(0o600)
    print(f"wrote {out} (förbund {association.pk}, insats {assignment.intervention_id})")


# --- a minimal HTTP/1.1 client ----------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Session:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    async def request(self, method: str, path: str, form: dict[str, str] | None = None,
                      referer: str = "") -> Response:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        body = urlencode(form).encode() if form is not None else b""
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                "Connection: close", "User-Agent: stegvis-bench-load"]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            head += ["Content-Type: application/x-www-form-urlencoded",
                     f"Content-Length: {len(body)}",
                     f"Referer: {referer or f'http://{self.host}:{self.port}{path}'}",
                     f"Origin: http://{self.host}:{self.port}"]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()
        raw = await reader.read()
        writer.close()
        header_blob, _, payload = raw.partition(b"\r\n\r\n")
        lines = header_blob.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "set-cookie":
                for key, morsel in SimpleCookie(value.strip()).items():
                    self.cookies[key] = morsel.value
            headers[name.lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            payload = _dechunk(payload)
        return Response(status, headers, payload)


def _dechunk(data: bytes) -> bytes:
    out, i = b"", 0
    while True:
        end = data.index(b"\r\n", i)
        size = int(data[i:end].split(b";")[0], 16)
        if size == 0:
            return out
        out += data[end + 2:end + 2 + size]
        i = end + 2 + size + 2


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238, 30 s, 6 digits, SHA-1 (allauth.mfa's TOTP)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((at if at is not None else time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


async def _post_form(s: Session, path: str, form: dict[str, str]) -> Response:
    page = await s.request("GET", path)
    token = CSRF.search(page.body)
    if token is None:
        raise RuntimeError(f"no CSRF token on {path} ({page.status})")
    return await s.request("POST", path, {**form, "csrfmiddlewaretoken": token.group(1).decode()})


async def sign_in(s: Session, user: dict[str, str], used_codes: set[str]) -> None:
    r = await _post_form(s, "/konto/login/", {"login": user["username"],
                                               "password": user["password"]})
    location = r.headers.get("location", "")
    if "2fa/authenticate" in location:
        code = totp_code(user["totp"])
        while code in used_codes:  # allauth refuses a code used before: wait for the next
            await asyncio.sleep(30 - time.time() % 30 + 0.5)
            code = totp_code(user["totp"])
        used_codes.add(code)
        r = await _post_form(s, "/konto/2fa/authenticate/", {"code": code})
        location = r.headers.get("location", "")
    if r.status != 302 or "login" in location or "2fa" in location:
        raise RuntimeError(f"sign-in of {user['username']} failed ({r.status} → {location})")


# --- the closed loop ----------------------------------------------------------------------------


async def client_loop(s: Session, path: str, until: float, think: tuple[float, float],
                      times: list[float], errors: list[int]) -> None:
    rng = random.Random()
    while time.perf_counter() < until:
        t0 = time.perf_counter()
        try:
            r = await s.request("GET", path)
            ok = r.status == 200
        except OSError:
            ok = False
        elapsed = time.perf_counter() - t0
        if ok:
            times.append(elapsed)
        else:
            errors.append(1)
        if think[1] > 0:
            await asyncio.sleep(rng.uniform(*think))


def _pct(sorted_times: list[float], q: float) -> float:
    if not sorted_times:
        return float("nan")
    return sorted_times[min(len(sorted_times) - 1, int(q * len(sorted_times)))] * 1000


async def run(args: argparse.Namespace) -> None:
    base = urlsplit(args.base)
    host, port = base.hostname or "", base.port or 80
    if not ipaddress.ip_address(host if host != "localhost" else "127.0.0.1").is_loopback:
        sys.exit("load.py runs against loopback only (127.0.0.1 / ::1 / localhost)")
    spec = json.loads(Path(args.users).read_text())
    by_role = {u["role"]: u for u in spec["users"]}
    used: set[str] = set()
    roles = args.roles or list(PAGES)
    print(f"server {args.base}, {args.clients} clients per page, {args.seconds:.0f} s per "
          f"page, think {args.think[0]}–{args.think[1]} s")
    print(f"{'role':8} {'page':45} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'n':>6} "
          f"{'err':>4} {'req/s':>7}")
    for role in roles:
        user = by_role[role]
        n_clients = min(args.clients, args.coach_clients) if "totp" in user else args.clients
        sessions = []
        for _ in range(n_clients):  # each client its own signed-in session
            s = Session(host, port)
            await sign_in(s, user, used)
            sessions.append(s)
        for template in PAGES[role]:
            path = template.format(a=spec["association"], i=spec["intervention"])
            if "period=" not in path and args.period:
                path += ("&" if "?" in path else "?") + f"period={args.period}"
            for s in sessions:  # warm-up: one request each (caches, first-request costs)
                await s.request("GET", path)
            times: list[float] = []
            errors: list[int] = []
            t0 = time.perf_counter()
            until = t0 + args.seconds
            await asyncio.gather(*(client_loop(s, path, until, tuple(args.think), times, errors)
                                   for s in sessions))
            wall = time.perf_counter() - t0
            times.sort()
            print(f"{role:8} {path[:45]:45} {_pct(times, .5):8.0f} {_pct(times, .95):8.0f} "
                  f"{(times[-1] * 1000 if times else float('nan')):8.0f} {len(times):6d} "
                  f"{len(errors):4d} {len(times) / wall:7.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_setup = sub.add_parser("setup", help="create the load users in the bench database")
    p_setup.add_argument("--out", default="var/load-users.json")
    p_run = sub.add_parser("run", help="run the closed loop against a running server")
    p_run.add_argument("--base", default="http://127.0.0.1:8110")
    p_run.add_argument("--users", default="var/load-users.json")
    p_run.add_argument("--clients", type=int, default=20)
    p_run.add_argument("--coach-clients", type=int, default=2)
    p_run.add_argument("--seconds", type=float, default=30.0)
    p_run.add_argument("--think", type=float, nargs=2, default=[0.5, 1.5])
    p_run.add_argument("--period", default="", help="e.g. 2025 (default: the pages' own)")
    p_run.add_argument("--roles", nargs="*", choices=list(PAGES))
    args = parser.parse_args()
    if args.command == "setup":
        setup(Path(args.out))
    else:
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
