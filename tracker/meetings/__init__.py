"""Bodies (boards, committees, the auditors) and their meetings."""
