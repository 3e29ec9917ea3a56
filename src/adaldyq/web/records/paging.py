"""A paginator for the people search that counts matches only up to a bound (ADR 0012).

A search is a `LIKE '%word%'` scan of every person; Django's Paginator counts every match for
"N people found" and "page n of m", which reads every match of every search again (ADR 0012 has
the figures). Here the count stops at CAP + 1 matches: a common word is counted at once, the page
says "1,000+", and the pages past the bound are still reachable (a page knows whether
another follows by reading one row more).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property

CAP = 1000

if TYPE_CHECKING:  # django-stubs' Paginator is generic; Django's own is not subscriptable
    _Paginator = Paginator[Any]
else:
    _Paginator = Paginator


class BoundedPage(Page[Any]):
    """A page of a capped search: whether another page follows comes from one extra row."""

    more: bool = False

    def has_next(self) -> bool:
        if self.paginator.capped:  # type: ignore[attr-defined]
            return self.more
        return super().has_next()

    @property
    def pages_label(self) -> str:
        """The page total as shown: exact, or "40+" when the count stopped at the bound."""
        paginator = self.paginator
        if not paginator.capped:  # type: ignore[attr-defined]
            return str(paginator.num_pages)
        if not self.more:
            return str(self.number)
        return f"{max(CAP // paginator.per_page, self.number + 1)}+"


class BoundedPaginator(_Paginator):
    """Counts up to `cap` + 1 matches; past the bound a page is read with one row more."""

    def __init__(
        self, object_list: Any, per_page: int, cap: int = CAP, *, counted: Any = None
    ) -> None:
        """`counted`: the query counted when it is not `object_list` itself (the rows' values
        read from joined tables, where counting needs none of them)."""
        super().__init__(object_list, per_page)
        self.cap = cap
        self.counted = object_list if counted is None else counted

    @cached_property
    def count(self) -> int:
        # No ORDER BY: the scan stops at the bound instead of sorting every match.
        rows: Any = self.counted  # a QuerySet (people_search)
        return int(rows.order_by()[: self.cap + 1].count())

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @property
    def count_label(self) -> str:
        """The number of matches as shown, grouped as the language groups digits: exact, or "1,000+"."""
        return intcomma(self.cap) + "+" if self.capped else intcomma(self.count)

    def validate_number(self, number: Any) -> int:
        if not self.capped:
            return super().validate_number(number)
        try:
            value = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if value < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return value

    def page(self, number: Any) -> Page[Any]:
        if self.count == 0:  # nothing matched: no second scan for the page's rows
            number = self.validate_number(number)
            return self._get_page([], number, self)
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        page = self._get_page(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page

    def get_page(self, number: Any) -> Page[Any]:
        if not self.capped:
            return super().get_page(number)
        try:
            number = self.validate_number(number)
        except (PageNotAnInteger, EmptyPage):
            number = 1
        try:
            return self.page(number)
        except EmptyPage:
            return self.page(1)

    def _get_page(self, *args: Any, **kwargs: Any) -> BoundedPage:
        return BoundedPage(*args, **kwargs)
