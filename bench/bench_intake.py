"""Throughput of the news intake (clean → split → extract) on one core, in characters per second.

Runs the whole pipeline over the seed reports (``../shared/seeds``) and the dev passages repeatedly; prints one line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from keyprojects.intake.pipeline import process  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def corpus() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted((SHARED / "seeds").glob("*.txt"))]
    passages = SHARED / "intake" / "dev" / "dev-passages.jsonl"
    if passages.exists():
        texts += [json.loads(line)["text"] for line in passages.read_text(encoding="utf-8").splitlines() if line]
    return texts


def main() -> None:
    texts = corpus()
    if not texts:
        print("bench_intake: no input texts found under", SHARED)
        return
    process(texts[0])  # warm the place tables
    characters = 0
    facts = 0
    started = time.perf_counter()
    rounds = 0
    while time.perf_counter() - started < 3.0 or rounds < 2:
        for text in texts:
            facts += len(process(text).facts)
            characters += len(text)
        rounds += 1
    elapsed = time.perf_counter() - started
    print(f"bench_intake: {characters / elapsed:,.0f} characters/s on one core "
          f"({len(texts)} texts × {rounds} rounds, {characters:,} characters, {facts // rounds} facts per round, "
          f"{elapsed:.2f} s)")


if __name__ == "__main__":
    main()
