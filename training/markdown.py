"""Markdown pieces every model report uses: a table, and one evaluation's metrics."""

from __future__ import annotations


def table(rows: list[list], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def metrics_markdown(m: dict, classes: tuple[str, str] = ("person", "non_person")) -> str:
    """training.metrics.metrics(...) as text: headline, per class, confusion, calibration."""
    pos, neg = classes
    confusion = m["confusion"]
    parts = [
        (f"n = {m['n']}; **macro-F1 = {m['macro_f1']:.3f}**; accuracy {m['accuracy']:.3f}; "
         f"Brier {m['brier']:.3f}; log-loss {m['log_loss']:.3f}; ECE {m['ece']:.3f}"),
        "",
        table([[k, v["precision"], v["recall"], v["f1"], v["support"]]
               for k, v in m["per_class"].items()],
              ["class", "precision", "recall", "F1", "support"]),
        "",
        "Confusion matrix (rows: truth, columns: predicted at 0.5):",
        "",
        table([[pos, confusion[f"true_{pos}"][pos], confusion[f"true_{pos}"][neg]],
               [neg, confusion[f"true_{neg}"][pos], confusion[f"true_{neg}"][neg]]],
              ["truth \\ predicted", pos, neg]),
        "",
        f"Calibration (deciles of predicted {pos} probability):",
        "",
        table([[c["bin"], c["n"], c["mean_predicted"], c[f"observed_{pos}"]]
               for c in m["calibration"]], ["bin", "n", "mean predicted", f"observed {pos}"]),
    ]
    return "\n".join(parts)
