"""The landing page: each role goes where its work is."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if getattr(user, "role", "") == "prisoner" and getattr(user, "person_id", None):
        return redirect("records:file", person_id=user.person_id)  # type: ignore[union-attr]
    if getattr(user, "role", "") == "law_admin":  # reads no file: its work is the law pack
        return redirect("lawadmin:amendments")
    if getattr(user, "role", "") == "probation_officer":  # reads no prison file: its register
        return redirect("probation:register")
    return redirect("records:search")
