"""Italian dates as Italian public administration writes them: "21 dicembre 2026", the day
without a leading zero and no weekday (month names are lower case through the catalogue: see
``portal_site.formats``). Anything not set here comes from Django's Italian formats."""

DATE_FORMAT = "j F Y"  # 21 dicembre 2026
DATETIME_FORMAT = "j F Y, H:i"  # 21 dicembre 2026, 14:30
MONTH_DAY_FORMAT = "j F"  # 21 dicembre
YEAR_MONTH_FORMAT = "F Y"  # dicembre 2026
