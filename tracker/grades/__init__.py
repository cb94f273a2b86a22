"""How far each recommendation got: the board's and the auditors' grades, and priority."""
