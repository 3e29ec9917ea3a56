"""Russian date formats: one date format on every page, document and table, 05.12.2026 (ADR 0021).

Django's Russian DATE_FORMAT ("5 декабря 2026 г.") differs from its SHORT_DATE_FORMAT; here both give
the same text. Numbers keep Django's Russian separators.
"""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
