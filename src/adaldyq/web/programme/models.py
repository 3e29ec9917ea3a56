"""Read models of the officials' visits programme (issue 20), written only by `projection`.

A programme visit is planned by the Anti-Corruption Agency's territorial department, confirmed or
refused by the host institution, and attended by officials. The officials in scope are a list the
Agency imports. Nothing here points at a personal file: the visit sees none.
"""

from __future__ import annotations

from django.db import models

PLANNED, CONFIRMED, REFUSED = "planned", "confirmed", "refused"
STATUSES = [(PLANNED, PLANNED), (CONFIRMED, CONFIRMED), (REFUSED, REFUSED)]


class ProgrammeVisit(models.Model):
    id = models.CharField(max_length=40, primary_key=True)
    seq = models.BigIntegerField()  # the planning entry
    host = models.CharField(max_length=40, db_index=True)  # the institution's code
    region = models.CharField(max_length=40, blank=True)  # the host's region key
    day = models.DateField(db_index=True)
    route = models.JSONField(default=list)  # stations, in order
    capacity = models.PositiveIntegerField()
    invited = models.JSONField(default=list)  # official keys
    hearings = models.JSONField(default=list)  # [{court, case, day}]
    planned_by = models.CharField(max_length=150)
    planned_on = models.DateField()
    status = models.CharField(max_length=12, choices=STATUSES, default=PLANNED)
    reason = models.TextField(blank=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_on = models.DateField(null=True)
    decided_seq = models.BigIntegerField(null=True)

    class Meta:
        ordering = ("-day", "id")


class RouteStations(models.Model):
    """An institution's own list of the stations a programme visit may pass, in order; its head keeps
    it, and a visit's route is chosen from it (issue 20). The latest list wins."""

    institution = models.CharField(max_length=40, primary_key=True)  # the institution's code
    seq = models.BigIntegerField()  # the entry of the latest list
    stations = models.JSONField(default=list)
    listed_by = models.CharField(max_length=150)
    listed_on = models.DateField()


class Official(models.Model):
    """An official in scope of the programme, from an imported list (the latest import wins)."""

    key = models.CharField(max_length=40, primary_key=True)
    seq = models.BigIntegerField()
    name = models.CharField(max_length=200)
    body = models.CharField(max_length=200, db_index=True)
    position = models.CharField(max_length=200)
    category = models.CharField(max_length=20)
    region = models.CharField(max_length=40)

    class Meta:
        ordering = ("body", "name")


class Attendance(models.Model):
    """One official at one programme visit, as recorded on the day."""

    visit = models.ForeignKey(ProgrammeVisit, on_delete=models.CASCADE, related_name="attendance")
    official = models.CharField(max_length=40, db_index=True)  # the official's key
    seq = models.BigIntegerField()
    name = models.CharField(max_length=200)
    body = models.CharField(max_length=200)
    position = models.CharField(max_length=200)
    category = models.CharField(max_length=20)
    region = models.CharField(max_length=40)
    day = models.DateField()
    host = models.CharField(max_length=40)

    class Meta:
        ordering = ("visit_id", "name")
        constraints = (
            models.UniqueConstraint(fields=("visit", "official"), name="programme_attend_once"),
        )


class Answer(models.Model):
    """One anonymous questionnaire after a visit: no official, no user, only the answers."""

    seq = models.BigIntegerField(primary_key=True)
    visit = models.ForeignKey(ProgrammeVisit, on_delete=models.CASCADE, related_name="answers")
    host = models.CharField(max_length=40)
    useful = models.PositiveSmallIntegerField()  # 1 (not at all) .. 5 (very)
    recommend = models.BooleanField()

    class Meta:
        ordering = ("seq",)


# ---- public monitoring visits of public councils (issue 20) -------------------------------------

#: What a public council's members inspect; each observation is about one of these.
TOPICS = ("cells", "food", "medical", "complaints", "other")


class MonitoringVisit(models.Model):
    """A public council's monitoring visit to an institution: who visited, when, what they found."""

    id = models.CharField(max_length=40, primary_key=True)
    seq = models.BigIntegerField()  # the recording entry
    institution = models.CharField(max_length=40, db_index=True)  # the institution's code
    region = models.CharField(max_length=40, blank=True)
    day = models.DateField(db_index=True)
    council = models.CharField(max_length=300)  # the public council (or its commission)
    members = models.JSONField(default=list)  # the names of the members who visited
    recorded_by = models.CharField(max_length=150)
    recorded_on = models.DateField()

    class Meta:
        ordering = ("-day", "id")


class Observation(models.Model):
    """One observation of a monitoring visit, and the assignment it may become: the responsible
    official or body, a due date, the institution's answer."""

    id = models.CharField(max_length=50, primary_key=True)  # "<visit>-<n>"
    visit = models.ForeignKey(
        MonitoringVisit, on_delete=models.CASCADE, related_name="observations"
    )
    number = models.PositiveSmallIntegerField()
    topic = models.CharField(max_length=20)
    text = models.TextField()
    #: [{"document": "sha256:<hex>", "name": file name, "type": content type}]
    documents = models.JSONField(default=list)
    #: The earlier observation (of an earlier visit to the same institution) this one finds again.
    repeats = models.CharField(max_length=50, blank=True)
    assigned_to = models.CharField(max_length=300, blank=True)
    due = models.DateField(null=True, db_index=True)
    assigned_on = models.DateField(null=True)
    assigned_seq = models.BigIntegerField(null=True)
    answer = models.TextField(blank=True)
    answered_by = models.CharField(max_length=150, blank=True)
    answered_on = models.DateField(null=True)
    answered_seq = models.BigIntegerField(null=True)

    class Meta:
        ordering = ("visit_id", "number")


READ_MODELS = (
    Answer, Attendance, ProgrammeVisit, Official, Observation, MonitoringVisit, RouteStations,
)  # fmt: skip
