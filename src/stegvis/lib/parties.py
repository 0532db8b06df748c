"""The kinds of party in a samordningsförbund (lag 2003:1210). Pure: no Django imports.

Försäkringskassan and Arbetsförmedlingen (the state), the region(s) and the kommuner. The values
are stored in the database (``associations.models.PartyKind``) and used by the pure rules.
"""

from __future__ import annotations

from typing import Final

FK: Final = "FK"
AF: Final = "AF"
REGION: Final = "REGION"
KOMMUN: Final = "KOMMUN"

KINDS: Final = (FK, AF, REGION, KOMMUN)
