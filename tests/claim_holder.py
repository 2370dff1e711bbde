"""Another run, in a process of its own, for the tests of claims (settlement/locking.py).

`python -m tests.claim_holder SCOPE_PATH WHAT [--month YYYY-MM-DD] [--at EPOCH]
[--hold SECONDS]` (DATABASE_URL naming the test's database) claims the scope ('' the
company) as a run of kind WHAT would, at the moment --at if given (so that several
processes claim at once), prints `held` or `busy: <the refusal>`, and holds the claim
until its standard input closes, or for --hold seconds.
"""

import argparse
import datetime as dt
import os
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scope_path")
    parser.add_argument("what")
    parser.add_argument("--month", type=dt.date.fromisoformat)
    parser.add_argument("--at", type=float)
    parser.add_argument("--hold", type=float)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pinzhi.settings")
    import django

    django.setup()
    from pinzhi.settlement.locking import ScopeBusy, claimed

    if args.at is not None:
        time.sleep(max(0.0, args.at - time.time()))
    try:
        with claimed(scope_path=args.scope_path, what=args.what, month=args.month):
            print("held", flush=True)
            if args.hold is not None:
                time.sleep(args.hold)
            else:
                sys.stdin.read()
    except ScopeBusy as exc:
        print(f"busy: {exc}", flush=True)


if __name__ == "__main__":
    main()
