"""Administering the code lists: adding and retiring codes (systemadministratör), audited.

The code lists themselves, kommuner and populations stay in ``stegvis.reference`` at the bottom
of the layers, which every app reads; their administration checks permissions and records audit
events, so it sits here, above access and audit (docs/adr/0014-layers.md). URL names keep the
namespace ``reference``.
"""
