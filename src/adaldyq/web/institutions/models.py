"""The register: regions of Kazakhstan and the institutions in them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

INSTITUTION_TYPES = [
    ("minimum", _("minimum security")),
    ("medium", _("medium security")),
    ("maximum", _("maximum security")),
    ("extreme", _("extreme security")),
    ("complete", _("complete security (prison)")),
    ("mixed", _("mixed security (pre-trial centre)")),
]
#: The institution types a court sets (LAW.md §1); a mixed unit is never one.
SENTENCE_TYPES = [(code, words) for code, words in INSTITUTION_TYPES if code != "mixed"]
#: What an institution is: a correctional institution (colony or prison) or a pre-trial detention
#: centre (remand centre), which holds people under investigation and, in its mixed-security unit,
#: convicts kept for household work. Programme visits are hosted by both (issue 20).
COLONY, REMAND = "colony", "remand"
INSTITUTION_KINDS = [
    (COLONY, _("correctional institution")),
    (REMAND, _("pre-trial detention centre")),
]
SEXES = [("male", _("men")), ("female", _("women")), ("mixed", _("men and women"))]


def _localised(obj: object, field: str) -> str:
    lang = (get_language() or "kk")[:2]
    return str(getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_en"))


class Region(models.Model):
    """One of the 17 regions and 3 cities of national significance (shared/data/kz-regions.csv)."""

    key = models.CharField(max_length=40, primary_key=True)
    name_en = models.CharField(max_length=100)
    name_kk = models.CharField(max_length=100)
    name_ru = models.CharField(max_length=100)
    centre_en = models.CharField(max_length=100)
    centre_kk = models.CharField(max_length=100)
    centre_ru = models.CharField(max_length=100)
    lat = models.FloatField()
    lon = models.FloatField()

    class Meta:
        ordering = ("key",)

    @property
    def name(self) -> str:
        return _localised(self, "name")

    @property
    def centre(self) -> str:
        return _localised(self, "centre")

    @property
    def title(self) -> str:
        """The name in the current language."""
        lang = (get_language() or "kk")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name) if lang != "en" else self.name

    def __str__(self) -> str:
        return self.name


class Institution(models.Model):
    """A penal institution: its type, who it holds, how many, and where."""

    code = models.CharField(max_length=40, unique=True)  # Latin, as English pages and URLs write it
    #: The code as Kazakh and Russian write it ("УК-5" for "UK-5"); blank: the same as `code`.
    code_local = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=200)  # English
    name_kk = models.CharField(max_length=200, blank=True)
    name_ru = models.CharField(max_length=200, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="institutions")
    type = models.CharField(max_length=20, choices=INSTITUTION_TYPES)
    kind = models.CharField(max_length=10, choices=INSTITUTION_KINDS, default=COLONY)
    capacity = models.PositiveIntegerField()
    sex = models.CharField(max_length=10, choices=SEXES, default="male")
    minors = models.BooleanField(default=False)
    medical = models.BooleanField(default=False)
    lat = models.FloatField()
    lon = models.FloatField()

    class Meta:
        ordering = (
            "region_id",
            "code",
        )

    @property
    def title(self) -> str:
        """The name in the current language."""
        lang = (get_language() or "kk")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name) if lang != "en" else self.name

    @property
    def display_code(self) -> str:
        """The code in the current language's script: "УК-5" on kk and ru pages, "UK-5" on English."""
        return institution_code(self.code, self.code_local)

    @property
    def label(self) -> str:
        """The name in the current language, with the code once ("УК-5, Маңғыстау облысы")."""
        return institution_label(self.code, self.code_local, self.name, self.name_kk, self.name_ru)

    def __str__(self) -> str:
        return self.name


def institution_code(code: str, code_local: str) -> str:
    """The code as the current language writes it (Cyrillic for kk and ru where the register has it)."""
    lang = (get_language() or "kk")[:2]
    return code_local if code_local and lang in ("kk", "ru") else code


def institution_label(code: str, code_local: str, name: str, name_kk: str, name_ru: str) -> str:
    """An institution's name in the current language with its code once, in that language's script.

    A name that already starts with the code (either script) is shown as it is; otherwise the code
    comes first ("УК-5 · Орал"), so that no page repeats a code or mixes "UK" and "УК".
    """
    lang = (get_language() or "kk")[:2]
    shown = institution_code(code, code_local)
    title = {"kk": name_kk, "ru": name_ru}.get(lang, "") or name
    if code_local and lang in ("kk", "ru") and title.startswith(code):
        title = code_local + title[len(code) :]  # a Latin code in a Kazakh or Russian name
    if not title or title == shown:
        return shown
    if shown in title:
        return title
    return f"{shown} · {title}"


class RegisterVersion(models.Model):
    """One row whose `token` changes whenever anything the register page shows changes.

    Database triggers (institutions migration 0002) give it a new random token in the same transaction
    as every insert, delete or change of an institution or a region, and every person admitted, removed
    or moved to another institution (`records_person.institution_id`), whoever writes them: the page's
    rendered table is kept per (language, token) and a new token is a new page (ADR 0012).
    """

    token = models.CharField(max_length=40)
