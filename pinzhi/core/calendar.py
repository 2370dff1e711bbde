"""Chinese working days: Monday to Friday, except the State Council's holidays, plus its
make-up working days (rules §4.8). Pure functions over a table of exceptions."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class WorkCalendar:
    exceptions: dict[dt.date, bool]  # day -> is a working day
    years: frozenset[int]  # years whose schedule is known

    def is_workday(self, day: dt.date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def knows(self, day: dt.date) -> bool:
        """False for a year whose schedule is not in the table: weekends only, and say so."""
        return day.year in self.years

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (start itself not counted)."""
        day, left = start, days
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many of the clock's days have passed."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_workday(day)
        return count


def load_calendar() -> WorkCalendar:
    from .models import CalendarDay

    rows = list(CalendarDay.objects.values_list("day", "is_workday"))
    return WorkCalendar({d: w for d, w in rows}, frozenset(d.year for d, _ in rows))


def local_day(moment=None):
    """The Shanghai day of a moment (a date stays itself; None is today)."""
    import datetime as dt

    from django.utils import timezone

    if moment is None:
        return timezone.localdate()
    if isinstance(moment, dt.datetime):
        return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment
