"""Stage 1, VideoMAE masked pretraining of the teacher's encoder on unlabeled windows.

Tube masking: one random set of spatial positions is hidden in every time step (90 % by default), so the encoder
cannot copy a patch from the neighbouring frame; it sees only the visible tubes, and a small decoder reconstructs
the hidden ones, each target tube normalised by its own mean and variance (VideoMAE's normalised-pixel loss).
"""
import torch
import torch.nn as nn

from .model import Block, VideoViT


def tubes(pixel_values: torch.Tensor, tubelet: tuple) -> torch.Tensor:
    """[B, T, 3, H, W] -> [B, N, t*p*q*3] in the token order of VideoViT's tubelet embedding (time, row, column)."""
    t, p, q = tubelet
    b, T, c, H, W = pixel_values.shape
    x = pixel_values.reshape(b, T // t, t, c, H // p, p, W // q, q)
    x = x.permute(0, 1, 4, 6, 2, 5, 7, 3)  # b, T', H', W', t, p, q, c
    return x.reshape(b, (T // t) * (H // p) * (W // q), t * p * q * c)


class MaskedAutoencoder(nn.Module):
    def __init__(self, encoder: VideoViT, decoder_dim: int = 64, decoder_depth: int = 1, mask_ratio: float = 0.9):
        super().__init__()
        cfg = encoder.cfg
        self.encoder = encoder
        self.mask_ratio = mask_ratio
        t, p, q = cfg.tubelet
        self.spatial = (cfg.size // p) * (cfg.size // q)
        self.temporal = cfg.frames // t
        self.to_decoder = nn.Linear(cfg.dim, decoder_dim)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, decoder_dim))
        self.decoder_pos = nn.Parameter(torch.randn(1, cfg.tokens, decoder_dim) * 0.02)
        self.decoder = nn.ModuleList([Block(decoder_dim, 4, 4.0, 0.0) for _ in range(decoder_depth)])
        self.decoder_norm = nn.LayerNorm(decoder_dim)
        self.predict = nn.Linear(decoder_dim, t * p * q * 3)

    def tube_mask(self, batch: int, gen: torch.Generator) -> torch.Tensor:
        """Indices of the visible tokens [B, V]: the same spatial positions in every time step."""
        keep = max(1, round(self.spatial * (1 - self.mask_ratio)))
        spatial = torch.rand(batch, self.spatial, generator=gen).argsort(1)[:, :keep]
        steps = torch.arange(self.temporal).view(1, -1, 1) * self.spatial
        return (spatial.unsqueeze(1) + steps).flatten(1).sort(1).values

    def forward(self, pixel_values: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        enc = self.encoder
        b = pixel_values.shape[0]
        x = pixel_values.permute(0, 2, 1, 3, 4)
        if enc.cfg.motion:
            diff = torch.cat([torch.zeros_like(x[:, :, :1]), x[:, :, 1:] - x[:, :, :-1]], 2)
            x = torch.cat([x, diff], 1)
        tokens = enc.embed(x).flatten(2).transpose(1, 2) + enc.pos
        visible = self.tube_mask(b, gen)
        d = tokens.shape[-1]
        h = tokens.gather(1, visible.unsqueeze(-1).expand(-1, -1, d))
        for blk in enc.blocks:
            h = blk(h)
        h = self.to_decoder(enc.norm(h))
        full = self.mask_token.expand(b, enc.cfg.tokens, -1).clone()
        full.scatter_(1, visible.unsqueeze(-1).expand(-1, -1, h.shape[-1]), h)
        y = full + self.decoder_pos
        for blk in self.decoder:
            y = blk(y)
        pred = self.predict(self.decoder_norm(y))
        target = tubes(pixel_values, enc.cfg.tubelet)
        target = (target - target.mean(-1, keepdim=True)) / (target.var(-1, keepdim=True) + 1e-6).sqrt()
        hidden = torch.ones(b, enc.cfg.tokens, dtype=torch.bool)
        hidden.scatter_(1, visible, False)
        return ((pred - target) ** 2).mean(-1)[hidden].mean()
