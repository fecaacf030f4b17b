"""Simplified Chinese display formats for the back office (FORMAT_MODULE_PATH).

Django's zh_Hans formats, with numeric dates (``2026-12-02 09:41``, narrow enough for list
columns and the same shape as the audit trail's times) and money grouped in thousands with
commas (``1,234,567.89``), as Chinese business software shows amounts. Input formats stay
Django's, so every date a clerk types is still read.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
