"""Follow-through: actions repeated from the last review, and the record's own carried-forward notes."""
