"""The landing page: each role goes where its work is."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from adaldyq.web.accounts.scope import can_amend_law, has_own_file, in_probation_service


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if has_own_file(user):
        return redirect("records:file", person_id=user.person_id)  # type: ignore[union-attr]
    if can_amend_law(user):  # reads no file: its work is the law pack
        return redirect("lawadmin:amendments")
    if in_probation_service(user):  # reads no prison file: its register
        return redirect("probation:register")
    return redirect("records:search")
