"""Users with a role and a scope, the failed logins that throttle guessing, and the sign-in events."""

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
    #: The name as the person writes it, surname first ("Сәрсенбаев Ерлан Маратұлы"); pages and documents
    #: name people by it, never by the login (`username`).
    full_name = models.CharField(max_length=300, blank=True)
    #: The position in each language ("Мекеме бастығы"); blank: the role's words (accounts.positions).
    position_kk = models.CharField(max_length=300, blank=True)
    position_ru = models.CharField(max_length=300, blank=True)
    position_en = models.CharField(max_length=300, blank=True)
    person = models.ForeignKey(
        "records.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,  # the read model is rebuilt from the ledger; the id stays the same
    )
    #: Signs in with a code from an authenticator even when the role does not require it
    #: (`web create-user --two-factor`; ADR 0039): enrolment comes at the next sign-in.
    two_factor_required = models.BooleanField(default=False)

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[Role(self.role)]) if self.role else ""

    @property
    def display_name(self) -> str:
        """The full name; else the first and last names; else the login."""
        return self.full_name or f"{self.last_name} {self.first_name}".strip() or self.username

    @property
    def position(self) -> str:
        """The position in the current language; else the role's words; else theirs in another one."""
        from adaldyq.web.accounts.positions import position_in_language

        return position_in_language(self.role, self.position_kk, self.position_ru, self.position_en)


class LoginFailure(models.Model):
    """One failed sign-in; enough of them lock the pair (username, address) for a while."""

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(unpack_ipv4=True)
    at = models.DateTimeField()

    class Meta:
        indexes = (models.Index(fields=["username", "ip", "at"]),)


class SignInEvent(models.Model):
    """One security event of signing in (ADR 0039), kept for oversight of the accounts: never edited.

    `username` is the name as typed, folded as the lock-out counts it (`selectors.login_key`); `ip` the
    client's address as the lock-out sees it.
    """

    class Kind(models.TextChoices):  # names of events, not passwords (ruff S105 below)
        PASSWORD_REFUSED = "password_refused"  # noqa: S105
        LOCKED_OUT = "locked_out"
        #: The password was right; a code is still asked for (or the enrolment, when there is no device).
        PASSWORD_ACCEPTED = "password_accepted"  # noqa: S105
        #: Signed in: the password, and the code when one is needed.
        SIGNED_IN = "signed_in"
        CODE_REFUSED = "code_refused"
        RECOVERY_CODE_USED = "recovery_code_used"
        DEVICE_ENROLLED = "device_enrolled"

    at = models.DateTimeField()
    kind = models.CharField(max_length=32, choices=Kind.choices)
    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(unpack_ipv4=True)

    class Meta:
        indexes = (models.Index(fields=["username", "at"]),)


class ApiToken(models.Model):
    """A machine client's credential for the REST API (ADR 0041): bound to a user, whose role and scope
    it carries; kept as the SHA-256 of the whole token (shown once), found by its public `prefix`."""

    #: The token's public id ("adq_" and 10 letters): named in lists, in the ledger's entries of what
    #: the token read and wrote, and by `web api-token revoke`.
    prefix = models.CharField(max_length=16, unique=True)
    #: SHA-256 of the whole token, hex (the token holds 256 random bits: no slower hash is needed).
    digest = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    #: What the client is ("court system", "monitoring script"), as its creator wrote it.
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=150, blank=True)
    #: Kept to the minute (written at most once a minute per token).
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
