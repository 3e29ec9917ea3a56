"""Work and study in prison by the day and place (issue 19, ADR 0040): places of work and study as
data, a whole workshop's or class's list entered at once, timesheets imported, and the month's
figures per institution in full-time equivalents next to the headcount the old reports used."""
