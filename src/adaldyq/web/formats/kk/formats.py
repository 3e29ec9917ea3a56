"""Kazakh date and number formats (Django ships none for kk; RECIPES.md §5).

One date format on every page, document and table: 05.12.2026 (ADR 0021); the long and the short
names give the same text, so no page mixes "2026 ж. 5 желтоқсан" with "05.12.2026".
"""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
