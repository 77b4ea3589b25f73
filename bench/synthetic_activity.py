"""Realistic synthetic activity for a borough, written to the reports' daily counts, so that the
reports can be developed, tested and shown without real families.

Each day has new conversations on the web chat and Telegram in English, Somali and Turkish
(more on weekdays); each conversation asks about a few needs, sees service cards from the real
services directory (in the parent's language where there is one), is sometimes not
understood, sometimes meets a crisis reply or a gentle check, and sometimes asks for a person,
who is accepted (faster in duty hours), cancelled, abandoned or escalated, with feedback after.
Counts are summed in memory, as the gateway's tally does, and written once.

    .venv/bin/python bench/synthetic_activity.py --database-url sqlite:///var/synthetic.db \
        --from 2026-11-01 --months 1 [--scale 1.0] [--seed 17]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.analytics import (  # noqa: E402
    IN_DUTY,
    OTHER_LANGUAGE,
    OUT_OF_DUTY,
    SAME_LANGUAGE,
    URGENT,
    Count,
    Event,
    wait_bucket,
    write,
)
from bot.core import CRISIS_KINDS  # noqa: E402
from bot.directory import Directory, load_directory  # noqa: E402
from bot.settings import PROJECT_ROOT  # noqa: E402
from bot.store import Database  # noqa: E402

# New conversations on an average weekday, at scale 1 (a borough of about 250,000 people).
CONVERSATIONS_PER_WEEKDAY = 60
LANGUAGE_SHARE = {"en": 0.55, "so": 0.25, "tr": 0.20}
TELEGRAM_SHARE = {"en": 0.45, "so": 0.70, "tr": 0.60}
NEED_WEIGHTS = {
    "find_groups": 30,
    "infant_feeding": 18,
    "find_mentor": 14,
    "mental_health": 12,
    "find_hub": 10,
    "talk_to_human": 6,
    "help": 6,
    "out_of_scope": 3,
    "delete_my_data": 1,
}
CATEGORY_OF = {
    "find_groups": "group",
    "infant_feeding": "infant_feeding",
    "find_mentor": "maternity_mentor",
    "mental_health": "mental_health",
    "find_hub": "family_hub",
}
# Fewer understood in Somali, whose training data is smaller.
FALLBACK_RATE = {"en": 0.06, "so": 0.12, "tr": 0.09}
ORGANISATIONS = {
    "so": ["Somali Parents Network", "Family Hub team"],
    "tr": ["Turkish Families Together", "Family Hub team"],
    "en": ["Family Hub team", "Somali Parents Network", "Turkish Families Together"],
}
ZONE = ZoneInfo("Europe/London")


def on_duty(moment: datetime) -> bool:
    return moment.weekday() < 5 and 9 <= moment.hour < 17


class Activity:
    """A borough's activity, counted by day like the gateway's tally."""

    def __init__(self, directory: Directory, seed: int, scale: float) -> None:
        self.random = random.Random(seed)
        self.scale = scale
        self.counts: Counter[tuple[date, Count]] = Counter()
        self.by_category: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for service in directory.services:
            if service.active:
                self.by_category.setdefault(service.category, []).append(
                    (service.id, service.languages)
                )

    def add(self, day: date, event: Event, channel: str, language: str, **fields: str) -> None:
        self.counts[(day, Count(event, channel, language, **fields))] += 1

    def events(self) -> int:
        return sum(self.counts.values())

    def day(self, day: date) -> None:
        r = self.random
        weekend = day.weekday() >= 5
        expected = CONVERSATIONS_PER_WEEKDAY * self.scale * (0.55 if weekend else 1.0)
        # A slow rise through the year, as more families hear of the service.
        expected *= 1 + 0.02 * (day.month - 1)
        for _ in range(_poisson(r, expected)):
            language = r.choices(list(LANGUAGE_SHARE), list(LANGUAGE_SHARE.values()))[0]
            channel = "telegram" if r.random() < TELEGRAM_SHARE[language] else "web"
            self.conversation(day, channel, language)

    def conversation(self, day: date, channel: str, language: str) -> None:
        r = self.random
        self.add(day, Event.CONVERSATION, channel, language)
        for _turn in range(1 + min(12, int(r.expovariate(1 / 3)))):
            if r.random() < FALLBACK_RATE[language]:
                again = r.random() < 0.3
                self.add(day, Event.INTENT, channel, language, detail="nlu_fallback")
                self.add(
                    day, Event.FALLBACK, channel, language, detail="again" if again else "first"
                )
                if again and r.random() < 0.3:
                    self.handoff(day, channel, language, "fallback", urgent=False)
                continue
            need = r.choices(list(NEED_WEIGHTS), list(NEED_WEIGHTS.values()))[0]
            self.add(day, Event.INTENT, channel, language, detail=need)
            if need in CATEGORY_OF:
                self.cards(day, channel, language, CATEGORY_OF[need])
            if need == "mental_health":
                self.check(day, channel, language)
            if need in ("talk_to_human", "find_mentor") and r.random() < 0.5:
                self.handoff(day, channel, language, need, urgent=False)
        if r.random() < 0.006:
            kind = r.choices(CRISIS_KINDS, [40, 8, 25, 20, 7])[0]
            self.add(day, Event.CRISIS, channel, language, detail=kind)
            self.handoff(day, channel, language, "crisis", urgent=True)
        if r.random() < 0.02:
            self.add(day, Event.INTENT, channel, language, detail="crisis")
            self.check(day, channel, language, subject="other" if r.random() < 0.2 else "self")

    def cards(self, day: date, channel: str, language: str, category: str) -> None:
        r = self.random
        services = self.by_category.get(category, [])
        if not services:
            return
        same = [s for s in services if language in s[1]]
        shown = r.sample(same or services, min(3, len(same or services)))
        if not same and language != "en":
            self.add(day, Event.NO_SERVICE_IN_LANGUAGE, channel, language, detail=category)
        for service_id, languages in shown:
            flag = SAME_LANGUAGE if language in languages else OTHER_LANGUAGE
            self.add(day, Event.SERVICE_SHOWN, channel, language, detail=service_id, flag=flag)

    def check(self, day: date, channel: str, language: str, subject: str = "self") -> None:
        r = self.random
        self.add(day, Event.GENTLE_CHECK, channel, language, detail=subject)
        answer = r.random()
        if answer < 0.8:
            self.add(day, Event.CHECK_ANSWER, channel, language, detail="safe")
        elif answer < 0.9:
            self.add(day, Event.CHECK_ANSWER, channel, language, detail="not_safe")
            self.handoff(day, channel, language, "crisis", urgent=True)

    def handoff(self, day: date, channel: str, language: str, topic: str, *, urgent: bool) -> None:
        r = self.random
        moment = datetime.combine(day, datetime.min.time(), ZONE) + timedelta(
            minutes=r.randrange(7 * 60, 23 * 60)
        )
        duty = IN_DUTY if on_duty(moment) else OUT_OF_DUTY
        flag = URGENT if urgent else ""
        common = {"detail": topic, "flag": flag}
        self.add(day, Event.HANDOFF_REQUESTED, channel, language, duty=duty, **common)
        mean = (3 if urgent else 8) if duty == IN_DUTY else (25 if urgent else 240)
        waited = r.expovariate(1 / mean)
        if waited > 10 and r.random() < 0.8:
            self.add(
                day, Event.HANDOFF_ESCALATED, channel, language, waited=wait_bucket(10), **common
            )
        outcome = r.random()
        if outcome < 0.85:
            organisation = r.choice(ORGANISATIONS[language])
            self.add(
                day,
                Event.HANDOFF_ACCEPTED,
                channel,
                language,
                waited=wait_bucket(waited),
                duty=duty,
                organisation=organisation,
                **common,
            )
            reason = r.choices(["mentor", "parent", "idle"], [60, 25, 15])[0]
            self.add(
                day,
                Event.HANDOFF_ENDED,
                channel,
                language,
                organisation=organisation,
                detail=reason,
                flag=flag,
            )
            if r.random() < 0.6:
                score = r.choices(["good", "ok", "bad"], [75, 17, 8])[0]
                self.add(
                    day,
                    Event.FEEDBACK,
                    channel,
                    language,
                    organisation=organisation,
                    detail=score,
                    flag=flag,
                )
        elif outcome < 0.97:
            self.add(
                day,
                Event.HANDOFF_CANCELLED,
                channel,
                language,
                waited=wait_bucket(waited),
                **common,
            )
        else:
            self.add(
                day,
                Event.HANDOFF_ABANDONED,
                channel,
                language,
                waited=wait_bucket(waited),
                **common,
            )


def _poisson(r: random.Random, mean: float) -> int:
    """A Poisson draw (normal approximation for large means)."""
    if mean > 50:
        return max(0, round(r.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= r.random()
        if p <= limit:
            return k
        k += 1


def fill(
    database_url: str,
    start: date,
    months: int,
    *,
    scale: float = 1.0,
    seed: int = 17,
    directory_path: Path | None = None,
) -> tuple[int, int]:
    """Fill the database with `months` of activity from `start`; (events counted, rows written)."""
    directory = load_directory(directory_path or PROJECT_ROOT / "services_directory.yaml", ZONE)
    activity = Activity(directory, seed, scale)
    day = start
    end_month = (start.month - 1 + months) % 12 + 1
    end_year = start.year + (start.month - 1 + months) // 12
    end = date(end_year, end_month, 1)
    while day < end:
        activity.day(day)
        day += timedelta(days=1)
    db = Database(database_url)
    db.migrate()
    with db.session() as session:
        write(session, activity.counts.items())
    db.engine.dispose()
    return activity.events(), len(activity.counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=f"sqlite:///{PROJECT_ROOT / 'var' / 'synthetic.db'}"
    )
    parser.add_argument("--from", dest="start", default="2026-11-01", type=date.fromisoformat)
    parser.add_argument("--months", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0, help="1 is a borough of ~250,000")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    began = time.perf_counter()
    events, rows = fill(
        args.database_url, args.start, args.months, scale=args.scale, seed=args.seed
    )
    print(
        f"{events:,} events counted in {rows:,} daily rows, "
        f"{time.perf_counter() - began:.1f} s: {args.database_url}"
    )


if __name__ == "__main__":
    main()
