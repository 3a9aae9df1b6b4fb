"""A scaled corpus for the benchmark: many documents of the corpus families with varied content.

`build_scaled(out_dir, n, seed)` renders `n` PDFs into `out_dir` (a build folder, never committed):
Katrineholm-style follow-ups with a seeded choice of goals, rows shuffled and repeated, and statuses
drawn afresh, and Ånge-style activity reports with their items shuffled and subset. Municipality
names stay the corpus's four, since the rules recognise those. `build_long(out_dir, repeat)` renders
one follow-up with every row repeated, for the memory-against-length measurement. A document
already rendered is kept: the same seed gives the same files.

`python -m corpus.builder.scaled OUT_DIR [N] [SEED]`
"""
from __future__ import annotations

import copy
import random
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from corpus.builder import ange, katrineholm as kb


def _goals() -> list[kb.Goal]:
    _, goals = kb.source_to_intro_and_goals(kb.SOURCE.read_text(encoding="utf-8"))
    return goals


def goals_to_random_statuses(goals: list[kb.Goal], rng: random.Random) -> None:
    """Statuses drawn with the corpus's weights, a few rows left without a mark, marks as the corpus
    draws them (images under the image goal, symbol-font glyphs under the symbol goal)."""
    for goal in goals:
        for row in goal.result_goals:
            row.status = rng.choices(list(kb.RESULT_WEIGHTS), weights=list(kb.RESULT_WEIGHTS.values()))[0]
            if rng.random() < 0.05:
                row.status = None
            kind = "image" if row.goal == kb.IMAGE_GOAL else "vector"
            row.mark = row.status and {"kind": kind, "shape": "circle", "color": kb.RESULT_COLOURS[row.status]}
        for row in goal.assignments:
            row.status = rng.choices(list(kb.ASSIGNMENT_WEIGHTS), weights=list(kb.ASSIGNMENT_WEIGHTS.values()))[0]
            if rng.random() < 0.05:
                row.status, row.mark = None, None
                continue
            shape, glyph, pua, colour, _ = kb.ASSIGNMENT_GLYPHS[row.status]
            symbol = row.goal == kb.SYMBOL_FONT_GOAL
            row.mark = {"kind": "symbol_glyph" if symbol else "glyph", "shape": shape, "color": colour,
                        "glyph": pua if symbol else glyph}


def render_followup(path: Path, rng: random.Random, n_goals: int, repeat: int = 1) -> None:
    intro, goals = kb.source_to_intro_and_goals(kb.SOURCE.read_text(encoding="utf-8"))
    goals = sorted(rng.sample(goals, n_goals), key=lambda g: int(g.number))
    for goal in goals:
        for rows in (goal.result_goals, goal.assignments):
            rows[:] = [copy.deepcopy(row) for row in rows for _ in range(repeat)]
            rng.shuffle(rows)
    goals_to_random_statuses(goals, rng)
    with tempfile.TemporaryDirectory() as folder:
        kb.render_pdf(path, intro, goals, Path(folder))


@contextmanager
def _ange_items(activities: list[str], not_started: list):
    saved = ange.ACTIVITIES, ange.NOT_STARTED
    ange.ACTIVITIES, ange.NOT_STARTED = activities, not_started
    try:
        yield
    finally:
        ange.ACTIVITIES, ange.NOT_STARTED = saved


def render_activity_report(path: Path, rng: random.Random) -> None:
    activities = rng.sample(ange.ACTIVITIES, rng.randint(2, len(ange.ACTIVITIES)))
    not_started = rng.sample(ange.NOT_STARTED, rng.randint(1, len(ange.NOT_STARTED)))
    with _ange_items(activities, not_started):
        ange.register_family()
        doc = ange.report_template(path, ange.TITLE, "Ånge kommun", on_page=ange.on_page,
                                   margins=(ange.MARGIN_X, ange.MARGIN_X, 30 * ange.mm, 22 * ange.mm))
        doc.build(ange.story(ange.Recorder()))


def build_scaled(out_dir: Path, n: int = 100, seed: str = "bench") -> list[Path]:
    """`n` documents: three in four follow-ups of 1 to 3 goals, one in four activity reports."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        rng = random.Random(f"{seed}-{i}")
        if rng.random() < 0.75:
            path = out_dir / f"katrineholm-uppfoljning-{seed}-{i:04d}.pdf"
            if not path.exists():
                render_followup(path, rng, rng.randint(1, 3))
        else:
            path = out_dir / f"ange-verksamhetsrapport-{seed}-{i:04d}.pdf"
            if not path.exists():
                render_activity_report(path, rng)
        paths.append(path)
    return paths


def build_long(out_dir: Path, repeat: int = 4, seed: str = "long") -> Path:
    """One follow-up of all seven goals with every row `repeat` times: about 100 pages at 4."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"katrineholm-uppfoljning-{seed}-x{repeat}.pdf"
    if not path.exists():
        render_followup(path, random.Random(seed), 7, repeat)
    return path


if __name__ == "__main__":
    args = sys.argv[1:]
    for built in build_scaled(Path(args[0]), int(args[1]) if len(args) > 1 else 100,
                              args[2] if len(args) > 2 else "bench"):
        print(built)
