LATE = "late"
