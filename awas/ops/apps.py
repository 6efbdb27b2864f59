from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operator commands that span the domain apps: demo, serve, createadmin, backup, restore."""

    name = "awas.ops"
    label = "ops"
    verbose_name = "Operations"
