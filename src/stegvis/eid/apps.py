from django.apps import AppConfig


class EidConfig(AppConfig):
    name = "stegvis.eid"
    label = "eid"
    verbose_name = "E-legitimation"
