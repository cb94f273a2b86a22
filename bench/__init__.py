"""The benchmark behind `make bench`: demo data, gunicorn, wrk, and a results table."""
