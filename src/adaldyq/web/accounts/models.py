"""Users with a role and a scope, and the failed logins that throttle guessing."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from adaldyq.web.accounts.roles import ROLE_LABELS, Role


class User(AbstractUser):
    """A person who signs in; `role` says what they may do, the scope fields where."""

    role = models.CharField(max_length=32, choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    institution = models.ForeignKey(
        "institutions.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "institutions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "records.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,  # the read model is rebuilt from the ledger; the id stays the same
    )

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[Role(self.role)]) if self.role else ""


class LoginFailure(models.Model):
    """One failed sign-in; enough of them lock the pair (username, address) for a while."""

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(unpack_ipv4=True)
    at = models.DateTimeField()

    class Meta:
        indexes = (models.Index(fields=["username", "ip", "at"]),)
