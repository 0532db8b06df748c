"""The indicators keep no tables of their own.

The fact table they read is :class:`stegvis.participants.models.ParticipationFact` (written next
to the participations), and the data versions their caches are keyed on are
:class:`stegvis.associations.models.DataVersion` (docs/adr/0014-layers.md). Both tables keep
their ``indicators_`` names.
"""
