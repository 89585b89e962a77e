"""ONNX export, the model card beside it, and the parity fixture that the Node runtime test replays."""
import json
import os

import numpy as np
import onnx
import torch

from .model import VideoViT

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def parity_input(batch: int, frames: int, size: int) -> np.ndarray:
    """Deterministic input both PyTorch and Node can build: x[i] = ((i * 7919) % 1000) / 500 - 1 (row-major)."""
    n = batch * frames * 3 * size * size
    i = np.arange(n, dtype=np.int64)
    return (((i * 7919) % 1000) / 500.0 - 1.0).astype(np.float32).reshape(batch, frames, 3, size, size)


def export_onnx(model: VideoViT, path: str, opset: int = 17) -> dict:
    cfg = model.cfg
    model = model.eval()
    x = torch.from_numpy(parity_input(2, cfg.frames, cfg.size))
    with torch.no_grad():
        ref = model(x).numpy()
    torch.onnx.export(model, x, path, opset_version=opset, input_names=['pixel_values'], output_names=['logits'],
                      dynamic_axes={'pixel_values': {0: 'batch'}, 'logits': {0: 'batch'}}, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))
    return {
        'input': 'x[i] = ((i * 7919) % 1000) / 500 - 1, row-major over [2, T, 3, H, W], fed as pixel_values (already normalised)',
        'batch': 2,
        'logits': [[round(float(v), 6) for v in row] for row in ref],
        'tolerance': 1e-4,
    }


def write_card(path: str, *, name: str, onnx_file: str, cfg, fps: float, hop: int, thresholds, parity: dict,
               metrics: dict, training: dict) -> dict:
    card = {
        'schema': 'vigil.model-card/1',
        'name': name,
        'file': onnx_file,
        'architecture': {'type': 'videomae-style-vit', 'attention': 'joint space-time', **cfg.to_dict(),
                         'gmacs_per_window': round(cfg.macs() / 1e9, 4)},
        'input': {'name': 'pixel_values', 'layout': 'BTCHW', 'frames': cfg.frames, 'height': cfg.size, 'width': cfg.size,
                  'fps': fps, 'channelOrder': 'RGB', 'scale': 1 / 255, 'mean': IMAGENET_MEAN, 'std': IMAGENET_STD},
        'output': {'name': 'logits', 'activation': 'sigmoid'},
        'labels': ['fall', 'fire', 'smoke'],
        'eventKinds': {'fall': 'fall', 'fire': 'fire', 'smoke': 'smoke'},
        'window': {'hop': hop},
        'thresholds': {k: v for k, v in zip(['fall', 'fire', 'smoke'], thresholds)},
        'parity': parity,
        'metrics': metrics,
        'training': training,
    }
    with open(path, 'w') as f:
        json.dump(card, f, indent=2)
        f.write('\n')
    return card


def file_size_mb(path: str) -> float:
    return round(os.path.getsize(path) / 1e6, 2)
