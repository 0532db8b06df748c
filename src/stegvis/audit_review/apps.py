from django.apps import AppConfig


class AuditReviewConfig(AppConfig):
    name = "stegvis.audit_review"
    label = "audit_review"
    default_auto_field = "django.db.models.BigAutoField"
