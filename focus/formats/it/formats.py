"""Italian dates as an Italian office writes them: the day without a leading zero
("martedì 1 dicembre 2026", not "Martedì 01 Dicembre 2026"). Weekdays and months are
lowercase through the portal's catalogue (focus/calendar_names.py). Everything else is
Django's Italian."""

from django.conf.locale.it.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"  # 1 dicembre 2026
DATETIME_FORMAT = "l j F Y, H:i"  # martedì 1 dicembre 2026, 09:30
