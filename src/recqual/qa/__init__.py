"""The IRO manager's quality assurance over a results database: a fair sample of records, and reports by IRO, team and month."""
