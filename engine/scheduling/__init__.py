"""Work that arrives by time or from outside: timers, recurring schedules, messages (inbox), legal
deadlines on the calendar, and the worker that fires them."""
