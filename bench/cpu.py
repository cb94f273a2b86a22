"""CPU time of pages inside the app: `python -m bench.cpu URL EMAIL PATH… --times N`.

Run with PYTHONPATH set to a checkout (bench.pairs --cpu does), it signs in through the login
form of the test client and prints, per path, the median CPU time of N requests in ms as JSON.
CPU time counts only this process's work, so it swings less with the machine's load than the
wall time of a server under wrk does.
"""

import argparse
import json
import os
import re
import statistics
import time

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def main() -> None:
    """Print {path: median CPU ms} for the paths, signed in as the user."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("email")
    parser.add_argument("password")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--times", type=int, default=5)
    args = parser.parse_args()
    os.environ.update(TRACKER_DATABASE_URL=args.url, TRACKER_SECRET_KEY="bench")
    from tracker import create_app

    client = create_app().test_client()
    page = client.get("/login").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    data = {"csrf_token": token, "email": args.email, "password": args.password}
    if client.post("/login", data=data).status_code != 302:
        raise SystemExit("sign-in failed")
    found = {}
    for path in args.paths:
        client.get(path)  # warm: templates compiled, caches filled
        spent = []
        for _ in range(args.times):
            started = time.process_time()
            if client.get(path).status_code != 200:
                raise SystemExit(f"{path} failed")
            spent.append((time.process_time() - started) * 1000)
        found[path] = round(statistics.median(spent), 1)
    print(json.dumps(found))


if __name__ == "__main__":
    main()
