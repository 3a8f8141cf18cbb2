"""English dates for an Italian public service: day before month ("21 December 2026",
"21/12/2026"), 24-hour times, as British English writes them. Django's default English
formats put the month first ("Dec. 21, 2026", "12/21/2026"), which reads wrongly here."""

DATE_FORMAT = "j F Y"  # 21 December 2026
DATETIME_FORMAT = "j F Y, H:i"  # 21 December 2026, 14:30
TIME_FORMAT = "H:i"  # 14:30
MONTH_DAY_FORMAT = "j F"  # 21 December
YEAR_MONTH_FORMAT = "F Y"  # December 2026
SHORT_DATE_FORMAT = "d/m/Y"  # 21/12/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 21/12/2026 14:30
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
