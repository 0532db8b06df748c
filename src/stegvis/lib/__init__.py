"""The shared kernel: small things every app needs once. ``lib`` imports no Stegvis app.

Pure (no Django; the pure rule modules may import these):

- ``dates``: ``add_months`` and plausible dates (2004 to a year ahead).
- ``freetext``: no personnummer in free text.
- ``luhn``: the Luhn check digit (python-stdnum).
- ``parties``: the kinds of party in a förbund (FK, AF, region, kommun).
- ``personnummer``: parsing, validating and masking personnummer and samordningsnummer.
- ``problems``: ``Problem``, the one error type the pure rules return.
- ``rounding``: largest-remainder rounding (ties by order or by key).
- ``spreadsheet``: text cells a spreadsheet will not run as formulas.

With Django:

- ``crypto``: secrets at rest (Fernet key ring, rotation, HMAC blind index).
- ``errors``: ``Errors``, the one collector of service validation messages.
- ``forms``: a service's ``ValidationError`` on a form.
- ``services``: ``@service``: guard, then one transaction, then the audit event.
- ``validators``: the shared input rules as form validators.
- ``views``: ``submit``/``act``: form → service → message → redirect.
"""
