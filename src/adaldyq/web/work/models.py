"""Read models of places of work and study and of their production, projected from the ledger
(`work.projection`); the hours themselves are facts of each person's file (`records.Fact`)."""

from __future__ import annotations

from typing import Final

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The kinds of place: where people work (hours are `work_hours`) and where they study (`study_hours`).
PLACE_KINDS: Final = {
    "workshop": _("workshop"),
    "production_line": _("production line"),
    "school": _("school"),
    "course": _("vocational course"),
}
WORK_PLACES: Final = frozenset({"workshop", "production_line"})
#: The kinds of product a place of work makes ("production by kind").
PRODUCTS: Final = {
    "garments": _("garments and textiles"),
    "footwear": _("footwear"),
    "furniture": _("furniture and woodwork"),
    "metalwork": _("metalwork"),
    "construction": _("construction materials"),
    "food": _("food"),
    "agriculture": _("agriculture"),
    "services": _("services and household work"),
    "other": _("other products"),
}
#: The units production is counted in.
UNITS: Final = {
    "pieces": _("pieces"),
    "kg": _("kg"),
    "tonnes": _("tonnes"),
    "m": _("metres"),
    "m2": _("square metres"),
    "m3": _("cubic metres"),
    "litres": _("litres"),
}


class Place(models.Model):
    """A workshop or production line, a school or course, of one institution."""

    #: "<institution code>/<the place's own code>" (the ledger's subject is `place:<id>`).
    id = models.CharField(max_length=90, primary_key=True)
    institution = models.CharField(max_length=40, db_index=True)
    code = models.CharField(max_length=40)
    kind = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    #: The employer (a place of work) or the teacher (a place of study), as written.
    lead = models.CharField(max_length=200, blank=True)
    #: For a place of work, the kind of product (`PRODUCTS`); blank otherwise.
    product = models.CharField(max_length=20, blank=True)
    seq = models.BigIntegerField()

    class Meta:
        ordering = ("institution", "code")

    @property
    def fact_kind(self) -> str:
        """The fact its hours are: `work_hours` or `study_hours`."""
        return "work_hours" if self.kind in WORK_PLACES else "study_hours"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Output(models.Model):
    """What a place of work produced on a day."""

    seq = models.BigIntegerField(primary_key=True)
    place = models.CharField(max_length=90, db_index=True)
    institution = models.CharField(max_length=40)
    product = models.CharField(max_length=20)
    on = models.DateField()
    quantity = models.FloatField()
    unit = models.CharField(max_length=10)

    class Meta:
        ordering = ("on", "seq")
