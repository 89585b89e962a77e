"""Window- and clip-level metrics for multi-label (fall, fire, smoke) scores with ambiguous (NaN) labels."""
import numpy as np

CLASSES = ('fall', 'fire', 'smoke')


def prf(scores: np.ndarray, labels: np.ndarray, thresholds) -> dict:
    """Per-class precision/recall/F1 over windows whose label is known."""
    out = {}
    for i, name in enumerate(CLASSES):
        known = ~np.isnan(labels[:, i])
        y = labels[known, i] > 0.5
        p = scores[known, i] >= thresholds[i]
        tp, fp, fn = int(np.sum(p & y)), int(np.sum(p & ~y)), int(np.sum(~p & y))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[name] = {'precision': round(prec, 3), 'recall': round(rec, 3), 'f1': round(f1, 3),
                     'positives': int(y.sum()), 'windows': int(known.sum())}
    return out


def average_precision(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the precision-recall curve of one class's window scores; ambiguous (NaN) windows left out."""
    known = ~np.isnan(labels)
    s, y = scores[known], labels[known] > 0.5
    if not y.any():
        return 0.0
    order = np.argsort(-s, kind='stable')
    hits = np.cumsum(y[order])
    return float(np.sum((hits / np.arange(1, len(order) + 1))[y[order]]) / y.sum())


def best_thresholds(scores: np.ndarray, labels: np.ndarray, beta: float = 0.5, floor: float = 0.3) -> list:
    """Per class, the threshold in [floor, 0.95] that maximises window F-beta (ties go to the higher threshold).

    beta 0.5 weighs precision twice as much as recall: an alarm an operator learns to ignore is worth less than
    one missed window, because the event rule needs several windows in a row anyway."""
    out = []
    for i in range(len(CLASSES)):
        best, best_f = 0.5, -1.0
        known = ~np.isnan(labels[:, i])
        y = labels[known, i] > 0.5
        for th in np.arange(floor, 0.951, 0.05):
            p = scores[known, i] >= th
            tp, fp, fn = np.sum(p & y), np.sum(p & ~y), np.sum(~p & y)
            denom = (1 + beta ** 2) * tp + beta ** 2 * fn + fp
            f = (1 + beta ** 2) * tp / denom if denom else 0.0
            if f >= best_f:
                best, best_f = float(round(th, 2)), f
        out.append(best)
    return out


def clip_events(scores: np.ndarray, groups: np.ndarray, clip_classes: dict, thresholds, k: int = 2) -> dict:
    """Clip-level detection with the agent's simplest rule: an event when k consecutive windows pass the threshold.

    Returns per class the share of clips of that class that raised it (recall) and the number of clips of other
    classes that raised it (false alarms)."""
    out = {c: {'clips': 0, 'detected': 0, 'false_alarm_clips': 0, 'other_clips': 0} for c in CLASSES}
    for g in dict.fromkeys(groups):
        s = scores[groups == g]
        truth = clip_classes[g]
        for i, c in enumerate(CLASSES):
            above = s[:, i] >= thresholds[i]
            run = best = 0
            for a in above:
                run = run + 1 if a else 0
                best = max(best, run)
            fired = best >= k
            if truth == c:
                out[c]['clips'] += 1
                out[c]['detected'] += int(fired)
            elif not (truth == 'fire' and c == 'smoke') and not (truth == 'smoke' and c == 'fire'):
                out[c]['other_clips'] += 1
                out[c]['false_alarm_clips'] += int(fired)
    return out


def confusion(scores: np.ndarray, labels: np.ndarray, thresholds) -> dict:
    """Single-label view: true class (first positive label, else normal) vs top predicted class above threshold.
    A window with no positive label and an ambiguous one is left out (it is neither clearly normal nor an event)."""
    names = ('normal',) + CLASSES
    mat = np.zeros((4, 4), int)
    for s, y in zip(scores, labels):
        positive = np.nan_to_num(y, nan=0.0) > 0.5
        if positive.any():
            t = 1 + int(np.argmax(positive))
        elif np.any(np.isnan(y)):
            continue
        else:
            t = 0
        over = [i for i in range(3) if s[i] >= thresholds[i]]
        p = 1 + max(over, key=lambda i: s[i]) if over else 0
        mat[t, p] += 1
    return {'labels': list(names), 'matrix': mat.tolist()}
