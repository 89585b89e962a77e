"""ONNX export, the model card beside it, and the parity fixture that the Node runtime test replays."""
import json
import os

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from .model import StreamingStudent, VideoViT, VitConfig

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def parity_input(batch: int, frames: int, size: int) -> np.ndarray:
    """Deterministic input both PyTorch and Node can build: x[i] = ((i * 7919) % 1000) / 500 - 1 (row-major)."""
    n = batch * frames * 3 * size * size
    i = np.arange(n, dtype=np.int64)
    return (((i * 7919) % 1000) / 500.0 - 1.0).astype(np.float32).reshape(batch, frames, 3, size, size)


def export_onnx(model: torch.nn.Module, path: str, opset: int = 17) -> dict:
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


def import_window_onnx(card_path: str) -> tuple[VideoViT, dict]:
    """The window model of a card (and the card) back in PyTorch, from its ONNX file alone (the .pt of a training run is not
    shipped). Unnamed initialisers are the transposed Linear weights in graph order; the card's parity fixture
    proves the mapping, so a graph this does not understand is refused rather than loaded wrong."""
    with open(card_path) as f:
        card = json.load(f)
    arch = card.get('architecture', {})
    if arch.get('type') != 'videomae-style-vit':
        raise ValueError(f'{card_path}: architecture.type is {arch.get("type")!r}; only window models (videomae-style-vit) can be imported')
    fields = VitConfig.__dataclass_fields__
    model = VideoViT(VitConfig(**{k: tuple(v) if k == 'tubelet' else v for k, v in arch.items() if k in fields}))
    graph = onnx.load(os.path.join(os.path.dirname(card_path), card['file'])).graph
    init = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    state = model.state_dict()
    unnamed = sorted((k for k in init if k.startswith('onnx::MatMul_')), key=lambda k: int(k.rsplit('_', 1)[1]))
    missing = [k for k in state if k not in init]
    if len(unnamed) != len(missing):
        raise ValueError(f'{card_path}: {len(missing)} weights not named in the graph but {len(unnamed)} unnamed MatMul initialisers')
    loaded = {k: torch.from_numpy(init[k].copy()) for k in state if k in init}
    loaded.update({k: torch.from_numpy(init[u].T.copy()) for k, u in zip(missing, unnamed)})
    model.load_state_dict(loaded)
    model.eval()
    fixture = card['parity']
    with torch.no_grad():
        got = model(torch.from_numpy(parity_input(int(fixture['batch']), model.cfg.frames, model.cfg.size))).numpy()
    want = np.array(fixture['logits'], np.float32)
    err = float(np.abs(got - want).max())
    if err > float(fixture['tolerance']):
        raise ValueError(f'{card_path}: imported weights miss the card\'s parity fixture by {err:.2e}; the graph layout is not the one export_onnx writes')
    return model, card


def write_card(path: str, *, name: str, onnx_file: str, cfg, fps: float, hop: int, thresholds, parity: dict,
               metrics: dict, training: dict, architecture: dict, extra: dict) -> dict:
    card = {
        'schema': 'vigil.model-card/1',
        'name': name,
        'file': onnx_file,
        'architecture': architecture,
        'input': {'name': 'pixel_values', 'layout': 'BTCHW', 'frames': cfg.frames, 'height': cfg.size, 'width': cfg.size,
                  'fps': fps, 'channelOrder': 'RGB', 'scale': 1 / 255, 'mean': IMAGENET_MEAN, 'std': IMAGENET_STD},
        'output': {'name': 'logits', 'activation': 'sigmoid'},
        'labels': ['fall', 'fire', 'smoke'],
        'eventKinds': {'fall': 'fall', 'fire': 'fire', 'smoke': 'smoke'},
        'window': {'hop': hop},
        'thresholds': {k: v for k, v in zip(['fall', 'fire', 'smoke'], thresholds)},
        'parity': parity,
        'metrics': metrics,
        **extra,
        'training': training,
    }
    with open(path, 'w') as f:
        json.dump(card, f, indent=2)
        f.write('\n')
    return card


def file_size_mb(path: str) -> float:
    return round(os.path.getsize(path) / 1e6, 2)


def ramp(shape: tuple, reverse: bool = False) -> np.ndarray:
    """The parity input formula over any shape; `reverse` reads it backwards (the frame graph's previous frame)."""
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.int64)
    x = (((i * 7919) % 1000) / 500.0 - 1.0).astype(np.float32)
    return (x[::-1] if reverse else x).copy().reshape(shape)


def export_streaming(model: StreamingStudent, out: str, name: str, opset: int = 17) -> dict:
    """The student as two graphs: frame encoder (run once per new frame, embedding cached) and temporal head."""
    cfg = model.cfg
    model = model.eval()
    frame, previous = torch.from_numpy(ramp((2, 3, cfg.size, cfg.size))), torch.from_numpy(ramp((2, 3, cfg.size, cfg.size), True))
    emb = torch.from_numpy(ramp((2, cfg.frames, cfg.embedding)))
    with torch.no_grad():
        ref_emb, ref_logits = model.frame(frame, previous).numpy(), model.temporal(emb).numpy()
    frame_file, temporal_file = f'{name}.frame.onnx', f'{name}.temporal.onnx'
    torch.onnx.export(model.frame, (frame, previous), os.path.join(out, frame_file), opset_version=opset,
                      input_names=['pixel_values', 'previous_pixel_values'], output_names=['embedding'],
                      dynamic_axes={'pixel_values': {0: 'batch'}, 'previous_pixel_values': {0: 'batch'}, 'embedding': {0: 'batch'}},
                      do_constant_folding=True)
    torch.onnx.export(model.temporal, emb, os.path.join(out, temporal_file), opset_version=opset,
                      input_names=['embeddings'], output_names=['logits'],
                      dynamic_axes={'embeddings': {0: 'batch'}, 'logits': {0: 'batch'}}, do_constant_folding=True)
    for f in (frame_file, temporal_file):
        onnx.checker.check_model(onnx.load(os.path.join(out, f)))
    rounded = lambda a: [[round(float(v), 6) for v in row] for row in a]  # noqa: E731
    return {
        'frame': {'file': frame_file, 'input': 'pixel_values', 'previous': 'previous_pixel_values', 'output': 'embedding',
                  'embedding': cfg.embedding},
        'temporal': {'file': temporal_file, 'input': 'embeddings', 'output': 'logits'},
        'parity': {
            'input': 'ramp over [2, 3, H, W] as pixel_values, the same ramp read backwards as previous_pixel_values; '
                     'ramp over [2, T, E] as embeddings; ramp[i] = ((i * 7919) % 1000) / 500 - 1',
            'embedding': rounded(ref_emb), 'logits': rounded(ref_logits), 'tolerance': 1e-4,
        },
    }


def export_fp16(src: str, dst: str) -> dict:
    """A float16 copy of a float32 graph for GPUs: weights and every float tensor in half precision, inputs and
    outputs kept float32 (a Cast at each end), so the agent feeds it exactly like the fp32 graph."""
    from onnx import TensorProto, helper, numpy_helper
    m = onnx.load(src)
    g = m.graph
    for init in g.initializer:
        if init.data_type == TensorProto.FLOAT:
            init.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), init.name))
    for node in g.node:
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.TENSOR and attr.t.data_type == TensorProto.FLOAT:
                attr.t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(attr.t).astype(np.float16), attr.t.name))
            if node.op_type == 'Cast' and attr.name == 'to' and attr.i == TensorProto.FLOAT:
                attr.i = TensorProto.FLOAT16
    for vi in g.value_info:
        if vi.type.tensor_type.elem_type == TensorProto.FLOAT:
            vi.type.tensor_type.elem_type = TensorProto.FLOAT16
    casts = []
    for inp in g.input:
        inner = f'{inp.name}_fp16'
        for node in g.node:
            node.input[:] = [inner if x == inp.name else x for x in node.input]
        casts.append(helper.make_node('Cast', [inp.name], [inner], to=TensorProto.FLOAT16, name=f'cast_{inp.name}'))
    for out in g.output:
        inner = f'{out.name}_fp16'
        for node in g.node:
            node.output[:] = [inner if x == out.name else x for x in node.output]
        g.node.append(helper.make_node('Cast', [inner], [out.name], to=TensorProto.FLOAT, name=f'cast_{out.name}'))
    for i, c in enumerate(casts):
        g.node.insert(i, c)
    onnx.checker.check_model(m)
    onnx.save(m, dst)
    return {'file': os.path.basename(dst), 'precision': 'float16', 'tolerance': 0.05,
            'note': 'for CUDA and TensorRT; the CPU execution provider runs it through casts and gains nothing'}
