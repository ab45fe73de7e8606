"""The published slots: weekly room patterns, less closures and bank holidays, with two free
officers on the rota (`calendar`), the occupancy of a window of days (`window`), and the national
availability search over them (`search`). Services call `published_slot` before they write."""

from .calendar import UK, Calendar, current_calendar, is_pattern_start, local_datetime, pattern_times
from .search import (
    TIMES_OF_DAY,
    WINDOW_DAYS,
    Slot,
    SlotSearch,
    bookable_dates,
    find_slots,
    published_slot,
    search_dates_problem,
)
from .window import DiaryWindow

__all__ = [
    "TIMES_OF_DAY",
    "UK",
    "WINDOW_DAYS",
    "Calendar",
    "DiaryWindow",
    "Slot",
    "SlotSearch",
    "bookable_dates",
    "current_calendar",
    "find_slots",
    "is_pattern_start",
    "local_datetime",
    "pattern_times",
    "published_slot",
    "search_dates_problem",
]
