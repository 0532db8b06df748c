"""The one form layer: every Django form renders its fields with FKUI markup.

``settings.FORM_RENDERER`` points at :class:`FormRenderer`, so ``{{ field.as_field_group }}`` and
``{{ form }}`` use the templates in ``web/templates/stegvis/forms/``. The error summary at the top
of a form is ``{% error_summary form %}`` from the ``stegvis_forms`` template tags.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    form_template_name = "stegvis/forms/form.html"
    field_template_name = "stegvis/forms/field.html"
