"""English date formats for readers in and outside Kazakhstan: day before month, or ISO 8601.

Django's own English formats are American ("05/10/1978" is 10 May to a reader in Astana and 5 October to
one in Houston); an English page here is read by international observers and by people whose first
language is not English, so dates are written so that they cannot be misread: "5 Dec 2026" on every
page, document and table (ADR 0021; the long and the short names give the same text). Input may be
ISO 8601 or day first.
"""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
