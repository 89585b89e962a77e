"""What every training stage shares: input normalisation, augmentation, the balanced epoch draw, losses, scoring."""
import numpy as np
import torch
import torch.nn.functional as F

from . import metrics as M
from .data import WindowSet, source_balanced
from .export import IMAGENET_MEAN, IMAGENET_STD


MEAN = torch.tensor(IMAGENET_MEAN).view(1, 1, 3, 1, 1)
STD = torch.tensor(IMAGENET_STD).view(1, 1, 3, 1, 1)
CROP_MIN = 0.75   # smallest random crop of a real window, as a share of its side


def to_input(x_uint8: np.ndarray) -> torch.Tensor:
    """uint8 [B,T,H,W,3] -> normalised float [B,T,3,H,W], the same arithmetic as libs/model/src/preprocess.ts."""
    x = torch.from_numpy(x_uint8).permute(0, 1, 4, 2, 3).float() / 255.0
    return (x - MEAN) / STD


def augment(x: torch.Tensor, gen: torch.Generator, real: torch.Tensor, crop_min: float = CROP_MIN,
            maps: torch.Tensor | None = None, map_flip: list | None = None):
    """Photometric and geometric jitter on a normalised batch; crops (a side of crop_min to 1 of the picture's) only
    on real clips (synthetic already varies). With `maps` ([B, T, C, m, m] targets laid over the picture, e.g. the
    pose teacher's), the same flips (channels swapped by `map_flip`) and crops move them too, and (x, maps) is
    returned; the random draws are the same either way."""
    b = x.shape[0]
    flip = torch.rand(b, generator=gen) < 0.5
    x = torch.where(flip.view(b, 1, 1, 1, 1), x.flip(-1), x)
    if maps is not None:
        mirrored = maps.flip(-1)[:, :, map_flip] if map_flip else maps.flip(-1)
        maps = torch.where(flip.view(b, 1, 1, 1, 1), mirrored, maps)
    gain = 1 + (torch.rand(b, 1, 1, 1, 1, generator=gen) - 0.5) * 0.5
    bias = (torch.rand(b, 1, 1, 1, 1, generator=gen) - 0.5) * 0.4
    chan = 1 + (torch.rand(b, 1, 3, 1, 1, generator=gen) - 0.5) * 0.12
    x = x * gain * chan + bias
    x = x + torch.randn(x.shape, generator=gen) * torch.rand(b, 1, 1, 1, 1, generator=gen) * 0.12
    if real.any():
        idx = torch.nonzero(real).flatten()
        size = x.shape[-1]
        for i in idx.tolist():
            s = float(crop_min + (1 - crop_min) * torch.rand(1, generator=gen))
            c = max(int(size * s), 8)
            oy, ox = [int(torch.randint(0, size - c + 1, (1,), generator=gen)) for _ in range(2)]
            crop = x[i, :, :, oy:oy + c, ox:ox + c]
            x[i] = F.interpolate(crop, size=(size, size), mode='bilinear', align_corners=False)
            if maps is not None:
                m = maps.shape[-1]
                my, mx, mc = round(oy * m / size), round(ox * m / size), max(round(c * m / size), 1)
                maps[i] = F.interpolate(maps[i, :, :, my:my + mc, mx:mx + mc], size=(m, m), mode='bilinear', align_corners=False)
    return x if maps is None else (x, maps)


def optimise(loss: torch.Tensor, params, opt, sched) -> float:
    """One optimiser step: backward, clip the gradient norm at 1, step, advance the schedule."""
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    sched.step()
    return float(loss)


def masked_bce(logits: torch.Tensor, y: torch.Tensor, pos_weight: torch.Tensor) -> torch.Tensor:
    known = ~torch.isnan(y)
    target = torch.nan_to_num(y, 0.0)
    loss = F.binary_cross_entropy_with_logits(logits, target, reduction='none', pos_weight=pos_weight)
    return (loss * known).sum() / known.sum().clamp(min=1)


@torch.no_grad()
def predict(model: torch.nn.Module, ws: WindowSet, batch: int = 64) -> np.ndarray:
    model.eval()
    out = []
    for i in range(0, len(ws), batch):
        out.append(torch.sigmoid(model(to_input(ws.x[i:i + batch]))).numpy())
    return np.concatenate(out) if out else np.zeros((0, 3), np.float32)


def epoch_indices(rng: np.random.Generator, syn: WindowSet, real: WindowSet | None, n: int, real_share: float):
    """Balanced draw: synthetic uniformly; real windows so that positives of each class and negatives share evenly,
    and within each of those the sources (repositories) share evenly: one lab with 31 falls weighs as much as a
    single clip from another camera."""
    n_real = int(n * real_share) if real is not None and len(real) else 0
    syn_idx = rng.choice(len(syn), n - n_real, replace=len(syn) < n - n_real)
    if not n_real:
        return [('s', i) for i in syn_idx]
    real_idx = rng.choice(len(real), n_real, p=real_weights(real))
    items = [('s', i) for i in syn_idx] + [('r', i) for i in real_idx]
    rng.shuffle(items)
    return items


def real_weights(real: WindowSet) -> np.ndarray:
    """Sampling probability per real window: each class bucket 1/4, split evenly over its sources, then its windows."""
    y = np.nan_to_num(real.y, nan=0.0)
    bucket = np.where(y[:, 0] > 0.5, 0, np.where(y[:, 1] > 0.5, 1, np.where(y[:, 2] > 0.5, 2, 3)))
    w = source_balanced(bucket, real.origins())
    return w / w.sum()


def evaluate(model, sets: dict, thresholds) -> dict:
    out = {}
    for name, ws in sets.items():
        if ws is None or not len(ws):
            continue
        s = predict(model, ws)
        out[name] = {'scores': s, 'prf': M.prf(s, ws.y, thresholds)}
    return out


def macro_f1(prf: dict) -> float:
    return float(np.mean([v['f1'] for v in prf.values() if v['positives'] > 0]))
