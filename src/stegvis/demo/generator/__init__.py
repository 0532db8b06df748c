"""The demo generator: realistic förbund over real kommuner, with their members and users.

Everything is written through the domain services, exactly as a user would. ``build_demo`` is
idempotent: what exists already (matched by organisationsnummer and username) is left alone.
National-scale data for benchmarks is built by ``bench/national_build.py`` from these parts."""

from stegvis.demo.generator.build import (
    build_demo,
)
from stegvis.demo.generator.finance import (
    add_finance,
    add_state_allocation,
)
from stegvis.demo.generator.interventions import (
    FOLLOW_UP_OCCASION,
    add_interventions,
    measurement_input,
    register,
)
from stegvis.demo.generator.people import (
    demo_association,
    demo_organisation,
    demo_system_admin,
    demo_totp,
    demo_user,
)
from stegvis.demo.generator.plans import (
    DEMO_ASSOCIATIONS,
    DEMO_INTERVENTIONS,
    DEMO_PASSWORD,
    FOUNDED,
    REGION_STOCKHOLM,
    REGION_VG,
    ROLE_DESCRIPTIONS,
    SYSTEM_ADMIN,
    DemoAssociation,
    DemoIntervention,
    DemoLogin,
    DemoRegion,
    DemoResult,
    Scale,
    demo_org_number,
    demo_totp_secret,
)

__all__ = [
    "DEMO_ASSOCIATIONS",
    "DEMO_INTERVENTIONS",
    "DEMO_PASSWORD",
    "FOLLOW_UP_OCCASION",
    "FOUNDED",
    "REGION_STOCKHOLM",
    "REGION_VG",
    "ROLE_DESCRIPTIONS",
    "SYSTEM_ADMIN",
    "DemoAssociation",
    "DemoIntervention",
    "DemoLogin",
    "DemoRegion",
    "DemoResult",
    "Scale",
    "add_finance",
    "add_interventions",
    "add_state_allocation",
    "build_demo",
    "demo_association",
    "demo_org_number",
    "demo_organisation",
    "demo_system_admin",
    "demo_totp",
    "demo_totp_secret",
    "demo_user",
    "measurement_input",
    "register",
]
