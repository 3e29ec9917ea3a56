"""Kazakh date and number formats (Django ships none for kk; RECIPES.md §5)."""

DATE_FORMAT = "Y ж. j E"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "Y ж. j E, H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
