#!/usr/bin/python3
"""Fire and smoke from a pretrained backbone's frame features (backbone_features.js): how well do they separate
windows of cameras the training never saw? Trains on the train split, reports window average precision on val.

  /usr/bin/python3 libs/model/training/probes/backbone_probe.py .cache/probes/cn256 ../shared/clips [features per frame: 960]

Windows of 8 frames (2 s at 4 fps), labelled as the eval labels them (a fire or smoke clip is positive from its
onset, the other class unknown on it; every other clip negative); draws weigh sources evenly per bucket, as the
recipe does. Two heads: an MLP over the 8 frames (mean, max and frame-to-frame change of a per-frame projection,
3 seeds averaged, each at its best val epoch: selection on val, so an upper bound) and a linear probe on mean-pooled
features and their change, AP after each epoch.
"""
import os
import re
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from vigil_train.metrics import average_precision  # noqa: E402

torch.set_num_threads(2)
CLASSES = ['fire', 'smoke']


def read_clips(features: str, clips: str) -> dict:
    rows = [line.rstrip('\n').split('\t') for line in open(os.path.join(clips, 'manifest.tsv'))][1:]
    data = {'train': [], 'val': []}
    for file, cls, split, span, source in (r[:5] for r in rows):
        x = np.fromfile(os.path.join(features, file.replace('/', '__') + '.f32'), np.float32)
        m = re.search(r'(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)', span)
        onset = None if cls == 'normal' else float(m.group(1)) if m else 0.0
        data.setdefault(split, []).append({'cls': cls, 'source': source, 'x': x, 'onset': onset})
    return data


def label(clip: dict, k: str, end: float) -> float:
    if {clip['cls'], k} == {'fire', 'smoke'}:
        return np.nan
    return 1.0 if clip['cls'] == k and end >= clip['onset'] else 0.0


def windows(clips: list, dim: int, hop: int):
    X, Y, owner = [], [], []
    for ci, c in enumerate(clips):
        f = c['x'].reshape(-1, dim)
        for i in range(7, len(f), hop):
            X.append(f[i - 7:i + 1])
            Y.append([label(c, k, (i + 1) / 4) for k in CLASSES])
            owner.append(ci)
    return np.stack(X), np.array(Y, np.float32), owner


def source_weights(clips: list, owner: list) -> np.ndarray:
    buckets = {}
    for j, ci in enumerate(owner):
        c = clips[ci]
        buckets.setdefault(c['cls'] if c['cls'] in CLASSES else 'negative', {}).setdefault(c['source'], []).append(j)
    w = np.zeros(len(owner))
    for sources in buckets.values():
        for js in sources.values():
            w[js] = 1 / len(buckets) / len(sources) / len(js)
    return w / w.sum()


class FrameMlp(nn.Module):
    def __init__(self, dim: int, width: int = 128):
        super().__init__()
        self.frame = nn.Sequential(nn.Dropout(0.2), nn.Linear(dim, width), nn.GELU())
        self.out = nn.Sequential(nn.Dropout(0.3), nn.Linear(3 * width, width), nn.GELU(), nn.Linear(width, 2))

    def forward(self, x):
        f = self.frame(x)
        return self.out(torch.cat([f.mean(1), f.max(1).values, (f[:, 1:] - f[:, :-1]).abs().mean(1)], 1))


class Linear(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.layer = nn.Linear(dim, 2)

    def forward(self, x):
        x = x[:, :, :x.shape[2] // 2]  # the mean-pooled half
        return self.layer(torch.cat([x.mean(1), (x[:, 1:] - x[:, :-1]).abs().mean(1)], 1))


def train(net, Xtr, Ytr, w, Xva, Yva, seed: int, epochs: int, noise: float):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    opt = torch.optim.AdamW(net.parameters(), 1e-3, weight_decay=0.05)
    history = []
    for _ in range(epochs):
        net.train()
        idx = rng.choice(len(Xtr), 4096, p=w)
        for b in range(0, len(idx), 64):
            x, y = torch.tensor(Xtr[idx[b:b + 64]]), torch.tensor(Ytr[idx[b:b + 64]])
            logits, known = net(x + noise * torch.randn_like(x)), ~torch.isnan(y)
            loss = nn.functional.binary_cross_entropy_with_logits(logits[known], y[known] * 0.9 + 0.05)
            opt.zero_grad()
            loss.backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            s = torch.sigmoid(net(torch.tensor(Xva))).numpy()
        history.append((s, [average_precision(s[:, k], Yva[:, k]) for k in range(2)]))
    return history


def main():
    features, clips = sys.argv[1], sys.argv[2]
    dim = int(sys.argv[3]) if len(sys.argv) > 3 else 960  # CenterNet's 480 channels, mean- and max-pooled
    data = read_clips(features, clips)
    Xtr, Ytr, otr = windows(data['train'], dim, 1)
    Xva, Yva, _ = windows(data['val'], dim, 2)
    mu, sd = Xtr.reshape(-1, dim).mean(0), Xtr.reshape(-1, dim).std(0) + 1e-3
    Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
    w = source_weights(data['train'], otr)
    print(f'{len(Xtr)} train windows, {len(Xva)} val windows, {dim} features per frame')
    best = []
    for seed in range(3):
        h = train(FrameMlp(dim), Xtr, Ytr, w, Xva, Yva, seed, 15, 0.1)
        s, ap = max(h, key=lambda e: np.mean(e[1]))
        print(f'MLP seed {seed}: best val epoch AP fire {ap[0]:.3f} smoke {ap[1]:.3f}')
        best.append(s)
    s = np.mean(best, 0)
    print(f'MLP, 3 seeds averaged: window AP fire {average_precision(s[:, 0], Yva[:, 0]):.3f} smoke {average_precision(s[:, 1], Yva[:, 1]):.3f}')
    h = train(Linear(dim), Xtr, Ytr, w, Xva, Yva, 0, 10, 0.0)
    print('linear probe, AP fire / smoke after each epoch: ' + ' '.join(f'{a[0]:.2f}/{a[1]:.2f}' for _, a in h))


if __name__ == '__main__':
    main()
