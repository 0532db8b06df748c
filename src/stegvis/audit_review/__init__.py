"""Reading the audit log: the granskare's list and export, and the readable rendering of events.

It sits above the domain apps (it names förbund and insatser), while ``stegvis.audit`` — the
append-only log and the service that writes it — stays at the bottom so every app can record
its events (docs/adr/0014-layers.md).
"""
