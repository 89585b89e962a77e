"""VideoMAE-style video ViT: 2x16x16 tubelet embedding and joint space-time attention over all tokens.

Input `pixel_values` [B, T, 3, H, W] (already normalised with the card's mean/std), output `logits` [B, K].

Two choices differ from VideoMAE's fine-tuning model, both measured on the synthetic validation split with the same
budget (about 10k training windows on CPU): mean pooling learned fire but not falls at all (fall F1 0.00), max
pooling over tokens reached fall F1 0.46, because an event fills only a few of the 144 tokens; and feeding each
tubelet its frame-to-frame difference next to the pixels (6 input channels) raised fire F1 from 0.39 to 0.83, since
flicker, smoke drift and falling are motion. The difference is computed inside the graph, so the input contract is
still plain frames.

Attention is written out (qkv projection + unbind) rather than nn.MultiheadAttention so the ONNX graph is plain
MatMul/Softmax that every onnxruntime execution provider runs.
"""
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn


@dataclass
class VitConfig:
    frames: int = 8
    size: int = 112
    tubelet: tuple = (2, 16, 16)
    dim: int = 96
    depth: int = 4
    heads: int = 4
    mlp_ratio: float = 4.0
    classes: int = 3
    drop_path: float = 0.05
    motion: bool = True      # add frame differences as 3 extra tubelet channels
    pool: str = 'max'        # 'max' or 'mean' over tokens

    @property
    def tokens(self) -> int:
        t, p, q = self.tubelet
        return (self.frames // t) * (self.size // p) * (self.size // q)

    def macs(self) -> int:
        """Multiply-accumulates of one forward pass for one window (matmuls and the tubelet conv)."""
        n, d = self.tokens, self.dim
        t, p, q = self.tubelet
        embed = n * (6 if self.motion else 3) * t * p * q * d
        block = n * (4 * d * d + 2 * int(self.mlp_ratio) * d * d) + 2 * n * n * d
        return embed + self.depth * block + d * self.classes

    def to_dict(self) -> dict:
        out = asdict(self)
        out['tubelet'] = list(self.tubelet)
        return out


class Attention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, n, d = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4).unbind(0)
        attn = (q * self.scale) @ k.transpose(-2, -1)  # scaling q, not the N x N scores, is 8x less work
        return self.proj((attn.softmax(-1) @ v).transpose(1, 2).reshape(b, n, d))


class Block(nn.Module):
    def __init__(self, dim: int, heads: int, mlp_ratio: float, drop_path: float):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, int(dim * mlp_ratio)), nn.GELU(), nn.Linear(int(dim * mlp_ratio), dim))
        self.drop_path = drop_path

    def _dp(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.drop_path == 0:
            return x
        keep = (torch.rand(x.shape[0], 1, 1, device=x.device) >= self.drop_path).to(x.dtype)
        return x * keep / (1 - self.drop_path)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self._dp(self.attn(self.norm1(x)))
        return x + self._dp(self.mlp(self.norm2(x)))


def window_model_config(frames: int, size: int, patch: int = 16) -> VitConfig:
    """The window model (vigil-vit-tiny): the teacher's architecture at width 96, depth 4; tubelets of 2 x patch x patch."""
    return VitConfig(frames=frames, size=size, tubelet=(2, patch, patch), dim=96, depth=4, heads=4)


class VideoViT(nn.Module):
    def __init__(self, cfg: VitConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Conv3d(6 if cfg.motion else 3, cfg.dim, kernel_size=cfg.tubelet, stride=cfg.tubelet)
        self.pos = nn.Parameter(torch.randn(1, cfg.tokens, cfg.dim) * 0.02)
        self.blocks = nn.ModuleList([Block(cfg.dim, cfg.heads, cfg.mlp_ratio, cfg.drop_path * (i + 1) / cfg.depth)
                                     for i in range(cfg.depth)])
        self.norm = nn.LayerNorm(cfg.dim)
        self.head = nn.Linear(cfg.dim, cfg.classes)
        self.apply(self._init)

    @staticmethod
    def _init(m: nn.Module) -> None:
        if isinstance(m, nn.Linear):
            nn.init.trunc_normal_(m.weight, std=0.02)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)

    def features(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.pool(self.tokens(pixel_values))

    def pool(self, tokens: torch.Tensor) -> torch.Tensor:
        return tokens.amax(1) if self.cfg.pool == 'max' else tokens.mean(1)

    def tokens(self, pixel_values: torch.Tensor) -> torch.Tensor:
        """[B, N, D] normalised tokens, N ordered (time, row, column) over the tubelet grid."""
        x = pixel_values.permute(0, 2, 1, 3, 4)  # [B, 3, T, H, W]
        if self.cfg.motion:
            diff = torch.cat([torch.zeros_like(x[:, :, :1]), x[:, :, 1:] - x[:, :, :-1]], 2)
            x = torch.cat([x, diff], 1)
        x = self.embed(x).flatten(2).transpose(1, 2) + self.pos
        for blk in self.blocks:
            x = blk(x)
        return self.norm(x)

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(pixel_values))


@dataclass
class StreamingConfig:
    """Factorised student: a per-frame spatial encoder whose embeddings are cached, then a small temporal transformer.

    Each frame is encoded once, whatever the hop, so a camera costs one frame-encoder pass per new frame plus one
    temporal pass (on `frames` cached embeddings) per window."""
    frames: int = 8
    size: int = 96
    patch: int = 16
    dim: int = 64
    depth: int = 2
    heads: int = 4
    temporal_dim: int = 64
    temporal_depth: int = 2
    mlp_ratio: float = 4.0
    classes: int = 3
    drop_path: float = 0.05

    @property
    def patches(self) -> int:
        return (self.size // self.patch) ** 2

    @property
    def embedding(self) -> int:
        return 2 * self.dim  # max- and mean-pooled patch features

    def frame_macs(self) -> int:
        n, d = self.patches, self.dim
        embed = n * 6 * self.patch * self.patch * d
        block = n * (4 * d * d + 2 * int(self.mlp_ratio) * d * d) + 2 * n * n * d
        return embed + self.depth * block

    def temporal_macs(self) -> int:
        n, d = self.frames, self.temporal_dim
        block = n * (4 * d * d + 2 * int(self.mlp_ratio) * d * d) + 2 * n * n * d
        return n * self.embedding * d + self.temporal_depth * block + d * self.classes

    def macs(self) -> int:
        """Per window when every frame is encoded afresh (the joint-window way of running it)."""
        return self.frames * self.frame_macs() + self.temporal_macs()

    def to_dict(self) -> dict:
        return asdict(self)


def _encoder_blocks(dim: int, depth: int, heads: int, mlp_ratio: float, drop_path: float) -> nn.ModuleList:
    return nn.ModuleList([Block(dim, heads, mlp_ratio, drop_path * (i + 1) / depth) for i in range(depth)])


class FrameEncoder(nn.Module):
    """One frame and the one before it -> an embedding. The difference is taken in the graph (motion, as in VideoViT)."""

    def __init__(self, cfg: StreamingConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Conv2d(6, cfg.dim, kernel_size=cfg.patch, stride=cfg.patch)
        self.pos = nn.Parameter(torch.randn(1, cfg.patches, cfg.dim) * 0.02)
        self.blocks = _encoder_blocks(cfg.dim, cfg.depth, cfg.heads, cfg.mlp_ratio, cfg.drop_path)
        self.norm = nn.LayerNorm(cfg.dim)

    def forward(self, pixel_values: torch.Tensor, previous: torch.Tensor) -> torch.Tensor:
        x = torch.cat([pixel_values, pixel_values - previous], 1)
        x = self.embed(x).flatten(2).transpose(1, 2) + self.pos
        for blk in self.blocks:
            x = blk(x)
        x = self.norm(x)
        return torch.cat([x.amax(1), x.mean(1)], 1)


class TemporalHead(nn.Module):
    """Cached frame embeddings [B, T, E] -> logits [B, K]."""

    def __init__(self, cfg: StreamingConfig):
        super().__init__()
        self.proj = nn.Linear(cfg.embedding, cfg.temporal_dim)
        self.pos = nn.Parameter(torch.randn(1, cfg.frames, cfg.temporal_dim) * 0.02)
        self.blocks = _encoder_blocks(cfg.temporal_dim, cfg.temporal_depth, cfg.heads, cfg.mlp_ratio, cfg.drop_path)
        self.norm = nn.LayerNorm(cfg.temporal_dim)
        self.head = nn.Linear(cfg.temporal_dim, cfg.classes)

    def forward(self, embeddings: torch.Tensor) -> torch.Tensor:
        x = self.proj(embeddings) + self.pos
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.norm(x).amax(1))


class StreamingStudent(nn.Module):
    """Window in, logits out, by way of the two streaming parts; frame 0's previous frame is itself (no motion)."""

    def __init__(self, cfg: StreamingConfig):
        super().__init__()
        self.cfg = cfg
        self.frame = FrameEncoder(cfg)
        self.temporal = TemporalHead(cfg)
        self.apply(VideoViT._init)

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        b, t = pixel_values.shape[:2]
        previous = torch.cat([pixel_values[:, :1], pixel_values[:, :-1]], 1)
        emb = self.frame(pixel_values.flatten(0, 1), previous.flatten(0, 1))
        return self.temporal(emb.view(b, t, -1))
